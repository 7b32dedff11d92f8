import { RateLimitError } from '@discordjs/rest';
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { discordCode, OverwriteType, TICKET_MEMBER_ALLOW, channelMention, customId, msg, normalizeChannelName, t, userMention } from '@promton/shared/domain';
import { type InteractionContext, type TicketJob, type TicketRecord, type TicketType } from '@promton/shared/contracts';
import type { TicketDeps } from '../deps.js';
import { withClaimer } from '../domain/claim-view.js';
import { actorOf, formatTicketNumber, refusal, type TicketAction } from '../domain/ticket-rules.js';
import { channelLocale, explainDiscordError, findTicket, logEvent, logLocale, refuse, succeed, updateTicket } from './common.js';

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
    await refuse(deps, ctx, ticketNumber === undefined ? msg('ticket.not-in-ticket') : msg('ticket.not-found', { ticket: formatTicketNumber(ticketNumber) }));
    return null;
  }
  // A retried close finds the ticket it closed itself in its earlier attempt: carry on.
  if (ticket.status !== 'open' && !(resuming && ticket.status === 'closed')) {
    await refuse(deps, ctx, msg('ticket.already-closed', { ticket: formatTicketNumber(ticket.number) }));
    return null;
  }
  const guild = await deps.readConfig(ctx.guildId);
  const type = guild?.types.find((t) => t.name === ticket.typeName);
  const refused = refusal(action, actorOf(ctx.member, ticket, type));
  if (refused) {
    await refuse(deps, ctx, msg(refused));
    return null;
  }
  return { ticket: ticket as OpenTicketContext['ticket'], type };
}

export async function refreshWelcome(
  deps: TicketDeps,
  ctx: Pick<InteractionContext, 'guildId' | 'guildLocale'>,
  ticket: TicketRecord & { channelId: string },
  claimedBy: string | null,
): Promise<void> {
  if (!ticket.welcomeMessageId) return;
  try {
    const locale = channelLocale(await deps.readConfig(ctx.guildId), ctx.guildLocale);
    const message = await deps.api.channels.getMessage(ticket.channelId, ticket.welcomeMessageId);
    await deps.api.channels.editMessage(ticket.channelId, ticket.welcomeMessageId, withClaimer(message, ticket.number, claimedBy, locale));
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
    await refuse(deps, job.ctx, msg('ticket.claim-taken', { ticket: formatTicketNumber(ticket.number), user: userMention(ticket.claimedBy) }));
    return;
  }
  if (ticket.claimedBy !== me) await updateTicket(deps, ticket, { claimedBy: me });
  await refreshWelcome(deps, job.ctx, ticket, me);
  await succeed(deps, job.ctx, msg('ticket.claimed', { ticket: formatTicketNumber(ticket.number) }));
  await logEvent(
    deps,
    { guildId: ticket.guildId, kind: 'ticket.claimed', ticketNumber: ticket.number, channelId: ticket.channelId, actorId: me, ...logLocale(job.ctx) },
    `${job.ctx.interactionId}`,
  );
}

export async function unclaimTicket(deps: TicketDeps, job: TicketJob<'ticket.unclaim'>): Promise<void> {
  const found = await authorize(deps, job.ctx, job.ticketNumber, 'unclaim');
  if (!found) return;
  const { ticket } = found;
  if (!ticket.claimedBy) {
    await refuse(deps, job.ctx, msg('ticket.not-claimed', { ticket: formatTicketNumber(ticket.number) }));
    return;
  }
  await updateTicket(deps, ticket, { claimedBy: null });
  await refreshWelcome(deps, job.ctx, ticket, null);
  await succeed(deps, job.ctx, msg('ticket.unclaimed', { ticket: formatTicketNumber(ticket.number) }));
  await logEvent(
    deps,
    {
      guildId: ticket.guildId,
      kind: 'ticket.unclaimed',
      ticketNumber: ticket.number,
      channelId: ticket.channelId,
      actorId: job.ctx.member.userId,
      ...logLocale(job.ctx),
    },
    `${job.ctx.interactionId}`,
  );
}

/** What differs between adding a member to a ticket and removing one. */
const MEMBERSHIP = {
  add: {
    action: 'member-add',
    change: (deps: TicketDeps, ticket: OpenTicketContext['ticket'], userId: string) =>
      ticket.thread
        ? deps.api.threads.addMember(ticket.channelId, userId)
        : deps.api.channels.editPermissionOverwrite(ticket.channelId, userId, { type: OverwriteType.Member, allow: TICKET_MEMBER_ALLOW.toString(), deny: '0' }),
    refusesCreator: false,
    failure: 'failure.add-member',
    done: 'ticket.member-added',
    kind: 'ticket.member-added',
  },
  remove: {
    action: 'member-remove',
    change: (deps: TicketDeps, ticket: OpenTicketContext['ticket'], userId: string) =>
      ticket.thread ? deps.api.threads.removeMember(ticket.channelId, userId) : deps.api.channels.deletePermissionOverwrite(ticket.channelId, userId),
    // The member who opened the ticket leaves it by its close, not by a removal.
    refusesCreator: true,
    failure: 'failure.remove-member',
    done: 'ticket.member-removed',
    kind: 'ticket.member-removed',
  },
} as const;

