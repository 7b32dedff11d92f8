import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { GuildConfig } from '@promton/shared/contracts';
import {
  discordCode,
  archivedMemberOverwrite,
  channelMention,
  lockedMemberOverwrite,
  msg,
  t,
  type Message,
  type SupportedLocale,
} from '@promton/shared/domain';
import { type InteractionContext, type LogJob, type TicketJob, type TicketRecord } from '@promton/shared/contracts';
import type { JobRun, TicketDeps } from '../deps.js';
import { formatTicketNumber } from '../domain/ticket-rules.js';
import { isTranscriptFileOf, TranscriptBuilder, type Transcript, type TranscriptHeading } from '../domain/transcript.js';
import { feedbackMessage, firstReply } from '../domain/feedback-message.js';
import { channelLocale, ignoreGone, logEvent, succeed, updateTicket } from './common.js';
import { archiveChannel, sendTranscriptByDm } from './archive-steps.js';
import { authorize } from './ticket-actions.js';
import { lockThread } from './thread-ticket.js';

type TranscriptRef = NonNullable<LogJob<'log.event'>['transcript']>;

/** Discord: "Request entity too large" (over the guild's upload limit). */

/**
 * Reads the ticket channel page by page (100 messages a GET, `before` the oldest seen,
 * newest first) into a TranscriptBuilder, which renders each page as it comes and stops
 * at the transcript limits. Also finds the first staff reply when it read every message.
 */
export async function readTranscript(
  deps: TicketDeps,
  ticket: TicketRecord & { channelId: string },
  heading: TranscriptHeading,
): Promise<{ transcript: Transcript; firstReply: string | null | undefined }> {
  const builder = new TranscriptBuilder(heading);
  let before: string | undefined;
  let reply: string | null = null;
  for (;;) {
    const page = await deps.api.channels.getMessages(ticket.channelId, { limit: 100, ...(before ? { before } : {}) });
    if (page.length === 0) break;
    // Pages go back in time: an earlier reply replaces a later one.
    reply = firstReply(page, ticket.creatorId) ?? reply;
    if (!builder.addPage(page) || page.length < 100) break;
    before = page[page.length - 1]!.id;
  }
  const truncated = builder.truncated;
  return { transcript: builder.finish(formatTicketNumber(ticket.number).replace('#', '')), firstReply: truncated ? undefined : reply };
}

/** The bot's message in the log channel holding this ticket's transcript files, if an earlier attempt posted it. */
async function findPostedTranscript(deps: TicketDeps, logChannelId: string, ticketNumber: string): Promise<TranscriptRef | undefined> {
  let recent;
  try {
    recent = await deps.api.channels.getMessages(logChannelId, { limit: 100 });
  } catch (error) {
    // A log channel the bot cannot read holds nothing it posted; posting will say why.
    const code = discordCode(error);
    if (code === RESTJSONErrorCodes.MissingAccess || code === RESTJSONErrorCodes.MissingPermissions || code === RESTJSONErrorCodes.UnknownChannel)
      return undefined;
    throw error;
  }
  const posted = recent.find((m) => m.author.id === deps.botUserId && m.attachments.some((a) => isTranscriptFileOf(ticketNumber, a.filename)));
  if (!posted) return undefined;
  return {
    channelId: logChannelId,
    messageId: posted.id,
    files: posted.attachments.map((a) => ({ name: a.filename, size: a.size })),
    // Not known any more; the close log then shows the files and the link only.
    messages: 0,
    truncated: false,
  };
}

/**
 * Posts the transcript's files to the log channel as the bot, in one message (at most
 * 10 files, each under Discord's smallest upload limit: see TRANSCRIPT_LIMITS), and
 * returns the reference the close log carries. Discord refusing the size (40005) or the
 * bot's right to post files there (50001, 50013, 10003) leaves the files out and says so.
 */
async function postTranscript(deps: TicketDeps, logChannelId: string, transcript: Transcript): Promise<TranscriptRef> {
  const files = transcript.files.map((file) => ({ name: file.name, size: file.data.length }));
  const base = { files, messages: transcript.messages, truncated: transcript.truncated };
  try {
    const message = await deps.api.channels.createMessage(logChannelId, {
      files: transcript.files.map((file) => ({ name: file.name, data: file.data, contentType: 'text/html' })),
      allowed_mentions: { parse: [] },
    });
    return { ...base, channelId: logChannelId, messageId: message.id };
  } catch (error) {
    const code = discordCode(error);
    if (code === RESTJSONErrorCodes.RequestEntityTooLarge) return { ...base, missing: 'too-large' };
    if (code === RESTJSONErrorCodes.MissingAccess || code === RESTJSONErrorCodes.MissingPermissions || code === RESTJSONErrorCodes.UnknownChannel)
      return { ...base, missing: 'refused' };
    throw error;
  }
}

