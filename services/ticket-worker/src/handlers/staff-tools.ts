import { RateLimitError } from '@discordjs/rest';
import { discordCode, msg, priorityBadge, t, userMention, type Message, type PermissionOverwrite, type SupportedLocale } from '@promton/shared/domain';
import { type InteractionContext, type TicketJob, type TicketType } from '@promton/shared/contracts';
import type { JobRun, TicketDeps } from '../deps.js';
import { movedOverwrites } from '../domain/move-overwrites.js';
import { actorOf, formatTicketNumber, refusal } from '../domain/ticket-rules.js';
import { defaultTopic, renderTopic, topicText } from '../domain/ticket-topic.js';
import { scheduleAutoClose } from './auto-close.js';
import { channelLocale, explainDiscordError, isCategoryFull, logEvent, logLocale, memberLocale, refuse, succeed, updateTicket } from './common.js';
import { authorize, refreshWelcome, type OpenTicketContext } from './ticket-actions.js';

/** The language of what the whole channel sees (topic, notices): the server's. */
async function topicLocale(deps: TicketDeps, ctx: InteractionContext): Promise<SupportedLocale> {
  return channelLocale(await deps.readConfig(ctx.guildId), ctx.guildLocale);
}

/**
 * Edits the ticket channel; answers the member and returns false when Discord refuses (the
 * rename/topic sublimit as a wait in minutes, anything else explained).
 */
async function editChannel(deps: TicketDeps, ctx: InteractionContext, channelId: string, body: Record<string, unknown>, doing: Message): Promise<boolean> {
  try {
    await deps.api.channels.edit(channelId, body);
    return true;
  } catch (error) {
    if (error instanceof RateLimitError) {
      const minutes = Math.max(1, Math.ceil(error.retryAfter / 60_000));
      await refuse(deps, ctx, msg('ticket.edit-limited', { minutes }));
      return false;
    }
    if (discordCode(error) === undefined) throw error;
    await refuse(deps, ctx, explainDiscordError(error, doing));
    return false;
  }
}

/** `/tag name`: staff post a canned reply in the ticket. */
export async function postTag(deps: TicketDeps, job: TicketJob<'ticket.tag'>): Promise<void> {
  const found = await authorize(deps, job.ctx, undefined, 'tag');
  if (!found) return;
  const guild = await deps.readConfig(job.ctx.guildId);
  const name = job.name.trim();
  const tag = guild?.tags.find((t) => t.name === name);
  if (!tag) {
    await refuse(deps, job.ctx, msg('tag.missing', { tag: name || '""' }));
    return;
  }
  try {
    // Posted as the bot, so nobody is pinged by what the tag says.
    await deps.api.channels.createMessage(found.ticket.channelId, { content: tag.content, allowed_mentions: { parse: [] } });
  } catch (error) {
    if (discordCode(error) === undefined) throw error;
    await refuse(deps, job.ctx, explainDiscordError(error, msg('failure.post-tag', { tag: tag.name })));
    return;
  }
  await succeed(deps, job.ctx, msg('tag.posted', { tag: tag.name, ticket: formatTicketNumber(found.ticket.number) }));
}

/** `/ticket topic text`: the staff's text after the priority mark. */
export async function setTopic(deps: TicketDeps, job: TicketJob<'ticket.topic'>): Promise<void> {
  const found = await authorize(deps, job.ctx, undefined, 'topic');
  if (!found) return;
  const { ticket } = found;
  if (ticket.thread) {
    await refuse(deps, job.ctx, msg('topic.thread', { ticket: formatTicketNumber(ticket.number) }));
    return;
  }
  const text = job.text.trim();
  if (!text) {
    await refuse(deps, job.ctx, msg('topic.empty'));
    return;
  }
  if (text.length > 1000) {
    await refuse(deps, job.ctx, msg('topic.long'));
    return;
  }
  const locale = await topicLocale(deps, job.ctx);
  if (!(await editChannel(deps, job.ctx, ticket.channelId, { topic: renderTopic(ticket.priority, text, locale) }, msg('failure.topic')))) return;
  await succeed(deps, job.ctx, msg('topic.set', { ticket: formatTicketNumber(ticket.number) }));
  await logEvent(
    deps,
    {
      guildId: ticket.guildId,
      kind: 'ticket.topic-changed',
      ticketNumber: ticket.number,
      channelId: ticket.channelId,
      actorId: job.ctx.member.userId,
      detail: text.slice(0, 1024),
      ...logLocale(job.ctx),
    },
    job.ctx.interactionId,
  );
}

