import type { ConfigJob, MoveReply, ReopenReply, ReserveReply, TicketRecord } from '@promton/shared/contracts';
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

/** `ticket.change-type`: /ticket move's record, checked against the new type's per-member limit. */
export function changeTicketType(deps: HandlerDeps, job: ConfigJob<'ticket.change-type'>): Promise<MoveReply> {
  return deps.repo.tickets.changeType(job.guildId, job.ticketId, job.typeName, job.force);
}

/** `ticket.reopen-record`: an archived ticket open again (Reopen), within its member's limit; or why not. */
export function reopenRecord(deps: HandlerDeps, job: ConfigJob<'ticket.reopen-record'>): Promise<ReopenReply> {
  return deps.repo.tickets.reopen(job.guildId, job.ticketId, { check: job.check, now: deps.now() });
}

/** `ticket.get`: by number, else by channel. */
export function getTicket(deps: HandlerDeps, job: ConfigJob<'ticket.get'>): Promise<TicketRecord | null> {
  return deps.repo.tickets.getTicket(job.guildId, { number: job.number, channelId: job.channelId });
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