/**
 * The transcript step of a close, exactly once: a transcript recorded in the job's
 * progress is reused; a close log already queued means an earlier job posted it; a
 * resumed job first looks for its own message in the log channel (an attempt may have
 * died between Discord saving the files and the record).
 */
async function transcriptStep(
  deps: TicketDeps,
  run: JobRun,
  ticket: TicketRecord & { channelId: string },
  logChannelId: string,
  heading: TranscriptHeading,
): Promise<{ ref: TranscriptRef | undefined; firstReply: string | null | undefined }> {
  const recorded = run.steps[TRANSCRIPT_STEP];
  if (recorded) return { ref: JSON.parse(recorded) as TranscriptRef, firstReply: undefined };
  if (await deps.logs.getJob(closeLogJobId(ticket))) return { ref: undefined, firstReply: undefined };
  const number = formatTicketNumber(ticket.number).replace('#', '');
  const earlier = run.resumed ? await findPostedTranscript(deps, logChannelId, number) : undefined;
  let ref = earlier;
  let reply: string | null | undefined;
  if (!ref) {
    const read = await ignoreGone(readTranscript(deps, ticket, heading));
    if (!read) return { ref: undefined, firstReply: undefined };
    reply = read.firstReply;
    ref = await postTranscript(deps, logChannelId, read.transcript);
  }
  await run.record(TRANSCRIPT_STEP, JSON.stringify(ref));
  return { ref, firstReply: reply };
}

const TRANSCRIPT_STEP = 'transcript';
const closeLogJobId = (ticket: TicketRecord) => `log-${closeLogKey(ticket)}`;
/** One close log per close: a reopened ticket's next close is a new one (its reopen time, kept on the record, tells them apart). */
const closeLogKey = (ticket: TicketRecord) => `${ticket.guildId}-${ticket.number}-closed${ticket.reopenedAt ? `-${Date.parse(ticket.reopenedAt)}` : ''}`;

/** Pages of the oldest messages read for the first reply when no transcript read them all. */
const FIRST_REPLY_PAGES = 5;

/** When the first reply came (see firstReply): as the transcript found it after reading every message, else from the channel's oldest pages. */
async function firstReplyAt(deps: TicketDeps, ticket: TicketRecord & { channelId: string }, known: string | null | undefined): Promise<string | null> {
  if (known !== undefined) return known;
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

/**
 * Offers the member a 1–5 rating by DM when the server asks for feedback. config-service
 * signs the offer and gives it once per ticket, so a retried close sends no second DM.
 * Best effort: a member who accepts no DMs (50007) is skipped quietly, and no failure
 * here fails the close.
 */
async function offerFeedback(deps: TicketDeps, ticket: TicketRecord, guild: GuildConfig | null, locale: SupportedLocale): Promise<void> {
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
    await deps.api.channels.createMessage(dm.id, feedbackMessage({ ticketNumber: ticket.number, typeLabel, guildName, offer: offer.offer, locale }));
  } catch (error) {
    if (discordCode(error) === RESTJSONErrorCodes.CannotSendMessagesToThisUser) log.info('the member accepts no DMs; no rating offered');
    else log.warn({ err: (error as Error).message }, 'rating not offered');
  }
}

/** What a close did with the channel, for the answer. */
export type CloseOutcome = { archived: false } | { archived: true; days: number; categoryFull: string | null };

/** The heading of a ticket's transcript, in the server's language. */
export function transcriptHeading(ticket: TicketRecord & { channelId: string }, locale: SupportedLocale, at: string): TranscriptHeading {
  return {
    title: t(locale, 'transcript.title', { ticket: formatTicketNumber(ticket.number), type: ticket.typeName }),
    guildId: ticket.guildId,
    channelId: ticket.channelId,
    closedAt: at,
    locale,
  };
}

/**
 * Close, in an order that loses nothing when a step fails: lock the channel (archive mode:
 * the member loses access) → save the transcript with the close log → mark closed → the
 * member's transcript by DM when the server asks → delete the channel, or archive it
 * (archive category, staff buttons, its deletion scheduled; a thread ticket: archive and
 * lock the thread) → the rating offer. Every step is idempotent, so a retried job repeats
 * none of its effects.
 */
