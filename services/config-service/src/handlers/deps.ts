import type { Queue } from 'bullmq';
import type { Config, LogJob } from '@promton/shared/contracts';
import type { Logger, MemberErasure } from '@promton/shared/runtime';
import type { Repository } from '../db/repository.js';
import type { DiscordApi } from '../discord.js';
import type { Projection } from '../projection.js';

/** A `log.event` without the fields every event gets (version and time). */
export type LogEvent = Omit<LogJob<'log.event'>, 'v' | 'at'>;

/** Everything a handler may use; tests build it around fakes or the real thing. */
export interface HandlerDeps {
  config: Config;
  repo: Repository;
  projection: Projection;
  /** One section at a time per guild for read-modify-write-publish of its configuration. */
  guildLock: Repository['configLock'];
  discord: DiscordApi;
  /** Adds a validated `log.event` to the logs queue. */
  log(event: LogEvent): Promise<void>;
  /** The config queue itself, for delayed purge jobs. */
  configQueue: Queue;
  /** The tickets queue (ticket-worker), for cleanups only ticket-worker does on Discord. */
  ticketsQueue: Queue;
  logger: Logger;
  now(): Date;
  /** Removes finished jobs and queue events that name the member from Redis (/privacy delete). */
  eraseFromRedis(userId: string): Promise<MemberErasure>;
  /**
   * One offer and one rating per ticket: a Redis key per ticket and mark (guild and number, no member id) that expires
   * with the offer. `claim` is true for the first caller only.
   */
  feedbackOnce: {
    claim(mark: 'offered' | 'used', guildId: string, ticketNumber: number, ttlMs: number): Promise<boolean>;
    release(mark: 'offered' | 'used', guildId: string, ticketNumber: number): Promise<void>;
  };
  /** The owner's anonymous counts: call after a write that can move one (guilds, members, types, ticket status). */
  analytics: { changed(): void };
}
