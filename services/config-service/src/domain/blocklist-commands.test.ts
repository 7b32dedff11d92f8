import { describe, expect, it } from 'vitest';
import { msg, t } from '@promton/shared/domain';
import { checkBlocklist, clipList, describeBlocklist, planBlocklistCommand } from './blocklist-commands.js';
import { accept, refuse } from './result.js';

const GUILD = '100000000000000001';
const USER = '200000000000000001';
const USER2 = '200000000000000002';
const ROLE = '300000000000000001';
const ROLE2 = '300000000000000002';
const empty = { userIds: [], roleIds: [] };
const ids = (count: number, base = 200000000000000100n) => Array.from({ length: count }, (_, i) => String(base + BigInt(i)));

describe('checkBlocklist', () => {
  it('accepts up to 250 entries, members and roles counted together', () => {
    const list = { userIds: ids(200), roleIds: ids(50, 300000000000000100n) };
    expect(checkBlocklist(GUILD, list)).toEqual(accept(list));
    expect(checkBlocklist(GUILD, { ...list, roleIds: ids(51, 300000000000000100n) })).toEqual(refuse('blocklist.max', { max: 250 }));
  });

  it('refuses @everyone and drops repeated members and roles', () => {
    expect(checkBlocklist(GUILD, { userIds: [], roleIds: [ROLE, GUILD] })).toEqual(refuse('blocklist.everyone'));
    expect(checkBlocklist(GUILD, { userIds: [USER, USER2, USER], roleIds: [ROLE, ROLE] })).toEqual(accept({ userIds: [USER, USER2], roleIds: [ROLE] }));
  });
});

describe('clipList', () => {
  it('joins by spaces and, past the limit, counts the items left out', () => {
    expect(clipList('en-US', [])).toBe('');
    const more = (count: number) => ` ${t('en-US', 'list.more', { count })}`;
    // Each item but the last keeps room for the count of those after it.
    expect(clipList('en-US', ['aaaa', 'bbbb', 'cc'], 20)).toBe('aaaa bbbb cc');
    expect(clipList('en-US', ['aaaa', 'bbbb', 'cc'], 19)).toBe(`aaaa${more(2)}`);
    expect(clipList('en-US', ['aaaa', 'bbbb', 'cc'], 15)).toBe(`aaaa${more(2)}`);
    expect(clipList('en-US', ['aaaa', 'bbbb', 'cc'], 14)).toBe(more(3));
    expect(clipList('en-US', ['a', 'b'.repeat(18)], 20)).toBe(`a ${'b'.repeat(18)}`);
    expect(clipList('en-US', ['a', 'b'.repeat(18)], 19)).toBe(`a${more(1)}`);
    expect(clipList('en-US', ['x'.repeat(1024)])).toBe('x'.repeat(1024));
    expect(clipList('en-US', ['x'.repeat(1025)])).toBe(` ${t('en-US', 'list.more', { count: 1 })}`);
  });
});

describe('describeBlocklist', () => {
  it('mentions members before roles', () => {
    expect(describeBlocklist('en-US', { userIds: [USER, USER2], roleIds: [ROLE] })).toBe(`<@${USER}> <@${USER2}> <@&${ROLE}>`);
    expect(describeBlocklist('en-US', { userIds: [], roleIds: [ROLE] }, 10)).toBe(` ${t('en-US', 'list.more', { count: 1 })}`);
  });
});