export async function closeTicketSteps(
  deps: TicketDeps,
  ticket: TicketRecord & { channelId: string },
  closer: { userId: string | null; reason: string | undefined; kind: 'ticket.closed' | 'ticket.auto-closed'; guildLocale?: string | undefined },
  run: JobRun,
): Promise<CloseOutcome> {
  const guild = await deps.readConfig(ticket.guildId);
  const type = guild?.types.find((candidate) => candidate.name === ticket.typeName);
  // A retried close keeps the mode its first attempt chose (the record says it archived); thread tickets stay as threads.
  const archive = !ticket.thread && (ticket.status === 'closed' ? ticket.archivedAt !== null : type?.closeMode === 'archive');
  const locale = channelLocale(guild, closer.guildLocale);
  const closedAt = ticket.closedAt ?? deps.now().toISOString();
  if (ticket.thread) await ignoreGone(lockThread(deps, ticket.channelId, false));
  else if (ticket.creatorId) {
    const overwrite = archive ? archivedMemberOverwrite(ticket.creatorId) : lockedMemberOverwrite(ticket.creatorId);
    await ignoreGone(deps.api.channels.editPermissionOverwrite(ticket.channelId, ticket.creatorId, overwrite));
  }

  let transcript: TranscriptRef | undefined;
  let reply: string | null | undefined;
  // The transcript goes to the log channel as the bot's own message, before the channel is
  // deleted; the close log (queued for log-worker) carries only its file names and sizes.
  if (guild?.transcripts && guild.logChannelId && !guild.logChannelProblem) {
    const step = await transcriptStep(deps, run, ticket, guild.logChannelId, transcriptHeading(ticket, locale, closedAt));
    transcript = step.ref;
    reply = step.firstReply;
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
    closeLogKey(ticket),
  );
  let archivedAt = ticket.archivedAt;
  if (ticket.status !== 'closed') {
    // For /config stats: read before the channel goes.
    const replyAt = await firstReplyAt(deps, ticket, reply);
    archivedAt = archive ? closedAt : null;
    await updateTicket(deps, ticket, {
      status: 'closed',
      closedAt,
      ...(closer.userId ? { closedBy: closer.userId } : {}),
      closeReason: closer.reason ?? null,
      ...(replyAt ? { firstReplyAt: replyAt } : {}),
      ...(archivedAt ? { archivedAt } : {}),
    });
  }
  // The member's copy is read before the channel goes.
  if (guild?.transcriptDm) {
    const heading = transcriptHeading(ticket, locale, closedAt);
    await sendTranscriptByDm(deps, { ...ticket, closedAt }, guild, locale, async () => (await ignoreGone(readTranscript(deps, ticket, heading)))?.transcript);
  }
  let outcome: CloseOutcome = { archived: false };
  // A thread ticket stays, archived and locked: its members keep reading it, nobody writes.
  if (ticket.thread) await ignoreGone(lockThread(deps, ticket.channelId, true));
  else if (archive && archivedAt) outcome = await archiveChannel(deps, { ...ticket, archivedAt }, type, locale);
  else await ignoreGone(deps.api.channels.delete(ticket.channelId));
  await offerFeedback(deps, ticket, guild, locale);
  return outcome;
}

export async function closeTicket(deps: TicketDeps, job: TicketJob<'ticket.close'>, run: JobRun): Promise<void> {
  const { ctx } = job;
  const found = await authorize(deps, ctx, job.ticketNumber, 'close', { resuming: run.resumed });
  if (!found) return;
  const outcome = await closeTicketSteps(
    deps,
    found.ticket,
    { userId: ctx.member.userId, reason: job.reason, kind: 'ticket.closed', guildLocale: ctx.guildLocale },
    run,
  );
  await answerAfterClose(deps, ctx, found.ticket, outcome);
}

function closedAnswer(ticket: TicketRecord, outcome: CloseOutcome): Message {
  const number = formatTicketNumber(ticket.number);
  if (!outcome.archived) return msg('close.done', { ticket: number });
  return outcome.categoryFull
    ? msg('close.archived-full', { ticket: number, days: outcome.days, category: channelMention(outcome.categoryFull) })
    : msg('close.archived', { ticket: number, days: outcome.days });
}

async function answerAfterClose(deps: TicketDeps, ctx: InteractionContext, ticket: TicketRecord, outcome: CloseOutcome): Promise<void> {
  // The answer lived in the deleted channel when the member clicked there; Discord may refuse the edit.
  await succeed(deps, ctx, closedAnswer(ticket, outcome)).catch((error: unknown) => {
    if (discordCode(error) === undefined) throw error;
  });
}
