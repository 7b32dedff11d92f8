import { describe, expect, it } from 'vitest';
import { PermissionFlagsBits } from '@promton/shared/domain';
import { STAFF_THREAD_ALLOW, staffThreadOverwrites } from './thread-access.js';

const guildId = '100000000000000000';
const staff = '200000000000000000';
const other = '300000000000000000';

describe('staffThreadOverwrites', () => {
  it('gives a staff role without an overwrite what it needs to see and manage the ticket threads', () => {
    expect(staffThreadOverwrites(guildId, [], [staff])).toEqual([{ id: staff, type: 0, allow: STAFF_THREAD_ALLOW.toString(), deny: '0' }]);
    expect(STAFF_THREAD_ALLOW & PermissionFlagsBits.ManageThreads).toBe(PermissionFlagsBits.ManageThreads);
  });

  it('writes nothing when every staff role already holds it, and never touches @everyone', () => {
    const current = [{ id: staff, type: 0 as const, allow: (STAFF_THREAD_ALLOW | PermissionFlagsBits.AttachFiles).toString(), deny: '0' }];
    expect(staffThreadOverwrites(guildId, current, [staff, guildId])).toEqual([]);
  });

  it("keeps a role's other allows and denies, lifting only the denies that would shut it out", () => {
    const deny = PermissionFlagsBits.ManageThreads | PermissionFlagsBits.MentionEveryone;
    const current = [{ id: staff, type: 0 as const, allow: PermissionFlagsBits.AttachFiles.toString(), deny: deny.toString() }];
    const [overwrite] = staffThreadOverwrites(guildId, current, [staff, staff]);
    expect(BigInt(overwrite!.allow)).toBe(STAFF_THREAD_ALLOW | PermissionFlagsBits.AttachFiles);
    expect(BigInt(overwrite!.deny)).toBe(PermissionFlagsBits.MentionEveryone);
  });

  it('rewrites a role whose overwrite allows everything but still denies part of it, lifting the deny', () => {
    const current = [{ id: staff, type: 0 as const, allow: STAFF_THREAD_ALLOW.toString(), deny: PermissionFlagsBits.ManageThreads.toString() }];
    expect(staffThreadOverwrites(guildId, current, [staff])).toEqual([{ id: staff, type: 0, allow: STAFF_THREAD_ALLOW.toString(), deny: '0' }]);
  });

  it('leaves a member overwrite with the same id alone (only role overwrites count)', () => {
    const current = [{ id: other, type: 1 as const, allow: STAFF_THREAD_ALLOW.toString(), deny: '0' }];
    expect(staffThreadOverwrites(guildId, current, [other])).toHaveLength(1);
  });
});