describe('planBlocklistCommand', () => {
  const plan = (subcommand: string, target: string | undefined, list = empty as { userIds: string[]; roleIds: string[] }, resolved = {}) =>
    planBlocklistCommand('en-US', GUILD, subcommand, target === undefined ? {} : { target }, resolved, list);

  it('lists the blocked within 1,800 characters, storing nothing', () => {
    expect(plan('list', undefined)).toEqual(accept({ blocklist: null, answer: msg('blocklist.list-none'), detail: null }));
    const list = { userIds: [USER], roleIds: [ROLE] };
    expect(plan('list', undefined, list)).toEqual(
      accept({ blocklist: null, answer: msg('blocklist.list', { count: 2, list: `<@${USER}> <@&${ROLE}>` }), detail: null }),
    );
    const many = { userIds: ids(100), roleIds: [] };
    const answer = plan('list', undefined, many);
    expect(answer).toEqual(
      accept({ blocklist: null, answer: msg('blocklist.list', { count: 100, list: describeBlocklist('en-US', many, 1800) }), detail: null }),
    );
    expect(describeBlocklist('en-US', many, 1800)).not.toBe(describeBlocklist('en-US', many));
  });

  it('takes only a snowflake of 17 to 20 digits as a target', () => {
    expect(plan('add', undefined)).toEqual(refuse('blocklist.target'));
    expect(plan('add', 'abc')).toEqual(refuse('blocklist.target'));
    expect(plan('add', '1'.repeat(16))).toEqual(refuse('blocklist.target'));
    expect(plan('add', '1'.repeat(21))).toEqual(refuse('blocklist.target'));
    expect(plan('add', `x${USER}`)).toEqual(refuse('blocklist.target'));
    expect(plan('add', `${USER}x`)).toEqual(refuse('blocklist.target'));
    expect(plan('add', '1'.repeat(17))).toMatchObject({ ok: true });
    expect(plan('add', '1'.repeat(20))).toMatchObject({ ok: true });
  });

  it('blocks a member or a role with their own sentence and log detail', () => {
    const list = { userIds: [USER2], roleIds: [ROLE2] };
    expect(plan('add', USER, list, { users: { [USER]: {} } })).toEqual(
      accept({
        blocklist: { userIds: [USER2, USER], roleIds: [ROLE2] },
        answer: msg('blocklist.blocked', { target: `<@${USER}>` }),
        detail: msg('change.blocked', { target: `<@${USER}>` }),
      }),
    );
    expect(plan('add', ROLE, list, { roles: { [ROLE]: {} } })).toEqual(
      accept({
        blocklist: { userIds: [USER2], roleIds: [ROLE2, ROLE] },
        answer: msg('blocklist.role-blocked', { target: `<@&${ROLE}>` }),
        detail: msg('change.blocked', { target: `<@&${ROLE}>` }),
      }),
    );
  });

  it('refuses @everyone and bots, and answers without storing when already blocked', () => {
    expect(plan('add', GUILD)).toEqual(refuse('blocklist.everyone'));
    expect(plan('add', USER, empty, { users: { [USER]: { bot: true } } })).toEqual(refuse('blocklist.bot', { target: `<@${USER}>` }));
    // A role is never a bot, even if a user of that id were resolved too.
    expect(plan('add', ROLE, empty, { roles: { [ROLE]: {} }, users: { [ROLE]: { bot: true } } })).toMatchObject({
      ok: true,
      value: { blocklist: { roleIds: [ROLE] } },
    });
    // A member Discord did not resolve (only others were) is blocked as a member, not refused or thrown on.
    expect(plan('add', USER, empty, { users: { [USER2]: { bot: true } } })).toEqual(
      accept({
        blocklist: { userIds: [USER], roleIds: [] },
        answer: msg('blocklist.blocked', { target: `<@${USER}>` }),
        detail: msg('change.blocked', { target: `<@${USER}>` }),
      }),
    );
    expect(plan('add', USER, { userIds: [USER], roleIds: [] })).toEqual(
      accept({ blocklist: null, answer: msg('blocklist.already', { target: `<@${USER}>` }), detail: null }),
    );
    expect(plan('add', ROLE, { userIds: [], roleIds: [ROLE] }, { roles: { [ROLE]: {} } })).toEqual(
      accept({ blocklist: null, answer: msg('blocklist.already', { target: `<@&${ROLE}>` }), detail: null }),
    );
    // A role id sitting among the members is not the same entry.
    expect(plan('add', ROLE, { userIds: [ROLE], roleIds: [] }, { roles: { [ROLE]: {} } })).toMatchObject({
      ok: true,
      value: { blocklist: { userIds: [ROLE], roleIds: [ROLE] } },
    });
  });

  it('refuses a 251st entry', () => {
    expect(plan('add', USER, { userIds: ids(200), roleIds: ids(50, 300000000000000100n) })).toEqual(refuse('blocklist.full', { max: 250 }));
    expect(plan('add', USER, { userIds: ids(200), roleIds: ids(49, 300000000000000100n) })).toMatchObject({ ok: true });
  });

  it('unblocks a member or a role, leaving the others', () => {
    const list = { userIds: [USER, USER2], roleIds: [ROLE, ROLE2] };
    expect(plan('remove', USER, list)).toEqual(
      accept({
        blocklist: { userIds: [USER2], roleIds: [ROLE, ROLE2] },
        answer: msg('blocklist.unblocked', { target: `<@${USER}>` }),
        detail: msg('change.unblocked', { target: `<@${USER}>` }),
      }),
    );
    expect(plan('remove', ROLE, list, { roles: { [ROLE]: {} } })).toEqual(
      accept({
        blocklist: { userIds: [USER, USER2], roleIds: [ROLE2] },
        answer: msg('blocklist.role-unblocked', { target: `<@&${ROLE}>` }),
        detail: msg('change.unblocked', { target: `<@&${ROLE}>` }),
      }),
    );
    // Discord did not resolve the role (deleted since): still removed as a role.
    expect(plan('remove', ROLE, list)).toMatchObject({ ok: true, value: { blocklist: { userIds: [USER, USER2], roleIds: [ROLE2] } } });
    expect(plan('remove', USER, empty)).toEqual(refuse('blocklist.not-listed', { target: `<@${USER}>` }));
    expect(plan('remove', ROLE, empty, { roles: { [ROLE]: {} } })).toEqual(refuse('blocklist.not-listed', { target: `<@&${ROLE}>` }));
    expect(plan('remove', GUILD, empty)).toEqual(refuse('blocklist.not-listed', { target: '@everyone' }));
  });

  it('refuses an unknown subcommand, naming it', () => {
    expect(plan('clear', USER)).toEqual(refuse('common.unknown-command', { command: '/config blocklist clear' }));
  });
});
