import { describe, expect, it } from 'vitest';
import type { TicketType } from '@promton/shared/contracts';
import { ticketType as type } from '../../../../tests/support/ticket-type.js';
import { listTypes, planTypeCommand } from './type-commands.js';
import { msg, render } from '@promton/shared/domain';
import type { Result } from './result.js';

/** A refusal as an English admin reads it. */
function english<T>(result: Result<T>): Result<T> | { ok: false; error: string } {
  return result.ok ? result : { ok: false, error: render('en-US', result.error) };
}

const GUILD = '100000000000000001';
const CATEGORY = '100000000000000009';

describe('planTypeCommand', () => {
  it('refuses archiving on close for a thread type, and threads for an archiving type, saying why', () => {
    const why = /^Ticket type support cannot both open private threads and archive on close: a thread ticket is archived and locked when it closes already/;
    const category = { [CATEGORY]: { id: CATEGORY, type: 4 } };
    const threads = type('support', { threadChannelId: '100000000000000003' });
    const archive = planTypeCommand({
      guildId: GUILD,
      subcommand: 'close-mode',
      options: { name: 'support', mode: 'archive', 'archive-category': CATEGORY },
      resolved: { channels: category },
      types: [threads],
    });
    expect(english(archive)).toMatchObject({ ok: false, error: expect.stringMatching(why) });
    const deleting = planTypeCommand({
      guildId: GUILD,
      subcommand: 'close-mode',
      options: { name: 'support', mode: 'delete' },
      resolved: {},
      types: [threads],
    });
    expect(deleting.ok).toBe(true);

    const archiving = type('support', { closeMode: 'archive', archiveCategoryId: CATEGORY });
    const text = { '100000000000000003': { id: '100000000000000003', type: 0 } };
    const toThreads = planTypeCommand({
      guildId: GUILD,
      subcommand: 'edit',
      options: { name: 'support', 'thread-channel': '100000000000000003' },
      resolved: { channels: text },
      types: [archiving],
    });
    expect(english(toThreads)).toMatchObject({ ok: false, error: expect.stringMatching(why) });
    // A channel type that archives may still be edited otherwise.
    expect(planTypeCommand({ guildId: GUILD, subcommand: 'edit', options: { name: 'support', limit: 2 }, resolved: {}, types: [archiving] }).ok).toBe(true);
  });

  it('adds a type with the default limit of 1', () => {
    const plan = planTypeCommand({ guildId: GUILD, subcommand: 'add', options: { name: 'support', label: 'Support' }, resolved: {}, types: [] });
    expect(plan.ok && plan.value.types).toEqual([type('support', { label: 'Support' })]);
  });

  it('refuses a sixth type and a duplicate name', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((n) => type(n));
    const sixth = planTypeCommand({ guildId: GUILD, subcommand: 'add', options: { name: 'f', label: 'F' }, resolved: {}, types: five });
    expect(english(sixth)).toEqual({ ok: false, error: 'This server already has 5 ticket types, the most allowed; remove one first.' });
    const duplicate = planTypeCommand({ guildId: GUILD, subcommand: 'add', options: { name: 'a', label: 'A' }, resolved: {}, types: [type('a')] });
    expect(english(duplicate)).toEqual({ ok: false, error: 'A ticket type named a already exists; names must be unique.' });
    const among = planTypeCommand({ guildId: GUILD, subcommand: 'add', options: { name: ' b ', label: 'B' }, resolved: {}, types: [type('a'), type('b')] });
    expect(among).toEqual({ ok: false, error: msg('type.exists', { type: 'b' }) });
  });

  it('adds nothing to a stored list that already holds a name twice, naming it', () => {
    const twice = [type('a'), type('a')];
    const plan = planTypeCommand({ guildId: GUILD, subcommand: 'add', options: { name: 'b', label: 'B' }, resolved: {}, types: twice });
    expect(english(plan)).toEqual({ ok: false, error: 'The name a is used by two ticket types; names must be unique.' });
  });

  it('edits only the given fields', () => {
    const plan = planTypeCommand({
      guildId: GUILD,
      subcommand: 'edit',
      options: { name: 'a', description: 'Help' },
      resolved: {},
      types: [type('a', { label: 'Keep' })],
    });
    expect(plan.ok && plan.value.types?.[0]).toEqual(type('a', { label: 'Keep', description: 'Help' }));
  });

  it('makes a type open private threads in a text channel, and goes back to channels with tickets: channels', () => {
    const TEXT = '100000000000000010';
    const CATEGORY = '100000000000000011';
    const resolved = { channels: { [TEXT]: { type: 0 }, [CATEGORY]: { type: 4 } } };
    const add = planTypeCommand({ guildId: GUILD, subcommand: 'add', options: { name: 'a', label: 'A', 'thread-channel': TEXT }, resolved, types: [] });
    expect(add.ok && add.value.types?.[0]).toEqual(type('a', { label: 'A', threadChannelId: TEXT }));
    expect(add.ok && listTypes('en-US', add.value.types!)).toContain(`private threads in <#${TEXT}>`);
    const notText = planTypeCommand({ guildId: GUILD, subcommand: 'edit', options: { name: 'a', 'thread-channel': CATEGORY }, resolved, types: [type('a')] });
    expect(english(notText)).toEqual({ ok: false, error: 'The channel must be a text channel.' });
    const noChannel = planTypeCommand({ guildId: GUILD, subcommand: 'edit', options: { name: 'a', tickets: 'threads' }, resolved, types: [type('a')] });
    expect(english(noChannel)).toEqual({ ok: false, error: 'Tickets as private threads need a channel to open them in: give thread-channel as well.' });
    const back = planTypeCommand({
      guildId: GUILD,
      subcommand: 'edit',
      options: { name: 'a', tickets: 'channels' },
      resolved,
      types: [type('a', { threadChannelId: TEXT })],
    });
    expect(back.ok && back.value.types?.[0]).toEqual(type('a', { threadChannelId: null }));
    expect(back.ok && render('en-US', back.value.answer)).toContain('thread-channel');
  });

  it('caps questions at 5', () => {
    const full = type('a', { questions: ['1', '2', '3', '4', '5'] });
    const plan = planTypeCommand({ guildId: GUILD, subcommand: 'question-add', options: { name: 'a', question: 'six?' }, resolved: {}, types: [full] });
    expect(english(plan)).toEqual({ ok: false, error: 'Ticket type a already has 5 questions, the most allowed.' });
  });

  it('maps auto-close to autoCloseHours: 0 or absent is never, edit changes it only when given', () => {
    const add = (options: Record<string, string | number>) =>
      planTypeCommand({ guildId: GUILD, subcommand: 'add', options: { name: 'a', label: 'A', ...options }, resolved: {}, types: [] });
    const added = (options: Record<string, string | number>) => {
      const plan = add(options);
      return plan.ok ? plan.value.types?.[0]?.autoCloseHours : render('en-US', plan.error);
    };
    expect(added({ 'auto-close': 24 })).toBe(24);
    expect(added({ 'auto-close': 720 })).toBe(720);
    expect(added({ 'auto-close': 0 })).toBeNull();
    expect(added({})).toBeNull();
    const refusal = 'The auto-close must be a whole number of hours from 0 to 720 (0 = never).';
    for (const bad of [721, -1, 1.5]) expect(english(add({ 'auto-close': bad }))).toEqual({ ok: false, error: refusal });

    const edit = (options: Record<string, string | number>, current: TicketType) =>
      planTypeCommand({ guildId: GUILD, subcommand: 'edit', options: { name: 'a', ...options }, resolved: {}, types: [current] });
    const set = edit({ 'auto-close': 48 }, type('a'));
    expect(set.ok && set.value).toMatchObject({ types: [type('a', { autoCloseHours: 48 })], answer: msg('type.updated', { type: 'a', fields: 'auto-close' }) });
    const kept = edit({ label: 'B' }, type('a', { autoCloseHours: 12 }));
    expect(kept.ok && kept.value.types?.[0]?.autoCloseHours).toBe(12);
    const cleared = edit({ 'auto-close': 0 }, type('a', { autoCloseHours: 12 }));
    expect(cleared.ok && cleared.value.types?.[0]?.autoCloseHours).toBeNull();
    expect(english(edit({ 'auto-close': 1000 }, type('a', { autoCloseHours: 12 })))).toEqual({ ok: false, error: refusal });
  });

  it('lists the auto-close of each type', () => {
    const types = [type('a', { autoCloseHours: 24 }), type('b')];
    const plan = planTypeCommand({ guildId: GUILD, subcommand: 'list', options: {}, resolved: {}, types });
    expect(plan.ok && render('en-US', plan.value.answer)).toBe('Ticket types (2 of 5):');
    expect(listTypes('en-US', types)).toMatch(/`a`\).*auto-close after 24 h\n.*`b`\).*no auto-close$/);
  });

  it('lists without storing anything', () => {
    const plan = planTypeCommand({ guildId: GUILD, subcommand: 'list', options: {}, resolved: {}, types: [type('a')] });
    expect(plan.ok && plan.value.types).toBeNull();
  });

  it('sets support hours in canonical form and clears them', () => {
    const types = [type('support')];
    const set = planTypeCommand({
      guildId: GUILD,
      subcommand: 'hours',
      options: { name: 'support', timezone: 'europe/berlin', schedule: 'Monday-Friday 9:00-17:00;sat 10:00-14:00', mode: 'refuse' },
      resolved: {},
      types,
    });
    expect(set.ok && set.value.types?.[0]?.hours).toEqual({ timeZone: 'Europe/Berlin', schedule: 'mon-fri 09:00-17:00; sat 10:00-14:00', mode: 'refuse' });
    expect(set.ok && render('en-US', set.value.answer)).toMatch(/mon-fri 09:00-17:00; sat 10:00-14:00 \(Europe\/Berlin\); outside them opens are refused/);
    const withHours = set.ok ? set.value.types! : [];
    const cleared = planTypeCommand({ guildId: GUILD, subcommand: 'hours-clear', options: { name: 'support' }, resolved: {}, types: withHours });
    expect(cleared.ok && cleared.value.types?.[0]?.hours).toBeNull();
    const again = planTypeCommand({ guildId: GUILD, subcommand: 'hours-clear', options: { name: 'support' }, resolved: {}, types });
    expect(again.ok && again.value.types).toBeNull();
    const defaultMode = planTypeCommand({
      guildId: GUILD,
      subcommand: 'hours',
      options: { name: 'support', timezone: 'UTC', schedule: 'daily 08:00-20:00' },
      resolved: {},
      types,
    });
    expect(defaultMode.ok && defaultMode.value.types?.[0]?.hours?.mode).toBe('notice');
  });

  it.each([
    [{ timezone: 'Moon/Base', schedule: 'mon 09:00-17:00' }, /timezone Moon\/Base is not an IANA time zone/],
    [{ timezone: 'UTC', schedule: 'mon 17:00-09:00' }, /schedule is not valid: the range 17:00-09:00 ends before it starts/],
    [{ timezone: 'UTC', schedule: 'someday 09:00-17:00' }, /"someday" is not a day/],
    [{ timezone: 'UTC', schedule: 'mon 09:00-17:00', mode: 'maybe' }, /mode must be notice or refuse/],
    [{ schedule: 'mon 09:00-17:00' }, /^The timezone "" is not an IANA time zone/],
    [{ timezone: 'UTC' }, /^The schedule is not valid: the schedule is empty;/],
  ])('refuses hours %j naming what is wrong', (options, message) => {
    const plan = planTypeCommand({ guildId: GUILD, subcommand: 'hours', options: { name: 'support', ...options }, resolved: {}, types: [type('support')] });
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(render('en-US', plan.error)).toMatch(message);
  });
});

