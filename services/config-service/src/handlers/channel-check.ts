import { CATEGORY_NEEDS, PERMISSION_NAMES, PermissionFlagsBits, has, msg, type Message, type MessageKey, type ParamValue } from '@promton/shared/domain';
import { ChannelKind } from '../domain/config-rules.js';
import type { HandlerDeps } from './deps.js';
import { safeError } from '../safe-error.js';

/** Permissions the bot needs in a channel, with their names as Discord's documentation writes them, and the sentence that says what is missing. */
export interface ChannelNeeds {
  permissions: readonly (readonly [bigint, string])[];
  refusal: Extract<MessageKey, 'check.cannot-post' | 'check.cannot-open-threads' | 'check.category-lacks' | 'check.archive-category'>;
}

/**
 * What the bot needs in the log channel: see it, and manage its webhooks there (log-worker
 * posts log lines, transcripts included, through a webhook of its own, which needs no
 * Send Messages, Embed Links or Attach Files of the bot).
 */
export const LOG_CHANNEL_NEEDS: ChannelNeeds = {
  permissions: [
    [PermissionFlagsBits.ViewChannel, 'View Channel'],
    [PermissionFlagsBits.ManageWebhooks, 'Manage Webhooks'],
  ],
  refusal: 'check.cannot-post',
};

/**
 * What the bot needs in the channel of a type's thread tickets: open private threads and
 * write in them (welcome, answers), close them (archive and lock: Manage Threads, which
 * also lets it remove members), read them for transcripts, and give the staff roles
 * their access in that channel (Manage Roles).
 */
export const THREAD_CHANNEL_NEEDS: ChannelNeeds = {
  permissions: [
    [PermissionFlagsBits.ViewChannel, 'View Channel'],
    [PermissionFlagsBits.CreatePrivateThreads, 'Create Private Threads'],
    [PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads'],
    [PermissionFlagsBits.ManageThreads, 'Manage Threads'],
    [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
    [PermissionFlagsBits.ReadMessageHistory, 'Read Message History'],
    [PermissionFlagsBits.ManageRoles, 'Manage Roles'],
  ],
  refusal: 'check.cannot-open-threads',
};

/** What the bot needs in an archive category: see it, and Manage Channels there to move a channel into it (Discord's docs on parent_id). */
export const ARCHIVE_CATEGORY_NEEDS: ChannelNeeds = {
  permissions: [
    [PermissionFlagsBits.ViewChannel, 'View Channel'],
    [PermissionFlagsBits.ManageChannels, 'Manage Channels'],
  ],
  refusal: 'check.archive-category',
};

/**
 * What the bot needs in a type's category for tickets to open there: Discord checks channel
 * creation against the category (see it, Manage Channels) and the channel is made with
 * permission overwrites (Manage Roles).
 */
export const CATEGORY_CHANNEL_NEEDS: ChannelNeeds = {
  permissions: PERMISSION_NAMES.filter(([flag]) => (CATEGORY_NEEDS & flag) !== 0n),
  refusal: 'check.category-lacks',
};

/**
 * `field` names the channel in the refusal ("<#id>", or "the category <#id> of support").
 * Whether the channel exists in this server and is of the wanted kind, and whether the
 * bot holds what `needs` lists there (a log channel, a thread channel, a category),
 * computed from its roles and the channel's overwrites as Discord does.
 */
export async function checkChannel(
  deps: HandlerDeps,
  guildId: string,
  channelId: string,
  kind: number,
  field: ParamValue,
  needs?: ChannelNeeds,
): Promise<Message | null> {
  let channel;
  try {
    channel = await deps.discord.getChannel(channelId);
  } catch (error) {
    deps.logger.warn({ err: safeError(error), guildId, channelId }, 'channel lookup failed');
    return msg('check.discord-channel', { channel: field });
  }
  if (!channel || (channel.guildId !== null && channel.guildId !== guildId)) return msg('check.not-visible', { channel: field });
  if (channel.type !== kind) return kind === ChannelKind.category ? msg('check.not-category', { channel: field }) : msg('check.not-text', { channel: field });
  if (!needs) return null;
  let permissions: bigint;
  try {
    permissions = await deps.discord.botPermissionsIn(guildId, channel);
  } catch (error) {
    deps.logger.warn({ err: safeError(error), guildId, channelId }, 'permission lookup failed');
    return msg('check.discord-permissions', { channel: `<#${channelId}>` });
  }
  // Permission names stay in English: Discord's own settings show them in the admin's language, and these match its docs.
  const missing = needs.permissions.filter(([flag]) => !has(permissions, flag)).map(([, name]) => name);
  return missing.length > 0 ? msg(needs.refusal, { channel: `<#${channelId}>`, permissions: missing.join(', ') }) : null;
}
