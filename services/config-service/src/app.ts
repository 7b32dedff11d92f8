import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { configJobSchemas, InvalidJobError, logJobSchemas, parseJob, QueueName, type Config, type ConfigJob, type ConfigJobName } from '@promton/shared/contracts';
import { createLogger, createMetrics, createRedis, startHealthServer, type HealthServer, GlobalRequestBudget, globalBudgetKey, observeWorker, startMetricsPublisher, eraseMemberFromQueues, forgetHandledJobData, jobRetention, type Logger, type Metrics } from '@promton/shared/runtime';
import { AnalyticsPublisher } from './analytics.js';
import { migrate } from './db/migrations.js';
import { Repository } from './db/repository.js';
import { createSequelize } from './db/sequelize.js';
import { createDiscordApi, type DiscordApi } from './discord.js';
import { configCommand } from './handlers/config-command.js';
import type { HandlerDeps, LogEvent } from './handlers/deps.js';
import { guildJoined, guildLeft, guildLogProblem, guildProjection, guildPurge } from './handlers/guild-lifecycle.js';
import { channelDeleted, getTicket, reserveTicket, updateTicket } from './handlers/ticket-jobs.js';
import { KeyedMutex } from './mutex.js';
import { Projection } from './projection.js';
import { startReconciler, type ReconcileReport } from './reconcile.js';
import { safeError } from './safe-error.js';

export interface AppOverrides {
  discord?: DiscordApi;
  logger?: Logger;
  now?: () => Date;
  /** Jobs processed at once; database writes are serialized whatever this is. */
  concurrency?: number;
  /** Changes within this window share one write of the analytics key. */
  analyticsDebounceMs?: number;
}

export interface App {
  /** Stops intake first, then closes queues, database and Redis. Safe to call twice. */
  close(): Promise<void>;
  readonly repo: Repository;
  readonly healthPort: number | undefined;
  readonly metrics: Metrics;
  /** Writes the analytics key now (it is otherwise written within the debounce window of a change). */
  flushAnalytics(): Promise<void>;
  /** Reconciles Redis with the database now (it also runs at start, periodically and after a Redis loss). */
  reconcile(): Promise<ReconcileReport>;
}

const defaults = { concurrency: 8, analyticsDebounceMs: 1_000 } as const satisfies Partial<AppOverrides>;

async function processJob(deps: HandlerDeps, job: Job): Promise<unknown> {
  let data: ConfigJob<ConfigJobName>;
  try {
    data = parseJob(configJobSchemas, job.name, job.data);
  } catch (error) {
    // Bad payloads fail at once and stay in the failed set for inspection.
    if (error instanceof InvalidJobError) throw new UnrecoverableError(error.message);
    throw error;
  }
  switch (job.name as ConfigJobName) {
    case 'ticket.reserve':
      return reserveTicket(deps, data as ConfigJob<'ticket.reserve'>);
    case 'ticket.update':
      return updateTicket(deps, data as ConfigJob<'ticket.update'>);
    case 'ticket.get':
      return getTicket(deps, data as ConfigJob<'ticket.get'>);
    case 'ticket.channel-deleted':
      return channelDeleted(deps, data as ConfigJob<'ticket.channel-deleted'>);
    case 'guild.joined':
      return guildJoined(deps, data as ConfigJob<'guild.joined'>);
    case 'guild.left':
      return guildLeft(deps, data as ConfigJob<'guild.left'>);
    case 'guild.purge':
      return guildPurge(deps, data as ConfigJob<'guild.purge'>);
    case 'guild.projection':
      return guildProjection(deps, data as ConfigJob<'guild.projection'>);
    case 'guild.log-problem':
      return guildLogProblem(deps, data as ConfigJob<'guild.log-problem'>);
    case 'config.command':
      return configCommand(deps, data as ConfigJob<'config.command'>);
    default:
      throw new UnrecoverableError(`config-service has no handler for ${job.name}`);
  }
}


