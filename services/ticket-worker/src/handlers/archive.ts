import { discordCode, channelMention, msg, ok, openMemberOverwrite, render, t, userMention, type Message } from '@promton/shared/domain';
import { archiveDeleteJobId, type InteractionContext, type ReopenReply, type TicketJob, type TicketRecord, type TicketType } from '@promton/shared/contracts';
import { addJob } from '@promton/shared/runtime';
import type { JobRun, TicketDeps } from '../deps.js';
import { archiveDeleteAt, isActiveArchiveMessage } from '../domain/archive-message.js';
import { actorOf, formatTicketNumber, refusal } from '../domain/ticket-rules.js';
import { archiveDaysOf } from './archive-steps.js';
import { scheduleAutoClose } from './auto-close.js';
import { readTranscript, transcriptHeading } from './close-ticket.js';
import {
  channelLocale,
  explainDiscordError,
  findTicket,
  ignoreGone,
  isCategoryFull,
  logEvent,
  logLocale,
  memberLocale,
  refuse,
  succeed,
  updateTicket,
} from './common.js';

type ArchivedTicket = TicketRecord & { channelId: string; archivedAt: string };

/**
 * The archived ticket a staff button is about, when the member is staff of its type; answers
 * and returns null otherwise. `resumedOpen` lets a retried reopen carry on after its record step.
 */
async function authorizeArchived(
  deps: TicketDeps,
  ctx: InteractionContext,
  ticketNumber: number | undefined,
  { resumedOpen = false }: { resumedOpen?: boolean } = {},
): Promise<{ ticket: ArchivedTicket; type: TicketType | undefined } | null> {
  const ticket = await findTicket(deps, ctx, ticketNumber);
  if (!ticket || !ticket.channelId) {
    await refuse(deps, ctx, ticketNumber === undefined ? msg('ticket.not-in-ticket') : msg('ticket.not-found', { ticket: formatTicketNumber(ticketNumber) }));
    return null;
  }
  const guild = await deps.readConfig(ctx.guildId);
  const type = guild?.types.find((candidate) => candidate.name === ticket.typeName);
  const refused = refusal('archive', actorOf(ctx.member, ticket, type));
  if (refused) {
    await refuse(deps, ctx, msg(refused));
    return null;
  }
  const archived = ticket.status === 'closed' && ticket.archivedAt !== null;
  if (!archived && !(resumedOpen && ticket.status === 'open')) {
    await refuse(deps, ctx, msg('archive.not-archived', { ticket: formatTicketNumber(ticket.number) }));
    return null;
  }
  return { ticket: { ...ticket, archivedAt: ticket.archivedAt ?? '' } as ArchivedTicket, type };
}

/** Takes the buttons off the archive message (a later archiving posts a new one). */
async function retireArchiveMessage(deps: TicketDeps, ticket: ArchivedTicket, content: string): Promise<void> {
  const recent = await ignoreGone(deps.api.channels.getMessages(ticket.channelId, { limit: 50 }));
  for (const message of recent ?? []) {
    if (isActiveArchiveMessage(message, deps.botUserId, ticket.number)) {
      await ignoreGone(deps.api.channels.editMessage(ticket.channelId, message.id, { content, components: [], allowed_mentions: { parse: [] } }));
    }
  }
}

/** The staff member's refusal when a reopen would take the member past their type's open-ticket limit (or the ticket is no longer archived). */
function reopenRefusal(ticket: ArchivedTicket, type: TicketType | undefined, reply: Exclude<ReopenReply, { ok: true }>): Message {
  const number = formatTicketNumber(ticket.number);
  if (reply.reason === 'not-archived') return msg('archive.not-archived', { ticket: number });
  return msg('reopen.limit', {
    ticket: number,
    member: ticket.creatorId ? userMention(ticket.creatorId) : msg('close.request-owner'),
    type: type?.label ?? ticket.typeName,
    limit: reply.limit,
  });
}