/** `/ticket priority level`: recorded for /ticket list and shown before the topic's text. */
export async function setPriority(deps: TicketDeps, job: TicketJob<'ticket.priority'>): Promise<void> {
  const found = await authorize(deps, job.ctx, undefined, 'priority');
  if (!found) return;
  const { ticket, type } = found;
  if (ticket.priority === job.priority) {
    await succeed(deps, job.ctx, msg('priority.already', { ticket: formatTicketNumber(ticket.number), priority: msg(`priority.${job.priority}`) }));
    return;
  }
  // A thread has no topic: a thread ticket's priority is recorded (and listed) only.
  if (!ticket.thread) {
    let topic: string | null | undefined;
    try {
      topic = ((await deps.api.channels.get(ticket.channelId)) as { topic?: string | null }).topic;
    } catch (error) {
      if (discordCode(error) === undefined) throw error;
      await refuse(deps, job.ctx, explainDiscordError(error, msg('failure.read-channel')));
      return;
    }
    const text = topicText(topic) || defaultTopic(ticket.number, type?.label ?? ticket.typeName);
    const locale = await topicLocale(deps, job.ctx);
    if (!(await editChannel(deps, job.ctx, ticket.channelId, { topic: renderTopic(job.priority, text, locale) }, msg('failure.priority')))) return;
  }
  await updateTicket(deps, ticket, { priority: job.priority });
  const badge = priorityBadge(job.priority, memberLocale(job.ctx));
  const now = { ticket: formatTicketNumber(ticket.number), priority: msg(`priority.${job.priority}`) };
  await succeed(deps, job.ctx, badge ? msg('priority.set-badge', { ...now, badge }) : msg('priority.set', now));
  await logEvent(
    deps,
    {
      guildId: ticket.guildId,
      kind: 'ticket.priority-changed',
      ticketNumber: ticket.number,
      channelId: ticket.channelId,
      actorId: job.ctx.member.userId,
      detail: `${ticket.priority} → ${job.priority}`,
      ...logLocale(job.ctx),
    },
    job.ctx.interactionId,
  );
}

/** `/ticket transfer member`: the claim goes to another staff member of the ticket's type. */
export async function transferClaim(deps: TicketDeps, job: TicketJob<'ticket.transfer'>): Promise<void> {
  const found = await authorize(deps, job.ctx, undefined, 'claim');
  if (!found) return;
  const { ticket, type } = found;
  const me = job.ctx.member.userId;
  if (ticket.claimedBy) {
    const refused = refusal('transfer', actorOf(job.ctx.member, ticket, type));
    if (refused) {
      await refuse(deps, job.ctx, msg(refused));
      return;
    }
  }
  const target = job.userId;
  if (!job.member) {
    await refuse(deps, job.ctx, msg('transfer.not-member', { user: userMention(target) }));
    return;
  }
  if (job.member.bot) {
    await refuse(deps, job.ctx, msg('transfer.bot', { user: userMention(target) }));
    return;
  }
  if (ticket.claimedBy === target) {
    await refuse(deps, job.ctx, msg('transfer.already', { user: userMention(target), ticket: formatTicketNumber(ticket.number) }));
    return;
  }
  if (!actorOf({ userId: target, roles: job.member.roles, permissions: job.member.permissions }, ticket, type).isStaff) {
    await refuse(deps, job.ctx, msg('transfer.not-staff', { user: userMention(target), type: type?.label ?? ticket.typeName }));
    return;
  }
  await updateTicket(deps, ticket, { claimedBy: target });
  await refreshWelcome(deps, job.ctx, ticket, target);
  try {
    const locale = await topicLocale(deps, job.ctx);
    await deps.api.channels.createMessage(ticket.channelId, {
      content: t(locale, 'transfer.notice', { user: userMention(target), by: userMention(me), ticket: formatTicketNumber(ticket.number) }),
      allowed_mentions: { users: [target] },
    });
  } catch (error) {
    // The claim is recorded and shown on the welcome message; the ping is a courtesy.
    if (discordCode(error) === undefined) throw error;
    deps.logger.warn({ ticketId: ticket.id, code: discordCode(error) }, 'transfer notice not posted');
  }
  await succeed(deps, job.ctx, msg('transfer.done', { user: userMention(target), ticket: formatTicketNumber(ticket.number) }));
  await logEvent(
    deps,
    {
      guildId: ticket.guildId,
      kind: 'ticket.transferred',
      ticketNumber: ticket.number,
      channelId: ticket.channelId,
      actorId: me,
      subjectId: target,
      ...logLocale(job.ctx),
    },
    job.ctx.interactionId,
  );
}

/** What a move reads of the channel. */
interface GuildChannel {
  permission_overwrites?: PermissionOverwrite[];
  topic?: string | null;
}

/** The channel edit of a move: the new type's category and staff, and its label in a topic that still shows the default. */
function moveBody(
  channel: GuildChannel,
  ticket: OpenTicketContext['ticket'],
  from: TicketType | undefined,
  to: TicketType,
  guildId: string,
  locale: SupportedLocale,
) {
  const overwrites = movedOverwrites({
    guildId,
    current: channel.permission_overwrites ?? [],
    fromStaff: from?.staffRoleIds ?? [],
    toStaff: to.staffRoleIds,
  });
  const text = topicText(channel.topic);
  const topic =
    text === defaultTopic(ticket.number, from?.label ?? ticket.typeName)
      ? { topic: renderTopic(ticket.priority, defaultTopic(ticket.number, to.label), locale) }
      : {};
  return { parent_id: to.categoryId, permission_overwrites: overwrites, ...topic };
}

