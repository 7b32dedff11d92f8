import type { APIMessage } from 'discord-api-types/v10';
import type { GuildConfig } from '@promton/shared/contracts';
import { lockedMemberOverwrite, msg, t } from '@promton/shared/domain';
import { type InteractionContext, type TicketJob, type TicketRecord } from '@promton/shared/contracts';
import type { JobRun, TicketDeps } from '../deps.js';
import { formatTicketNumber } from '../domain/ticket-rules.js';
import { renderTranscript } from '../domain/transcript.js';
import { feedbackMessage, firstReply } from '../domain/feedback-message.js';
import { DiscordCodes, channelLocale, discordCode, logEvent, succeed, updateTicket } from './common.js';
import { authorize } from './ticket-actions.js';
import { lockThread } from './thread-ticket.js';

/** Every message of a channel, oldest first, through REST pagination (100 a page). */
export async function fetchAllMessages(deps: TicketDeps, channelId: string): Promise<APIMessage[]> {
  const all: APIMessage[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await deps.api.channels.getMessages(channelId, { limit: 100, ...(before ? { before } : {}) });
    all.push(...page);
    if (page.length < 100) break;
    before = page[page.length - 1]!.id;
  }
  return all.reverse();
}

async function ignoreGone<T>(step: Promise<T>): Promise<T | undefined> {
  try {
    return await step;
  } catch (error) {
    if (discordCode(error) === DiscordCodes.unknownChannel) return undefined;
    throw error;
  }
}

/** Pages of the oldest messages read for the first reply when no transcript read them all. */
const FIRST_REPLY_PAGES = 5;

/** When the first reply came (see firstReply), from the transcript's messages or the channel's oldest pages. */
async function firstReplyAt(deps: TicketDeps, ticket: TicketRecord & { channelId: string }, all: APIMessage[] | undefined): Promise<string | null> {
  if (all) return firstReply(all, ticket.creatorId);
  let after = ticket.channelId; // older than every message of the channel
  for (let page = 0; page < FIRST_REPLY_PAGES; page += 1) {
    const messages = await ignoreGone(deps.api.channels.getMessages(ticket.channelId, { limit: 100, after }));
    if (!messages || messages.length === 0) return null;
    const found = firstReply(messages, ticket.creatorId);
    if (found) return found;
    if (messages.length < 100) return null;
    after = messages.reduce((max, m) => (BigInt(m.id) > BigInt(max) ? m.id : max), after);
  }
  return null;
}

/** Discord: "Cannot send messages to this user" (they accept no DMs from server members, or share no server with the bot). */
const CANNOT_DM = 50007;

/**
 * Offers the member a 1–5 rating by DM when the server asks for feedback. config-service
 * signs the offer and gives it once per ticket, so a retried close sends no second DM.
 * Best effort: a member who accepts no DMs (50007) is skipped quietly, and no failure
 * here fails the close.
 */
async function offerFeedback(deps: TicketDeps, ticket: TicketRecord, guild: GuildConfig | null): Promise<void> {
  if (!guild?.feedback || !ticket.creatorId) return;
  const log = deps.logger.child({ guildId: ticket.guildId, ticketId: ticket.id });
  try {
    const offer = await deps.config.request('feedback.offer', { v: 1, guildId: ticket.guildId, ticketNumber: ticket.number });
    if (!offer) return;
    const typeLabel = guild.types.find((t) => t.name === ticket.typeName)?.label ?? ticket.typeName;
    const guildName = await deps.api.guilds.get(ticket.guildId).then(
      (g) => g.name,
      () => null,
    );
    const dm = await deps.api.users.createDM(ticket.creatorId);
    await deps.api.channels.createMessage(dm.id, feedbackMessage({ ticketNumber: ticket.number, typeLabel, guildName, offer: offer.offer }));
  } catch (error) {
    if (discordCode(error) === CANNOT_DM) log.info('the member accepts no DMs; no rating offered');
    else log.warn({ err: (error as Error).message }, 'rating not offered');
  }
}

