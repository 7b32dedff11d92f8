import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { autoCloseJobId, type TicketJob, type TicketRecord } from '@promton/shared/contracts';
import { addJob } from '@promton/shared/runtime';
import type { JobRun, TicketDeps } from '../deps.js';
import { autoCloseDecision } from '../domain/auto-close.js';
import { discordCode, t } from '@promton/shared/domain';
import { channelLocale } from './common.js';
import { closeTicketSteps } from './close-ticket.js';

/** Schedules a ticket's auto-close check as a delayed job, which survives restarts; the id keeps it to one per quiet window. */
export async function scheduleAutoClose(deps: TicketDeps, guildId: string, ticketNumber: number, delayMs: number, window = 'open'): Promise<void> {
  await addJob(deps.tickets, 'ticket.auto-close', { v: 1, guildId, ticketNumber }, { jobId: autoCloseJobId(guildId, ticketNumber, window), delay: delayMs });
}

export async function autoCloseTicket(deps: TicketDeps, job: TicketJob<'ticket.auto-close'>, run: JobRun): Promise<void> {
  const ticket = await deps.config.request('ticket.get', { v: 1, guildId: job.guildId, number: job.ticketNumber });
  const about = { guildId: job.guildId, ticketNumber: job.ticketNumber };
  if (!ticket || ticket.status !== 'open' || !ticket.channelId) {
    // Still opening: its open's result is not applied yet (config-service crashed while
    // writing it; it is redone once its lock expires). Once it is open, config-service's
    // periodic reconciliation (RECONCILE_SECONDS) adds its check again.
    deps.logger.info(
      { ...about, status: ticket?.status ?? null },
      ticket?.status === 'opening'
        ? 'auto-close check: the ticket is still opening; the next reconciliation schedules its check again'
        : 'auto-close check: the ticket is not open; nothing to do',
    );
    return;
  }
  const guild = await deps.readConfig(job.guildId);
  const hours = guild?.types.find((type) => type.name === ticket.typeName)?.autoCloseHours;
  if (!hours) {
    deps.logger.info(about, 'auto-close check: its type no longer auto-closes; nothing to do');
    return;
  }
  // Activity is the newest message from a person: the bot's own welcome and notices do not count.
  let lastMessageId: string | null = null;
  try {
    const recent = await deps.api.channels.getMessages(ticket.channelId, { limit: 50 });
    lastMessageId = recent.find((message) => !message.author.bot)?.id ?? null;
  } catch (error) {
    if (discordCode(error) !== RESTJSONErrorCodes.UnknownChannel) throw error;
    return; // deleted by hand: CHANNEL_DELETE closes it
  }
  const decision = autoCloseDecision({ now: deps.now().getTime(), openedAt: Date.parse(ticket.reopenedAt ?? ticket.createdAt), lastMessageId, hours });
  if (!decision.close) {
    // Someone wrote since: check again when the new quiet window could end.
    deps.logger.info(
      { ...about, delayMs: decision.delayMs, activity: lastMessageId !== null },
      'auto-close check: not quiet long enough; checking again later',
    );
    await scheduleAutoClose(deps, job.guildId, job.ticketNumber, decision.delayMs, lastMessageId ?? 'open-retry');
    return;
  }
  await closeTicketSteps(
    deps,
    ticket as TicketRecord & { channelId: string },
    {
      userId: null,
      reason: t(channelLocale(guild), 'close.auto-reason', { hours }),
      kind: 'ticket.auto-closed',
    },
    run,
  );
}
