import { RateLimitError } from '@discordjs/rest';
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { TICKET_MEMBER_ALLOW, channelMention, customId, fail, normalizeChannelName, ok, userMention } from '@promton/shared/domain';
import { type InteractionContext, type TicketJob, type TicketRecord, type TicketType } from '@promton/shared/contracts';
import type { TicketDeps } from '../deps.js';
import { withClaimer } from '../domain/claim-view.js';
import { actorOf, formatTicketNumber, refusal, type TicketAction } from '../domain/ticket-rules.js';
import { answer, discordCode, explainDiscordError, findTicket, logEvent, updateTicket } from './common.js';

export interface OpenTicketContext {
  ticket: TicketRecord & { channelId: string };
  type: TicketType | undefined;
}

/**
 * Finds the ticket an action targets and checks the member may do it; answers the
 * member and returns null when not.
 */
export async function authorize(
  deps: TicketDeps,
  ctx: InteractionContext,
  ticketNumber: number | undefined,
  action: TicketAction,
  { resuming = false }: { resuming?: boolean } = {},
): Promise<OpenTicketContext | null> {
  const ticket = await findTicket(deps, ctx, ticketNumber);
  if (!ticket || !ticket.channelId) {
    await answer(
      deps,
      ctx,
      fail(ticketNumber === undefined ? 'This command works inside a ticket channel.' : `Ticket ${formatTicketNumber(ticketNumber)} does not exist.`),
    );
    return null;
  }
  // A retried close finds the ticket it closed itself in its earlier attempt: carry on.
  if (ticket.status !== 'open' && !(resuming && ticket.status === 'closed')) {
    await answer(deps, ctx, fail(`Ticket ${formatTicketNumber(ticket.number)} is already closed.`));
    return null;
  }
  const guild = await deps.readConfig(ctx.guildId);
  const type = guild?.types.find((t) => t.name === ticket.typeName);
  const refused = refusal(action, actorOf(ctx.member, ticket, type));
  if (refused) {
    await answer(deps, ctx, fail(refused));
    return null;
  }
  return { ticket: ticket as OpenTicketContext['ticket'], type };
}

export async function refreshWelcome(deps: TicketDeps, ticket: TicketRecord & { channelId: string }, claimedBy: string | null): Promise<void> {
  if (!ticket.welcomeMessageId) return;
  try {
    const message = await deps.api.channels.getMessage(ticket.channelId, ticket.welcomeMessageId);
    await deps.api.channels.editMessage(ticket.channelId, ticket.welcomeMessageId, withClaimer(message, ticket.number, claimedBy));
  } catch (error) {
    // The welcome message is a view of the record; a deleted one must not fail the claim.
    if (discordCode(error) === undefined) throw error;
    deps.logger.warn({ ticketId: ticket.id, code: discordCode(error) }, 'welcome message not updated');
  }
}

export async function claimTicket(deps: TicketDeps, job: TicketJob<'ticket.claim'>): Promise<void> {
  const found = await authorize(deps, job.ctx, job.ticketNumber, 'claim');
  if (!found) return;
  const { ticket } = found;
  const me = job.ctx.member.userId;
  if (ticket.claimedBy && ticket.claimedBy !== me) {
    await answer(deps, job.ctx, fail(`Ticket ${formatTicketNumber(ticket.number)} is already claimed by ${userMention(ticket.claimedBy)}.`));
    return;
  }
  if (ticket.claimedBy !== me) await updateTicket(deps, ticket, { claimedBy: me });
  await refreshWelcome(deps, ticket, me);
  await answer(deps, job.ctx, ok(`You claimed ticket ${formatTicketNumber(ticket.number)}.`));
  await logEvent(
    deps,
    { guildId: ticket.guildId, kind: 'ticket.claimed', ticketNumber: ticket.number, channelId: ticket.channelId, actorId: me },
    `${job.ctx.interactionId}`,
  );
}

export async function unclaimTicket(deps: TicketDeps, job: TicketJob<'ticket.unclaim'>): Promise<void> {
  const found = await authorize(deps, job.ctx, job.ticketNumber, 'unclaim');
  if (!found) return;
  const { ticket } = found;
  if (!ticket.claimedBy) {
    await answer(deps, job.ctx, fail(`Ticket ${formatTicketNumber(ticket.number)} is not claimed.`));
    return;
  }
  await updateTicket(deps, ticket, { claimedBy: null });
  await refreshWelcome(deps, ticket, null);
  await answer(deps, job.ctx, ok(`Ticket ${formatTicketNumber(ticket.number)} is no longer claimed.`));
  await logEvent(
    deps,
    { guildId: ticket.guildId, kind: 'ticket.unclaimed', ticketNumber: ticket.number, channelId: ticket.channelId, actorId: job.ctx.member.userId },
    `${job.ctx.interactionId}`,
  );
}