/**
 * Close, in an order that loses nothing when a step fails: lock the channel → save the
 * transcript with the close log → mark closed → delete the channel (a thread ticket:
 * lock the thread → … → archive and lock it). Every step is
 * idempotent, so a retried job repeats none of its effects.
 */
export async function closeTicketSteps(
  deps: TicketDeps,
  ticket: TicketRecord & { channelId: string },
  closer: { userId: string | null; reason: string | undefined; kind: 'ticket.closed' | 'ticket.auto-closed'; guildLocale?: string | undefined },
): Promise<void> {
  const guild = await deps.readConfig(ticket.guildId);
  const locale = channelLocale(guild, closer.guildLocale);
  const closedAt = ticket.closedAt ?? deps.now().toISOString();
  if (ticket.thread) await ignoreGone(lockThread(deps, ticket.channelId, false));
  else if (ticket.creatorId)
    await ignoreGone(deps.api.channels.editPermissionOverwrite(ticket.channelId, ticket.creatorId, lockedMemberOverwrite(ticket.creatorId)));

  let transcript: { filename: string; html: string } | undefined;
  let messages: APIMessage[] | undefined;
  if (guild?.transcripts) {
    messages = await ignoreGone(fetchAllMessages(deps, ticket.channelId));
    if (messages) {
      transcript = {
        filename: `transcript-${String(ticket.number).padStart(4, '0')}.html`,
        html: renderTranscript({
          title: t(locale, 'transcript.title', { ticket: formatTicketNumber(ticket.number), type: ticket.typeName }),
          guildId: ticket.guildId,
          channelId: ticket.channelId,
          closedAt,
          locale,
          messages,
        }),
      };
    }
  }
  await logEvent(
    deps,
    {
      guildId: ticket.guildId,
      kind: closer.kind,
      ticketNumber: ticket.number,
      channelId: ticket.channelId,
      typeName: ticket.typeName,
      ...(closer.userId ? { actorId: closer.userId } : {}),
      ...(ticket.creatorId ? { subjectId: ticket.creatorId } : {}),
      ...(closer.reason ? { reason: closer.reason } : {}),
      durationMs: Date.parse(closedAt) - Date.parse(ticket.createdAt),
      ...(transcript ? { transcript } : {}),
      locale,
    },
    `${ticket.guildId}-${ticket.number}-closed`,
  );
  if (ticket.status !== 'closed') {
    // For /config stats: read before the channel goes.
    const replyAt = await firstReplyAt(deps, ticket, messages);
    await updateTicket(deps, ticket, {
      status: 'closed',
      closedAt,
      ...(closer.userId ? { closedBy: closer.userId } : {}),
      closeReason: closer.reason ?? null,
      ...(replyAt ? { firstReplyAt: replyAt } : {}),
    });
  }
  // A thread ticket stays, archived and locked: its members keep reading it, nobody writes.
  if (ticket.thread) await ignoreGone(lockThread(deps, ticket.channelId, true));
  else await ignoreGone(deps.api.channels.delete(ticket.channelId));
  await offerFeedback(deps, ticket, guild);
}

export async function closeTicket(deps: TicketDeps, job: TicketJob<'ticket.close'>, run: JobRun): Promise<void> {
  const { ctx } = job;
  const found = await authorize(deps, ctx, job.ticketNumber, 'close', { resuming: run.resumed });
  if (!found) return;
  await closeTicketSteps(deps, found.ticket, { userId: ctx.member.userId, reason: job.reason, kind: 'ticket.closed', guildLocale: ctx.guildLocale });
  await answerAfterClose(deps, ctx, found.ticket);
}

async function answerAfterClose(deps: TicketDeps, ctx: InteractionContext, ticket: TicketRecord): Promise<void> {
  // The answer lived in the deleted channel when the member clicked there; Discord may refuse the edit.
  await succeed(deps, ctx, msg('close.done', { ticket: formatTicketNumber(ticket.number) })).catch((error: unknown) => {
    if (discordCode(error) === undefined) throw error;
  });
}
