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
    expect(duplicate.ok).toBe(false);
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
  ])('refuses hours %j naming what is wrong', (options, message) => {
    const plan = planTypeCommand({ guildId: GUILD, subcommand: 'hours', options: { name: 'support', ...options }, resolved: {}, types: [type('support')] });
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(render('en-US', plan.error)).toMatch(message);
  });
});