async function changeMembership(
  deps: TicketDeps,
  job: TicketJob<'ticket.member-add' | 'ticket.member-remove'>,
  direction: keyof typeof MEMBERSHIP,
): Promise<void> {
  const way = MEMBERSHIP[direction];
  const found = await authorize(deps, job.ctx, undefined, way.action);
  if (!found) return;
  const { ticket } = found;
  if (way.refusesCreator && job.userId === ticket.creatorId) {
    await refuse(deps, job.ctx, msg('ticket.remove-creator'));
    return;
  }
  try {
    await way.change(deps, ticket, job.userId);
  } catch (error) {
    if (discordCode(error) === undefined) throw error;
    await refuse(deps, job.ctx, explainDiscordError(error, msg(way.failure, { user: userMention(job.userId) })));
    return;
  }
  await succeed(deps, job.ctx, msg(way.done, { user: userMention(job.userId), ticket: formatTicketNumber(ticket.number) }));
  await logEvent(
    deps,
    {
      guildId: ticket.guildId,
      kind: way.kind,
      ticketNumber: ticket.number,
      channelId: ticket.channelId,
      actorId: job.ctx.member.userId,
      subjectId: job.userId,
      ...logLocale(job.ctx),
    },
    job.ctx.interactionId,
  );
}

export const addMember = (deps: TicketDeps, job: TicketJob<'ticket.member-add'>): Promise<void> => changeMembership(deps, job, 'add');

export const removeMember = (deps: TicketDeps, job: TicketJob<'ticket.member-remove'>): Promise<void> => changeMembership(deps, job, 'remove');

export async function renameTicket(deps: TicketDeps, job: TicketJob<'ticket.rename'>): Promise<void> {
  const found = await authorize(deps, job.ctx, undefined, 'rename');
  if (!found) return;
  const { ticket } = found;
  const name = normalizeChannelName(job.name);
  if (!name) {
    await refuse(deps, job.ctx, msg('ticket.rename-invalid'));
    return;
  }
  try {
    await deps.api.channels.edit(ticket.channelId, { name });
  } catch (error) {
    if (error instanceof RateLimitError) {
      const minutes = Math.max(1, Math.ceil(error.retryAfter / 60_000));
      await refuse(deps, job.ctx, msg('ticket.rename-limited', { minutes }));
      return;
    }
    if (discordCode(error) === undefined) throw error;
    await refuse(deps, job.ctx, explainDiscordError(error, msg('failure.rename')));
    return;
  }
  await succeed(deps, job.ctx, msg('ticket.renamed', { channel: channelMention(ticket.channelId) }));
  await logEvent(
    deps,
    {
      guildId: ticket.guildId,
      kind: 'ticket.renamed',
      ticketNumber: ticket.number,
      channelId: ticket.channelId,
      actorId: job.ctx.member.userId,
      detail: name,
      ...logLocale(job.ctx),
    },
    job.ctx.interactionId,
  );
}

export async function requestClose(deps: TicketDeps, job: TicketJob<'ticket.close-request'>): Promise<void> {
  const found = await authorize(deps, job.ctx, job.ticketNumber, 'close-request');
  if (!found) return;
  const { ticket } = found;
  // The whole channel reads it: the server's language.
  const locale = channelLocale(await deps.readConfig(job.ctx.guildId), job.ctx.guildLocale);
  const asked = { member: ticket.creatorId ? userMention(ticket.creatorId) : t(locale, 'close.request-owner'), staff: userMention(job.ctx.member.userId) };
  await deps.api.channels.createMessage(ticket.channelId, {
    content: job.reason ? t(locale, 'close.request-reason', { ...asked, reason: job.reason }) : t(locale, 'close.request', asked),
    allowed_mentions: { users: ticket.creatorId ? [ticket.creatorId] : [] },
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Danger,
            label: t(locale, 'close.request-button'),
            custom_id: customId('close-request-accept', ticket.number),
          },
        ],
      },
    ],
  });
  await succeed(deps, job.ctx, msg('ticket.close-requested', { ticket: formatTicketNumber(ticket.number) }));
  await logEvent(
    deps,
    {
      guildId: ticket.guildId,
      kind: 'ticket.close-requested',
      ticketNumber: ticket.number,
      channelId: ticket.channelId,
      actorId: job.ctx.member.userId,
      ...(job.reason ? { reason: job.reason } : {}),
      ...logLocale(job.ctx),
    },
    job.ctx.interactionId,
  );
}
