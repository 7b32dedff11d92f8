import { describe, expect, it } from 'vitest';
import { defaultGuildConfig } from '@promton/shared/contracts';
import { parseImport, toExport } from './import-config.js';
import { msg, render } from '@promton/shared/domain';
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

  it('fills what an old file leaves out with the defaults of a new type and server', () => {
    expect(parseImport(GUILD, JSON.stringify({ v: 1, types: [{ name: 'a', label: 'A' }] }))).toEqual({
      ok: true,
      value: {
        v: 1,
        logChannelId: null,
        transcripts: false,
        feedback: false,
        transcriptDm: false,
        language: null,
        embed: { titlePrefix: null, authorName: null, authorIconUrl: null, bannerUrl: null, color: null, footerText: null },
        types: [
          {
            name: 'a',
            label: 'A',
            description: null,
            emoji: null,
            categoryId: null,
            staffRoleIds: [],
            welcomeMessage: null,
            perUserLimit: 1,
            questions: [],
            autoCloseHours: null,
            hours: null,
            threadChannelId: null,
            closeMode: 'delete',
            archiveCategoryId: null,
            archiveDays: 7,
          },
        ],
        tags: [],
        blocklist: { userIds: [], roleIds: [] },
      },
    });
  });

  it('carries every field of a full file, trimmed as the commands trim', () => {
    const file = {
      v: 1,
      logChannelId: '100000000000000005',
      transcripts: true,
      feedback: true,
      transcriptDm: true,
      language: 'de',
      embed: { titlePrefix: 'Help', authorName: ' Support ', authorIconUrl: null, bannerUrl: 'https://example.com/b.png', color: 255, footerText: null },
      types: [
        {
          name: ' a ',
          label: ' A ',
          description: ' about a ',
          emoji: '🎫',
          categoryId: '100000000000000006',
          staffRoleIds: ['100000000000000002', '100000000000000002', '100000000000000003'],
          welcomeMessage: ' Hi ',
          perUserLimit: 3,
          questions: [' Why? ', 'When?'],
          autoCloseHours: 5,
          hours: null,
          threadChannelId: null,
          closeMode: 'archive',
          archiveCategoryId: '100000000000000009',
          archiveDays: 90,
        },
      ],
      tags: [{ name: ' hours ', content: ' 9 to 5 ' }],
      blocklist: { userIds: ['200000000000000001', '200000000000000001'], roleIds: ['300000000000000001'] },
    };
    const parsed = parseImport(GUILD, JSON.stringify(file));
    expect(parsed).toEqual({
      ok: true,
      value: {
        ...file,
        embed: { ...file.embed, authorName: 'Support' },
        types: [
          {
            ...file.types[0],
            name: 'a',
            label: 'A',
            description: 'about a',
            staffRoleIds: ['100000000000000002', '100000000000000003'],
            welcomeMessage: 'Hi',
            questions: ['Why?', 'When?'],
          },
        ],
        tags: [{ name: 'hours', content: '9 to 5' }],
        blocklist: { userIds: ['200000000000000001'], roleIds: ['300000000000000001'] },
      },
    });
  });

  it('names where a file leaves the format', () => {
    expect(parseImport(GUILD, '[]')).toEqual({ ok: false, error: msg('import.format', { path: msg('import.top-level') }) });
    expect(parseImport(GUILD, '{"v":1}')).toEqual({ ok: false, error: msg('import.format', { path: 'types' }) });
    expect(parseImport(GUILD, JSON.stringify({ v: 1, types: [{ name: 'a', label: 7 }] }))).toEqual({
      ok: false,
      error: msg('import.format', { path: 'types.0.label' }),
    });
    expect(english(parseImport(GUILD, JSON.stringify({ v: 1, types: [], blocklist: { userIds: ['x'] } })))).toEqual({
      ok: false,
      error: 'The file does not match the /config export format (at blocklist.userIds.0).',
    });
  });

  it('refuses a language the bot does not speak, a bad embed and a repeated type', () => {
    expect(parseImport(GUILD, JSON.stringify({ v: 1, language: 'xx', types: [] }))).toEqual({ ok: false, error: msg('import.language', { language: 'xx' }) });
    expect(parseImport(GUILD, JSON.stringify({ v: 1, language: 'fr', types: [] }))).toMatchObject({ ok: true, value: { language: 'fr' } });
    expect(english(parseImport(GUILD, JSON.stringify({ v: 1, embed: { color: null, bannerUrl: 'ftp://x' }, types: [] })))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/banner/),
    });
    expect(
      english(
        parseImport(
          GUILD,
          JSON.stringify({
            v: 1,
            types: [
              { name: 'a', label: 'A' },
              { name: 'a', label: 'B' },
            ],
          }),
        ),
      ),
    ).toMatchObject({
      ok: false,
      error: expect.stringMatching(/\ba\b/),
    });
  });

  it("refuses a type's every field with its command's sentence, naming the type", () => {
    const refusal = (type: Record<string, unknown>) => {
      const parsed = parseImport(GUILD, JSON.stringify({ v: 1, types: [{ name: 'a', label: 'A', ...type }] }));
      return parsed.ok ? 'accepted' : render('en-US', parsed.error);
    };
    const refusals = [
      refusal({ name: 'A!' }),
      refusal({ label: ' ' }),
      refusal({ description: 'x'.repeat(101) }),
      refusal({ emoji: 'not an emoji' }),
      refusal({ welcomeMessage: 'x'.repeat(4001) }),
      refusal({ perUserLimit: 11 }),
      refusal({ questions: ['1', '2', '3', '4', '5', '6'] }),
      refusal({ questions: ['ok', ' '] }),
      refusal({ closeMode: 'keep' }),
      refusal({ closeMode: 'archive' }),
      refusal({ archiveDays: 91 }),
      refusal({ staffRoleIds: ['100000000000000002', GUILD] }),
    ];
    for (const sentence of refusals) expect(sentence).toMatch(/^Ticket type (a|A!): \S/);
    expect(new Set(refusals).size).toBe(refusals.length);
    expect(refusals[6]).toBe('Ticket type a: A type can have at most 5 questions.');
    expect(refusals[8]).toBe('Ticket type a: The mode must be delete or archive.');
    expect(refusals[9]).toBe('Ticket type a: Archiving needs a category for the archived channels: give archive-category.');
    expect(refusal({ questions: ['1', '2', '3', '4', '5'], perUserLimit: 10, archiveDays: 1 })).toBe('accepted');
  });

  it('reads a blocklist giving only members or only roles', () => {
    const blocklist = (list: unknown) => {
      const parsed = parseImport(GUILD, JSON.stringify({ v: 1, types: [], blocklist: list }));
      return parsed.ok ? parsed.value.blocklist : render('en-US', parsed.error);
    };
    expect(blocklist({ userIds: ['200000000000000001'] })).toEqual({ userIds: ['200000000000000001'], roleIds: [] });
    expect(blocklist({ roleIds: ['300000000000000001'] })).toEqual({ userIds: [], roleIds: ['300000000000000001'] });
  });

  it('refuses a bad tag naming it, and a blocklist holding @everyone', () => {
    const tags = (list: unknown) => english(parseImport(GUILD, JSON.stringify({ v: 1, types: [], tags: list })));
    expect(tags([{ name: 'Bad!', content: 'x' }])).toEqual({ ok: false, error: 'Tag Bad!: The tag name must be 1 to 32 characters of a-z, 0-9 and -.' });
    expect(tags([{ name: 'ok', content: ' ' }])).toEqual({ ok: false, error: 'Tag ok: The content must not be empty.' });
    expect(
      tags([
        { name: 'ok', content: 'x' },
        { name: 'ok', content: 'y' },
      ]),
    ).toEqual({ ok: false, error: 'The tag name ok is used twice; names must be unique.' });
    expect(english(parseImport(GUILD, JSON.stringify({ v: 1, types: [], blocklist: { roleIds: [GUILD] } })))).toEqual({
      ok: false,
      error: '@everyone cannot be blocked: nobody could open a ticket.',
    });
  });
});
