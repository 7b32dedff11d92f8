import { describe, expect, it } from 'vitest';
import {
  BOT_CHANNEL_ALLOW,
  BOT_PERMISSIONS,
  PermissionFlagsBits as P,
  TICKET_MEMBER_ALLOW,
  computePermissions,
  has,
  type PermissionOverwrite,
} from './permissions.js';

const GUILD = '100000000000000001';
const OWNER = '200000000000000001';
const USER = '200000000000000002';
const ROLE_A = '300000000000000001';
const ROLE_B = '300000000000000002';

const ALL = Object.values(P).reduce((acc, flag) => acc | flag, 0n);
const VIEW = 1n << 10n;
const SEND = 1n << 11n;

function compute(opts: {
  userId?: string;
  memberRoleIds?: string[];
  everyone?: bigint;
  roles?: { id: string; permissions: bigint }[];
  overwrites?: PermissionOverwrite[];
}) {
  return computePermissions({
    guildId: GUILD,
    ownerId: OWNER,
    userId: opts.userId ?? USER,
    memberRoleIds: opts.memberRoleIds ?? [],
    roles: [
      { id: GUILD, permissions: String(opts.everyone ?? VIEW | SEND) },
      ...(opts.roles ?? []).map((r) => ({ id: r.id, permissions: String(r.permissions) })),
    ],
    ...(opts.overwrites ? { overwrites: opts.overwrites } : {}),
  });
}

const ow = (id: string, type: 0 | 1, allow: bigint, deny: bigint): PermissionOverwrite => ({ id, type, allow: String(allow), deny: String(deny) });

describe('computePermissions', () => {
  it('gives the owner every permission, whatever the overwrites', () => {
    expect(compute({ userId: OWNER, everyone: 0n, overwrites: [ow(GUILD, 0, 0n, VIEW)] })).toBe(ALL);
  });

  it('gives every permission to a member with an ADMINISTRATOR role, ignoring overwrites', () => {
    const perms = compute({
      memberRoleIds: [ROLE_A],
      roles: [{ id: ROLE_A, permissions: P.Administrator }],
      overwrites: [ow(GUILD, 0, 0n, VIEW), ow(USER, 1, 0n, VIEW)],
    });
    expect(perms).toBe(ALL);
  });

  it('uses @everyone plus the member roles as base when there are no overwrites', () => {
    expect(
      compute({
        everyone: VIEW,
        memberRoleIds: [ROLE_A],
        roles: [
          { id: ROLE_A, permissions: P.ManageMessages },
          { id: ROLE_B, permissions: P.BanMembers },
        ],
      }),
    ).toBe(VIEW | P.ManageMessages);
  });

  it('applies the @everyone overwrite', () => {
    expect(compute({ everyone: VIEW | SEND, overwrites: [ow(GUILD, 0, P.AttachFiles, SEND)] })).toBe(VIEW | P.AttachFiles);
  });

  it('combines role overwrites: all denies first, then all allows (allow wins across roles)', () => {
    const perms = compute({
      everyone: VIEW | SEND,
      memberRoleIds: [ROLE_A, ROLE_B],
      overwrites: [ow(ROLE_A, 0, 0n, SEND | P.EmbedLinks), ow(ROLE_B, 0, SEND, 0n)],
    });
    expect(perms).toBe(VIEW | SEND);
  });

  it("applies a role overwrite of the member's role: its deny takes away, its allow adds", () => {
    expect(compute({ everyone: VIEW | SEND, memberRoleIds: [ROLE_A], overwrites: [ow(ROLE_A, 0, 0n, SEND)] })).toBe(VIEW);
    expect(compute({ everyone: VIEW, memberRoleIds: [ROLE_A], overwrites: [ow(ROLE_A, 0, P.AttachFiles, 0n)] })).toBe(VIEW | P.AttachFiles);
  });

  it('takes away what any role overwrite denies unless another of the roles allows it', () => {
    const perms = compute({
      everyone: VIEW | SEND | P.EmbedLinks,
      memberRoleIds: [ROLE_A, ROLE_B],
      overwrites: [ow(ROLE_A, 0, 0n, SEND | P.EmbedLinks), ow(ROLE_B, 0, SEND, 0n)],
    });
    expect(perms).toBe(VIEW | SEND);
  });

  it('applies the @everyone overwrite once, before the role overwrites, even when the role list names @everyone', () => {
    // @everyone allows Send, a role of the member denies it: the role's deny wins.
    const overwrites = [ow(GUILD, 0, SEND, 0n), ow(ROLE_A, 0, 0n, SEND)];
    expect(compute({ everyone: VIEW, memberRoleIds: [ROLE_A], overwrites })).toBe(VIEW);
    expect(compute({ everyone: VIEW, memberRoleIds: [GUILD, ROLE_A], overwrites })).toBe(VIEW);
  });

  it('ignores overwrites of roles the member does not have', () => {
    expect(compute({ everyone: VIEW | SEND, memberRoleIds: [ROLE_A], overwrites: [ow(ROLE_B, 0, 0n, SEND)] })).toBe(VIEW | SEND);
  });

  it('lets the member overwrite win over role overwrites', () => {
    const perms = compute({
      everyone: VIEW | SEND,
      memberRoleIds: [ROLE_A],
      overwrites: [ow(ROLE_A, 0, P.AttachFiles, 0n), ow(USER, 1, 0n, SEND | P.AttachFiles)],
    });
    expect(perms).toBe(VIEW);
  });

  it('lets a member overwrite grant back what @everyone denies', () => {
    expect(compute({ everyone: VIEW | SEND, overwrites: [ow(GUILD, 0, 0n, VIEW), ow(USER, 1, VIEW, 0n)] })).toBe(VIEW | SEND);
  });

  it('returns 0n when VIEW_CHANNEL is lost', () => {
    expect(compute({ everyone: VIEW | SEND | P.AttachFiles, overwrites: [ow(GUILD, 0, 0n, VIEW)] })).toBe(0n);
  });

  it("ignores another member's member overwrite", () => {
    expect(compute({ everyone: VIEW | SEND, overwrites: [ow('200000000000000009', 1, 0n, VIEW)] })).toBe(VIEW | SEND);
  });
});

