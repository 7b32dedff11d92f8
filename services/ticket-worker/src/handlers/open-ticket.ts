import { ChannelType, type APIChannel, type APIMessage } from 'discord-api-types/v10';
import {
  afterHoursNotice,
  channelMention,
  discordCode,
  customId,
  msg,
  ok,
  render,
  ticketChannelName,
  ticketOverwrites,
  type SupportedLocale,
} from '@promton/shared/domain';
import { isBlocked, type ConfigJob, type TicketJob, type TicketRecord, type TicketType } from '@promton/shared/contracts';
import { addJob } from '@promton/shared/runtime';
import type { JobRun, TicketDeps } from '../deps.js';
import { formatTicketNumber } from '../domain/ticket-rules.js';
import { defaultTopic } from '../domain/ticket-topic.js';
import { welcomeMessage } from '../domain/welcome-message.js';
import { scheduleAutoClose } from './auto-close.js';
import { bringIntoThread, createTicketThread, threadTypeOf } from './thread-ticket.js';
import { answer, channelLocale, explainDiscordError, ignoreGone, isCategoryFull, logEvent, logLocale, memberLocale, refuse } from './common.js';

async function createChannel(deps: TicketDeps, ticket: TicketRecord, type: TicketType, run: JobRun): Promise<string> {
  const name = ticketChannelName(ticket.number);
  if (run.resumed) {
    // An earlier attempt may have created it and died before recording it.
    const existing = (await deps.api.guilds.getChannels(ticket.guildId)).find((channel) => channel.name === name && channel.type === ChannelType.GuildText);
    if (existing) return existing.id;
  }
  const body = {
    name,
    type: ChannelType.GuildText as const,
    permission_overwrites: ticketOverwrites({
      guildId: ticket.guildId,
      botUserId: deps.botUserId,
      memberIds: ticket.creatorId ? [ticket.creatorId] : [],
      staffRoleIds: type.staffRoleIds,
    }),
    topic: defaultTopic(ticket.number, type.label),
  };
  let channel: APIChannel;
  try {
    channel = await deps.api.guilds.createChannel(ticket.guildId, { ...body, ...(type.categoryId ? { parent_id: type.categoryId } : {}) });
  } catch (error) {
    // A full category (50 channels) overflows to the top level rather than failing the open.
    if (!isCategoryFull(error)) throw error;
    deps.logger.warn({ guildId: ticket.guildId, categoryId: type.categoryId }, 'category full; opening the ticket outside it');
    channel = await deps.api.guilds.createChannel(ticket.guildId, body);
  }
  return channel.id;
}

async function postWelcome(
  deps: TicketDeps,
  ticket: TicketRecord,
  channelId: string,
  type: TicketType,
  job: TicketJob<'ticket.open'>,
  embed: Parameters<typeof welcomeMessage>[0]['embed'],
  locale: SupportedLocale,
  run: JobRun,
): Promise<string> {
  if (run.resumed) {
    const recent: APIMessage[] = await deps.api.channels.getMessages(channelId, { limit: 20 });
    const closeId = customId('close', ticket.number);
    const mine = recent.find((message) => message.author.id === deps.botUserId && JSON.stringify(message.components ?? []).includes(closeId));
    if (mine) return mine.id;
  }
  const message = await deps.api.channels.createMessage(
    channelId,
    welcomeMessage({
      ticketNumber: ticket.number,
      creatorId: ticket.creatorId ?? job.ctx.member.userId,
      type,
      answers: job.answers,
      claimedBy: null,
      embed,
      now: deps.now(),
      notice: noticeOf(job, locale),
      locale,
    }),
  );
  return message.id;
}

/** The gateway found the type outside its support hours (mode notice): the line the answer and the welcome carry. */
function noticeOf(job: TicketJob<'ticket.open'>, locale: SupportedLocale): string | undefined {
  if (!job.afterHours) return undefined;
  return `⏰ ${render(locale, afterHoursNotice(job.afterHours.opensAt ? new Date(job.afterHours.opensAt) : null))}`;
}

/** The steps an open records in its own job (JobRun), so a retried attempt knows what Discord holds. */
const STEP = { channel: 'channel', welcome: 'welcome' } as const;

/**
 * The open saga: reserve (number + per-user limit, atomically in config-service; the one
 * request an open makes) → create channel → post welcome → one `ticket.open-result` event
 * with both ids and the status → answer → log. The channel and the welcome are recorded in
 * this job's progress as each is made, so a retry resumes where the last attempt stopped;
 * an attempt that died before recording one finds it in Discord (by name, by custom id).
 */
