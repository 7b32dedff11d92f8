import { Queue, UnrecoverableError, type Job, type Worker } from 'bullmq';
import { fail, resolveLocale, t } from '@promton/shared/domain';
import { QueueName, type Config, type InteractionContext } from '@promton/shared/contracts';
import {
  ConfigClient,
  GlobalRequestBudget,
  SharedRouteBuckets,
  guildConfigOrAsk,
  createDiscordClients,
  globalBudgetKey,
  createMetrics,
  createWorker,
  startMetricsPublisher,
  createLogger,
  createRedis,
  readGuildConfig,
  startHealthServer,
  type HealthChecks,
  type HealthServer,
} from '@promton/shared/runtime';
import type { TicketDeps } from './deps.js';
import { ticketProcessor } from './process-ticket-job.js';
import { tokenExpired } from './domain/interaction-age.js';

export interface TicketWorkerApp {
  worker: Worker;
  /** What its /healthz checks (served on HEALTH_PORT when set). */
  readonly health: HealthChecks;
  close(): Promise<void>;
}

export interface TicketWorkerOptions {
  concurrency?: number;
}

/** The `tickets` consumer: channel and permission work through @discordjs/rest. */
export async function createApp(config: Config, options: TicketWorkerOptions = {}): Promise<TicketWorkerApp> {
  const logger = createLogger({ service: 'ticket-worker', level: config.logLevel });
  const connection = createRedis(config.redisUrl, { role: 'worker' });
  const eventsConnection = createRedis(config.redisUrl, { role: 'worker' });
  for (const redis of [connection, eventsConnection]) redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error'));

  const metrics = createMetrics('ticket-worker');
  const publisher = startMetricsPublisher(metrics, connection, config.queuePrefix, { onError: () => undefined });
  // No library retries: a timed-out POST may have been applied, so the job's own retry reconciles first.
  const discord = createDiscordClients(config, {
    metrics,
    budget: new GlobalRequestBudget(connection, globalBudgetKey(config.queuePrefix, config.applicationId), config.discordGlobalRps),
    // A restarted worker does not send into a bucket its predecessor emptied (a 429 Discord counts against the bot).
    buckets: new SharedRouteBuckets(connection, config.queuePrefix),
    retries: 0,
    // Discord's 2-renames-per-10-minutes limit is answered, not waited out.
    rejectOnRateLimit: (data) => data.method.toUpperCase() === 'PATCH' && data.route === '/channels/:id' && data.retryAfter > 5_000,
  });
  const configClient = new ConfigClient(connection, eventsConnection, config.queuePrefix);
  const logs = new Queue(QueueName.logs, { connection, prefix: config.queuePrefix });
  const tickets = new Queue(QueueName.tickets, { connection, prefix: config.queuePrefix });
  for (const queue of [logs, tickets]) queue.on('error', (error) => logger.warn({ queue: queue.name, err: error.message }, 'queue error'));

  const me = await discord.api.users.getCurrent();
  const deps: TicketDeps = {
    api: discord.api,
    interactions: discord.interactions,
    config: configClient,
    logs,
    tickets,
    readConfig:
      config.configReads === 'queue'
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
  };

  const worker = createWorker(QueueName.tickets, ticketProcessor(deps), {
    connection: createRedis(config.redisUrl, { role: 'worker' }),
    prefix: config.queuePrefix,
    metrics,
    logger,
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

  const checks: HealthChecks = {
    redis: async () => (await connection.ping()) === 'PONG',
    worker: () => worker.isRunning(),
  };
  let health: HealthServer | undefined;
  if (config.healthPort !== undefined) health = await startHealthServer(config.healthPort, checks);
  logger.info({ botUserId: me.id }, 'ticket-worker ready');

  let closing: Promise<void> | undefined;
  return {
    worker,
    health: checks,
    close() {
      closing ??= (async () => {
        await worker.close();
        await publisher.close();
        await Promise.all([configClient.close(), logs.close(), tickets.close()]);
        connection.disconnect();
        eventsConnection.disconnect();
        await health?.close();
      })();
      return closing;
    },
  };
}
