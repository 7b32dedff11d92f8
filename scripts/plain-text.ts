/**
 * What `make run` prints, in words a newcomer reads without the source: permission
 * names instead of bitfields, mentions as names instead of ids.
 */
import { PermissionFlagsBits } from '@promton/shared/domain';

/** "ViewChannel" → "View Channel", as Discord's settings name them. */
function spaced(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/\bVAD\b/, 'Voice Activity');
}

/** The names of the permissions set in a bitfield (a decimal string, as Discord sends it), lowest bit first. */
export function permissionNames(bitfield: string | bigint): string[] {
  const value = BigInt(bitfield);
  const names: string[] = [];
  const seen = new Set<bigint>();
  for (const [name, bit] of Object.entries(PermissionFlagsBits).sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if ((value & bit) === bit && !seen.has(bit)) {
      seen.add(bit);
      names.push(spaced(name));
    }
  }
  return names;
}

/** One overwrite as a sentence: "can View Channel, Send Messages; cannot Mention Everyone". */
export function describeOverwrite(allow: string, deny: string): string {
  const can = permissionNames(allow);
  const cannot = permissionNames(deny);
  const parts = [can.length > 0 ? `can ${can.join(', ')}` : '', cannot.length > 0 ? `cannot ${cannot.join(', ')}` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : 'nothing set (inherits the server roles)';
}

export interface Directory {
  channels: { id: string; name: string }[];
  members: { id: string; username: string }[];
  roles: { id: string; name: string }[];
}

/** Discord's mention syntax (<#id>, <@id>, <@&id>) written as names. */
export function resolveMentions(text: string, directory: Directory): string {
  return text
    .replace(/<#(\d+)>/g, (whole, id: string) => `#${directory.channels.find((c) => c.id === id)?.name ?? id}`)
    .replace(/<@&(\d+)>/g, (whole, id: string) => `@${directory.roles.find((r) => r.id === id)?.name ?? id}`)
    .replace(/<@!?(\d+)>/g, (whole, id: string) => `@${directory.members.find((m) => m.id === id)?.username ?? id}`);
}