export async function openTicket(deps: TicketDeps, job: TicketJob<'ticket.open'>, run: JobRun): Promise<void> {
  const { ctx } = job;
  const guild = await deps.readConfig(ctx.guildId);
  const type = guild?.types.find((t) => t.name === job.typeName);
  if (!guild || !type) {
    await refuse(deps, ctx, msg('common.type-gone', { type: job.typeName }));
    return;
  }
  // The gateway refused already when its projection said so; this covers a block added since.
  if (isBlocked(guild.blocklist, ctx.member)) {
    await refuse(deps, ctx, msg('open.blocked'));
    return;
  }

  const reply = await deps.config.request('ticket.reserve', {
    v: 1,
    guildId: ctx.guildId,
    typeName: type.name,
    creatorId: ctx.member.userId,
    interactionId: ctx.interactionId,
  });
  if (!reply.ok) {
    if (reply.reason === 'unknown-type') {
      await refuse(deps, ctx, msg('common.type-gone', { type: job.typeName }));
    } else if (reply.reason === 'cooldown') {
      await refuse(deps, ctx, msg('open.cooldown', { seconds: Math.max(1, Math.ceil(reply.retryAfterMs / 1000)) }));
    } else {
      const [first] = reply.open;
      const limit = { type: type.label, limit: reply.limit };
      await refuse(
        deps,
        ctx,
        !first
          ? msg('open.limit', limit)
          : first.channelId
            ? msg('open.limit-channel', { ...limit, ticket: formatTicketNumber(first.number), channel: channelMention(first.channelId) })
            : msg('open.limit-ticket', { ...limit, ticket: formatTicketNumber(first.number) }),
      );
    }
    return;
  }

  const ticket = reply.ticket;
  if (ticket.status === 'closed') {
    await refuse(deps, ctx, msg('open.closed-before-open', { ticket: formatTicketNumber(ticket.number) }));
    return;
  }
  const threadType = threadTypeOf(type);
  const thread = threadType !== null;
  // The record knows them only once an earlier attempt's event was applied.
  let channelId = run.steps[STEP.channel] ?? ticket.channelId ?? undefined;
  let welcomeMessageId = run.steps[STEP.welcome] ?? ticket.welcomeMessageId ?? undefined;
  try {
    if (!channelId) {
      channelId = threadType ? await createTicketThread(deps, ticket, threadType, run) : await createChannel(deps, ticket, type, run);
      await run.record(STEP.channel, channelId);
    }
    if (!welcomeMessageId) {
      // Before the welcome, so its mention reaches the member; repeated safely by a resumed open.
      if (threadType) await bringIntoThread(deps, { ...ticket, channelId }, threadType);
      const locale = channelLocale(guild, ctx.guildLocale);
      welcomeMessageId = await postWelcome(deps, ticket, channelId, type, job, guild.embed, locale, run);
      await run.record(STEP.welcome, welcomeMessageId);
    }
  } catch (error) {
    const code = discordCode(error);
    if (code === undefined) throw error; // network, 5xx: retried
    // Discord refused for good: give the number back to the member's limit and say why.
    await openResult(deps, {
      v: 1,
      guildId: ctx.guildId,
      ticketId: ticket.id,
      status: 'closed',
      channelId: channelId ?? null,
      thread,
      closedAt: deps.now().toISOString(),
      closeReason: `open failed: Discord error ${code}`,
    });
    deps.logger.warn({ guildId: ctx.guildId, ticketId: ticket.id, code }, 'Discord refused the open');
    await refuse(deps, ctx, explainDiscordError(error, msg('failure.open-ticket')));
    return;
  }
  await openResult(deps, { v: 1, guildId: ctx.guildId, ticketId: ticket.id, status: 'open', channelId, welcomeMessageId, thread });

  if (type.autoCloseHours) await scheduleAutoClose(deps, ctx.guildId, ticket.number, type.autoCloseHours * 3_600_000);
  const notice = noticeOf(job, memberLocale(ctx));
  await answer(
    deps,
    ctx,
    ok(
      `${render(memberLocale(ctx), msg('open.done', { ticket: formatTicketNumber(ticket.number), channel: channelMention(channelId) }))}${notice ? `\n${notice}` : ''}`,
    ),
  );
  await logEvent(
    deps,
    {
      guildId: ctx.guildId,
      kind: 'ticket.opened',
      ticketNumber: ticket.number,
      channelId,
      actorId: ctx.member.userId,
      typeName: type.name,
      ...logLocale(ctx),
    },
    `${ctx.guildId}-${ticket.number}-opened`,
  );
}

/**
 * The event an open ends with, published without waiting (config-service applies it; see
 * ConfigClient for why requests and events differ). Its job id makes a retried attempt
 * publish it once; applying it twice would change nothing either.
 */
async function openResult(deps: TicketDeps, result: ConfigJob<'ticket.open-result'>): Promise<void> {
  await addJob(deps.config.queue, 'ticket.open-result', result, { jobId: `open-result-${result.guildId}-${result.ticketId}` });
}

/**
 * `ticket.discard-channel`, from config-service: an open ended for a ticket whose record was
 * purged meanwhile, so nothing may keep its channel (or thread). A channel gone already is fine.
 */
export async function discardChannel(deps: TicketDeps, job: TicketJob<'ticket.discard-channel'>): Promise<void> {
  await ignoreGone(deps.api.channels.delete(job.channelId));
  deps.logger.info({ guildId: job.guildId, channelId: job.channelId }, 'channel of a purged ticket deleted');
}
