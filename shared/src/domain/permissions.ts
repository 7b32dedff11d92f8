import { OverwriteType, PermissionFlagsBits, type APIOverwrite } from 'discord-api-types/v10';

export { OverwriteType, PermissionFlagsBits };

/** A channel's permission overwrite as Discord sends and takes it. */
export type PermissionOverwrite = APIOverwrite;

export function bits(...flags: bigint[]): bigint {
  return flags.reduce((acc, flag) => acc | flag, 0n);
}

export function has(permissions: bigint | string, flag: bigint): boolean {
  const value = BigInt(permissions);
  return (value & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator || (value & flag) === flag;
}

/** What a ticket's creator and its staff roles may do in the channel. */
export const TICKET_MEMBER_ALLOW = bits(
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.AttachFiles,
  PermissionFlagsBits.EmbedLinks,
);

/**
 * The permissions the invite link asks for; the bot's own overwrite in a ticket channel.
 * Only what a feature uses: channels (create, rename, delete), their overwrites, posting
 * embeds and transcripts, reading a ticket's history, the log channel's webhook (log lines
 * go through it, off the bot's request budget), thread tickets (open private threads, write
 * in them, archive and lock them). No Manage Messages: the bot never deletes or pins
 * anyone's message.
 */
export const BOT_PERMISSIONS = bits(
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.ManageChannels,
  PermissionFlagsBits.ManageRoles,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.AttachFiles,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.ManageWebhooks,
  PermissionFlagsBits.CreatePrivateThreads,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.ManageThreads,
);

/** The invite's thread permissions: used in the channel of a type's thread tickets only. */
const THREAD_PERMISSIONS = PermissionFlagsBits.CreatePrivateThreads | PermissionFlagsBits.SendMessagesInThreads | PermissionFlagsBits.ManageThreads;

/**
 * The bot's own overwrite in a ticket channel: without Manage Roles (Discord refuses to grant it in a channel
 * overwrite unless the bot is admin), Manage Webhooks (only the log channel needs it) and the thread
 * permissions (only a thread channel needs them).
 */
export const BOT_CHANNEL_ALLOW = BOT_PERMISSIONS & ~(PermissionFlagsBits.ManageRoles | PermissionFlagsBits.ManageWebhooks | THREAD_PERMISSIONS);

export interface GuildRoleLike {
  id: string;
  permissions: string;
}

/**
 * Discord's permission arithmetic for a member in a channel:
 * base = @everyone | roles; ADMINISTRATOR → all; then @everyone overwrite,
 * role overwrites (deny then allow, combined), member overwrite.
 */
export function computePermissions(input: {
  guildId: string;
  ownerId: string;
  userId: string;
  memberRoleIds: readonly string[];
  roles: readonly GuildRoleLike[];
  overwrites?: readonly PermissionOverwrite[];
}): bigint {
  const ALL = Object.values(PermissionFlagsBits).reduce((acc, flag) => acc | flag, 0n);
  if (input.userId === input.ownerId) return ALL;
  const roleById = new Map(input.roles.map((role) => [role.id, BigInt(role.permissions)]));
  let base = roleById.get(input.guildId) ?? 0n;
  for (const roleId of input.memberRoleIds) base |= roleById.get(roleId) ?? 0n;
  if ((base & PermissionFlagsBits.Administrator) !== 0n) return ALL;
  if (!input.overwrites) return base;

  let permissions = base;
  const everyone = input.overwrites.find((o) => o.type === OverwriteType.Role && o.id === input.guildId);
  if (everyone) permissions = (permissions & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const overwrite of input.overwrites) {
    if (overwrite.type === OverwriteType.Role && overwrite.id !== input.guildId && input.memberRoleIds.includes(overwrite.id)) {
      roleAllow |= BigInt(overwrite.allow);
      roleDeny |= BigInt(overwrite.deny);
    }
  }
  permissions = (permissions & ~roleDeny) | roleAllow;
  const member = input.overwrites.find((o) => o.type === OverwriteType.Member && o.id === input.userId);
  if (member) permissions = (permissions & ~BigInt(member.deny)) | BigInt(member.allow);
  // Without View Channel nothing else in the channel applies.
  if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return 0n;
  return permissions;
}

/** Permission names as Discord's documentation and server settings write them. */
export const PERMISSION_NAMES: readonly (readonly [bigint, string])[] = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.ManageChannels, 'Manage Channels'],
  [PermissionFlagsBits.ManageRoles, 'Manage Roles'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
  [PermissionFlagsBits.AttachFiles, 'Attach Files'],
  [PermissionFlagsBits.ReadMessageHistory, 'Read Message History'],
  [PermissionFlagsBits.ManageWebhooks, 'Manage Webhooks'],
];

/** The names of the flags of `needed` that `held` lacks (Administrator holds them all), in PERMISSION_NAMES's order. */
export function missingPermissions(held: bigint | string, needed: bigint): string[] {
  const value = BigInt(held);
  if ((value & PermissionFlagsBits.Administrator) !== 0n) return [];
  return PERMISSION_NAMES.filter(([flag]) => (needed & flag) !== 0n && (value & flag) === 0n).map(([, name]) => name);
}

/**
 * What the bot needs in a category for tickets to open there: Discord checks channel
 * creation against the category (see it, Manage Channels) and the new channel is made
 * with permission overwrites (Manage Roles).
 */
export const CATEGORY_NEEDS = bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ManageChannels, PermissionFlagsBits.ManageRoles);
