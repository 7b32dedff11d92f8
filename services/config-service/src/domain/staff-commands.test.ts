import { describe, expect, it } from 'vitest';
import type { TicketRecord } from '@promton/shared/contracts';
import { checkBlocklist, describeBlocklist, planBlocklistCommand } from './blocklist-commands.js';
import { planTagCommand } from './tag-commands.js';
import { TICKETS_PER_PAGE, listableTypes, ticketListPage } from './ticket-list.js';
import { render } from '@promton/shared/domain';
import type { Result } from './result.js';
import { ticketRecord } from '../../../../tests/support/ticket-record.js';

/** Results with their sentences as an English reader sees them. */
function english<T>(result: Result<T>): unknown {
  if (!result.ok) return { ok: false, error: render('en-US', result.error) };
  const value = result.value as Record<string, unknown>;
  const answer = value.answer as Parameters<typeof render>[1] | undefined;
  return { ok: true, value: { ...value, ...(answer ? { answer: render('en-US', answer) } : {}) } };
}

const GUILD = '100000000000000001';
const USER = '200000000000000001';
const ROLE = '300000000000000001';
const empty = { userIds: [], roleIds: [] };

describe('planTagCommand', () => {
  it('adds, refuses duplicates, bad names, empty or long content, and removes', () => {
    const added = planTagCommand('add', { name: 'hours', content: '  9 to 5  ' }, []);
    expect(added).toMatchObject({ ok: true, value: { tags: [{ name: 'hours', content: '9 to 5' }] } });
    expect(planTagCommand('add', { name: 'hours', content: 'x' }, [{ name: 'hours', content: 'y' }])).toMatchObject({ ok: false });
    expect(english(planTagCommand('add', { name: 'Hours!', content: 'x' }, []))).toMatchObject({ ok: false, error: expect.stringMatching(/tag name/) });
    expect(english(planTagCommand('add', { name: 'a', content: 'x'.repeat(2001) }, []))).toMatchObject({ ok: false, error: expect.stringMatching(/2,000/) });
    expect(planTagCommand('remove', { name: 'hours' }, [{ name: 'hours', content: 'y' }])).toMatchObject({ ok: true, value: { tags: [] } });
    expect(planTagCommand('remove', { name: 'gone' }, [])).toMatchObject({ ok: false });
  });
});

describe('planBlocklistCommand', () => {
  it('blocks a member or a role once, never @everyone or a bot', () => {
    expect(planBlocklistCommand('en-US', GUILD, 'add', { target: USER }, { users: { [USER]: {} } }, empty)).toMatchObject({
      ok: true,
      value: { blocklist: { userIds: [USER], roleIds: [] } },
    });
    expect(planBlocklistCommand('en-US', GUILD, 'add', { target: ROLE }, { roles: { [ROLE]: {} } }, empty)).toMatchObject({
      ok: true,
      value: { blocklist: { userIds: [], roleIds: [ROLE] } },
    });
    expect(planBlocklistCommand('en-US', GUILD, 'add', { target: USER }, {}, { userIds: [USER], roleIds: [] })).toMatchObject({
      ok: true,
      value: { blocklist: null },
    });
    expect(planBlocklistCommand('en-US', GUILD, 'add', { target: GUILD }, { roles: { [GUILD]: {} } }, empty)).toMatchObject({ ok: false });
    expect(planBlocklistCommand('en-US', GUILD, 'add', { target: USER }, { users: { [USER]: { bot: true } } }, empty)).toMatchObject({ ok: false });
    const full = { userIds: Array.from({ length: 250 }, (_, i) => String(200000000000000100n + BigInt(i))), roleIds: [] };
    expect(english(planBlocklistCommand('en-US', GUILD, 'add', { target: USER }, {}, full))).toMatchObject({ ok: false, error: expect.stringMatching(/250/) });
    expect(planBlocklistCommand('en-US', GUILD, 'remove', { target: USER }, {}, empty)).toMatchObject({ ok: false });
  });

  it('checks an imported list as a whole and shows it within a field', () => {
    expect(checkBlocklist(GUILD, { userIds: [USER, USER], roleIds: [] })).toEqual({ ok: true, value: { userIds: [USER], roleIds: [] } });
    expect(checkBlocklist(GUILD, { userIds: [], roleIds: [GUILD] })).toMatchObject({ ok: false });
    const many = { userIds: Array.from({ length: 200 }, (_, i) => String(200000000000000100n + BigInt(i))), roleIds: [ROLE] };
    const shown = describeBlocklist('en-US', many);
    expect(shown.length).toBeLessThanOrEqual(1024);
    expect(shown).toMatch(/ and \d+ more$/);
    expect(describeBlocklist('en-US', empty)).toBe('nobody is blocked');
  });
});

describe('ticket list', () => {
  const ticket = (number: number): TicketRecord => ticketRecord(number, { guildId: GUILD, creatorId: USER });

  it('lists the types a member is staff of; all for admins', () => {
    const types = [
      { name: 'a', staffRoleIds: [ROLE] },
      { name: 'b', staffRoleIds: [] },
    ] as never[];
    expect(listableTypes({ userId: USER, roles: [ROLE], permissions: '0' }, types)).toEqual(['a']);
    expect(listableTypes({ userId: USER, roles: [], permissions: String(1n << 5n) }, types)).toBeNull();
  });

  it('pages within 2,000 characters and clamps the page', () => {
    const tickets = Array.from({ length: 25 }, (_, i) => ({ ...ticket(i + 1), claimedBy: '200000000000000999', priority: 'urgent' as const }));
    const last = ticketListPage('en-US', tickets, 99);
    expect(last.text).toMatch(/^Open tickets 21–25 of 25 \(page 3 of 3\):/);
    const first = ticketListPage('en-US', tickets, 0);
    expect(first.text.split('\n')).toHaveLength(TICKETS_PER_PAGE + 1);
    expect(`✅ ${first.text}`.length).toBeLessThanOrEqual(2000);
    expect(ticketListPage('en-US', tickets.slice(0, 3), 1).components).toEqual([]);
    expect(ticketListPage('en-US', [], 1).text).toBe('There are no open tickets you are staff of.');
  });
});
