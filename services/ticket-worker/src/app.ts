import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import { fail, resolveLocale, t } from '@promton/shared/domain';
import { QueueName, type InteractionContext } from '@promton/shared/contracts';
import {
  ConfigClient,
  GuildPace,
  SharedRouteBuckets,
  guildConfigOrAsk,
  createDiscordClients,
  readGuildConfig,
  type HealthChecks,
  type Runtime,
} from '@promton/shared/runtime';
import type { TicketDeps } from './deps.js';
import { ticketProcessor } from './process-ticket-job.js';
import { tokenExpired } from './domain/interaction-age.js';

export interface TicketWorkerApp {
  worker: Worker;
  /** What its /healthz checks (served on HEALTH_PORT when set). */
  readonly health: HealthChecks;
  /** Closes the runtime it was started in (once). */
  close(): Promise<void>;
}

export interface TicketWorkerOptions {
  concurrency?: number;
  /**
   * `projection` (the product): a guild's config is one Redis GET. `queue`: a round trip
   * through config-service before each read, the benchmark's naive baseline, set only by
   * its entry (bench/baseline-main.mjs), never by the environment.
   */
  configReads?: 'projection' | 'queue';
}

/** The `tickets` consumer: channel and permission work through @discordjs/rest. Everything it opens is registered in `runtime`. */
export function createApp(runtime: Runtime, options: TicketWorkerOptions = {}): Promise<TicketWorkerApp> {
  return runtime.start(() => start(runtime, options));
}

async function start(runtime: Runtime, options: TicketWorkerOptions): Promise<TicketWorkerApp> {
  const { config, logger, connection, metrics } = runtime;
  // No library retries: a timed-out POST may have been applied, so the job's own retry reconciles first.
  const discord = createDiscordClients(config, {
    metrics,
    budget: runtime.budget,
    // A restarted worker does not send into a bucket its predecessor emptied (a 429 Discord counts against the bot).
    buckets: new SharedRouteBuckets(connection, config.queuePrefix),
    retries: 0,
    // Discord's 2-renames-per-10-minutes limit is answered, not waited out.
    rejectOnRateLimit: (data) => data.method.toUpperCase() === 'PATCH' && data.route === '/channels/:id' && data.retryAfter > 5_000,
  });
  const configClient = runtime.own(
    'config client',
    new ConfigClient(connection, runtime.redis('worker', 'redis (config events)'), config.queuePrefix),
    (client) => client.close(),
  );
  const logs = runtime.queue(QueueName.logs);
  const tickets = runtime.queue(QueueName.tickets);

  const me = await discord.api.users.getCurrent();
  const deps: TicketDeps = {
    api: discord.api,
    interactions: discord.interactions,
    config: configClient,
    logs,
    tickets,
    readConfig:
      options.configReads === 'queue'
        ? // Naive baseline: a round trip through config-service (queue + database read) before every config read.
          async (guildId) => {
            await configClient.request('ticket.get', { v: 1, guildId, number: 0 });
            return readGuildConfig(connection, config.queuePrefix, guildId);
          }
        : (guildId) => guildConfigOrAsk(connection, configClient, guildId),
    botUserId: me.id,
    once: async (key, ttlMs) => (await connection.set(`${config.queuePrefix}:once:${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK',
    logger,
    now: () => new Date(),
    pace: new GuildPace(connection, config.queuePrefix),
  };

  const worker = runtime.worker(QueueName.tickets, ticketProcessor(deps), {
    concurrency: options.concurrency ?? 50,
    // A crashed worker's jobs wait for their lock to expire; BullMQ's 30 s default kept members
    // waiting up to a minute after a SIGKILL. Locks are renewed every lockDuration/2 while a job runs.
    lockDuration: 10_000,
    stalledInterval: 5_000,
    // A crash of ours (SIGKILL, OOM, a deploy) stalls every active job; BullMQ fails a job
    // stalled more than maxStalledCount times, and its member was told ❌ though the job
    // could still complete (3 of 1,000 in the full worker-kill chaos run with 3). Every job
    // resumes safely (each step reconciles before creating), and an interaction job stops
    // answering once its token's 15 minutes pass, so only a job that itself kills the
    // worker again and again is given up, after 20 crashes.
    maxStalledCount: 20,
  });
  worker.on('failed', (job: Job | undefined, error: Error) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError;
    logger.warn({ queue: QueueName.tickets, job: job.name, jobId: job.id, attempt: job.attemptsMade, final, err: error.message }, 'ticket job failed');
    if (!final || (error as { answered?: boolean }).answered) return;
    // The member is still waiting on a deferred answer: tell them.
    const ctx = (job.data as { ctx?: InteractionContext }).ctx;
    if (!ctx?.token) return;
    if (tokenExpired(ctx.receivedAt, new Date())) {
      logger.warn(
        { guildId: ctx.guildId, interactionId: ctx.interactionId, job: job.name },
        'job failed after the interaction token expired; the member was not answered',
      );
      return;
    }
    void discord.interactions.webhooks
      .editMessage(ctx.applicationId, ctx.token, '@original', {
        content: fail(t(resolveLocale(ctx.locale), 'common.went-wrong')),
      })
      .catch((editError: Error) => logger.warn({ err: editError.message }, 'could not tell the member about the failure'));
  });
  await worker.waitUntilReady();
  await configClient.waitUntilReady();

  const health = await runtime.health({
    redis: async () => (await connection.ping()) === 'PONG',
    worker: () => worker.isRunning(),
  });
  logger.info({ botUserId: me.id }, 'ticket-worker ready');
  return { worker, health, close: () => runtime.close() };
}
