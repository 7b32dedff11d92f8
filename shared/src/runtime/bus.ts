import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ConfigJob, ConfigReplies, ConfigRequestName } from '../contracts/jobs.js';
import { guildConfigSchema, type GuildConfig } from '../contracts/guild-config.js';
import { projectionKey, QueueName } from '../contracts/queues.js';
import { addJob } from './jobs.js';

export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError';
}

/**
 * Request/reply to config-service over BullMQ: add a job to the `config` queue and
 * wait for its return value; the reply's type follows from the job name (ConfigReplies).
 *
 * Transport decision: BullMQ's `waitUntilFinished` on the `config` queue's event stream,
 * not a separate broker (@discordjs/brokers' RPC). The request is then an ordinary job:
 * it is retried with the job's own policy, survives a config-service restart in the
 * queue, is deduplicated by job id (a retried open reserves once) and shows on the queue
 * board; a broker would add a second delivery path with its own acknowledgements and
 * retries to keep consistent with BullMQ's. The price is one QueueEvents stream read by
 * every waiting caller (hence the raised listener limit), which a service holds once.
 *
 * Requests are kept to what a caller cannot go on without (a ticket open asks once, to
 * reserve its number); what a caller only reports is an event: the same `config` queue,
 * added through `addJob` on `queue` without waiting (an open's steps are recorded in its
 * own job's progress and end with one `ticket.open-result`). Only the names of
 * ConfigRequestName can be requested, and their reply types come from ConfigReplies.
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

  /** Adds the job (validated, options from the table) and waits for config-service's answer. */
  async request<N extends ConfigRequestName>(
    name: N,
    data: ConfigJob<N>,
    { timeoutMs = 30_000, jobId }: { timeoutMs?: number; jobId?: string } = {},
  ): Promise<ConfigReplies[N]> {
    const job = await addJob(this.queue, name, data, jobId ? { jobId } : {});
    try {
      return (await job.waitUntilFinished(this.events, timeoutMs)) as ConfigReplies[N];
    } catch (error) {
      if (error instanceof Error && /timed out/i.test(error.message))
        throw new RequestTimeoutError(`config-service did not answer ${name} within ${timeoutMs} ms`);
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
