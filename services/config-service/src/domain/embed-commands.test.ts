import { describe, expect, it } from 'vitest';
import { emptyEmbedCustomization, type EmbedCustomization } from '@promton/shared/contracts';
import { msg, render } from '@promton/shared/domain';
import { planEmbedSet, resetEmbed } from './embed-commands.js';
import type { Result } from './result.js';

const current: EmbedCustomization = {
  titlePrefix: 'Help',
  authorName: 'Support',
  authorIconUrl: 'https://example.com/icon.png',
  bannerUrl: 'https://example.com/banner.png',
  color: 0x112233,
  footerText: 'Thanks',
};

function refusal(result: Result<unknown>): string | undefined {
  return result.ok ? undefined : render('en-US', result.error);
}

describe('planEmbedSet', () => {
  it('sets every given field, in the order of the options, and names each', () => {
    const plan = planEmbedSet(emptyEmbedCustomization, {
      'title-prefix': 'Ticket',
      'author-name': '  Staff  ',
      'author-icon': 'https://example.com/a.png',
      banner: 'http://example.com/b.png',
      color: '#FF8800',
      footer: ' See you ',
    });
    expect(plan).toEqual({
      ok: true,
      value: {
        embed: {
          titlePrefix: 'Ticket',
          authorName: 'Staff',
          authorIconUrl: 'https://example.com/a.png',
          bannerUrl: 'http://example.com/b.png',
          color: 0xff8800,
          footerText: 'See you',
        },
        changed: ['title-prefix', 'author-name', 'author-icon', 'banner', 'color', 'footer'],
      },
    });
    expect(emptyEmbedCustomization.titlePrefix).toBeNull();
  });

  it('keeps the fields not given and leaves the current customization untouched', () => {
    const before = { ...current };
    expect(planEmbedSet(current, { color: '#000001' })).toEqual({ ok: true, value: { embed: { ...current, color: 1 }, changed: ['color'] } });
    expect(current).toEqual(before);
  });

  it('clears a field given as an empty string', () => {
    expect(planEmbedSet(current, { 'title-prefix': '', banner: '  ' })).toEqual({
      ok: true,
      value: { embed: { ...current, titlePrefix: null, bannerUrl: null }, changed: ['title-prefix', 'banner'] },
    });
  });

  it('refuses with the first invalid option sentence, naming the URL option', () => {
    expect(refusal(planEmbedSet(current, { color: 'red' }))).toMatch(/colou?r/i);
    expect(refusal(planEmbedSet(current, { 'title-prefix': 'ok', 'author-icon': 'ftp://example.com/a.png' }))).toBe(
      render('en-US', msg('invalid.url', { field: msg('field.author-icon') })),
    );
    expect(refusal(planEmbedSet(current, { banner: 'not a url' }))).toBe(render('en-US', msg('invalid.url', { field: msg('field.banner') })));
    expect(refusal(planEmbedSet(current, { footer: 'x'.repeat(2049) }))).toBeDefined();
    expect(refusal(planEmbedSet(current, { 'author-name': 'x'.repeat(257) }))).toBeDefined();
    expect(refusal(planEmbedSet(current, { 'title-prefix': 'x'.repeat(500) }))).toBeDefined();
  });

  it('refuses a command that gives no field', () => {
    const nothing = refusal(planEmbedSet(current, {}));
    expect(nothing).toBe(render('en-US', msg('invalid.embed-nothing')));
    expect(nothing).not.toBe('');
    expect(refusal(planEmbedSet(current, { unknown: 'x' }))).toBe(nothing);
  });
});

describe('resetEmbed', () => {
  it('gives a fresh empty customization', () => {
    const reset = resetEmbed();
    expect(reset).toEqual(emptyEmbedCustomization);
    expect(reset).not.toBe(emptyEmbedCustomization);
  });
});
