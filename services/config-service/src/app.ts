import { hostname } from 'node:os';
import { configJobSchemas, feedbackMarkKey, QueueName, type ConfigJob, type ConfigJobName, type ConfigReplies } from '@promton/shared/contracts';
import { addJob, jobProcessor, eraseMemberFromQueues, type HealthChecks, type Metrics, type Runtime } from '@promton/shared/runtime';
import { AnalyticsPublisher } from './analytics.js';
import { migrate } from './db/migrations.js';
import { Repository } from './db/repository.js';
import { createSequelize } from './db/sequelize.js';
import { createDiscordApi, type DiscordApi } from './discord.js';
import { configCommand } from './handlers/config-command.js';
import type { HandlerDeps, LogEvent } from './handlers/deps.js';
import { guildJoined, guildLeft, guildLogProblem, guildProjection, guildPurge } from './handlers/guild-lifecycle.js';
import { changeTicketType, channelDeleted, getTicket, openResult, reopenRecord, reserveTicket, updateTicket } from './handlers/ticket-jobs.js';
import { feedbackOffer, feedbackRate } from './handlers/feedback.js';
import { Projection } from './projection.js';
import { startReconciler, type ReconcileReport } from './reconcile.js';
import { safeError } from './safe-error.js';

export interface AppOverrides {
  discord?: DiscordApi;
  now?: () => Date;
  /** Jobs processed at once; database writes are serialized whatever this is. */
  concurrency?: number;
  /** Changes within this window share one write of the analytics key. */
  analyticsDebounceMs?: number;
}

export interface App {
  /** Closes the runtime it was started in: intake stops first, then queues, Redis and the database. Safe to call twice. */
  close(): Promise<void>;
  readonly repo: Repository;
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
    'ticket.open-result': (data) => openResult(deps, data),
    'ticket.get': (data) => getTicket(deps, data),
    'ticket.change-type': (data) => changeTicketType(deps, data),
    'ticket.reopen-record': (data) => reopenRecord(deps, data),
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

/**
 * Opens the database (migrated), rebuilds missing projections and starts the `config`
 * worker. Everything it opens is registered in `runtime`.
 */
export function createApp(runtime: Runtime, overrides: AppOverrides = {}): Promise<App> {
  return runtime.start(() => start(runtime, { ...defaults, ...overrides }));
}

async function start(runtime: Runtime, options: AppOverrides & Required<Pick<AppOverrides, keyof typeof defaults>>): Promise<App> {
  const { config, logger } = runtime;
  const sequelize = runtime.own('database', createSequelize(config.databaseUrl), (s) => s.close());
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
  // Before the database closes, a write in progress finishes.
  const repo = runtime.own('repository', new Repository(sequelize), (r) => r.write(async () => undefined));

  const { connection: redis, metrics } = runtime;
  const configQueue = runtime.queue(QueueName.config);
  const logsQueue = runtime.queue(QueueName.logs);
  // For re-deriving auto-close checks from the database (see reconcile.ts) and an open's cleanup (ticket.discard-channel).
  const ticketsQueue = runtime.queue(QueueName.tickets);
  const projection = new Projection(repo, redis, config.queuePrefix);
  const now = options.now ?? (() => new Date());
  const analytics = runtime.own(
    'analytics',
    new AnalyticsPublisher({
      // Read under the write mutex: one consistent view, never half of a write.
      compute: () => repo.write(() => repo.stats.analytics(now())),
      redis,
      prefix: config.queuePrefix,
      debounceMs: options.analyticsDebounceMs,
      onError: (error) => logger.warn({ err: safeError(error) }, 'analytics write failed; retrying'),
    }),
    (a) => a.close(),
  );

  const deps: HandlerDeps = {
    config,
    repo,
    projection,
    guildLock: repo.configLock,
    eraseFromRedis: (userId) => eraseMemberFromQueues(redis, config.queuePrefix, userId),
    discord: options.discord ?? createDiscordApi(config, metrics, runtime.budget),
    configQueue,
    ticketsQueue,
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
  const reconciler = runtime.own('reconciler', startReconciler(deps, ticketsQueue, redis, { intervalMs: config.reconcileMs }), (r) => r.close());
  await reconciler.run();
  await analytics.flush();

  const processConfigJob = jobProcessor(configJobSchemas, configHandlers(deps));
  const worker = runtime.worker(
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
      describeError: safeError,
      concurrency: options.concurrency,
      // A job active when Redis restarts or a replica dies is taken again only once its lock
      // expires and a stalled check sees it: with BullMQ's 30 s defaults an open's result
      // (ticket.open-result, applied after the member's ✅) could wait a minute. Every config
      // job is idempotent, so a shorter lock only risks a harmless second run.
      lockDuration: 10_000,
      stalledInterval: 5_000,
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

  const health = await runtime.health({
    database: async () => (await sequelize.query('SELECT 1')) !== undefined,
    redis: async () => (await redis.ping()) === 'PONG',
    worker: () => worker.isRunning(),
  });
  logger.info({ queue: QueueName.config, prefix: config.queuePrefix }, 'config-service ready');
  return {
    repo,
    health,
    metrics,
    flushAnalytics: () => analytics.flush(),
    reconcile: () => reconciler.run(),
    close: () => runtime.close(),
  };
}