export async function addMember(deps: TicketDeps, job: TicketJob<'ticket.member-add'>): Promise<void> {
  const found = await authorize(deps, job.ctx, undefined, 'member-add');
  if (!found) return;
  const { ticket } = found;
  try {
    await deps.api.channels.editPermissionOverwrite(ticket.channelId, job.userId, { type: 1, allow: TICKET_MEMBER_ALLOW.toString(), deny: '0' });
  } catch (error) {
    if (discordCode(error) === undefined) throw error;
    await answer(deps, job.ctx, explainDiscordError(error, `add ${userMention(job.userId)}`));
    return;
  }
  await answer(deps, job.ctx, ok(`${userMention(job.userId)} can now see ticket ${formatTicketNumber(ticket.number)}.`));
  await logEvent(
    deps,
    {
      guildId: ticket.guildId,
      kind: 'ticket.member-added',
      ticketNumber: ticket.number,
      channelId: ticket.channelId,
      actorId: job.ctx.member.userId,
      subjectId: job.userId,
    },
    job.ctx.interactionId,
  );
}

export async function removeMember(deps: TicketDeps, job: TicketJob<'ticket.member-remove'>): Promise<void> {
  const found = await authorize(deps, job.ctx, undefined, 'member-remove');
  if (!found) return;
  const { ticket } = found;
  if (job.userId === ticket.creatorId) {
    await answer(deps, job.ctx, fail('The member who opened the ticket cannot be removed from it; close the ticket instead.'));
    return;
  }
  try {
    await deps.api.channels.deletePermissionOverwrite(ticket.channelId, job.userId);
  } catch (error) {
    if (discordCode(error) === undefined) throw error;
    await answer(deps, job.ctx, explainDiscordError(error, `remove ${userMention(job.userId)}`));
    return;
  }
  await answer(deps, job.ctx, ok(`${userMention(job.userId)} can no longer see ticket ${formatTicketNumber(ticket.number)}.`));
  await logEvent(
    deps,
    {
      guildId: ticket.guildId,
      kind: 'ticket.member-removed',
      ticketNumber: ticket.number,
      channelId: ticket.channelId,
      actorId: job.ctx.member.userId,
      subjectId: job.userId,
    },
    job.ctx.interactionId,
  );
}

export async function renameTicket(deps: TicketDeps, job: TicketJob<'ticket.rename'>): Promise<void> {
  const found = await authorize(deps, job.ctx, undefined, 'rename');
  if (!found) return;
  const { ticket } = found;
  const name = normalizeChannelName(job.name);
  if (!name) {
    await answer(deps, job.ctx, fail('name must contain at least one letter or digit (up to 100 characters).'));
    return;
  }
  try {
    await deps.api.channels.edit(ticket.channelId, { name });
  } catch (error) {
    if (error instanceof RateLimitError) {
      const minutes = Math.max(1, Math.ceil(error.retryAfter / 60_000));
      await answer(
        deps,
        job.ctx,
        fail(`Discord allows 2 renames of a channel per 10 minutes; try again in about ${minutes} minute${minutes === 1 ? '' : 's'}.`),
      );
      return;
    }
    if (discordCode(error) === undefined) throw error;
    await answer(deps, job.ctx, explainDiscordError(error, 'rename the channel'));
    return;
  }
  await answer(deps, job.ctx, ok(`Renamed to ${channelMention(ticket.channelId)}.`));
  await logEvent(
    deps,
    { guildId: ticket.guildId, kind: 'ticket.renamed', ticketNumber: ticket.number, channelId: ticket.channelId, actorId: job.ctx.member.userId, detail: name },
    job.ctx.interactionId,
  );
}

export async function requestClose(deps: TicketDeps, job: TicketJob<'ticket.close-request'>): Promise<void> {
  const found = await authorize(deps, job.ctx, job.ticketNumber, 'close-request');
  if (!found) return;
  const { ticket } = found;
  await deps.api.channels.createMessage(ticket.channelId, {
    content: `${ticket.creatorId ? userMention(ticket.creatorId) : 'The ticket owner'}, ${userMention(job.ctx.member.userId)} asks to close this ticket${job.reason ? `: ${job.reason}` : ''}. Close it if your question is answered.`,
    allowed_mentions: { users: ticket.creatorId ? [ticket.creatorId] : [] },
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Close ticket', custom_id: customId('close-request-accept', ticket.number) },
        ],
      },
    ],
  });
  await answer(deps, job.ctx, ok(`Asked the member to confirm closing ticket ${formatTicketNumber(ticket.number)}.`));
  await logEvent(
    deps,
    {
      guildId: ticket.guildId,
      kind: 'ticket.close-requested',
      ticketNumber: ticket.number,
      channelId: ticket.channelId,
      actorId: job.ctx.member.userId,
      ...(job.reason ? { reason: job.reason } : {}),
    },
    job.ctx.interactionId,
  );
}