/**
 * Reopen: its member's open-ticket limit checked first, as an open checks it (nothing changed
 * when refused); back into the type's category (a full one refuses, with nothing changed);
 * the record open again, the limit checked again atomically (a ticket opened meanwhile moves
 * the channel back to the archive); the member's access; auto-close counting from now; the
 * archive message's buttons off, a notice that pings the member, the answer and the log. A
 * retried job repeats no effect: each step is idempotent or recorded in the job's progress.
 */
export async function reopenTicket(deps: TicketDeps, job: TicketJob<'ticket.reopen'>, run: JobRun): Promise<void> {
  const { ctx } = job;
  const found = await authorizeArchived(deps, ctx, job.ticketNumber, { resumedOpen: run.steps.reopened !== undefined });
  if (!found) return;
  const { ticket, type } = found;
  const number = formatTicketNumber(ticket.number);
  const reopenRecord = (check: boolean) => deps.config.request('ticket.reopen-record', { v: 1, guildId: ticket.guildId, ticketId: ticket.id, check });
  if (run.steps.reopened === undefined) {
    const allowed = await reopenRecord(true);
    if (!allowed.ok) {
      await refuse(deps, ctx, reopenRefusal(ticket, type, allowed));
      return;
    }
  }
  if (type) {
    const channel = (await ignoreGone(deps.api.channels.get(ticket.channelId))) as { parent_id?: string | null } | undefined;
    if (!channel) {
      await refuse(deps, ctx, msg('discord.unknown-channel', { failure: msg('failure.reopen') }));
      return;
    }
    if ((channel.parent_id ?? null) !== type.categoryId) {
      try {
        await deps.api.channels.edit(ticket.channelId, { parent_id: type.categoryId });
      } catch (error) {
        if (isCategoryFull(error) && type.categoryId) {
          await refuse(deps, ctx, msg('reopen.category-full', { ticket: number, category: channelMention(type.categoryId), type: type.label }));
          return;
        }
        if (discordCode(error) === undefined) throw error;
        await refuse(deps, ctx, explainDiscordError(error, msg('failure.reopen')));
        return;
      }
    }
  }
  if (run.steps.reopened === undefined) {
    const reopened = await reopenRecord(false);
    if (!reopened.ok) {
      // The member opened a ticket since the check: the channel goes back to the archive, still closed to them.
      if (type?.archiveCategoryId) await ignoreGone(deps.api.channels.edit(ticket.channelId, { parent_id: type.archiveCategoryId }));
      await refuse(deps, ctx, reopenRefusal(ticket, type, reopened));
      return;
    }
    await run.record('reopened', '1');
    // Quiet hours count from the reopen, not the open (the reconcile re-derives it from the record's reopenedAt).
    if (type?.autoCloseHours && reopened.ticket.reopenedAt) {
      const window = `reopen-${Date.parse(reopened.ticket.reopenedAt)}`;
      await scheduleAutoClose(deps, ticket.guildId, ticket.number, type.autoCloseHours * 3_600_000, window);
    }
  }
  if (ticket.creatorId) await deps.api.channels.editPermissionOverwrite(ticket.channelId, ticket.creatorId, openMemberOverwrite(ticket.creatorId));
  const locale = channelLocale(await deps.readConfig(ctx.guildId), ctx.guildLocale);
  const notice = t(locale, 'reopen.notice', {
    member: ticket.creatorId ? userMention(ticket.creatorId) : t(locale, 'close.request-owner'),
    ticket: number,
    staff: userMention(ctx.member.userId),
  });
  await retireArchiveMessage(deps, ticket, `🔓 ${notice}`);
  if (run.steps.notice === undefined) {
    await deps.api.channels.createMessage(ticket.channelId, { content: notice, allowed_mentions: { users: ticket.creatorId ? [ticket.creatorId] : [] } });
    await run.record('notice', '1');
  }
  await succeed(deps, ctx, msg('reopen.done', { ticket: number, channel: channelMention(ticket.channelId) }));
  await logEvent(
    deps,
    {
      guildId: ticket.guildId,
      kind: 'ticket.reopened',
      ticketNumber: ticket.number,
      channelId: ticket.channelId,
      typeName: ticket.typeName,
      actorId: ctx.member.userId,
      ...(ticket.creatorId ? { subjectId: ticket.creatorId } : {}),
      ...logLocale(ctx),
    },
    ctx.interactionId,
  );
}