/** Opens the database (migrated), rebuilds missing projections and starts the `config` worker. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const options = { ...defaults, ...overrides };
  const logger = options.logger ?? createLogger({ service: 'config-service', level: config.logLevel });
  const sequelize = createSequelize(config.databaseUrl);
  await sequelize.authenticate();
  await migrate(sequelize);
  const repo = new Repository(sequelize);

  const redis: Redis = createRedis(config.redisUrl, { role: 'worker' });
  const workerConnection: Redis = createRedis(config.redisUrl, { role: 'worker' });
  redis.on('error', (error) => logger.warn({ err: safeError(error) }, 'redis error'));
  workerConnection.on('error', (error) => logger.warn({ err: safeError(error) }, 'redis error (worker)'));

  const configQueue = new Queue(QueueName.config, { connection: redis, prefix: config.queuePrefix });
  const logsQueue = new Queue(QueueName.logs, { connection: redis, prefix: config.queuePrefix });
  // Only for re-deriving auto-close checks from the database (see reconcile.ts).
  const ticketsQueue = new Queue(QueueName.tickets, { connection: redis, prefix: config.queuePrefix });
  ticketsQueue.on('error', (error) => logger.warn({ err: safeError(error) }, 'tickets queue error'));
  configQueue.on('error', (error) => logger.warn({ err: safeError(error) }, 'config queue error'));
  logsQueue.on('error', (error) => logger.warn({ err: safeError(error) }, 'logs queue error'));
  const projection = new Projection(repo, redis, config.queuePrefix);
  const metrics = createMetrics('config-service');
  const publisher = startMetricsPublisher(metrics, redis, config.queuePrefix, {
    onError: (error) => logger.warn({ err: safeError(error) }, 'metrics publish failed'),
  });
  const now = options.now ?? (() => new Date());
  const analytics = new AnalyticsPublisher({
    // Read under the write mutex: one consistent view, never half of a write.
    compute: () => repo.write(() => repo.analytics(now())),
    redis,
    prefix: config.queuePrefix,
    debounceMs: options.analyticsDebounceMs,
    onError: (error) => logger.warn({ err: safeError(error) }, 'analytics write failed; retrying'),
  });

  const deps: HandlerDeps = {
    config,
    repo,
    projection,
    guildLock: new KeyedMutex(),
    eraseFromRedis: (userId) => eraseMemberFromQueues(redis, config.queuePrefix, userId),
    discord: options.discord ?? createDiscordApi(config, metrics, new GlobalRequestBudget(redis, globalBudgetKey(config.queuePrefix, config.applicationId), config.discordGlobalRps)),
    configQueue,
    logger,
    now,
    analytics,
    async log(event: LogEvent) {
      const data = parseJob(logJobSchemas, 'log.event', { v: 1, at: deps.now().toISOString(), ...event });
      await logsQueue.add('log.event', data, {
        attempts: 5,
        backoff: { type: 'exponential', delay: 1_000 },
        ...jobRetention,
      });
    },
  };

  // Redis is a cache: before taking jobs, every projection, pending purge and auto-close
  // check is derived again from the database; then again periodically and after a loss.
  const reconciler = startReconciler(deps, ticketsQueue, redis, { intervalMs: config.reconcileMs });
  await reconciler.run();
  await analytics.flush();

  const worker = new Worker(
    QueueName.config,
    async (job) => {
      const started = Date.now();
      const result = await processJob(deps, job);
      logger.debug({ queue: QueueName.config, job: job.name, jobId: job.id, ms: Date.now() - started }, 'job done');
      return result;
    },
    // metrics: BullMQ keeps per-minute completed/failed counts for a day (read by the queue board).
    { connection: workerConnection, prefix: config.queuePrefix, concurrency: options.concurrency, metrics: { maxDataPoints: 60 * 24 } },
  );
  observeWorker(metrics, worker);
  forgetHandledJobData(worker);
  worker.on('error', (error) => logger.error({ err: safeError(error) }, 'worker error'));
  worker.on('failed', (job, error) => {
    // job.data carries the interaction token: log the name and id only.
    const data = job?.data as { guildId?: string; ctx?: { guildId?: string } } | undefined;
    logger.error({ queue: QueueName.config, job: job?.name, jobId: job?.id, guildId: data?.guildId ?? data?.ctx?.guildId, err: safeError(error) }, 'job failed');
  });
  await worker.waitUntilReady();

  let health: HealthServer | undefined;
  if (config.healthPort !== undefined) {
    health = await startHealthServer(config.healthPort, {
      database: async () => (await sequelize.query('SELECT 1')) !== undefined,
      redis: async () => (await redis.ping()) === 'PONG',
      worker: () => worker.isRunning(),
    });
  }
  logger.info({ queue: QueueName.config, prefix: config.queuePrefix }, 'config-service ready');

  let closing: Promise<void> | undefined;
  return {
    repo,
    healthPort: health?.port,
    metrics,
    flushAnalytics: () => analytics.flush(),
    reconcile: () => reconciler.run(),
    close() {
      closing ??= (async () => {
        await worker.close();
        await reconciler.close();
        await analytics.close();
        await publisher.close();
        await Promise.all([configQueue.close(), logsQueue.close(), ticketsQueue.close()]);
        await repo.close();
        await health?.close();
        await Promise.allSettled([redis.quit(), workerConnection.quit()]);
        logger.info('config-service closed');
      })();
      return closing;
    },
  };
}
