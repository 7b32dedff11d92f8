import { DiscordAPIError } from '@discordjs/rest';
import type { Job } from 'bullmq';
import { ACTION_FAILURE, msg } from '@promton/shared/domain';
import { ticketJobSchemas, type TicketJob, type TicketJobName } from '@promton/shared/contracts';
import { jobProcessor, pacedProcessor, type JobHandlers, type TurnOf } from '@promton/shared/runtime';
import type { JobRun, TicketDeps } from './deps.js';
import { isPermanentRefusal } from './domain/discord-refusal.js';
import { archiveDeleteTicket, deleteArchived, reopenTicket, sendTranscript } from './handlers/archive.js';
import { interactionAgeMs, tokenExpired, tokenLeftMs } from './domain/interaction-age.js';
import { autoCloseTicket } from './handlers/auto-close.js';
import { closeTicket } from './handlers/close-ticket.js';
import { explainDiscordError, refuse, RefusedByDiscord } from './handlers/common.js';
import { discardChannel, openTicket } from './handlers/open-ticket.js';
import { sendPanel } from './handlers/send-panel.js';
import { moveTicket, postTag, setPriority, setTopic, transferClaim } from './handlers/staff-tools.js';
import { addMember, claimTicket, removeMember, renameTicket, requestClose, unclaimTicket } from './handlers/ticket-actions.js';

type Handler<N extends TicketJobName> = (deps: TicketDeps, job: TicketJob<N>, run: JobRun) => Promise<void>;

const handlers: { [N in TicketJobName]: Handler<N> } = {
  'ticket.open': openTicket,
  'ticket.claim': claimTicket,
  'ticket.unclaim': unclaimTicket,
  'ticket.close': closeTicket,
  'ticket.close-request': requestClose,
  'ticket.member-add': addMember,
  'ticket.member-remove': removeMember,
  'ticket.rename': renameTicket,
  'ticket.tag': postTag,
  'ticket.move': moveTicket,
  'ticket.topic': setTopic,
  'ticket.priority': setPriority,
  'ticket.transfer': transferClaim,
  'panel.send': sendPanel,
  'ticket.auto-close': autoCloseTicket,
  'ticket.reopen': reopenTicket,
  'ticket.transcript': sendTranscript,
  'ticket.delete': deleteArchived,
  'ticket.archive-delete': archiveDeleteTicket,
  'ticket.discard-channel': discardChannel,
};

/**
 * A step Discord refused with a 4xx (not 429) gets the same answer if asked again, and
 * Discord bans an IP for 10,000 invalid requests in 10 minutes: the job ends at once,
 * unretried, and the person who asked is told what was missing.
 */
async function refusedForGood(deps: TicketDeps, name: TicketJobName, data: TicketJob<TicketJobName>, error: unknown): Promise<never> {
  if (!(error instanceof DiscordAPIError) || !isPermanentRefusal(error.status)) throw error;
  if ('ctx' in data) await refuse(deps, data.ctx, explainDiscordError(error, ACTION_FAILURE[name])).catch(() => undefined);
  throw new RefusedByDiscord(`Discord refused ${name}: ${error.status} ${String(error.code)} on ${error.method} ${new URL(error.url).pathname}`);
}

function runOf(job: Job): JobRun {
  const steps: Record<string, string> = typeof job.progress === 'object' && job.progress !== null ? { ...(job.progress as Record<string, string>) } : {};
  return {
    resumed: job.attemptsMade > 0 || (job.stalledCounter ?? 0) > 0 || Object.keys(steps).length > 0,
    steps,
    async record(step, value) {
      steps[step] = value;
      await job.updateProgress({ ...steps });
    },
  };
}

/**
 * An interaction job that first runs after its token's 15 minutes (a backlog after an
 * outage) is not started: nobody could be told the result, and nothing has been done yet.
 * One that an earlier attempt began is finished, so nothing stays half-written; its
 * answers are skipped (`answer` makes no request with a spent token).
 */
function tooLateToStart(deps: TicketDeps, name: TicketJobName, data: TicketJob<TicketJobName>, run: JobRun): boolean {
  if (!('ctx' in data) || run.resumed) return false;
  const now = deps.now();
  if (!tokenExpired(data.ctx.receivedAt, now)) return false;
  deps.logger.warn(
    { guildId: data.ctx.guildId, interactionId: data.ctx.interactionId, job: name, ageMs: interactionAgeMs(data.ctx.receivedAt, now) },
    'interaction token expired before its job started; skipped, nothing was done',
  );
  return true;
}

/**
 * An open takes a worker slot only at its guild's turn (GuildPace: a guild's channel
 * creations go no faster than Discord's bucket allows), so one guild's flood holds a few
 * slots instead of sleeping in all of them on its bucket, and another guild's open finds
 * one free. An open an earlier attempt began goes at once; one whose turn would come
 * after its token's 15 minutes is not started (nothing done, nobody could be told).
 */
function openTurn(deps: TicketDeps): TurnOf {
  return (job) => {
    if (job.name !== 'ticket.open' || job.attemptsMade > 0 || (job.stalledCounter ?? 0) > 0) return null;
    const ctx = (job.data as { ctx?: { guildId?: unknown; receivedAt?: unknown } }).ctx;
    // A payload that does not parse is refused by the processor itself.
    if (typeof ctx?.guildId !== 'string' || typeof ctx.receivedAt !== 'string') return null;
    return { guildId: ctx.guildId, maxWaitMs: tokenLeftMs(ctx.receivedAt, deps.now()) };
  };
}

/** The `tickets` processor: an open waits for its guild's turn (openTurn), then validate (a bad payload fails at once) and hand to the job's handler. */
export function ticketProcessor(deps: TicketDeps): (job: Job, token?: string) => Promise<unknown> {
  const bound = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      async (data: TicketJob<TicketJobName>, job: Job) => {
        const run = runOf(job);
        if (tooLateToStart(deps, name as TicketJobName, data, run)) return;
        await (handler as Handler<TicketJobName>)(deps, data, run).catch((error: unknown) => refusedForGood(deps, name as TicketJobName, data, error));
      },
    ]),
  ) as JobHandlers<typeof ticketJobSchemas>;
  const process = jobProcessor(ticketJobSchemas, bound);
  if (!deps.pace) return process;
  // Too late for its turn: nothing is done, and the member is told so while the token still works.
  return pacedProcessor(deps.pace, openTurn(deps), process, async (job) => {
    const { ctx } = job.data as TicketJob<'ticket.open'>;
    deps.logger.warn(
      { guildId: ctx.guildId, interactionId: ctx.interactionId, job: job.name },
      "interaction token would expire before the guild's turn to open; not started, the member is told to try again",
    );
    const parsed = ticketJobSchemas['ticket.open'].safeParse(job.data);
    if (parsed.success) await refuse(deps, parsed.data.ctx, msg('open.busy')).catch(() => undefined);
  });
}
