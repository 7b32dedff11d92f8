import { describe, expect, it } from 'vitest';
import {
  MAX_TITLE_PREFIX,
  validateCategory,
  validateColor,
  validateEmoji,
  validateLabel,
  validateLogChannel,
  validatePerUserLimit,
  validateStaffRole,
  validateTitlePrefix,
  validateTypeName,
  validateUrl,
} from './config-rules.js';
import { render } from '@promton/shared/domain';
import type { Result } from './result.js';

/** A refusal as an English admin reads it. */
function english<T>(result: Result<T>): Result<T> | { ok: false; error: string } {
  return result.ok ? result : { ok: false, error: render('en-US', result.error) };
}

describe('config rules', () => {
  it('accepts type names of a-z, 0-9 and - up to 32', () => {
    expect(validateTypeName('support-2')).toEqual({ ok: true, value: 'support-2' });
    expect(validateTypeName('Support').ok).toBe(false);
    expect(validateTypeName('a'.repeat(33)).ok).toBe(false);
    expect(validateTypeName('').ok).toBe(false);
  });

  it('names the field and the limit when refusing', () => {
    expect(english(validateLabel('x'.repeat(81)))).toEqual({ ok: false, error: 'The label must be at most 80 characters.' });
    expect(english(validatePerUserLimit(0))).toEqual({ ok: false, error: 'The limit must be a whole number from 1 to 10.' });
  });

  it('accepts exactly one unicode emoji or a custom emoji and refuses text or several emoji', () => {
    for (const emoji of ['🎫', '👍🏽', '👨‍👩‍👧', '🇫🇷', '1️⃣', '❤️', '<:ticket:123456789012345678>', '<a:spin:123456789012345678>']) {
      expect(validateEmoji(emoji)).toEqual({ ok: true, value: emoji });
    }
    for (const text of ['hello', '123', '#', ':ticket:', '<:x:1>', '<:ticket:abc>', '🎫🎫', '🎫 🎫', '🎫a', '👍👍🏽']) expect(validateEmoji(text).ok).toBe(false);
    expect(validateEmoji('')).toEqual({ ok: true, value: null });
  });

  it('checks channel kinds and staff roles', () => {
    expect(validateCategory({ type: 4 }).ok).toBe(true);
    expect(validateCategory({ type: 0 }).ok).toBe(false);
    expect(validateCategory(undefined).ok).toBe(false);
    expect(validateLogChannel({ type: 0 }).ok).toBe(true);
    expect(validateLogChannel({ type: 2 }).ok).toBe(false);
    expect(validateStaffRole('1', '1', {}).ok).toBe(false);
    expect(validateStaffRole('1', '2', { managed: true }).ok).toBe(false);
    expect(validateStaffRole('1', '2', { managed: false }).ok).toBe(true);
  });

  it('takes colors as #rrggbb and URLs as http(s) only', () => {
    expect(validateColor('#5865F2')).toEqual({ ok: true, value: 0x5865f2 });
    expect(validateColor('5865f2').ok).toBe(false);
    expect(validateUrl('field.banner', 'https://example.com/a.png').ok).toBe(true);
    expect(validateUrl('field.banner', 'ftp://example.com/a.png').ok).toBe(false);
    expect(validateUrl('field.banner', `https://example.com/${'a'.repeat(2048)}`).ok).toBe(false);
  });

  it('leaves the longest bot title room under 256 characters', () => {
    expect(MAX_TITLE_PREFIX).toBe(196);
    expect(validateTitlePrefix('x'.repeat(196)).ok).toBe(true);
    expect(validateTitlePrefix('x'.repeat(197)).ok).toBe(false);
  });
});
