import type { API } from '@discordjs/core/http-only';
import type { Queue } from 'bullmq';
import type { GuildConfig } from '@promton/shared/contracts';
import type { ConfigClient, GuildPace, Logger } from '@promton/shared/runtime';

/** What the ticket handlers need; createApp wires the real ones, tests may wire others. */
export interface TicketDeps {
  /** Bot REST (counts against the global limit). */
  api: API;
  /** Interaction webhooks (exempt from the global limit). */
  interactions: API;
  config: ConfigClient;
  logs: Queue;
  /** The `tickets` queue itself, for delayed auto-close checks. */
  tickets: Queue;
  readConfig(guildId: string): Promise<GuildConfig | null>;
  botUserId: string;
  /** True the first time a key is claimed within ttlMs (a Redis SET NX): an effect outside Discord's reach of reconciliation, such as a DM, happens once. */
  once(key: string, ttlMs: number): Promise<boolean>;
  logger: Logger;
  now(): Date;
  /** When each guild's opens may take a worker slot (see openTurn in process-ticket-job.ts); without it an open starts at once. */
  pace?: GuildPace;
}

/** Where a handler is in its job's life: a resumed job reconciles before creating anything. */
export interface JobRun {
  /** True when an earlier attempt of this job may have done part of the work. */
  resumed: boolean;
  /** Steps an earlier attempt recorded (kept in the job's progress). */
  steps: Readonly<Record<string, string>>;
  record(step: string, value: string): Promise<void>;
}