/**
 * `/ticket move type`: the record first (config-service checks the creator's limit of the
 * new type atomically and releases the claim), then the channel (category, staff roles);
 * when Discord refuses the channel edit for good, the record is moved back.
 */
export async function moveTicket(deps: TicketDeps, job: TicketJob<'ticket.move'>, run: JobRun): Promise<void> {
  const found = await authorize(deps, job.ctx, undefined, 'move');
  if (!found) return;
  const guild = await deps.readConfig(job.ctx.guildId);
  // A retried move finds the record already moved by its earlier attempt: it carries on from the type it left.
  const name = job.typeName.trim();
  const movedFrom = run.steps.movedFrom !== undefined && found.ticket.typeName === name ? run.steps.movedFrom : undefined;
  // (The released claimer is not kept in the job's progress: Redis holds no member id it does not need.)
  const ticket = movedFrom ? { ...found.ticket, typeName: movedFrom } : found.ticket;
  const from = movedFrom ? guild?.types.find((t) => t.name === movedFrom) : found.type;
  const to = guild?.types.find((t) => t.name === name);
  if (!to) {
    await refuse(deps, job.ctx, msg('type.unknown', { type: name || '""' }));
    return;
  }
  if (to.name === ticket.typeName) {
    await refuse(deps, job.ctx, msg('move.same', { ticket: formatTicketNumber(ticket.number), type: to.label }));
    return;
  }
  // A thread cannot leave its channel, and a channel cannot become a thread.
  if (ticket.thread || to.threadChannelId) {
    await refuse(deps, job.ctx, msg('move.thread', { ticket: formatTicketNumber(ticket.number), type: to.label }));
    return;
  }
  let channel: GuildChannel;
  try {
    channel = (await deps.api.channels.get(ticket.channelId)) as GuildChannel;
  } catch (error) {
    if (discordCode(error) === undefined) throw error;
    await refuse(deps, job.ctx, explainDiscordError(error, msg('failure.move')));
    return;
  }
  if (!movedFrom) await run.record('movedFrom', ticket.typeName);
  const reply = movedFrom
    ? ({ ok: true } as const)
    : await deps.config.request('ticket.change-type', { v: 1, guildId: ticket.guildId, ticketId: ticket.id, typeName: to.name, force: false });
  if (!reply.ok) {
    const why =
      reply.reason === 'limit'
        ? msg('move.why-limit', { open: reply.open.length, type: to.label, limit: reply.limit })
        : reply.reason === 'unknown-type'
          ? msg('move.why-gone', { type: to.name })
          : msg('move.why-closed');
    await refuse(deps, job.ctx, msg('move.refused', { ticket: formatTicketNumber(ticket.number), type: to.label, why }));
    return;
  }
  const body = moveBody(channel, ticket, from, to, ticket.guildId, channelLocale(guild, job.ctx.guildLocale));
  try {
    await deps.api.channels.edit(ticket.channelId, body);
  } catch (error) {
    if (discordCode(error) === undefined && !(error instanceof RateLimitError)) throw error;
    // Discord refused the whole edit (one PATCH): the channel is as it was; move the record back too.
    await deps.config.request('ticket.change-type', { v: 1, guildId: ticket.guildId, ticketId: ticket.id, typeName: ticket.typeName, force: true });
    if (ticket.claimedBy) await updateTicket(deps, ticket, { claimedBy: ticket.claimedBy });
    // A full category (Discord's 50 channels): said with the limit, not as a generic refusal.
    const refusal =
      isCategoryFull(error) && to.categoryId
        ? msg('move.category-full', { ticket: formatTicketNumber(ticket.number), type: to.label, category: `<#${to.categoryId}>` })
        : explainDiscordError(error, msg('failure.move'));
    await refuse(deps, job.ctx, refusal);
    return;
  }
  if (ticket.claimedBy) await refreshWelcome(deps, job.ctx, ticket, null);
  if (to.autoCloseHours) await scheduleAutoClose(deps, ticket.guildId, ticket.number, to.autoCloseHours * 3_600_000, `moved-${job.ctx.interactionId}`);
  const moved = { ticket: formatTicketNumber(ticket.number), type: to.label };
  await succeed(deps, job.ctx, ticket.claimedBy ? msg('move.done-released', { ...moved, user: userMention(ticket.claimedBy) }) : msg('move.done', moved));
  await logEvent(
    deps,
    {
      guildId: ticket.guildId,
      kind: 'ticket.moved',
      ticketNumber: ticket.number,
      channelId: ticket.channelId,
      actorId: job.ctx.member.userId,
      typeName: to.name,
      detail: `${ticket.typeName} → ${to.name}`,
      ...logLocale(job.ctx),
    },
    job.ctx.interactionId,
  );
}
