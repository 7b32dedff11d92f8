import { describe, expect, it } from 'vitest';
import { emptyEmbedCustomization, type EmbedCustomization } from '../contracts/guild-config.js';
import { DEFAULT_EMBED_COLOR, buildEmbed, embedLength, fitEmbed, packEmbeds } from './embeds.js';
import type { APIEmbed } from 'discord-api-types/v10';

const custom: EmbedCustomization = {
  titlePrefix: '[Acme] ',
  authorName: 'Acme Support',
  authorIconUrl: 'https://cdn.example.com/icon.png',
  bannerUrl: 'https://cdn.example.com/banner.png',
  color: 0x123456,
  footerText: 'Acme Inc.',
};

describe('buildEmbed customization', () => {
  it('applies title prefix, author, icon, footer and color', () => {
    const embed = buildEmbed(custom, { title: 'Ticket #0001', description: 'Hello', timestamp: '2024-01-01T00:00:00.000Z' });
    expect(embed).toEqual({
      title: '[Acme] Ticket #0001',
      description: 'Hello',
      color: 0x123456,
      timestamp: '2024-01-01T00:00:00.000Z',
      author: { name: 'Acme Support', icon_url: 'https://cdn.example.com/icon.png' },
      footer: { text: 'Acme Inc.' },
    });
  });

  it('shows the banner only with withBanner', () => {
    expect(buildEmbed(custom, { title: 't' }).image).toBeUndefined();
    expect(buildEmbed(custom, { title: 't', withBanner: true }).image).toEqual({ url: 'https://cdn.example.com/banner.png' });
    expect(buildEmbed(emptyEmbedCustomization, { title: 't', withBanner: true }).image).toBeUndefined();
  });

  it('lets the content color override the guild color, and falls back to the default', () => {
    expect(buildEmbed(custom, { title: 't', color: 0xed4245 }).color).toBe(0xed4245);
    expect(buildEmbed(emptyEmbedCustomization, { title: 't' }).color).toBe(DEFAULT_EMBED_COLOR);
  });

  it('adds no author, footer or icon when not customized', () => {
    const embed = buildEmbed(emptyEmbedCustomization, { title: 'Plain' });
    expect(embed).toEqual({ title: 'Plain', color: DEFAULT_EMBED_COLOR });
    expect(buildEmbed({ ...emptyEmbedCustomization, authorIconUrl: 'https://x/y.png' }, { title: 't' }).author).toBeUndefined();
  });

  it('replaces an empty field value with a zero-width space', () => {
    expect(buildEmbed(emptyEmbedCustomization, { title: 't', fields: [{ name: 'n', value: '' }] }).fields).toEqual([{ name: 'n', value: '\u200b' }]);
  });
});

describe('buildEmbed limits', () => {
  it('clips title (with prefix) to 256 and description to 4096', () => {
    const embed = buildEmbed(custom, { title: 'x'.repeat(300), description: 'd'.repeat(5000) });
    expect(embed.title).toHaveLength(256);
    expect(embed.title?.startsWith('[Acme] ')).toBe(true);
    expect(embed.title?.endsWith('…')).toBe(true);
    expect(embed.description).toHaveLength(4096);
  });

  it('keeps at most 25 fields, names ≤ 256 and values ≤ 1024', () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ name: `${i}`.padEnd(300, 'n'), value: 'v'.repeat(2000) }));
    const embed = buildEmbed(emptyEmbedCustomization, { title: 't', fields });
    expect(embed.fields!.length).toBeLessThanOrEqual(25);
    for (const field of embed.fields!) {
      expect(field.name.length).toBeLessThanOrEqual(256);
      expect(field.value.length).toBeLessThanOrEqual(1024);
    }
    expect(embedLength(embed)).toBeLessThanOrEqual(6000);
    expect(embed.fields![0]!.name.startsWith('0')).toBe(true);
  });

  it('keeps the first 25 of more short fields, though they would fit in 6000', () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: `v${i}` }));
    expect(buildEmbed(emptyEmbedCustomization, { title: 't', fields }).fields).toEqual(fields.slice(0, 25));
  });

  it('keeps 25 short fields untouched', () => {
    const fields = Array.from({ length: 25 }, (_, i) => ({ name: `f${i}`, value: `v${i}`, inline: true }));
    expect(buildEmbed(emptyEmbedCustomization, { title: 't', fields }).fields).toEqual(fields);
  });

  it('trims the description first so the whole embed fits in 6000', () => {
    const fields = Array.from({ length: 2 }, () => ({ name: 'n', value: 'v'.repeat(1000) }));
    const embed = buildEmbed(custom, { title: 'x'.repeat(256), description: 'd'.repeat(4096), fields });
    expect(embedLength(embed)).toBeLessThanOrEqual(6000);
    expect(embed.fields).toHaveLength(2);
    expect(embed.description!.length).toBeLessThan(4096);
  });

  it('drops trailing fields when the description alone cannot make room', () => {
    const fields = Array.from({ length: 25 }, (_, i) => ({ name: `field ${i}`, value: 'v'.repeat(1024) }));
    const embed = buildEmbed(custom, { title: 'T', description: 'short', fields });
    expect(embedLength(embed)).toBeLessThanOrEqual(6000);
    expect(embed.fields!.length).toBeLessThan(25);
    expect(embed.fields!.map((f) => f.name)).toEqual(fields.slice(0, embed.fields!.length).map((f) => f.name));
  });
});