describe('planTypeCommand, each subcommand', () => {
  const TEXT = '100000000000000003';
  const ROLE = '300000000000000001';
  const ROLE2 = '300000000000000002';
  const channels = { [CATEGORY]: { type: 4 }, [TEXT]: { type: 0 } };
  const plan = (subcommand: string, options: Record<string, string | number>, types: TicketType[], resolved: object = { channels }) =>
    planTypeCommand({ guildId: GUILD, subcommand, options, resolved, types });
  const refused = (result: Result<unknown>) => (result.ok ? 'accepted' : render('en-US', result.error));

  it('adds a type with every option, after the others', () => {
    const others = [type('a')];
    const options = {
      name: ' new ',
      label: ' New ',
      description: 'About',
      emoji: '🎫',
      category: CATEGORY,
      message: 'Hi',
      limit: 3,
      'auto-close': 24,
      'thread-channel': TEXT,
      'staff-role': ROLE,
    };
    expect(plan('add', options, others, { channels, roles: { [ROLE]: {} } })).toEqual({
      ok: true,
      value: {
        types: [
          others[0],
          type('new', {
            label: 'New',
            description: 'About',
            emoji: '🎫',
            categoryId: CATEGORY,
            staffRoleIds: [ROLE],
            welcomeMessage: 'Hi',
            perUserLimit: 3,
            autoCloseHours: 24,
            threadChannelId: TEXT,
          }),
        ],
        answer: msg('type.added', { type: 'new', count: 2, max: 5 }),
        detail: msg('change.type-added', { type: 'new' }),
      },
    });
    const fifth = plan(
      'add',
      { name: 'e', label: 'E' },
      ['a', 'b', 'c', 'd'].map((n) => type(n)),
    );
    expect(fifth.ok && fifth.value.answer).toEqual(msg('type.added', { type: 'e', count: 5, max: 5 }));
  });

  it("refuses an add's every bad option with its sentence", () => {
    const add = (options: Record<string, string | number>, resolved: object = { channels }) =>
      refused(plan('add', { name: 'a', label: 'A', ...options }, [], resolved));
    const sentences = [
      refused(plan('add', { name: 'Bad!', label: 'A' }, [])),
      refused(plan('add', { name: 'a' }, [])),
      add({ label: ' ' }),
      add({ description: 'x'.repeat(101) }),
      add({ emoji: 'smile' }),
      add({ category: TEXT }),
      add({ category: '100000000000000077' }),
      add({ message: 'x'.repeat(4001) }),
      add({ limit: 0 }),
      add({ 'auto-close': -1 }),
      add({ 'thread-channel': CATEGORY }),
      add({ tickets: 'threads' }),
      add({ 'staff-role': GUILD }),
      add({ 'staff-role': ROLE }, { channels, roles: { [ROLE]: { managed: true } } }),
    ];
    expect(sentences).not.toContain('accepted');
    expect(new Set(sentences).size).toBe(sentences.length);
    expect(sentences[1]).toBe('The label is required.');
    expect(sentences[11]).toBe('Tickets as private threads need a channel to open them in: give thread-channel as well.');
    expect(add({ tickets: 'threads', 'thread-channel': TEXT })).toBe('accepted');
    expect(add({ tickets: 'channels', 'thread-channel': TEXT })).toBe('accepted');
    expect(plan('add', { name: 'a', label: 'A', tickets: 'channels', 'thread-channel': TEXT }, [])).toMatchObject({
      ok: true,
      value: { types: [{ threadChannelId: null }] },
    });
  });

  it('refuses a category or channel when Discord resolved no channels at all, with the sentence for a missing channel', () => {
    const missingCategory = { ok: false, error: 'The category must be a category channel of this server.' };
    const missingChannel = { ok: false, error: 'The channel must be a text channel of this server.' };
    expect(english(plan('add', { name: 'a', label: 'A', category: CATEGORY }, [], {}))).toEqual(missingCategory);
    expect(english(plan('edit', { name: 'a', category: CATEGORY }, [type('a')], {}))).toEqual(missingCategory);
    expect(english(plan('add', { name: 'a', label: 'A', 'thread-channel': TEXT }, [], {}))).toEqual(missingChannel);
    expect(english(plan('edit', { name: 'a', 'thread-channel': TEXT }, [type('a')], {}))).toEqual(missingChannel);
    expect(english(plan('close-mode', { name: 'a', mode: 'archive', 'archive-category': CATEGORY }, [type('a')], {}))).toEqual(missingCategory);
  });

  it('edits one type among others, naming the options changed', () => {
    const types = [type('a'), type('b', { description: 'Old', threadChannelId: TEXT }), type('c')];
    expect(plan('edit', { name: ' b ', label: 'B', description: '', 'auto-close': 5, tickets: 'channels' }, types)).toEqual({
      ok: true,
      value: {
        types: [types[0], { ...types[1], label: 'B', description: null, autoCloseHours: 5, threadChannelId: null }, types[2]],
        answer: msg('type.updated', { type: 'b', fields: 'label, description, auto-close, thread-channel' }),
        detail: msg('change.type-edited', { type: 'b', fields: 'label, description, auto-close, thread-channel' }),
      },
    });
    const each = plan('edit', { name: 'a', emoji: '🎫', category: CATEGORY, message: 'Hi', limit: 2, 'thread-channel': TEXT }, types);
    expect(each.ok && render('en-US', each.value.answer)).toBe('Ticket type a was updated (emoji, category, message, limit, thread-channel).');
    // Threads are fine when the type has its thread channel already.
    expect(plan('edit', { name: 'b', tickets: 'threads', label: 'B' }, types)).toMatchObject({ ok: true });
    expect(refused(plan('edit', { name: 'a', tickets: 'threads', label: 'A' }, types))).toBe(
      'Tickets as private threads need a channel to open them in: give thread-channel as well.',
    );
  });

  it('refuses an edit of nothing or of an unknown type', () => {
    expect(plan('edit', { name: 'a' }, [type('a')])).toEqual({ ok: false, error: msg('type.edit-nothing') });
    expect(plan('edit', { name: ' z ', label: 'Z' }, [type('a')])).toEqual({ ok: false, error: msg('type.unknown', { type: 'z' }) });
    expect(plan('edit', { label: 'Z' }, [type('a')])).toEqual({ ok: false, error: msg('type.unknown', { type: '""' }) });
    expect(plan('edit', { name: 'a', limit: 11 }, [type('a')])).toMatchObject({ ok: false });
  });

  it('sets auto-close through its own subcommand, refusing a missing value', () => {
    expect(plan('auto-close', { name: 'a', hours: 6 }, [type('a')])).toMatchObject({ ok: true, value: { types: [{ autoCloseHours: 6 }] } });
    expect(refused(plan('auto-close', { name: 'a' }, [type('a')]))).toMatch(/auto-close/);
    expect(plan('auto-close', { hours: 6 }, [type('a')])).toEqual({ ok: false, error: msg('type.unknown', { type: '""' }) });
  });

  it('adds and removes staff roles', () => {
    const types = [type('a'), type('b', { staffRoleIds: [ROLE2] })];
    expect(plan('role-add', { name: 'b', role: ROLE }, types, { roles: { [ROLE]: {} } })).toEqual({
      ok: true,
      value: {
        types: [types[0], { ...types[1], staffRoleIds: [ROLE2, ROLE] }],
        answer: msg('type.role-added', { role: `<@&${ROLE}>`, type: 'b' }),
        detail: msg('change.type-role-added', { type: 'b' }),
      },
    });
    expect(plan('role-add', { name: 'b', role: ROLE2 }, types)).toEqual({
      ok: true,
      value: { types: null, answer: msg('type.role-already', { role: `<@&${ROLE2}>`, type: 'b' }), detail: null },
    });
    expect(plan('role-add', { name: 'b', role: GUILD }, types)).toEqual({ ok: false, error: msg('invalid.role-everyone') });
    expect(plan('role-add', { name: 'b', role: ROLE }, types, { roles: { [ROLE]: { managed: true } } })).toEqual({
      ok: false,
      error: msg('invalid.role-managed'),
    });
    expect(plan('role-add', { name: 'z', role: ROLE }, types)).toMatchObject({ ok: false });
    const two = [type('a', { staffRoleIds: [ROLE, ROLE2] }), type('b')];
    expect(plan('role-remove', { name: 'a', role: ROLE }, two)).toEqual({
      ok: true,
      value: {
        types: [{ ...two[0], staffRoleIds: [ROLE2] }, two[1]],
        answer: msg('type.role-removed', { role: `<@&${ROLE}>`, type: 'a' }),
        detail: msg('change.type-role-removed', { type: 'a' }),
      },
    });
    expect(plan('role-remove', { name: 'b', role: ROLE }, two)).toEqual({ ok: false, error: msg('type.role-not', { role: `<@&${ROLE}>`, type: 'b' }) });
    expect(plan('role-remove', { name: 'b' }, two)).toEqual({ ok: false, error: msg('type.role-not', { role: '<@&>', type: 'b' }) });
    expect(plan('role-remove', { name: 'z', role: ROLE }, two)).toMatchObject({ ok: false });
  });

  it('adds questions up to 5 and removes one by position', () => {
    const types = [type('x'), type('a', { questions: ['One?'] })];
    expect(plan('question-add', { name: 'a', question: ' Two? ' }, types)).toEqual({
      ok: true,
      value: {
        types: [types[0], { ...types[1], questions: ['One?', 'Two?'] }],
        answer: msg('type.question-added', { position: 2, type: 'a' }),
        detail: msg('change.type-question-added', { type: 'a' }),
      },
    });
    expect(plan('question-add', { name: 'a' }, types)).toEqual({ ok: false, error: msg('invalid.question-empty') });
    expect(plan('question-add', { name: 'z', question: 'Q' }, types)).toMatchObject({ ok: false });
    const four = [type('a', { questions: ['1', '2', '3', '4'] })];
    expect(plan('question-add', { name: 'a', question: '5' }, four)).toMatchObject({ ok: true, value: { types: [{ questions: ['1', '2', '3', '4', '5'] }] } });
    const three = [type('x'), type('a', { questions: ['1', '2', '3'] })];
    expect(plan('question-remove', { name: 'a', position: 2 }, three)).toEqual({
      ok: true,
      value: {
        types: [three[0], { ...three[1], questions: ['1', '3'] }],
        answer: msg('type.question-removed', { position: 2, type: 'a' }),
        detail: msg('change.type-question-removed', { type: 'a' }),
      },
    });
    expect(plan('question-remove', { name: 'a', position: 1 }, three)).toMatchObject({ ok: true, value: { types: [{}, { questions: ['2', '3'] }] } });
    expect(plan('question-remove', { name: 'a', position: 3 }, three)).toMatchObject({ ok: true, value: { types: [{}, { questions: ['1', '2'] }] } });
    for (const position of [0, 4, 1.5, -1]) {
      expect(plan('question-remove', { name: 'a', position }, three)).toEqual({ ok: false, error: msg('type.position', { max: 3 }) });
    }
    expect(plan('question-remove', { name: 'a' }, three)).toEqual({ ok: false, error: msg('type.position', { max: 3 }) });
    expect(plan('question-remove', { name: 'x', position: 1 }, three)).toEqual({ ok: false, error: msg('type.no-questions', { type: 'x' }) });
    expect(plan('question-remove', { name: 'z', position: 1 }, three)).toMatchObject({ ok: false });
  });

  it('answers and logs support hours with their mode', () => {
    const types = [type('x'), type('a')];
    const hours = (mode: string) => plan('hours', { name: 'a', timezone: 'UTC', schedule: 'mon 09:00-17:00', mode }, types);
    const set = { type: 'a', schedule: 'mon 09:00-17:00', zone: 'UTC' };
    expect(hours('refuse')).toEqual({
      ok: true,
      value: {
        types: [types[0], { ...types[1], hours: { timeZone: 'UTC', schedule: 'mon 09:00-17:00', mode: 'refuse' } }],
        answer: msg('type.hours-set-refuse', set),
        detail: msg('change.type-hours', { ...set, mode: 'refuse' }),
      },
    });
    expect(hours('notice')).toMatchObject({
      ok: true,
      value: { answer: msg('type.hours-set-notice', set), detail: msg('change.type-hours', { ...set, mode: 'notice' }) },
    });
    expect(plan('hours', { name: 'z', timezone: 'UTC', schedule: 'mon 09:00-17:00' }, types)).toMatchObject({ ok: false });
    const withHours = [type('x'), type('a', { hours: { timeZone: 'UTC', schedule: 'mon 09:00-17:00', mode: 'notice' } })];
    expect(plan('hours-clear', { name: 'a' }, withHours)).toEqual({
      ok: true,
      value: {
        types: [withHours[0], { ...withHours[1], hours: null }],
        answer: msg('type.hours-cleared', { type: 'a' }),
        detail: msg('change.type-hours-cleared', { type: 'a' }),
      },
    });
    expect(plan('hours-clear', { name: 'x' }, withHours)).toEqual({
      ok: true,
      value: { types: null, answer: msg('type.hours-none', { type: 'x' }), detail: null },
    });
    expect(plan('hours-clear', { name: 'z' }, withHours)).toMatchObject({ ok: false });
  });

  it('sets the close mode: delete, or archive with a category and days', () => {
    const archiving = type('a', { closeMode: 'archive', archiveCategoryId: CATEGORY, archiveDays: 14 });
    const types = [type('x'), archiving];
    expect(plan('close-mode', { name: 'a', mode: 'delete' }, types)).toEqual({
      ok: true,
      value: {
        types: [types[0], { ...archiving, closeMode: 'delete' }],
        answer: msg('type.close-delete', { type: 'a' }),
        detail: msg('change.type-close-delete', { type: 'a' }),
      },
    });
    const said = { type: 'x', category: `<#${CATEGORY}>`, days: 30 };
    expect(plan('close-mode', { name: 'x', mode: 'archive', 'archive-category': CATEGORY, days: 30 }, types)).toEqual({
      ok: true,
      value: {
        types: [{ ...types[0], closeMode: 'archive', archiveCategoryId: CATEGORY, archiveDays: 30 }, archiving],
        answer: msg('type.close-archive', said),
        detail: msg('change.type-close-archive', said),
      },
    });
    // The type's own category and days are kept when not given.
    expect(plan('close-mode', { name: 'a', mode: 'archive' }, types)).toMatchObject({
      ok: true,
      value: { answer: msg('type.close-archive', { type: 'a', category: `<#${CATEGORY}>`, days: 14 }) },
    });
    expect(plan('close-mode', { name: 'x', mode: 'archive' }, types)).toEqual({ ok: false, error: msg('type.archive-needs-category') });
    expect(plan('close-mode', { name: 'x', mode: 'archive', 'archive-category': TEXT }, types)).toEqual({ ok: false, error: msg('invalid.category-kind') });
    expect(plan('close-mode', { name: 'x', mode: 'archive', 'archive-category': CATEGORY, days: 91 }, types)).toMatchObject({ ok: false });
    expect(plan('close-mode', { name: 'x', mode: 'keep' }, types)).toEqual({ ok: false, error: msg('type.close-mode-invalid') });
    expect(plan('close-mode', { name: 'x' }, types)).toEqual({ ok: false, error: msg('type.close-mode-invalid') });
    expect(plan('close-mode', { name: 'z', mode: 'delete' }, types)).toMatchObject({ ok: false });
  });

  it('removes a type, lists none, and refuses an unknown subcommand', () => {
    const types = [type('a'), type('b')];
    expect(plan('remove', { name: 'a' }, types)).toEqual({
      ok: true,
      value: { types: [types[1]], answer: msg('type.removed', { type: 'a' }), detail: msg('change.type-removed', { type: 'a' }) },
    });
    expect(plan('remove', { name: 'z' }, types)).toEqual({ ok: false, error: msg('type.unknown', { type: 'z' }) });
    expect(plan('list', {}, [])).toEqual({ ok: true, value: { types: null, answer: msg('type.list-none'), detail: null } });
    expect(plan('list', {}, types)).toEqual({ ok: true, value: { types: null, answer: msg('type.list', { count: 2, max: 5 }), detail: null } });
    expect(plan('rename', {}, types)).toEqual({ ok: false, error: msg('common.unknown-command', { command: '/config type rename' }) });
  });
});