describe('has', () => {
  it('checks the flag against a bigint or a decimal string', () => {
    expect(has(VIEW | SEND, SEND)).toBe(true);
    expect(has(String(VIEW | SEND), SEND)).toBe(true);
    expect(has(VIEW, SEND)).toBe(false);
    expect(has('0', VIEW)).toBe(false);
  });

  it('needs every bit of a combined flag', () => {
    expect(has(VIEW, VIEW | SEND)).toBe(false);
    expect(has(VIEW | SEND, VIEW | SEND)).toBe(true);
  });

  it('treats ADMINISTRATOR as every permission', () => {
    expect(has(P.Administrator, P.ManageGuild)).toBe(true);
    expect(has(String(P.Administrator), P.BanMembers)).toBe(true);
  });
});

describe('permission sets', () => {
  it('TICKET_MEMBER_ALLOW is exactly View, Send, Read History, Attach Files and Embed Links (docs values)', () => {
    expect(TICKET_MEMBER_ALLOW).toBe((1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 15n) | (1n << 14n));
    expect(TICKET_MEMBER_ALLOW).toBe(117760n);
  });

  it('BOT_CHANNEL_ALLOW is the invite permissions without Manage Roles, Manage Webhooks and the thread permissions', () => {
    expect(BOT_CHANNEL_ALLOW & (1n << 28n)).toBe(0n);
    expect(BOT_CHANNEL_ALLOW & (1n << 29n)).toBe(0n);
    expect(BOT_PERMISSIONS & (1n << 28n)).toBe(1n << 28n);
    expect(BOT_CHANNEL_ALLOW).toBe(BOT_PERMISSIONS & ~((1n << 28n) | (1n << 29n) | (1n << 34n) | (1n << 36n) | (1n << 38n)));
    for (const flag of [VIEW, SEND, 1n << 4n, 1n << 14n, 1n << 15n, 1n << 16n]) expect(BOT_CHANNEL_ALLOW & flag).toBe(flag);
  });

  it('BOT_PERMISSIONS asks only for what a feature uses: no Manage Messages, no Administrator', () => {
    // View, Manage Channels, Manage Roles, Send, Embed, Attach, History, Manage Webhooks; Manage Threads, Create Private Threads, Send in Threads.
    const threads = (1n << 34n) | (1n << 36n) | (1n << 38n);
    expect(BOT_PERMISSIONS).toBe((1n << 10n) | (1n << 4n) | (1n << 28n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 29n) | threads);
    expect(BOT_PERMISSIONS & (1n << 13n)).toBe(0n);
  });
});
