import { Queue, type Job, type QueueOptions, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../contracts/config.js';
import type { QueueName } from '../contracts/queues.js';
import { GlobalRequestBudget, globalBudgetKey } from './global-budget.js';
import { startHealthServer, withDeadline, type HealthChecks } from './health.js';
import { createLogger } from './logger.js';
import { createMetrics, startMetricsPublisher, type Metrics } from './metrics.js';
import { createRedis, type RedisConnectionOptions } from './redis.js';
import { createWorker, type CreateWorkerOptions } from './worker.js';

/** How long closing a queue or a connection over a lost Redis may wait before it is cut. */
const LOST_REDIS_CLOSE_MS = 1_000;

export interface RuntimeOptions {
  /** The logger to use (a test's); otherwise one is created for the service at config.logLevel. */
  logger?: Logger;
  /** The role of the runtime's own connection: `worker` (waits for Redis, the default) or `producer` (a request path: fails fast). */
  role?: RedisConnectionOptions['role'];
}

interface Resource {
  name: string;
  close(): unknown;
}

/**
 * What a running service holds (its logger, Redis connections, queues, workers, metrics,
 * the bot's global request budget, its health server and whatever else it registers) and
 * the one place that closes them: in the reverse order of registration, each once, on
 * the first `close()` (a signal, a fatal error, or the owner). A resource that fails to
 * close does not keep the later ones open; the first failure is rethrown at the end.
 *
 * Registration order is start order: what a service opens first (its connections) closes
 * last, after what uses it (workers stop taking jobs before their queues and connections go).
 */
export class Runtime {
  readonly logger: Logger;
  readonly #resources: Resource[] = [];
  #closing: Promise<void> | undefined;
  #metrics: Metrics | undefined;
  #budget: GlobalRequestBudget | undefined;
  #redis: Redis | undefined;
  readonly #role: RedisConnectionOptions['role'];

  constructor(
    readonly service: string,
    readonly config: Config,
    options: RuntimeOptions = {},
  ) {
    this.logger = options.logger ?? createLogger({ service, level: config.logLevel });
    this.#role = options.role ?? 'worker';
    // First in, last out: every other close can still log.
    this.own('logger', this.logger, (logger) => {
      logger.info(`${service} closed`);
      logger.flush();
    });
  }

  /** Whether close() has been called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Registers `resource`, closed by `close` when the runtime closes (after everything
   * registered later). Registered after the runtime began closing, it is closed at once.
   */
  own<T>(name: string, resource: T, close: (resource: T) => unknown): T {
    const entry: Resource = { name, close: () => close(resource) };
    if (this.#closing) {
      this.logger.warn({ resource: name }, 'opened while closing; closed at once');
      void Promise.resolve()
        .then(entry.close)
        .catch((error: unknown) => this.logger.warn({ resource: name, err: (error as Error).message }, 'close failed'));
    } else {
      this.#resources.push(entry);
    }
    return resource;
  }

  /** A new Redis connection, its errors logged, quit on close (cut when Redis is gone). */
  redis(role: RedisConnectionOptions['role'], name = `redis (${role})`): Redis {
    const redis = createRedis(this.config.redisUrl, { role });
    redis.on('error', (error) => this.logger.warn({ connection: name, err: error.message }, 'redis connection error'));
    return this.own(name, redis, closeRedis);
  }

  /** The runtime's own connection (queues, metrics, budget, the service's reads), opened on first use. */
  get connection(): Redis {
    this.#redis ??= this.redis(this.#role, 'redis');
    return this.#redis;
  }

  /** A queue to add jobs to, on `connection` (the runtime's own by default), closed before it. */
  queue(
    name: QueueName,
    { connection = this.connection, ...options }: Partial<Omit<QueueOptions, 'connection' | 'prefix'>> & { connection?: Redis } = {},
  ): Queue {
    const queue = new Queue(name, { ...options, connection, prefix: this.config.queuePrefix });
    queue.on('error', (error) => this.logger.warn({ queue: name, err: error.message }, 'queue error'));
    return this.own(`queue ${name}`, queue, (q) =>
      connection.status === 'ready' ? q.close() : withDeadline(q.close(), LOST_REDIS_CLOSE_MS).catch(() => undefined),
    );
  }

  /** The service's metrics, published to Redis for the web service's aggregate until close; one per runtime. */
  get metrics(): Metrics {
    if (!this.#metrics) {
      const metrics = createMetrics(this.service);
      const publisher = startMetricsPublisher(metrics, this.connection, this.config.queuePrefix, {
        onError: (error) => this.logger.debug({ err: (error as Error).message }, 'metrics publish failed'),
      });
      this.own('metrics publisher', publisher, (p) => p.close());
      this.#metrics = metrics;
    }
    return this.#metrics;
  }

  /** The bot's global request budget (Discord's 50/s per bot, shared by every process through Redis); one per runtime. */
  get budget(): GlobalRequestBudget {
    this.#budget ??= new GlobalRequestBudget(
      this.connection,
      globalBudgetKey(this.config.queuePrefix, this.config.applicationId),
      this.config.discordGlobalRps,
    );
    return this.#budget;
  }

  /**
   * The service's worker on `queue` (createWorker: the shared defaults, metrics, retention),
   * on a connection of its own; closed (its jobs in hand finished) before what it uses.
   */
  worker(
    queue: QueueName,
    processor: (job: Job) => Promise<unknown>,
    options: Omit<CreateWorkerOptions, 'connection' | 'prefix' | 'metrics' | 'logger'> = {},
  ): Worker {
    const connection = this.redis('worker', `redis (${queue} worker)`);
    const worker = createWorker(queue, processor, { ...options, connection, prefix: this.config.queuePrefix, metrics: this.metrics, logger: this.logger });
    return this.own(`worker ${queue}`, worker, (w) => w.close());
  }

  /** Serves `checks` on HEALTH_PORT (when set) until close; returns them. */
  async health(checks: HealthChecks): Promise<HealthChecks> {
    if (this.config.healthPort !== undefined) {
      const server = await startHealthServer(this.config.healthPort, checks);
      this.own('health server', server, (s) => s.close());
    }
    return checks;
  }

  /**
   * A runtime of its own for a service run inside this process (all-in-one), with the
   * same config but for `config`; it closes when this one does, in its place in the order.
   */
  child(service: string, config: Config = this.config, options: RuntimeOptions = {}): Runtime {
    const child = new Runtime(service, config, options);
    return this.own(service, child, (c) => c.close());
  }

  /**
   * Runs `start`; when it fails, closes what it had opened and rethrows. The app a
   * service's createApp returns is built this way, so a failed start leaks nothing.
   */
  async start<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (error) {
      await this.close().catch(() => undefined);
      throw error;
    }
  }

  /** Closes everything registered, last first, once: later calls return the same promise. */
  close(): Promise<void> {
    this.#closing ??= this.#closeAll();
    return this.#closing;
  }

  async #closeAll(): Promise<void> {
    const failures: unknown[] = [];
    for (const resource of this.#resources.reverse()) {
      try {
        await resource.close();
      } catch (error) {
        failures.push(error);
        this.logger.warn({ resource: resource.name, err: (error as Error).message }, 'close failed');
      }
    }
    if (failures.length) throw failures[0];
  }
}

/** QUIT when Redis answers (pending replies arrive first); cut the connection when it does not. */
async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') return redis.disconnect();
  await withDeadline(redis.quit(), LOST_REDIS_CLOSE_MS).catch(() => redis.disconnect());
}

/** A runtime for `service` with `config`. */
export function createRuntime(service: string, config: Config, options: RuntimeOptions = {}): Runtime {
  return new Runtime(service, config, options);
}
