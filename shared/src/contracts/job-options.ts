import type { ConfigJobName, LogJobName, TicketJobName } from './jobs.js';
import { INTERACTION_TOKEN_TTL_MS } from './queues.js';

/**
 * One table of job options: attempts, backoff and retention per job name. Every producer
 * adds through `addJob` (shared runtime), which validates the payload and takes its
 * options from here; only the job id and a delay are chosen at the call site.
 */
export interface JobPolicy {
  attempts: number;
  backoff: { type: 'exponential'; delay: number };
  removeOnComplete: boolean | { age?: number; count?: number };
  removeOnFail: boolean | { age?: number; count?: number };
}

/**
 * How long Redis keeps a finished job (seconds): completed jobs an hour (their ids dedupe
 * redeliveries; their data is already replaced, see forgetHandledJobData), failed jobs a
 * day for inspection. The count caps apply too, whichever comes first. No policy below
 * keeps a job carrying member data longer.
 */
export const jobRetention = {
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 86_400, count: 5000 },
} as const;

const tokenSeconds = INTERACTION_TOKEN_TTL_MS / 1000;

/** Work the gateway publishes for an acknowledged interaction: worth retrying while its token lives, and not kept longer. */
const interaction = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: tokenSeconds, count: 10_000 },
  removeOnFail: { age: tokenSeconds, count: 10_000 },
} as const satisfies JobPolicy;

/** A request another service waits on (BullMQ's waitUntilFinished): short retries, kept briefly. */
const request = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 200 },
  removeOnComplete: { age: 600, count: 1000 },
  removeOnFail: { age: 3600, count: 5000 },
} as const satisfies JobPolicy;

/** A Discord event the gateway forwards (no token): must land, retried for minutes. */
const lifecycleEvent = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: jobRetention.removeOnFail,
} as const satisfies JobPolicy;

/**
 * An event a service publishes instead of waiting on a reply (an open's outcome, a
 * cleanup): must land, retried for minutes; kept an hour so its job id dedupes a
 * producer's retried step (applying it twice changes nothing anyway).
 */
const event = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1_000 },
  ...jobRetention,
} as const satisfies JobPolicy;

/** A delayed check with a job id of its own (auto-close, purge; guild id and number only): failures kept a week for inspection. */
const scheduled = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 86_400, count: 1000 },
} as const satisfies JobPolicy;

export const jobOptions = {
  // tickets queue
  'ticket.open': interaction,
  'ticket.claim': interaction,
  'ticket.unclaim': interaction,
  'ticket.close': interaction,
  'ticket.close-request': interaction,
  'ticket.member-add': interaction,
  'ticket.member-remove': interaction,
  'ticket.rename': interaction,
  'ticket.tag': interaction,
  'ticket.move': interaction,
  'ticket.topic': interaction,
  'ticket.priority': interaction,
  'ticket.transfer': interaction,
  'panel.send': interaction,
  'ticket.reopen': interaction,
  'ticket.transcript': interaction,
  'ticket.delete': interaction,
  'ticket.auto-close': scheduled,
  'ticket.archive-delete': scheduled,
  'ticket.discard-channel': event,
  // config queue
  'config.command': interaction,
  'feedback.rate': interaction,
  'feedback.offer': request,
  'ticket.reserve': request,
  'ticket.update': request,
  'ticket.open-result': event,
  'ticket.get': request,
  'ticket.change-type': request,
  'ticket.reopen-record': request,
  'guild.projection': request,
  'ticket.channel-deleted': lifecycleEvent,
  'guild.joined': lifecycleEvent,
  'guild.left': lifecycleEvent,
  'guild.log-problem': { attempts: 5, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: true, removeOnFail: jobRetention.removeOnFail },
  'guild.purge': { ...scheduled, backoff: { type: 'exponential', delay: 1_000 } },
  // logs queue: a dedupe id per event, kept an hour so a retried step posts nothing twice
  'log.event': { attempts: 10, backoff: { type: 'exponential', delay: 1_000 }, ...jobRetention },
} as const satisfies Record<TicketJobName | ConfigJobName | LogJobName, JobPolicy>;

export type JobName = keyof typeof jobOptions;
