import { PermissionFlagsBits } from 'discord-api-types/v10';

export { PermissionFlagsBits };

/** Every permission bit Discord defines. */
export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((acc, flag) => acc | flag, 0n);

/** What a seeded bot role holds unless the seed says otherwise: the permissions the bot's invite asks for. */
export const DEFAULT_BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.ManageChannels |
  PermissionFlagsBits.ManageRoles |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.ManageWebhooks;

export interface PermissionInput {
  guildId: string;
  ownerId: string;
  userId: string;
  memberRoleIds: readonly string[];
  roles: readonly { id: string; permissions: string }[];
  overwrites?: readonly { id: string; type: 0 | 1; allow: string; deny: string }[];
}

/**
 * Discord's permission arithmetic (docs/topics/permissions "Permission Overwrites"):
 * compute_base_permissions (owner → all; @everyone | member's roles; Administrator → all),
 * then compute_overwrites (@everyone overwrite, role overwrites combined, member overwrite),
 * then the implicit rule that without View Channel nothing else in the channel applies.
 * The emulator's own copy: it answers as Discord would, whatever the bot computes.
 */
export function computePermissions(input: PermissionInput): bigint {
  if (input.userId === input.ownerId) return ALL_PERMISSIONS;
  const roleById = new Map(input.roles.map((role) => [role.id, BigInt(role.permissions)]));
  let base = roleById.get(input.guildId) ?? 0n;
  for (const roleId of input.memberRoleIds) base |= roleById.get(roleId) ?? 0n;
  if ((base & PermissionFlagsBits.Administrator) !== 0n) return ALL_PERMISSIONS;
  if (!input.overwrites) return base;

  let permissions = base;
  const everyone = input.overwrites.find((o) => o.type === 0 && o.id === input.guildId);
  if (everyone) permissions = (permissions & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const overwrite of input.overwrites) {
    if (overwrite.type === 0 && overwrite.id !== input.guildId && input.memberRoleIds.includes(overwrite.id)) {
      allow |= BigInt(overwrite.allow);
      deny |= BigInt(overwrite.deny);
    }
  }
  permissions = (permissions & ~deny) | allow;
  const member = input.overwrites.find((o) => o.type === 1 && o.id === input.userId);
  if (member) permissions = (permissions & ~BigInt(member.deny)) | BigInt(member.allow);
  if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return 0n;
  return permissions;
}
