import { RESTJSONErrorCodes, ChannelType, ThreadAutoArchiveDuration, type APIThreadChannel } from 'discord-api-types/v10';
import { discordCode, ticketChannelName } from '@promton/shared/domain';
import type { TicketRecord, TicketType } from '@promton/shared/contracts';
import type { JobRun, TicketDeps } from '../deps.js';
import { staffThreadOverwrites } from '../domain/thread-access.js';

// Thread tickets: a type with a thread channel opens each ticket as a private thread there
// (not invitable: only the bot and moderators add people). Threads are not bound by 50 per
// category or 500 per server; Discord allows 1,000 active threads per server (160006).

/** Discord: "Tried to perform an operation on an archived thread". */

/**
 * The ticket's private thread in the type's thread channel. A resumed open first looks for
 * the thread an earlier attempt made before it died (by its name among the server's active
 * threads), so an open makes one thread however often it is retried.
 */
export async function createTicketThread(deps: TicketDeps, ticket: TicketRecord, type: TicketType & { threadChannelId: string }, run: JobRun): Promise<string> {
  const name = ticketChannelName(ticket.number);
  if (run.resumed) {
    const { threads } = await deps.api.guilds.getActiveThreads(ticket.guildId);
    const existing = (threads as APIThreadChannel[]).find((thread) => thread.name === name && thread.parent_id === type.threadChannelId);
    if (existing) return existing.id;
  }
  const thread = (await deps.api.channels.createThread(type.threadChannelId, {
    name,
    type: ChannelType.PrivateThread,
    invitable: false,
    // The longest Discord allows: an idle ticket is closed by auto-close, not hidden by Discord.
    auto_archive_duration: ThreadAutoArchiveDuration.OneWeek,
  })) as APIThreadChannel;
  return thread.id;
}

/**
 * Brings the people of a ticket into its thread: the staff roles through their access to
 * the thread channel (see STAFF_THREAD_ALLOW; written only when missing), the creator as a
 * thread member. Every step is idempotent, so a resumed open repeats them safely.
 */
export async function bringIntoThread(
  deps: TicketDeps,
  ticket: TicketRecord & { channelId: string },
  type: TicketType & { threadChannelId: string },
): Promise<void> {
  if (type.staffRoleIds.length > 0) {
    const parent = await deps.api.channels.get(type.threadChannelId);
    const current = 'permission_overwrites' in parent ? (parent.permission_overwrites ?? []) : [];
    const missing = staffThreadOverwrites(
      ticket.guildId,
      current.map((o) => ({ id: o.id, type: o.type as 0 | 1, allow: String(o.allow), deny: String(o.deny) })),
      type.staffRoleIds,
    );
    for (const overwrite of missing) {
      await deps.api.channels.editPermissionOverwrite(type.threadChannelId, overwrite.id, {
        type: overwrite.type,
        allow: overwrite.allow,
        deny: overwrite.deny,
      });
    }
  }
  if (ticket.creatorId) await deps.api.threads.addMember(ticket.channelId, ticket.creatorId);
}

/** The type's thread channel when its tickets are threads. */
export function threadTypeOf(type: TicketType): (TicketType & { threadChannelId: string }) | null {
  return type.threadChannelId ? (type as TicketType & { threadChannelId: string }) : null;
}

/**
 * Closing a thread ticket: lock it first (only moderators write while the transcript is
 * read), then archive and lock it at the end instead of deleting it. A retried close finds
 * it archived already (50083): that step is done.
 */
export async function lockThread(deps: TicketDeps, threadId: string, archive: boolean): Promise<void> {
  try {
    await deps.api.channels.edit(threadId, archive ? { archived: true, locked: true } : { locked: true });
  } catch (error) {
    if (discordCode(error) === RESTJSONErrorCodes.InvalidActionOnArchivedThread) return;
    throw error;
  }
}