describe('listTypes, every part of a line', () => {
  it('writes emoji, label, name, limit, auto-close, where, staff, questions, hours and archiving', () => {
    const full = type('a', {
      label: 'Support',
      emoji: '🎫',
      perUserLimit: 2,
      autoCloseHours: 24,
      threadChannelId: '100000000000000003',
      categoryId: '100000000000000004',
      staffRoleIds: ['300000000000000001', '300000000000000002'],
      questions: ['1', '2'],
      hours: { timeZone: 'UTC', schedule: 'mon 09:00-17:00', mode: 'refuse' },
      closeMode: 'archive',
      archiveCategoryId: CATEGORY,
      archiveDays: 30,
    });
    const plain = type('b', {
      categoryId: '100000000000000004',
      hours: { timeZone: 'UTC', schedule: 'mon 09:00-17:00', mode: 'notice' },
      archiveCategoryId: CATEGORY,
    });
    expect(listTypes('en-US', [full, plain, type('c', { closeMode: 'archive' })])).toBe(
      [
        '1. 🎫 **Support** (`a`) · limit 2 · auto-close after 24 h · private threads in <#100000000000000003> · staff <@&300000000000000001> <@&300000000000000002> · questions: 2 · hours mon 09:00-17:00 (UTC, refused outside) · archived on close for 30 days in <#100000000000000009>',
        '2. **b** (`b`) · limit 1 · no auto-close · category <#100000000000000004> · hours mon 09:00-17:00 (UTC, notice outside)',
        '3. **c** (`c`) · limit 1 · no auto-close',
      ].join('\n'),
    );
    expect(listTypes('en-US', [])).toBe('');
  });
});
