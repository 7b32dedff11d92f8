import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { configJobSchemas, feedbackMarkKey, QueueName, type Config, type ConfigJob, type ConfigJobName, type ConfigReplies } from '@promton/shared/contracts';
import {
  addJob,
  jobProcessor,
  eraseMemberFromQueues,
  createLogger,
  createMetrics,
  createRedis,
  startHealthServer,
  type HealthChecks,
  type HealthServer,
  GlobalRequestBudget,
  globalBudgetKey,
  createWorker,
  startMetricsPublisher,
  type Logger,
  type Metrics,
} from '@promton/shared/runtime';
import { AnalyticsPublisher } from './analytics.js';
import { migrate } from './db/migrations.js';
import { Repository } from './db/repository.js';
import { createSequelize } from './db/sequelize.js';
import { createDiscordApi, type DiscordApi } from './discord.js';
import { configCommand } from './handlers/config-command.js';
import type { HandlerDeps, LogEvent } from './handlers/deps.js';
import { guildJoined, guildLeft, guildLogProblem, guildProjection, guildPurge } from './handlers/guild-lifecycle.js';
import { changeTicketType, channelDeleted, getTicket, markReopened, reserveTicket, updateTicket } from './handlers/ticket-jobs.js';
import { feedbackOffer, feedbackRate } from './handlers/feedback.js';
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
  /** What its /healthz checks (served on HEALTH_PORT when set). */
  readonly health: HealthChecks;
  readonly metrics: Metrics;
  /** Writes the analytics key now (it is otherwise written within the debounce window of a change). */
  flushAnalytics(): Promise<void>;
  /** Reconciles Redis with the database now (it also runs at start, periodically and after a Redis loss). */
  reconcile(): Promise<ReconcileReport>;
}

const defaults = { concurrency: 8, analyticsDebounceMs: 1_000 } as const satisfies Partial<AppOverrides>;

/** config-service's handler per job name; each returns the reply its name promises (ConfigReplies). */
function configHandlers(deps: HandlerDeps): { [N in ConfigJobName]: (data: ConfigJob<N>) => Promise<ConfigReplies[N]> } {
  return {
    'ticket.reserve': (data) => reserveTicket(deps, data),
    'ticket.update': (data) => updateTicket(deps, data),
    'ticket.get': (data) => getTicket(deps, data),
    'ticket.change-type': (data) => changeTicketType(deps, data),
    'ticket.mark-reopened': (data) => markReopened(deps, data),
    'ticket.channel-deleted': (data) => channelDeleted(deps, data),
    'guild.joined': (data) => guildJoined(deps, data),
    'guild.left': (data) => guildLeft(deps, data),
    'guild.purge': (data) => guildPurge(deps, data),
    'guild.projection': (data) => guildProjection(deps, data),
    'guild.log-problem': (data) => guildLogProblem(deps, data),
    'config.command': (data) => configCommand(deps, data),
    'feedback.offer': (data) => feedbackOffer(deps, data),
    'feedback.rate': (data) => feedbackRate(deps, data),
  };
}

/** Opens the database (migrated), rebuilds missing projections and starts the `config` worker. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const options = { ...defaults, ...overrides };
  const logger = options.logger ?? createLogger({ service: 'config-service', level: config.logLevel });
  const sequelize = createSequelize(config.databaseUrl);
  // A Postgres started beside it (compose's `postgres` profile) may still be initialising:
  // keep asking for a minute before giving up. A SQLite file opens or fails at once.
  for (let attempt = 1; ; attempt++) {
    try {
      await sequelize.authenticate();
      break;
    } catch (error) {
      if (config.databaseUrl.startsWith('sqlite:') || attempt >= 30) throw error;
      logger.warn({ err: safeError(error), attempt }, 'the database does not answer yet; trying again in 2 s');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
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
    compute: () => repo.write(() => repo.stats.analytics(now())),
    redis,
    prefix: config.queuePrefix,
    debounceMs: options.analyticsDebounceMs,
    onError: (error) => logger.warn({ err: safeError(error) }, 'analytics write failed; retrying'),
  });

  const deps: HandlerDeps = {
    config,
    repo,
    projection,
    guildLock: repo.configLock,
    eraseFromRedis: (userId) => eraseMemberFromQueues(redis, config.queuePrefix, userId),
    discord:
      options.discord ??
      createDiscordApi(config, metrics, new GlobalRequestBudget(redis, globalBudgetKey(config.queuePrefix, config.applicationId), config.discordGlobalRps)),
    configQueue,
    logger,
    now,
    analytics,
    feedbackOnce: {
      claim: async (mark, guildId, ticketNumber, ttlMs) =>
        (await redis.set(feedbackMarkKey(config.queuePrefix, mark, guildId, ticketNumber), '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK',
      release: async (mark, guildId, ticketNumber) => void (await redis.del(feedbackMarkKey(config.queuePrefix, mark, guildId, ticketNumber))),
    },
    async log(event: LogEvent) {
      await addJob(logsQueue, 'log.event', { v: 1, at: deps.now().toISOString(), ...event });
    },
  };

  // Redis is a cache: before taking jobs, every projection, pending purge and auto-close
  // check is derived again from the database; then again periodically and after a loss.
  const reconciler = startReconciler(deps, ticketsQueue, redis, { intervalMs: config.reconcileMs });
  await reconciler.run();
  await analytics.flush();

  const processConfigJob = jobProcessor(configJobSchemas, configHandlers(deps));
  const worker = createWorker(
    QueueName.config,
    async (job) => {
      const started = Date.now();
      const result = await processConfigJob(job);
      logger.debug({ queue: QueueName.config, job: job.name, jobId: job.id, ms: Date.now() - started }, 'job done');
      return result;
    },
    {
      // Each job records the replica that processed it (processedBy), shown by the queue board.
      name: `config-service@${hostname()}:${process.pid}`,
      connection: workerConnection,
      prefix: config.queuePrefix,
      metrics,
      logger,
      describeError: safeError,
      concurrency: options.concurrency,
    },
  );
  worker.on('failed', (job, error) => {
    // job.data carries the interaction token: log the name and id only.
    const data = job?.data as { guildId?: string; ctx?: { guildId?: string } } | undefined;
    logger.error(
      { queue: QueueName.config, job: job?.name, jobId: job?.id, guildId: data?.guildId ?? data?.ctx?.guildId, err: safeError(error) },
      'job failed',
    );
  });
  await worker.waitUntilReady();

  const checks: HealthChecks = {
    database: async () => (await sequelize.query('SELECT 1')) !== undefined,
    redis: async () => (await redis.ping()) === 'PONG',
    worker: () => worker.isRunning(),
  };
  let health: HealthServer | undefined;
  if (config.healthPort !== undefined) health = await startHealthServer(config.healthPort, checks);
  logger.info({ queue: QueueName.config, prefix: config.queuePrefix }, 'config-service ready');

  let closing: Promise<void> | undefined;
  return {
    repo,
    healthPort: health?.port,
    health: checks,
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
