import type { APIMessage } from 'discord-api-types/v10';
import { lockedMemberOverwrite, ok } from '@promton/shared/domain';
import { type InteractionContext, type TicketJob, type TicketRecord } from '@promton/shared/contracts';
import type { JobRun, TicketDeps } from '../deps.js';
import { formatTicketNumber } from '../domain/ticket-rules.js';
import { renderTranscript } from '../domain/transcript.js';
import { DiscordCodes, answer, discordCode, logEvent, updateTicket } from './common.js';
import { authorize } from './ticket-actions.js';

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

/**
 * Close, in an order that loses nothing when a step fails: lock the channel → save the
 * transcript with the close log → mark closed → delete the channel. Every step is
 * idempotent, so a retried job repeats none of its effects.
 */
export async function closeTicketSteps(
  deps: TicketDeps,
  ticket: TicketRecord & { channelId: string },
  closer: { userId: string | null; reason: string | undefined; kind: 'ticket.closed' | 'ticket.auto-closed' },
): Promise<void> {
  const guild = await deps.readConfig(ticket.guildId);
  const closedAt = ticket.closedAt ?? deps.now().toISOString();
  if (ticket.creatorId)
    await ignoreGone(deps.api.channels.editPermissionOverwrite(ticket.channelId, ticket.creatorId, lockedMemberOverwrite(ticket.creatorId)));

  let transcript: { filename: string; html: string } | undefined;
  if (guild?.transcripts) {
    const messages = await ignoreGone(fetchAllMessages(deps, ticket.channelId));
    if (messages) {
      transcript = {
        filename: `transcript-${String(ticket.number).padStart(4, '0')}.html`,
        html: renderTranscript({
          title: `Ticket ${formatTicketNumber(ticket.number)} · ${ticket.typeName}`,
          guildId: ticket.guildId,
          channelId: ticket.channelId,
          closedAt,
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
    },
    `${ticket.guildId}-${ticket.number}-closed`,
  );
  if (ticket.status !== 'closed') {
    await updateTicket(deps, ticket, { status: 'closed', closedAt, ...(closer.userId ? { closedBy: closer.userId } : {}), closeReason: closer.reason ?? null });
  }
  await ignoreGone(deps.api.channels.delete(ticket.channelId));
}

export async function closeTicket(deps: TicketDeps, job: TicketJob<'ticket.close'>, run: JobRun): Promise<void> {
  const { ctx } = job;
  const found = await authorize(deps, ctx, job.ticketNumber, 'close', { resuming: run.resumed });
  if (!found) return;
  await closeTicketSteps(deps, found.ticket, { userId: ctx.member.userId, reason: job.reason, kind: 'ticket.closed' });
  await answerAfterClose(deps, ctx, found.ticket);
}

async function answerAfterClose(deps: TicketDeps, ctx: InteractionContext, ticket: TicketRecord): Promise<void> {
  // The answer lived in the deleted channel when the member clicked there; Discord may refuse the edit.
  await answer(deps, ctx, ok(`Ticket ${formatTicketNumber(ticket.number)} is closed.`)).catch((error: unknown) => {
    if (discordCode(error) === undefined) throw error;
  });
}
