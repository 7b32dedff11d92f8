import { describe, expect, it } from 'vitest';
import { defaultGuildConfig } from '@promton/shared/contracts';
import { parseImport, toExport } from './import-config.js';
import { render } from '@promton/shared/domain';
import type { Result } from './result.js';

/** A refusal as an English admin reads it. */
function english<T>(result: Result<T>): Result<T> | { ok: false; error: string } {
  return result.ok ? result : { ok: false, error: render('en-US', result.error) };
}

const GUILD = '100000000000000001';

describe('parseImport', () => {
  it('round-trips an export', () => {
    const config = defaultGuildConfig(GUILD);
    config.types.push({
      name: 'a',
      label: 'A',
      description: null,
      emoji: '🎫',
      categoryId: null,
      staffRoleIds: ['100000000000000002'],
      welcomeMessage: null,
      perUserLimit: 2,
      questions: ['Why?'],
      autoCloseHours: 72,
      hours: { timeZone: 'America/New_York', schedule: 'mon-fri 09:00-17:00', mode: 'refuse' },
      threadChannelId: null,
      closeMode: 'archive',
      archiveCategoryId: '100000000000000009',
      archiveDays: 30,
    });
    config.feedback = true;
    config.transcriptDm = true;
    const data = toExport(config);
    expect(parseImport(GUILD, JSON.stringify(data))).toEqual({ ok: true, value: data });
  });

  it('refuses a thread type that archives on close, as the commands do', () => {
    const file = (closeMode: string) =>
      JSON.stringify({
        v: 1,
        types: [{ name: 'a', label: 'A', threadChannelId: '100000000000000003', closeMode, archiveCategoryId: '100000000000000009' }],
      });
    const refused = parseImport(GUILD, file('archive'));
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(render('en-US', refused.error)).toMatch(/^Ticket type a: Ticket type a cannot both open private threads and archive on close/);
    expect(parseImport(GUILD, file('delete')).ok).toBe(true);
  });

  it('reads a file from before thread tickets as a channel per ticket', () => {
    const parsed = parseImport(GUILD, JSON.stringify({ v: 1, types: [{ name: 'a', label: 'A' }] }));
    expect(parsed.ok && parsed.value.types[0]?.threadChannelId).toBeNull();
  });

  it('carries support hours and feedback, validating hours like the command', () => {
    const file = (hours: unknown, feedback?: unknown) =>
      JSON.stringify({ v: 1, ...(feedback === undefined ? {} : { feedback }), types: [{ name: 'a', label: 'A', hours }] });
    const read = (hours: unknown) => {
      const parsed = parseImport(GUILD, file(hours));
      return parsed.ok ? parsed.value.types[0]?.hours : render('en-US', parsed.error);
    };
    expect(read({ timeZone: 'asia/tokyo', schedule: 'sat 10:00-12:00', mode: 'notice' })).toEqual({
      timeZone: 'Asia/Tokyo',
      schedule: 'sat 10:00-12:00',
      mode: 'notice',
    });
    expect(read(null)).toBeNull();
    expect(read({ timeZone: 'Nowhere/Land', schedule: 'sat 10:00-12:00', mode: 'notice' })).toMatch(/^Ticket type a: The timezone Nowhere\/Land/);
    expect(read({ timeZone: 'UTC', schedule: 'sat 12:00-10:00', mode: 'notice' })).toMatch(/^Ticket type a: The schedule is not valid/);
    const feedback = parseImport(GUILD, file(null, true));
    expect(feedback.ok && feedback.value.feedback).toBe(true);
    const absent = parseImport(GUILD, file(null));
    expect(absent.ok && absent.value.feedback).toBe(false);
  });

  it('carries auto-close hours, reads 0 as never and refuses more than 720 naming the field', () => {
    const file = (autoCloseHours: unknown) => JSON.stringify({ v: 1, types: [{ name: 'a', label: 'A', autoCloseHours }] });
    const hours = (autoCloseHours: unknown) => {
      const parsed = parseImport(GUILD, file(autoCloseHours));
      return parsed.ok ? parsed.value.types[0]?.autoCloseHours : render('en-US', parsed.error);
    };
    expect(hours(24)).toBe(24);
    expect(hours(0)).toBeNull();
    expect(hours(null)).toBeNull();
    expect(hours(undefined)).toBeNull(); // absent from the file
    expect(hours(721)).toBe('Ticket type a: The auto-close must be a whole number of hours from 0 to 720 (0 = never).');
    expect(hours(2.5)).toBe('Ticket type a: The auto-close must be a whole number of hours from 0 to 720 (0 = never).');
  });

  it('refuses broken files with a plain sentence', () => {
    expect(english(parseImport(GUILD, 'not json'))).toEqual({ ok: false, error: 'The file is not valid JSON; use a file made by /config export.' });
    expect(parseImport(GUILD, '{"v":2}').ok).toBe(false);
    const everyone = { v: 1, types: [{ name: 'a', label: 'A', staffRoleIds: [GUILD] }] };
    expect(english(parseImport(GUILD, JSON.stringify(everyone)))).toEqual({ ok: false, error: 'Ticket type a: The staff role cannot be @everyone.' });
    const six = { v: 1, types: ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ name, label: name })) };
    expect(english(parseImport(GUILD, JSON.stringify(six)))).toEqual({ ok: false, error: 'A server can have at most 5 ticket types.' });
  });
});
