import { describe, expect, it } from 'vitest';
import { TICKET_MEMBER_ALLOW, ticketOverwrites } from '@promton/shared/domain';
import { movedOverwrites } from './move-overwrites.js';

const GUILD = '100000000000000001';
const BOT = '100000000000000002';
const CREATOR = '200000000000000001';
const ADDED = '200000000000000002';
const SUPPORT = '300000000000000001';
const SHARED = '300000000000000002';
const BILLING = '300000000000000003';
const OTHER = '300000000000000009';

describe('movedOverwrites', () => {
  const current = [
    ...ticketOverwrites({ guildId: GUILD, botUserId: BOT, memberIds: [CREATOR], staffRoleIds: [SUPPORT, SHARED] }),
    { id: ADDED, type: 1 as const, allow: TICKET_MEMBER_ALLOW.toString(), deny: '0' },
    { id: OTHER, type: 0 as const, allow: '1024', deny: '0' },
  ];

  it("swaps the old type's staff roles for the new type's, keeping everything else", () => {
    const moved = movedOverwrites({ guildId: GUILD, current, fromStaff: [SUPPORT, SHARED], toStaff: [SHARED, BILLING] });
    const ids = moved.map((o) => o.id);
    expect(ids).not.toContain(SUPPORT);
    expect(ids).toEqual(expect.arrayContaining([GUILD, BOT, CREATOR, ADDED, OTHER, SHARED, BILLING]));
    expect(moved.filter((o) => o.id === SHARED)).toHaveLength(1);
    expect(moved.find((o) => o.id === BILLING)).toEqual({ id: BILLING, type: 0, allow: TICKET_MEMBER_ALLOW.toString(), deny: '0' });
    expect(moved.find((o) => o.id === GUILD)).toEqual(current.find((o) => o.id === GUILD));
  });

  it('never lets @everyone in, even when a type lists it', () => {
    const moved = movedOverwrites({ guildId: GUILD, current, fromStaff: [SUPPORT], toStaff: [GUILD] });
    expect(moved.filter((o) => o.id === GUILD)).toEqual([current.find((o) => o.id === GUILD)]);
    // Nor when someone removed the channel's @everyone overwrite by hand.
    const withoutEveryone = current.filter((o) => o.id !== GUILD);
    expect(movedOverwrites({ guildId: GUILD, current: withoutEveryone, fromStaff: [SUPPORT], toStaff: [GUILD] }).map((o) => o.id)).not.toContain(GUILD);
  });

  it('leaves the overwrite of a staff role both types share as it was, in its place', () => {
    const edited = current.map((o) => (o.id === SHARED ? { ...o, allow: String(TICKET_MEMBER_ALLOW | (1n << 13n)), deny: String(1n << 15n) } : o));
    const moved = movedOverwrites({ guildId: GUILD, current: edited, fromStaff: [SUPPORT, SHARED], toStaff: [SHARED, BILLING] });
    expect(moved.filter((o) => o.id === SHARED)).toEqual([edited.find((o) => o.id === SHARED)]);
    expect(moved.map((o) => o.id)).toEqual([GUILD, BOT, CREATOR, SHARED, ADDED, OTHER, BILLING]);
  });
});
