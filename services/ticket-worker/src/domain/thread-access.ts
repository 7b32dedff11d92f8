import { OverwriteType, PermissionFlagsBits, bits, type PermissionOverwrite } from '@promton/shared/domain';

/**
 * What a staff role holds in the channel of a type's thread tickets. Discord shows a
 * private thread only to its members and to those with Manage Threads in its channel
 * (docs: permissions, MANAGE_THREADS "viewing all private threads"); the bot cannot list a
 * role's members with the Guilds intent alone, so staff are let in through their role:
 * they see every ticket thread of that channel, write in it, and may archive it.
 */
export const STAFF_THREAD_ALLOW = bits(
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.ManageThreads,
);

/**
 * The role overwrites to write in the thread channel so every staff role holds
 * STAFF_THREAD_ALLOW there: none when they already do (an open then costs no write), the
 * role's existing allow and deny kept otherwise.
 */
export function staffThreadOverwrites(guildId: string, current: readonly PermissionOverwrite[], staffRoleIds: readonly string[]): PermissionOverwrite[] {
  const out: PermissionOverwrite[] = [];
  for (const roleId of new Set(staffRoleIds)) {
    if (roleId === guildId) continue;
    const existing = current.find((o) => o.type === OverwriteType.Role && o.id === roleId);
    const allow = BigInt(existing?.allow ?? '0');
    const deny = BigInt(existing?.deny ?? '0');
    if ((allow & STAFF_THREAD_ALLOW) === STAFF_THREAD_ALLOW && (deny & STAFF_THREAD_ALLOW) === 0n) continue;
    out.push({ id: roleId, type: OverwriteType.Role, allow: (allow | STAFF_THREAD_ALLOW).toString(), deny: (deny & ~STAFF_THREAD_ALLOW).toString() });
  }
  return out;
}