/** Transcript: the archived channel's transcript, as a file on the staff member's own (ephemeral) answer. */
export async function sendTranscript(deps: TicketDeps, job: TicketJob<'ticket.transcript'>): Promise<void> {
  const { ctx } = job;
  const found = await authorizeArchived(deps, ctx, job.ticketNumber);
  if (!found) return;
  const { ticket } = found;
  const locale = channelLocale(await deps.readConfig(ctx.guildId), ctx.guildLocale);
  const read = await ignoreGone(readTranscript(deps, ticket, transcriptHeading(ticket, locale, ticket.closedAt ?? ticket.archivedAt)));
  if (!read) {
    await refuse(deps, ctx, msg('discord.unknown-channel', { failure: msg('failure.transcript') }));
    return;
  }
  const { files } = read.transcript;
  const content = ok(render(memberLocale(ctx), msg('transcript.done', { ticket: formatTicketNumber(ticket.number) })));
  await deps.interactions.webhooks.editMessage(ctx.applicationId, ctx.token, '@original', {
    content,
    allowed_mentions: { parse: [] },
    files: files.map((file) => ({ name: file.name, data: file.data, contentType: 'text/html' })),
    attachments: files.map((file, id) => ({ id, filename: file.name })),
  });
}

/** Delete: the archived channel goes now; the record keeps the closed ticket, no longer archived. */
export async function deleteArchived(deps: TicketDeps, job: TicketJob<'ticket.delete'>): Promise<void> {
  const { ctx } = job;
  const found = await authorizeArchived(deps, ctx, job.ticketNumber);
  if (!found) return;
  const { ticket } = found;
  await logEvent(
    deps,
    { guildId: ticket.guildId, kind: 'ticket.deleted', ticketNumber: ticket.number, typeName: ticket.typeName, actorId: ctx.member.userId, ...logLocale(ctx) },
    ctx.interactionId,
  );
  await ignoreGone(deps.api.channels.delete(ticket.channelId));
  await updateTicket(deps, ticket, { archivedAt: null });
  // The answer lived in the deleted channel; Discord may refuse the edit.
  await succeed(deps, ctx, msg('delete.done', { ticket: formatTicketNumber(ticket.number) })).catch((error: unknown) => {
    if (discordCode(error) === undefined) throw error;
  });
}

/**
 * The auto-delete sweep of one archived ticket (a delayed job, re-derived from the database
 * by config-service's reconciliation after Redis loses it): deletes the channel once the
 * type's days are over, or checks again when they will be (the days were raised, or the
 * ticket was reopened and archived again since).
 */
export async function archiveDeleteTicket(deps: TicketDeps, job: TicketJob<'ticket.archive-delete'>): Promise<void> {
  const ticket = await deps.config.request('ticket.get', { v: 1, guildId: job.guildId, number: job.ticketNumber });
  if (!ticket || ticket.status !== 'closed' || !ticket.archivedAt || !ticket.channelId) return;
  const guild = await deps.readConfig(job.guildId);
  const days = archiveDaysOf(guild?.types.find((candidate) => candidate.name === ticket.typeName));
  const due = archiveDeleteAt(ticket.archivedAt, days);
  const now = deps.now().getTime();
  if (now < due) {
    await addJob(
      deps.tickets,
      'ticket.archive-delete',
      { v: 1, guildId: job.guildId, ticketNumber: job.ticketNumber },
      { jobId: `${archiveDeleteJobId(job.guildId, job.ticketNumber, ticket.archivedAt)}-${due}`, delay: due - now },
    );
    return;
  }
  await logEvent(
    deps,
    { guildId: ticket.guildId, kind: 'ticket.archive-expired', ticketNumber: ticket.number, typeName: ticket.typeName },
    `${ticket.guildId}-${ticket.number}-expired-${Date.parse(ticket.archivedAt)}`,
  );
  await ignoreGone(deps.api.channels.delete(ticket.channelId));
  await updateTicket(deps, ticket, { archivedAt: null });
}
