import { describe, expect, it } from 'vitest';
import {
  AUTO_CLOSE_MAX_HOURS,
  MAX_TITLE_PREFIX,
  checkCloseMode,
  checkTypeList,
  customEmojiId,
  formatColor,
  validateArchiveDays,
  validateAuthorName,
  validateAutoClose,
  validateCategory,
  validateColor,
  validateDescription,
  validateEmbedCustomization,
  validateEmoji,
  validateFooter,
  validateHours,
  validateLabel,
  validateLogChannel,
  validatePerUserLimit,
  validateQuestion,
  validateStaffRole,
  validateTitlePrefix,
  validateTypeName,
  validateUrl,
  validateWelcomeMessage,
} from './config-rules.js';
import { render } from '@promton/shared/domain';
import type { EmbedCustomization } from '@promton/shared/contracts';
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

/** A refusal's English text (fails the test when the value was accepted). */
function refusal<T>(result: Result<T>): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return render('en-US', result.error);
}

const ID17 = '12345678901234567';
const ID20 = '12345678901234567890';

describe('config rules at their limits', () => {
  it('trims type names and refuses what is left when it breaks the rule', () => {
    expect(validateTypeName('  support  ')).toEqual({ ok: true, value: 'support' });
    expect(validateTypeName('a'.repeat(32))).toEqual({ ok: true, value: 'a'.repeat(32) });
    expect(refusal(validateTypeName('   '))).toBe('The name must be 1 to 32 characters of a-z, 0-9 and -.');
    expect(refusal(validateTypeName('a b'))).toBe('The name must be 1 to 32 characters of a-z, 0-9 and -.');
  });

  it('takes labels of 1 to 80 characters after trimming', () => {
    expect(validateLabel(' Help me ')).toEqual({ ok: true, value: 'Help me' });
    expect(validateLabel('x')).toEqual({ ok: true, value: 'x' });
    expect(validateLabel('x'.repeat(80))).toEqual({ ok: true, value: 'x'.repeat(80) });
    expect(validateLabel(`  ${'x'.repeat(80)}  `)).toEqual({ ok: true, value: 'x'.repeat(80) });
    expect(refusal(validateLabel(''))).toBe('The label must not be empty.');
    expect(refusal(validateLabel(' \t\n '))).toBe('The label must not be empty.');
    expect(refusal(validateLabel('x'.repeat(81)))).toBe('The label must be at most 80 characters.');
  });

  it('takes descriptions of up to 100 characters after trimming, empty as none', () => {
    expect(validateDescription('')).toEqual({ ok: true, value: null });
    expect(validateDescription('   ')).toEqual({ ok: true, value: null });
    expect(validateDescription('  About billing  ')).toEqual({ ok: true, value: 'About billing' });
    expect(validateDescription('d'.repeat(100))).toEqual({ ok: true, value: 'd'.repeat(100) });
    expect(validateDescription(` ${'d'.repeat(100)} `)).toEqual({ ok: true, value: 'd'.repeat(100) });
    expect(refusal(validateDescription('d'.repeat(101)))).toBe('The description must be at most 100 characters.');
  });

  it('takes welcome messages of up to 4,000 characters after trimming, empty as none', () => {
    expect(validateWelcomeMessage('')).toEqual({ ok: true, value: null });
    expect(validateWelcomeMessage(' \n ')).toEqual({ ok: true, value: null });
    expect(validateWelcomeMessage('\n Hello {user} \n')).toEqual({ ok: true, value: 'Hello {user}' });
    expect(validateWelcomeMessage('m'.repeat(4000))).toEqual({ ok: true, value: 'm'.repeat(4000) });
    expect(validateWelcomeMessage(`  ${'m'.repeat(4000)}  `)).toEqual({ ok: true, value: 'm'.repeat(4000) });
    expect(refusal(validateWelcomeMessage('m'.repeat(4001)))).toBe('The message must be at most 4,000 characters.');
  });

  it('takes questions of 1 to 45 characters after trimming', () => {
    expect(validateQuestion('  Order number?  ')).toEqual({ ok: true, value: 'Order number?' });
    expect(validateQuestion('q'.repeat(45))).toEqual({ ok: true, value: 'q'.repeat(45) });
    expect(validateQuestion(` ${'q'.repeat(45)} `)).toEqual({ ok: true, value: 'q'.repeat(45) });
    expect(refusal(validateQuestion(''))).toBe('The question must not be empty.');
    expect(refusal(validateQuestion('    '))).toBe('The question must not be empty.');
    expect(refusal(validateQuestion('q'.repeat(46)))).toBe('The question must be at most 45 characters.');
  });

  it('takes a per-member limit of whole numbers from 1 to 10', () => {
    expect(validatePerUserLimit(1)).toEqual({ ok: true, value: 1 });
    expect(validatePerUserLimit(10)).toEqual({ ok: true, value: 10 });
    for (const bad of [0, 11, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(refusal(validatePerUserLimit(bad))).toBe('The limit must be a whole number from 1 to 10.');
    }
  });

  it('takes auto-close hours from 0 (never, stored as null) to 720', () => {
    expect(AUTO_CLOSE_MAX_HOURS).toBe(720);
    expect(validateAutoClose(0)).toEqual({ ok: true, value: null });
    expect(validateAutoClose(1)).toEqual({ ok: true, value: 1 });
    expect(validateAutoClose(720)).toEqual({ ok: true, value: 720 });
    for (const bad of [-1, 721, 2.5, Number.NaN]) {
      expect(refusal(validateAutoClose(bad))).toBe('The auto-close must be a whole number of hours from 0 to 720 (0 = never).');
    }
  });

  it('takes archive days of whole numbers from 1 to 90', () => {
    expect(validateArchiveDays(1)).toEqual({ ok: true, value: 1 });
    expect(validateArchiveDays(90)).toEqual({ ok: true, value: 90 });
    for (const bad of [0, 91, -1, 7.5, Number.NaN]) expect(refusal(validateArchiveDays(bad))).toBe('The days must be between 1 and 90.');
  });
});

describe('emoji', () => {
  it('takes a custom emoji whose name is 2 to 32 of A-Z, a-z, 0-9 and _ and whose id is 17 to 20 digits', () => {
    for (const emoji of [
      `<:ab:${ID17}>`,
      `<:${'n'.repeat(32)}:${ID20}>`,
      '<:AZaz09_:123456789012345678>',
      '<:Z_9:123456789012345678>',
      '<a:zA0:98765432109876543>',
      `<a:x_:${ID20}>`,
    ]) {
      expect(validateEmoji(emoji)).toEqual({ ok: true, value: emoji });
    }
    expect(validateEmoji(` <:ticket:${ID17}>\n`)).toEqual({ ok: true, value: `<:ticket:${ID17}>` });
  });

  it('refuses a custom emoji with a name or id of the wrong length or characters, or with junk around it', () => {
    const message = 'The emoji must be exactly one unicode emoji or a custom emoji of this server like <:name:id>.';
    for (const bad of [
      `<:a:${ID17}>`,
      `<:${'n'.repeat(33)}:${ID17}>`,
      `<:ab:${ID17.slice(1)}>`,
      `<:ab:${ID20}1>`,
      `<:a-b:${ID17}>`,
      `<:a b:${ID17}>`,
      `<:ab:${ID17.slice(1)}x>`,
      `<b:ab:${ID17}>`,
      `<:ab${ID17}>`,
      `<:ab:${ID17}`,
      `:ab:${ID17}>`,
      `x<:ab:${ID17}>`,
      `<:ab:${ID17}>x`,
      `<:ab:${ID17}><:ab:${ID17}>`,
      `🎫<:ab:${ID17}>`,
    ]) {
      expect(refusal(validateEmoji(bad)), bad).toBe(message);
    }
  });

  it('refuses a unicode emoji with junk before or after it', () => {
    for (const bad of ['a🎫', '🎫a', ' a 🎫', '🎫 .', 'x', '\u200d']) expect(validateEmoji(bad).ok, bad).toBe(false);
    expect(validateEmoji('  🎫  ')).toEqual({ ok: true, value: '🎫' });
    expect(validateEmoji('   ')).toEqual({ ok: true, value: null });
  });

  it('gives the id of a custom emoji and null for unicode, junk or none', () => {
    expect(customEmojiId(`<:ticket:${ID17}>`)).toBe(ID17);
    expect(customEmojiId(`<a:spin:${ID20}>`)).toBe(ID20);
    expect(customEmojiId(`<:ab:${ID17}>`)).toBe(ID17);
    expect(customEmojiId(`<a:ab:${ID17}>`)).toBe(ID17);
    expect(customEmojiId('<:ticket:123456789012345678>')).toBe('123456789012345678');
    expect(customEmojiId('🎫')).toBeNull();
    expect(customEmojiId(null)).toBeNull();
    expect(customEmojiId('')).toBeNull();
    expect(customEmojiId(`<:t:${ID17}>`)).toBeNull();
    expect(customEmojiId(`x<:ticket:${ID17}>`)).toBeNull();
    expect(customEmojiId(`<:ticket:${ID17}>x`)).toBeNull();
  });
});

describe('support hours, close mode, channels and roles', () => {
  it('stores support hours with the canonical zone and schedule', () => {
    expect(validateHours(' europe/berlin ', 'fri 10:00-12:00;  mon-thu 09:00-17:00', 'notice')).toEqual({
      ok: true,
      value: { timeZone: 'Europe/Berlin', schedule: 'mon-thu 09:00-17:00; fri 10:00-12:00', mode: 'notice' },
    });
    expect(validateHours('UTC', 'sat 10:00-14:00', 'refuse')).toEqual({ ok: true, value: { timeZone: 'UTC', schedule: 'sat 10:00-14:00', mode: 'refuse' } });
  });

  it('names the unknown zone (trimmed, or "" when none), the schedule error and the mode', () => {
    const zone = (shown: string) => `The timezone ${shown} is not an IANA time zone; use a name like Europe/Berlin, America/New_York or UTC.`;
    expect(refusal(validateHours('  Mars/Base  ', 'mon 09:00-17:00', 'notice'))).toBe(zone('Mars/Base'));
    expect(refusal(validateHours('', 'mon 09:00-17:00', 'notice'))).toBe(zone('""'));
    expect(refusal(validateHours('   ', 'mon 09:00-17:00', 'notice'))).toBe(zone('""'));
    expect(refusal(validateHours('UTC', 'someday 09:00-17:00', 'notice'))).toBe(
      'The schedule is not valid: "someday" is not a day; use mon, tue, wed, thu, fri, sat, sun (or ranges like mon-fri).',
    );
    for (const mode of ['', 'Notice', 'refused', 'open'])
      expect(refusal(validateHours('UTC', 'mon 09:00-17:00', mode))).toBe('The mode must be notice or refuse.');
  });

  it('refuses archiving on close only for a type that opens threads', () => {
    expect(refusal(checkCloseMode({ name: 'support', threadChannelId: '123456789012345678', closeMode: 'archive' }))).toBe(
      'Ticket type support cannot both open private threads and archive on close: a thread ticket is archived and locked when it closes already, so archiving is for channel tickets only.',
    );
    expect(checkCloseMode({ name: 'support', threadChannelId: '123456789012345678', closeMode: 'delete' })).toEqual({ ok: true, value: true });
    expect(checkCloseMode({ name: 'support', threadChannelId: null, closeMode: 'archive' })).toEqual({ ok: true, value: true });
    expect(checkCloseMode({ name: 'support', threadChannelId: null, closeMode: 'delete' })).toEqual({ ok: true, value: true });
  });

  it('says why a category, log channel or staff role is refused', () => {
    expect(validateCategory({ type: 4 })).toEqual({ ok: true, value: true });
    expect(refusal(validateCategory(undefined))).toBe('The category must be a category channel of this server.');
    expect(refusal(validateCategory({ type: 0 }))).toBe('The category must be a category channel, not another kind of channel.');
    expect(validateLogChannel({ type: 0 })).toEqual({ ok: true, value: true });
    expect(refusal(validateLogChannel(undefined))).toBe('The channel must be a text channel of this server.');
    expect(refusal(validateLogChannel({ type: 4 }))).toBe('The channel must be a text channel.');
    expect(refusal(validateStaffRole('1', '1', undefined))).toBe('The staff role cannot be @everyone.');
    expect(refusal(validateStaffRole('1', '2', { managed: true }))).toBe('The staff role cannot be a role managed by an integration or bot.');
    expect(validateStaffRole('1', '2', undefined)).toEqual({ ok: true, value: true });
    expect(validateStaffRole('1', '2', {})).toEqual({ ok: true, value: true });
  });
});

describe('embed customization', () => {
  it('keeps a title prefix as typed (its spacing is part of the title) up to 196 characters', () => {
    expect(validateTitlePrefix('')).toEqual({ ok: true, value: null });
    expect(validateTitlePrefix('[Help] ')).toEqual({ ok: true, value: '[Help] ' });
    expect(validateTitlePrefix('x'.repeat(196))).toEqual({ ok: true, value: 'x'.repeat(196) });
    expect(refusal(validateTitlePrefix('x'.repeat(197)))).toBe("The title prefix must be at most 196 characters so titles stay within Discord's 256.");
  });

  it('takes an author name of up to 256 characters after trimming, empty as none', () => {
    expect(validateAuthorName('')).toEqual({ ok: true, value: null });
    expect(validateAuthorName('  ')).toEqual({ ok: true, value: null });
    expect(validateAuthorName('  Support team ')).toEqual({ ok: true, value: 'Support team' });
    expect(validateAuthorName('a'.repeat(256))).toEqual({ ok: true, value: 'a'.repeat(256) });
    expect(validateAuthorName(` ${'a'.repeat(256)} `)).toEqual({ ok: true, value: 'a'.repeat(256) });
    expect(refusal(validateAuthorName('a'.repeat(257)))).toBe('The author name must be at most 256 characters.');
  });

  it('takes a footer of up to 2,048 characters after trimming, empty as none', () => {
    expect(validateFooter('')).toEqual({ ok: true, value: null });
    expect(validateFooter(' \n ')).toEqual({ ok: true, value: null });
    expect(validateFooter(' Thanks! ')).toEqual({ ok: true, value: 'Thanks!' });
    expect(validateFooter('f'.repeat(2048))).toEqual({ ok: true, value: 'f'.repeat(2048) });
    expect(validateFooter(` ${'f'.repeat(2048)} `)).toEqual({ ok: true, value: 'f'.repeat(2048) });
    expect(refusal(validateFooter('f'.repeat(2049)))).toBe('The footer must be at most 2,048 characters.');
  });

  it('takes http and https URLs of up to 2,048 characters after trimming, as typed', () => {
    const url2048 = `https://example.com/${'a'.repeat(2048 - 'https://example.com/'.length)}`;
    expect(url2048).toHaveLength(2048);
    expect(validateUrl('field.banner', '')).toEqual({ ok: true, value: null });
    expect(validateUrl('field.banner', '   ')).toEqual({ ok: true, value: null });
    expect(validateUrl('field.banner', 'http://example.com/a.png')).toEqual({ ok: true, value: 'http://example.com/a.png' });
    expect(validateUrl('field.banner', ' https://Example.com/a.png ')).toEqual({ ok: true, value: 'https://Example.com/a.png' });
    expect(validateUrl('field.author-icon', url2048)).toEqual({ ok: true, value: url2048 });
    expect(validateUrl('field.author-icon', `  ${url2048}  `)).toEqual({ ok: true, value: url2048 });
    expect(refusal(validateUrl('field.author-icon', `${url2048}a`))).toBe('The author icon must be a URL of at most 2,048 characters.');
    expect(refusal(validateUrl('field.banner', `${url2048}a`))).toBe('The banner must be a URL of at most 2,048 characters.');
  });

  it('refuses what is not an http or https URL and names the field', () => {
    for (const bad of ['example.com/a.png', 'not a url', 'ftp://example.com/a.png', 'javascript:alert(1)', 'data:image/png;base64,AAAA']) {
      expect(refusal(validateUrl('field.banner', bad)), bad).toBe('The banner must be an http or https URL.');
      expect(refusal(validateUrl('field.author-icon', bad)), bad).toBe('The author icon must be an http or https URL.');
    }
  });

  it('takes colours as exactly #rrggbb after trimming, empty as none', () => {
    expect(validateColor('')).toEqual({ ok: true, value: null });
    expect(validateColor('  ')).toEqual({ ok: true, value: null });
    expect(validateColor(' #5865f2 ')).toEqual({ ok: true, value: 0x5865f2 });
    expect(validateColor('#09afAF')).toEqual({ ok: true, value: 0x09afaf });
    expect(validateColor('#000000')).toEqual({ ok: true, value: 0 });
    expect(validateColor('#FFFFFF')).toEqual({ ok: true, value: 0xffffff });
    expect(validateColor('#123456')).toEqual({ ok: true, value: 0x123456 });
    expect(validateColor('#78bcde')).toEqual({ ok: true, value: 0x78bcde });
    expect(validateColor('#BCDE00')).toEqual({ ok: true, value: 0xbcde00 });
    for (const bad of ['#58652', '#5865f2f', 'x#5865f2', '#5865f2x', '##5865f2', '#5865g2', '#5865G2', '#58 5f2', '5865f2', '#', 'red']) {
      expect(refusal(validateColor(bad)), bad).toBe('The color must be written as #rrggbb, for example #5865f2.');
    }
  });

  it('writes colours back as #rrggbb', () => {
    expect(formatColor(0)).toBe('#000000');
    expect(formatColor(0xff)).toBe('#0000ff');
    expect(formatColor(0x5865f2)).toBe('#5865f2');
    expect(formatColor(0xffffff)).toBe('#ffffff');
  });

  const none: EmbedCustomization = { titlePrefix: null, authorName: null, authorIconUrl: null, bannerUrl: null, color: null, footerText: null };

  it('checks an imported customization field by field and keeps the trimmed values', () => {
    expect(validateEmbedCustomization(none)).toEqual({ ok: true, value: none });
    const blank = { titlePrefix: '', authorName: ' ', authorIconUrl: ' ', bannerUrl: '', color: null, footerText: '  ' };
    expect(validateEmbedCustomization(blank)).toEqual({ ok: true, value: none });
    expect(
      validateEmbedCustomization({
        titlePrefix: '[Help] ',
        authorName: ' Support ',
        authorIconUrl: ' https://example.com/icon.png ',
        bannerUrl: 'http://example.com/banner.png',
        color: 0x5865f2,
        footerText: ' Thanks ',
      }),
    ).toEqual({
      ok: true,
      value: {
        titlePrefix: '[Help] ',
        authorName: 'Support',
        authorIconUrl: 'https://example.com/icon.png',
        bannerUrl: 'http://example.com/banner.png',
        color: 0x5865f2,
        footerText: 'Thanks',
      },
    });
    expect(validateEmbedCustomization({ ...none, color: 0 })).toEqual({ ok: true, value: { ...none, color: 0 } });
    expect(validateEmbedCustomization({ ...none, color: 0xffffff })).toEqual({ ok: true, value: { ...none, color: 0xffffff } });
  });

  it('refuses an imported customization with the first wrong field', () => {
    expect(refusal(validateEmbedCustomization({ ...none, titlePrefix: 'x'.repeat(197) }))).toBe(
      "The title prefix must be at most 196 characters so titles stay within Discord's 256.",
    );
    expect(refusal(validateEmbedCustomization({ ...none, authorName: 'a'.repeat(257) }))).toBe('The author name must be at most 256 characters.');
    expect(refusal(validateEmbedCustomization({ ...none, authorIconUrl: 'ftp://example.com/i.png' }))).toBe('The author icon must be an http or https URL.');
    expect(refusal(validateEmbedCustomization({ ...none, bannerUrl: 'ftp://example.com/b.png' }))).toBe('The banner must be an http or https URL.');
    expect(refusal(validateEmbedCustomization({ ...none, footerText: 'f'.repeat(2049) }))).toBe('The footer must be at most 2,048 characters.');
    for (const color of [-1, 0x1000000, 1.5, Number.NaN]) {
      expect(refusal(validateEmbedCustomization({ ...none, color })), String(color)).toBe('The color must be between #000000 and #ffffff.');
    }
  });
});

describe('type list', () => {
  const named = (...names: string[]) => names.map((name) => ({ name }));

  it('takes up to 5 types with distinct names', () => {
    expect(checkTypeList([])).toEqual({ ok: true, value: true });
    expect(checkTypeList(named('a', 'b', 'c', 'd', 'e'))).toEqual({ ok: true, value: true });
    expect(refusal(checkTypeList(named('a', 'b', 'c', 'd', 'e', 'f')))).toBe('A server can have at most 5 ticket types.');
  });

  it('names a name used twice', () => {
    expect(refusal(checkTypeList(named('support', 'billing', 'support')))).toBe('The name support is used by two ticket types; names must be unique.');
    expect(refusal(checkTypeList(named('a', 'a')))).toBe('The name a is used by two ticket types; names must be unique.');
  });
});