describe('buildEmbed at the exact limits', () => {
  it('leaves a title, field name and field value of exactly the limit whole', () => {
    const embed = buildEmbed(emptyEmbedCustomization, { title: 't'.repeat(256), fields: [{ name: 'n'.repeat(256), value: 'v'.repeat(1024) }] });
    expect(embed.title).toBe('t'.repeat(256));
    expect(embed.fields).toEqual([{ name: 'n'.repeat(256), value: 'v'.repeat(1024) }]);
  });

  it('clips one character over the limit to the limit, ending in …', () => {
    const embed = buildEmbed(emptyEmbedCustomization, { title: 't'.repeat(257), fields: [{ name: 'n'.repeat(257), value: 'v'.repeat(1025) }] });
    expect(embed.title).toBe(`${'t'.repeat(255)}…`);
    expect(embed.fields).toEqual([{ name: `${'n'.repeat(255)}…`, value: `${'v'.repeat(1023)}…` }]);
  });

  it('clips the author name and the footer to their limits', () => {
    const embed = buildEmbed({ ...emptyEmbedCustomization, authorName: 'a'.repeat(300), footerText: 'f'.repeat(2100) }, { title: 't' });
    expect(embed.author).toEqual({ name: `${'a'.repeat(255)}…` });
    expect(embed.footer).toEqual({ text: `${'f'.repeat(2047)}…` });
  });
});

describe('fitEmbed', () => {
  const field = (name: string) => ({ name, value: 'v'.repeat(1000) });

  it('leaves an embed of exactly 6000 characters as it is', () => {
    const embed = { title: 't'.repeat(1000), description: 'd'.repeat(5000) };
    expect(fitEmbed(embed)).toEqual(embed);
  });

  it('trims the description to exactly what fits', () => {
    const embed = fitEmbed({ title: 't'.repeat(1000), description: 'd'.repeat(5010) });
    expect(embed.description).toBe(`${'d'.repeat(4999)}…`);
    expect(embedLength(embed)).toBe(6000);
  });

  it('drops the last fields, or with keepLastField the ones before the last (a status line), until it fits', () => {
    const embed = { title: 't'.repeat(3000), fields: [field('a'), field('b'), field('c'), field('status')] };
    expect(fitEmbed(embed).fields!.map((f) => f.name)).toEqual(['a', 'b']);
    expect(fitEmbed(embed, { keepLastField: true }).fields!.map((f) => f.name)).toEqual(['a', 'status']);
    // The embed it was given is left untouched.
    expect(embed.fields).toHaveLength(4);
  });

  it('leaves an embed of exactly 6000 characters with fields as it is', () => {
    const embed = { title: 't'.repeat(3998), fields: [field('a'), field('b')] };
    expect(fitEmbed(embed)).toEqual(embed);
  });

  it('keeps at least the ellipsis of a description when the rest alone fills the embed', () => {
    expect(fitEmbed({ title: 't'.repeat(6000), description: 'd'.repeat(100) }).description).toBe('…');
  });

  it('drops the last field itself when it is the only one left', () => {
    const embed = { title: 't'.repeat(5500), fields: [field('status')] };
    expect(fitEmbed(embed, { keepLastField: true }).fields).toEqual([]);
  });
});

describe('embedLength', () => {
  it('counts title, description, author, footer and field names and values', () => {
    expect(
      embedLength({ title: 'ab', description: 'cde', author: { name: 'f' }, footer: { text: 'gh' }, fields: [{ name: 'i', value: 'jk' }], color: 1 }),
    ).toBe(11);
    expect(embedLength({})).toBe(0);
  });
});

describe('packEmbeds', () => {
  const small = (i: number): APIEmbed => ({ title: `e${i}` });

  it('puts at most 10 embeds in a message, keeping order', () => {
    const embeds = Array.from({ length: 23 }, (_, i) => small(i));
    const messages = packEmbeds(embeds);
    expect(messages.map((m) => m.length)).toEqual([10, 10, 3]);
    expect(messages.flat()).toEqual(embeds);
  });

  it('starts a new message before 6000 characters', () => {
    const big = (i: number): APIEmbed => ({ title: `${i}`, description: 'd'.repeat(2499) });
    const embeds = [big(0), big(1), big(2), big(3), big(4)];
    const messages = packEmbeds(embeds);
    expect(messages.map((m) => m.length)).toEqual([2, 2, 1]);
    for (const message of messages) expect(message.reduce((sum, e) => sum + embedLength(e), 0)).toBeLessThanOrEqual(6000);
    expect(messages.flat()).toEqual(embeds);
  });

  it('fills a message to exactly 6000', () => {
    const embeds = [{ description: 'a'.repeat(3000) }, { description: 'b'.repeat(3000) }, { description: 'c' }];
    expect(packEmbeds(embeds).map((m) => m.length)).toEqual([2, 1]);
  });

  it('puts an embed over 6000 characters in a message of its own, with no empty message before it', () => {
    const huge = { description: 'x'.repeat(7000) };
    expect(packEmbeds([huge, { title: 'next' }])).toEqual([[huge], [{ title: 'next' }]]);
  });

  it('returns no messages for no embeds', () => {
    expect(packEmbeds([])).toEqual([]);
  });
});
