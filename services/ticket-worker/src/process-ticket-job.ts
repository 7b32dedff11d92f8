import type { Job } from 'bullmq';
import { ticketJobSchemas, type TicketJob, type TicketJobName } from '@promton/shared/contracts';
import { jobProcessor, type JobHandlers } from '@promton/shared/runtime';
import type { JobRun, TicketDeps } from './deps.js';
import { autoCloseTicket } from './handlers/auto-close.js';
import { closeTicket } from './handlers/close-ticket.js';
import { openTicket } from './handlers/open-ticket.js';
import { sendPanel } from './handlers/send-panel.js';
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
  'panel.send': sendPanel,
  'ticket.auto-close': autoCloseTicket,
};

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

/** The `tickets` processor: validate (a bad payload fails at once), then hand to the job's handler. */
export function ticketProcessor(deps: TicketDeps): (job: Job) => Promise<unknown> {
  const bound = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      (data: TicketJob<TicketJobName>, job: Job) => (handler as Handler<TicketJobName>)(deps, data, runOf(job)),
    ]),
  ) as JobHandlers<typeof ticketJobSchemas>;
  return jobProcessor(ticketJobSchemas, bound);
}
