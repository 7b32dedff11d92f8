import { PermissionFlagsBits, bits, missingPermissions } from './permissions.js';
import { msg, type Message } from './i18n/index.js';
/** Discord's thread channel types (announcement, public and private threads). */
const THREAD_CHANNEL_TYPES: ReadonlySet<number> = new Set([10, 11, 12]);

/** The actions a member starts with a click or a command, by the ticket job that carries them out. */
export type BotAction =
  | 'ticket.open'
  | 'ticket.claim'
  | 'ticket.unclaim'
  | 'ticket.close'
  | 'ticket.close-request'
  | 'ticket.member-add'
  | 'ticket.member-remove'
  | 'ticket.rename'
  | 'ticket.tag'
  | 'ticket.move'
  | 'ticket.topic'
  | 'ticket.priority'
  | 'ticket.transfer'
  | 'ticket.reopen'
  | 'ticket.transcript'
  | 'ticket.delete';

/**
 * What each action's Discord calls need of the bot in the channel the interaction comes
 * from (Discord sends it as `app_permissions`). An open comes from the panel's channel,
 * which is often read-only for everyone: only what the open does in the server (create
 * the channel, give it overwrites) is asked there; the bot's own overwrite in the new
 * channel lets it post. The rest run in the ticket's channel: reading the welcome or the
 * history (claim, close), overwrites (add, remove, close's lock, move), the channel itself
 * (rename, topic, priority, move, close's delete), posting (close request, tag, transfer).
 */
export const ACTION_NEEDS: Readonly<Record<BotAction, bigint>> = {
  'ticket.open': bits(PermissionFlagsBits.ManageChannels, PermissionFlagsBits.ManageRoles),
  'ticket.claim': bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ReadMessageHistory),
  'ticket.unclaim': bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ReadMessageHistory),
  'ticket.close': bits(
    PermissionFlagsBits.ViewChannel,
    PermissionFlagsBits.ReadMessageHistory,
    PermissionFlagsBits.ManageRoles,
    PermissionFlagsBits.ManageChannels,
  ),
  'ticket.close-request': bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks),
  'ticket.member-add': bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ManageRoles),
  'ticket.member-remove': bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ManageRoles),
  'ticket.rename': bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ManageChannels),
  'ticket.tag': bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages),
  'ticket.move': bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ManageChannels, PermissionFlagsBits.ManageRoles),
  'ticket.topic': bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ManageChannels),
  'ticket.priority': bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ManageChannels),
  'ticket.transfer': bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ReadMessageHistory, PermissionFlagsBits.SendMessages),
  // An archived ticket's staff buttons: back to its category with the member's overwrite and a notice; its history; the channel itself.
  'ticket.reopen': bits(
    PermissionFlagsBits.ViewChannel,
    PermissionFlagsBits.ReadMessageHistory,
    PermissionFlagsBits.SendMessages,
    PermissionFlagsBits.ManageChannels,
    PermissionFlagsBits.ManageRoles,
  ),
  'ticket.transcript': bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ReadMessageHistory),
  'ticket.delete': bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ManageChannels),
};

/**
 * The permissions the bot lacks for `action`, by name, from the interaction's
 * `app_permissions`; empty when it has them or when Discord did not say (nothing is
 * refused on a guess).
 */
export function missingForAction(action: BotAction, appPermissions: string | undefined, channelType?: number): string[] {
  if (appPermissions === undefined || !/^\d+$/.test(appPermissions)) return [];
  // Thread tickets run on thread permissions (Manage Threads, thread members), which this table does not describe yet.
  if (channelType !== undefined && THREAD_CHANNEL_TYPES.has(channelType)) return [];
  return missingPermissions(appPermissions, ACTION_NEEDS[action]);
}

/** What each ticket job does, as a ❌ answer says it ("I could not …") when the bot cannot do it. */
export const ACTION_FAILURE: Readonly<Record<BotAction | 'panel.send' | 'ticket.auto-close' | 'ticket.archive-delete' | 'ticket.discard-channel', Message>> = {
  'ticket.open': msg('failure.open-ticket'),
  'ticket.claim': msg('failure.claim'),
  'ticket.unclaim': msg('failure.unclaim'),
  'ticket.close': msg('failure.close'),
  'ticket.close-request': msg('failure.close-request'),
  'ticket.member-add': msg('failure.add-the-member'),
  'ticket.member-remove': msg('failure.remove-the-member'),
  'ticket.rename': msg('failure.rename'),
  'ticket.tag': msg('failure.tag'),
  'ticket.move': msg('failure.move'),
  'ticket.topic': msg('failure.topic'),
  'ticket.priority': msg('failure.priority'),
  'ticket.transfer': msg('failure.transfer'),
  'panel.send': msg('failure.panel'),
  'ticket.auto-close': msg('failure.close'),
  'ticket.reopen': msg('failure.reopen'),
  'ticket.transcript': msg('failure.transcript'),
  'ticket.delete': msg('failure.delete'),
  'ticket.archive-delete': msg('failure.delete'),
  'ticket.discard-channel': msg('failure.delete'),
};

/** The ❌ sentence when the bot lacks what `action` needs in the interaction's channel; null when nothing is missing. */
export function botLacks(action: BotAction, appPermissions: string | undefined, channelType?: number): Message | null {
  const missing = missingForAction(action, appPermissions, channelType);
  return missing.length > 0 ? msg('discord.bot-lacks', { failure: ACTION_FAILURE[action], permissions: missing.join(', ') }) : null;
}
