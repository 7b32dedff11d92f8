import { Queue, QueueEvents, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { configJobSchemas, parseJob, type ConfigJob, type ConfigJobName } from '../contracts/jobs.js';
import { guildConfigSchema, type GuildConfig } from '../contracts/guild-config.js';
import { projectionKey, QueueName } from '../contracts/queues.js';
import { jobRetention } from './retention.js';

export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError';
}

/**
 * Request/reply to config-service over BullMQ: add a job to the `config` queue and
 * wait for its return value.
 */
export class ConfigClient {
  readonly queue: Queue;
  readonly events: QueueEvents;
  #closing: Promise<void> | undefined;

  constructor(
    connection: Redis,
    eventsConnection: Redis,
    readonly prefix: string,
  ) {
    this.queue = new Queue(QueueName.config, { connection, prefix });
    this.events = new QueueEvents(QueueName.config, { connection: eventsConnection, prefix });
    // Every pending waitUntilFinished adds one listener to each.
    this.events.setMaxListeners(10_000);
    this.queue.setMaxListeners(10_000);
  }

  /** Fire and forget (still validated). */
  async send<N extends ConfigJobName>(name: N, data: ConfigJob<N>, opts: JobsOptions = {}): Promise<void> {
    parseJob(configJobSchemas, name, data);
    await this.queue.add(name, data, { ...jobRetention, attempts: 5, backoff: { type: 'exponential', delay: 500 }, ...opts });
  }

  /** Adds the job and waits for config-service's answer. */
  async request<N extends ConfigJobName, R>(name: N, data: ConfigJob<N>, { timeoutMs = 30_000, jobId }: { timeoutMs?: number; jobId?: string } = {}): Promise<R> {
    parseJob(configJobSchemas, name, data);
    const job = await this.queue.add(name, data, {
      ...(jobId ? { jobId } : {}),
      removeOnComplete: { age: 600, count: 1000 },
      removeOnFail: { age: 3600, count: 5000 }, // request/reply: a failure is retried by the caller
      attempts: 3,
      backoff: { type: 'exponential', delay: 200 },
    });
    try {
      return (await job.waitUntilFinished(this.events, timeoutMs)) as R;
    } catch (error) {
      if (error instanceof Error && /timed out/i.test(error.message)) throw new RequestTimeoutError(`config-service did not answer ${name} within ${timeoutMs} ms`);
      throw error;
    }
  }

  async waitUntilReady(): Promise<void> {
    await Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]);
  }

  close(): Promise<void> {
    this.#closing ??= Promise.all([this.events.close(), this.queue.close()]).then(() => undefined);
    return this.#closing;
  }
}

/** One GET of the guild's projection; null when config-service has not written one. */
export async function readGuildConfig(redis: Redis, prefix: string, guildId: string): Promise<GuildConfig | null> {
  const raw = await redis.get(projectionKey(prefix, guildId));
  if (raw === null) return null;
  return guildConfigSchema.parse(JSON.parse(raw));
}

/** The guild's projection; when Redis has none (lost, or not written yet), config-service publishes it from the database. */
export async function guildConfigOrAsk(redis: Redis, client: ConfigClient, guildId: string, timeoutMs = 5_000): Promise<GuildConfig> {
  const projection = await readGuildConfig(redis, client.prefix, guildId);
  if (projection) return projection;
  return guildConfigSchema.parse(await client.request('guild.projection', { v: 1, guildId }, { timeoutMs }));
}
