import { openResultChanges, type ConfigJob, type MoveReply, type ReopenReply, type ReserveReply, type TicketRecord } from '@promton/shared/contracts';
import { addJob } from '@promton/shared/runtime';
import type { HandlerDeps } from './deps.js';

/** `ticket.reserve`: the next number for an open, or why not. */
export function reserveTicket(deps: HandlerDeps, job: ConfigJob<'ticket.reserve'>): Promise<ReserveReply> {
  return deps.repo.tickets.reserve(job, deps.now(), deps.config.openCooldownMs);
}

/** `ticket.update`: saga progress; null when the ticket does not exist (purged). */
export async function updateTicket(deps: HandlerDeps, job: ConfigJob<'ticket.update'>): Promise<TicketRecord | null> {
  const ticket = await deps.repo.tickets.updateTicket(job.guildId, job.ticketId, job.set, deps.now());
  // Only a status change moves the daily opened/closed counts.
  if (ticket && job.set.status !== undefined) deps.analytics.changed();
  return ticket;
}

/**
 * `ticket.open-result`, the event an open ends with (ticket-worker kept the steps before it
 * in its own job): the channel, the welcome and the status in one write. Applying it again
 * changes nothing, and a ticket closed meanwhile stays closed. When the record is gone (the
 * server's data was purged while the ticket opened), nothing may keep the channel: ticket-worker
 * is asked to delete it.
 */
export async function openResult(deps: HandlerDeps, job: ConfigJob<'ticket.open-result'>): Promise<void> {
  const ticket = await updateTicket(deps, { v: 1, guildId: job.guildId, ticketId: job.ticketId, set: openResultChanges(job) });
  if (ticket || !job.channelId) return;
  deps.logger.warn({ guildId: job.guildId, ticketId: job.ticketId }, 'an open ended for a ticket no longer recorded; its channel is deleted');
  await addJob(deps.ticketsQueue, 'ticket.discard-channel', { v: 1, guildId: job.guildId, channelId: job.channelId }, { jobId: `discard-${job.channelId}` });
}

/** `ticket.change-type`: /ticket move's record, checked against the new type's per-member limit. */
export function changeTicketType(deps: HandlerDeps, job: ConfigJob<'ticket.change-type'>): Promise<MoveReply> {
  return deps.repo.tickets.changeType(job.guildId, job.ticketId, job.typeName, job.force);
}

/** `ticket.reopen-record`: an archived ticket open again (Reopen), within its member's limit; or why not. */
export function reopenRecord(deps: HandlerDeps, job: ConfigJob<'ticket.reopen-record'>): Promise<ReopenReply> {
  return deps.repo.tickets.reopen(job.guildId, job.ticketId, { check: job.check, now: deps.now() });
}

/**
 * `ticket.get`: by number, else by channel. Read in the guild's write section, so it comes
 * after the writes of jobs taken before it: an action on a ticket that was just opened (the
 * member saw ✅, so its `ticket.open-result` was queued first) reads the open record.
 */
export function getTicket(deps: HandlerDeps, job: ConfigJob<'ticket.get'>): Promise<TicketRecord | null> {
  return deps.repo.writeGuild(job.guildId, () => deps.repo.tickets.getTicket(job.guildId, { number: job.number, channelId: job.channelId }));
}

/**
 * `ticket.channel-deleted` (every CHANNEL_DELETE of a guild): close the ticket whose channel
 * someone deleted, and log it; or, when it was the log channel, clear it at once and say
 * so in /config show (log-worker would otherwise learn it from a 404).
 */
export async function channelDeleted(deps: HandlerDeps, job: ConfigJob<'ticket.channel-deleted'>): Promise<TicketRecord | null> {
  await deps.guildLock.run(job.guildId, async () => {
    if ((await deps.repo.guilds.loadConfig(job.guildId)).logChannelId !== job.channelId) return;
    await deps.repo.guilds.updateSettings(job.guildId, { logChannelId: null, logChannelProblem: 'log.problem.deleted' }, deps.now());
    await deps.projection.publish(job.guildId);
    await deps.projection.resumeLog(job.guildId);
  });
  const ticket = await deps.repo.tickets.closeByChannel(job.guildId, job.channelId, deps.now());
  if (!ticket) return null;
  deps.analytics.changed();
  await deps.log({
    guildId: job.guildId,
    kind: 'ticket.deleted-by-hand',
    ticketNumber: ticket.number,
    channelId: job.channelId,
    typeName: ticket.typeName,
    reason: ticket.closeReason ?? undefined,
  });
  return ticket;
}
