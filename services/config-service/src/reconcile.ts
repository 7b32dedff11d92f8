import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { archiveDeleteJobId, autoCloseJobId, type ConfigJob } from '@promton/shared/contracts';
import { addJob } from '@promton/shared/runtime';
import type { HandlerDeps } from './handlers/deps.js';
import { guildPurge, schedulePurge } from './handlers/guild-lifecycle.js';
import { safeError } from './safe-error.js';

/** Redis key config-service sets after each reconciliation; its absence means Redis lost its data. */
export function reconciledKey(prefix: string): string {
  return `${prefix}:reconciled`;
}

export interface ReconcileReport {
  projections: number;
  purged: number;
  purgesScheduled: number;
  autoCloses: number;
  archiveDeletes: number;
  keysForgotten: number;
}

/**
 * Redis is a cache, the database the truth. Rewrites every guild's projection, purges the
 * guilds past their grace period and re-adds the delayed purge of the others, re-adds the
 * first auto-close check of every open ticket that has one (adding an existing job id is a
 * no-op; a check that finds activity reschedules itself), re-adds the deletion of every
 * archived channel, and drops spent creator keys.
 */
export async function reconcile(deps: HandlerDeps, tickets: Queue): Promise<ReconcileReport> {
  const now = deps.now();
  const report: ReconcileReport = { projections: 0, purged: 0, purgesScheduled: 0, autoCloses: 0, archiveDeletes: 0, keysForgotten: 0 };
  for (const guildId of await deps.repo.guilds.guildIds()) {
    await deps.guildLock.run(guildId, () => deps.projection.publish(guildId));
    report.projections += 1;
  }
  for (const { guildId, leftAt } of await deps.repo.guilds.leftGuilds()) {
    const dueInMs = leftAt.getTime() + deps.config.guildPurgeGraceMs - now.getTime();
    if (dueInMs <= 0) {
      const purge: ConfigJob<'guild.purge'> = { v: 1, guildId };
      if ((await guildPurge(deps, purge)).purged) report.purged += 1;
    } else {
      await schedulePurge(deps, guildId, dueInMs);
      report.purgesScheduled += 1;
    }
  }
  for (const ticket of await deps.repo.tickets.autoCloseTickets()) {
    const dueInMs = ticket.createdAt.getTime() + ticket.hours * 3_600_000 - now.getTime();
    await addJob(
      tickets,
      'ticket.auto-close',
      { v: 1, guildId: ticket.guildId, ticketNumber: ticket.number },
      { jobId: autoCloseJobId(ticket.guildId, ticket.number), delay: dueInMs },
    );
    report.autoCloses += 1;
  }
  // Every archived channel's deletion (an existing job id is a no-op; one past due runs at once).
  for (const ticket of await deps.repo.tickets.archivedTickets()) {
    const archivedAt = ticket.archivedAt.toISOString();
    await addJob(
      tickets,
      'ticket.archive-delete',
      { v: 1, guildId: ticket.guildId, ticketNumber: ticket.number },
      {
        jobId: archiveDeleteJobId(ticket.guildId, ticket.number, archivedAt),
        delay: Math.max(0, ticket.archivedAt.getTime() + ticket.days * 86_400_000 - now.getTime()),
      },
    );
    report.archiveDeletes += 1;
  }
  report.keysForgotten = await deps.repo.privacy.forgetSpentCreatorKeys(now, deps.config.openCooldownMs);
  return report;
}

export interface Reconciler {
  /** Runs one reconciliation now (after any in progress). */
  run(): Promise<ReconcileReport>;
  close(): Promise<void>;
}

/**
 * Reconciles at start, every `intervalMs`, and at once when the marker key is gone
 * (FLUSHALL, or Redis restarted without the data): checked every `watchMs`.
 */
export function startReconciler(
  deps: HandlerDeps,
  tickets: Queue,
  redis: Redis,
  { intervalMs, watchMs = 2_000 }: { intervalMs: number; watchMs?: number },
): Reconciler {
  const key = reconciledKey(deps.config.queuePrefix);
  let running: Promise<ReconcileReport> | undefined;
  let lastRun = 0;
  let closed = false;

  const run = (): Promise<ReconcileReport> => {
    running ??= (async () => {
      try {
        const started = Date.now();
        const report = await reconcile(deps, tickets);
        await redis.set(key, deps.now().toISOString());
        lastRun = Date.now();
        deps.logger.info({ ...report, ms: lastRun - started }, 'reconciled Redis with the database');
        return report;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const tick = async () => {
    if (closed) return;
    try {
      if (Date.now() - lastRun >= intervalMs || (await redis.exists(key)) === 0) await run();
    } catch (error) {
      deps.logger.warn({ err: safeError(error) }, 'reconciliation failed; will retry');
    }
  };
  const timer = setInterval(() => void tick(), Math.min(watchMs, intervalMs));
  timer.unref();

  return {
    run,
    async close() {
      closed = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
