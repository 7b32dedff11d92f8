import { randomUUID } from 'node:crypto';
import { inject, vi } from 'vitest';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  EMULATOR_APPLICATION_ID,
  QueueName,
  configJobSchemas,
  defaultGuildConfig,
  loadConfig,
  openResultChanges,
  projectionKey,
  type ConfigJob,
  type ConfigReplies,
  type ConfigRequestName,
  type GuildConfig,
  type InteractionContext,
  type LogJob,
  type TicketJob,
  type TicketJobName,
  type TicketRecord,
  type TicketType,
} from '@promton/shared/contracts';
import { addJob, createDiscordClients, createRedis, createRuntime, jobProcessor, type JobHandlers } from '@promton/shared/runtime';
// The emulator is our stand-in for Discord, not product code: tests start it in-process.
import { createEmulator, EmulatorClient, type Channel, type Emulator, type SeedGuildInput, type SeededGuild } from '@promton/discord-emulator';
import { testPrefix } from '../../../scripts/stack/prefix.js';
import { ticketType } from '../../../tests/support/ticket-type.js';
import { createApp, type TicketWorkerApp } from '../src/app.js';

/** View Channel and Send Messages: what a plain member has in the channel they click in. */
export const MEMBER_PERMISSIONS = ((1n << 10n) | (1n << 11n)).toString();

type Reply<N extends Answered> = ConfigReplies[N];
/** The jobs the double takes: the requests, and the event an open ends with. */
type Answered = ConfigRequestName | 'ticket.open-result';

/**
 * A test double of config-service at its service boundary: a BullMQ worker on the
 * `config` queue answering the four request/reply jobs the ticket-worker makes, with the
 * reply types of the contracts (ConfigReplies), and applying the `ticket.open-result` event
 * an open ends with. It keeps tickets in memory with config-service's rules that the sagas
 * rely on: reserve is idempotent on the interaction id and numbers per guild; a closed
 * ticket is never reopened; an open's result for a purged record asks ticket-worker to
 * delete its channel (`ticket.discard-channel`). `failNext` makes one matching request
 * fail for good, as a config-service crash or a lost reply would look to the saga; an
 * event that fails is retried by its job's own policy.
 */
export class ConfigDouble {
  readonly tickets: TicketRecord[] = [];
  readonly requests: { name: string; data: unknown }[] = [];
  readonly worker: Worker;
  #failures: { name: Answered; when: (data: never) => boolean; before?: () => Promise<void> }[] = [];
  #purges: { name: Answered; when: (data: never) => boolean }[] = [];
  readonly #tickets: Queue;
  #nextId = 1;

  constructor(
    connection: Redis,
    prefix: string,
    private readonly projections: (guildId: string) => Promise<GuildConfig | null>,
  ) {
    const handlers = {
      'ticket.reserve': async (data: ConfigJob<'ticket.reserve'>) => this.#answer('ticket.reserve', data, () => this.#reserve(data)),
      'ticket.update': async (data: ConfigJob<'ticket.update'>) => this.#answer('ticket.update', data, () => this.#update(data)),
      'ticket.open-result': async (data: ConfigJob<'ticket.open-result'>) => this.#answer('ticket.open-result', data, () => this.#openResult(data)),
      'ticket.get': async (data: ConfigJob<'ticket.get'>) => this.#answer('ticket.get', data, () => this.#get(data)),
      'guild.projection': async (data: ConfigJob<'guild.projection'>) =>
        this.#answer('guild.projection', data, async () => (await this.projections(data.guildId)) ?? defaultGuildConfig(data.guildId)),
    } as Partial<JobHandlers<typeof configJobSchemas>>;
    this.#tickets = new Queue(QueueName.tickets, { connection, prefix });
    this.worker = new Worker(QueueName.config, jobProcessor(configJobSchemas, handlers as JobHandlers<typeof configJobSchemas>), {
      connection,
      prefix,
      concurrency: 1,
    });
  }

  /** The next request of that name (matching `when`) fails for good once; `before` runs first (e.g. to change the caller's job before its retry). */
  failNext<N extends Answered>(name: N, when: (data: ConfigJob<N>) => boolean = () => true, before?: () => Promise<void>): void {
    this.#failures.push({ name, when: when as (data: never) => boolean, ...(before ? { before } : {}) });
  }

  /** Removes the guild's tickets just before the next request of that name (matching `when`) is answered: a purge racing the saga. */
  purgeBefore<N extends Answered>(name: N, when: (data: ConfigJob<N>) => boolean = () => true): void {
    this.#purges.push({ name, when: when as (data: never) => boolean });
  }

  async #answer<N extends Answered>(name: N, data: ConfigJob<N>, reply: () => Reply<N> | Promise<Reply<N>>): Promise<Reply<N>> {
    this.requests.push({ name, data });
    const purge = this.#purges.findIndex((p) => p.name === name && p.when(data as never));
    if (purge >= 0) {
      this.#purges.splice(purge, 1);
      const guildId = (data as { guildId: string }).guildId;
      for (let i = this.tickets.length - 1; i >= 0; i--) if (this.tickets[i]!.guildId === guildId) this.tickets.splice(i, 1);
    }
    const failure = this.#failures.findIndex((f) => f.name === name && f.when(data as never));
    if (failure >= 0) {
      const { before } = this.#failures.splice(failure, 1)[0]!;
      await before?.();
      // A request fails for good (its caller's attempt fails); an event is retried by BullMQ, as config-service's would be.
      if (name === 'ticket.open-result') throw new Error(`config double: ${name} failed once on purpose`);
      throw new UnrecoverableError(`config double: ${name} failed once on purpose`);
    }
    return reply();
  }

  async #reserve(job: ConfigJob<'ticket.reserve'>): Promise<Reply<'ticket.reserve'>> {
    const existing = this.tickets.find((t) => t.openingInteractionId === job.interactionId);
    if (existing) return { ok: true, ticket: { ...existing } };
    const type = (await this.projections(job.guildId))?.types.find((t) => t.name === job.typeName);
    if (!type) return { ok: false, reason: 'unknown-type' };
    const open = this.tickets.filter((t) => t.guildId === job.guildId && t.typeName === type.name && t.creatorId === job.creatorId && t.status !== 'closed');
    if (open.length >= type.perUserLimit)
      return { ok: false, reason: 'limit', limit: type.perUserLimit, open: open.map((t) => ({ number: t.number, channelId: t.channelId })) };
    const ticket: TicketRecord = {
      id: this.#nextId++,
      guildId: job.guildId,
      number: this.tickets.filter((t) => t.guildId === job.guildId).length + 1,
      typeName: type.name,
      creatorId: job.creatorId,
      channelId: null,
      status: 'opening',
      claimedBy: null,
      createdAt: new Date().toISOString(),
      closedAt: null,
      closedBy: null,
      closeReason: null,
      welcomeMessageId: null,
      openingInteractionId: job.interactionId,
      priority: 'normal',
      firstReplyAt: null,
      thread: false,
      archivedAt: null,
      reopenedAt: null,
    };
    this.tickets.push(ticket);
    return { ok: true, ticket: { ...ticket } };
  }

  #update(job: ConfigJob<'ticket.update'>): Reply<'ticket.update'> {
    const ticket = this.tickets.find((t) => t.id === job.ticketId && t.guildId === job.guildId);
    if (!ticket) return null;
    const { status, ...rest } = job.set;
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) Object.assign(ticket, { [key]: value });
    if (status && !(ticket.status === 'closed' && status === 'open')) ticket.status = status;
    return { ...ticket };
  }

  async #openResult(job: ConfigJob<'ticket.open-result'>): Promise<void> {
    const ticket = this.#update({ v: 1, guildId: job.guildId, ticketId: job.ticketId, set: openResultChanges(job) });
    if (!ticket && job.channelId)
      await addJob(this.#tickets, 'ticket.discard-channel', { v: 1, guildId: job.guildId, channelId: job.channelId }, { jobId: `discard-${job.channelId}` });
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.#tickets.close();
  }

  #get(job: ConfigJob<'ticket.get'>): Reply<'ticket.get'> {
    const ticket = this.tickets.find(
      (t) => t.guildId === job.guildId && (job.number !== undefined ? t.number === job.number : job.channelId !== undefined && t.channelId === job.channelId),
    );
    return ticket ? { ...ticket } : null;
  }

  /** The requests of one name, in order. */
  made<N extends Answered>(name: N): ConfigJob<N>[] {
    return this.requests.filter((r) => r.name === name).map((r) => r.data as ConfigJob<N>);
  }
}

export interface SagaHarness {
  emulator: Emulator;
  control: EmulatorClient;
  guild: SeededGuild;
  /** A member of the guild who opens tickets. */
  memberId: string;
  configService: ConfigDouble;
  worker: TicketWorkerApp;
  prefix: string;
  /** A Redis connection on the test's server (the worker's keys are under `prefix`). */
  redis: Redis;
  /** The `tickets` queue the jobs are added to. */
  tickets: Queue;
  /** Writes the guild's projection, as config-service would after /config. */
  setTypes(types: Partial<TicketType>[], extra?: Partial<GuildConfig>): Promise<void>;
  /** A member's click (in #general unless told), acknowledged (deferred) as the gateway does; returns the context the gateway would publish. */
  interaction(userId?: string, roles?: string[], options?: { permissions?: string; channelId?: string }): Promise<InteractionContext>;
  /** Adds a tickets job as the gateway does (job id from the interaction id) and waits until it completed or failed for good; `attempts` counts the attempts run. */
  run<N extends TicketJobName>(
    name: N,
    data: TicketJob<N>,
    jobId?: string,
  ): Promise<{ state: 'completed' | 'failed'; attempts: number; failedReason: string | undefined }>;
  /**
   * The next write of `step` into a job's progress (JobRun.record) fails once, as a Redis
   * connection lost at that moment would fail it: the attempt fails with the step done in
   * Discord but not recorded. `before` runs first (e.g. to change the job before its retry).
   */
  failStepRecordOnce(step: string, before?: () => Promise<void>): void;
  /** The deferred answer's content (null while still "thinking"). */
  answerOf(ctx: InteractionContext): Promise<string | null>;
  /** The guild's text channels whose name is the ticket's. */
  channelsNamed(name: string): Channel[];
  /** Messages of a channel, oldest first. */
  messagesOf(
    channelId: string,
  ): Promise<{ id: string; author: { id: string }; components: unknown[]; attachments: { filename: string; size: number; url: string }[] }[]>;
  /** The `log.event` jobs the worker added. */
  logEvents(): Promise<LogJob<'log.event'>[]>;
  close(): Promise<void>;
}

let interactionCounter = 0;

/**
 * The ticket-worker in-process (its real app: BullMQ worker, @discordjs/rest) against
 * the real discord-emulator started in this process, real Redis on a fresh prefix, and
 * a config-service double on the `config` queue.
 */
export async function startSagaHarness(seed: Partial<SeedGuildInput> = {}): Promise<SagaHarness> {
  const redisUrl = inject('redisUrl');
  const prefix = testPrefix();
  const emulator = await createEmulator({ port: 0, rateLimits: false });
  const control = new EmulatorClient(emulator.url);
  const guild = await control.seedGuild({
    name: 'Saga Guild',
    members: [{ username: 'member' }, { username: 'staff' }, { username: 'other-staff' }],
    roles: [{ name: 'Support Staff' }, { name: 'Billing Staff' }],
    ...seed,
    channels: [{ name: 'general' }, ...(seed.channels ?? [])],
  });
  const memberId = guild.members.find((m) => m.username === 'member')!.id;

  const redis = createRedis(redisUrl, { role: 'worker' });
  const readProjection = async (guildId: string): Promise<GuildConfig | null> => {
    const raw = await redis.get(projectionKey(prefix, guildId));
    return raw === null ? null : (JSON.parse(raw) as GuildConfig);
  };
  const configConnection = createRedis(redisUrl, { role: 'worker' });
  const configService = new ConfigDouble(configConnection, prefix, readProjection);
  await configService.worker.waitUntilReady();

  const config = loadConfig({ REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, DISCORD_API_URL: emulator.apiUrl, LOG_LEVEL: 'silent' });
  const worker = await createApp(createRuntime('ticket-worker', config), { concurrency: 4 });
  const tickets = new Queue(QueueName.tickets, { connection: redis, prefix });
  const logs = new Queue(QueueName.logs, { connection: redis, prefix });
  const configQueue = new Queue(QueueName.config, { connection: redis, prefix });
  // The gateway's own client: it defers each interaction before publishing the job.
  const gateway = createDiscordClients({ discordApiUrl: emulator.apiUrl, discordToken: config.discordToken, discordGlobalRps: 50 }, { retries: 0 });

  return {
    emulator,
    control,
    guild,
    memberId,
    configService,
    worker,
    prefix,
    redis,
    tickets,
    async setTypes(types, extra = {}) {
      const projection: GuildConfig = {
        ...defaultGuildConfig(guild.id),
        ...extra,
        types: types.map((t) => ticketType('support', { label: 'Support', ...t })),
      };
      await redis.set(projectionKey(prefix, guild.id), JSON.stringify(projection));
    },
    async interaction(
      userId = memberId,
      roles = [],
      { permissions = MEMBER_PERMISSIONS, channelId = guild.channels.find((c) => c.name === 'general')!.id } = {},
    ) {
      interactionCounter += 1;
      const { id, token } = await control.interact({ guildId: guild.id, channelId, userId, kind: 'button', customId: `saga-test:${interactionCounter}` });
      await gateway.interactions.interactions.defer(id, token, { flags: 64 });
      return {
        applicationId: EMULATOR_APPLICATION_ID,
        interactionId: id,
        token,
        guildId: guild.id,
        channelId,
        receivedAt: new Date().toISOString(),
        member: { userId, roles, permissions },
      };
    },
    async run(name, data, jobId) {
      const ctx = (data as { ctx?: InteractionContext }).ctx;
      const job = await addJob(tickets, name, data, { jobId: jobId ?? `int-${ctx?.interactionId ?? randomUUID()}` });
      for (;;) {
        const state = await job.getState();
        if (state === 'completed' || state === 'failed') {
          // And what it published to config-service (an open's result) is applied.
          await settled(configQueue);
          const fresh = (await Job.fromId(tickets, job.id!)) as Job;
          // BullMQ counts every finished attempt, the successful one included.
          return { state, attempts: fresh.attemptsMade, failedReason: fresh.failedReason };
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    failStepRecordOnce(step, before) {
      const record = Job.prototype.updateProgress;
      const spy = vi.spyOn(Job.prototype, 'updateProgress').mockImplementation(async function (this: Job, progress) {
        if (typeof progress === 'object' && progress !== null && step in progress) {
          spy.mockRestore();
          await before?.();
          throw new Error(`recording the step ${step} in the job's progress failed once on purpose`);
        }
        return record.call(this, progress);
      });
    },
    async answerOf(ctx) {
      const view = await control.interaction(ctx.interactionId);
      return view.original?.content || null;
    },
    channelsNamed(name) {
      return [...emulator.state.channels.values()].filter((c) => c.guild_id === guild.id && c.name === name);
    },
    async messagesOf(channelId) {
      return control.messages(channelId);
    },
    async logEvents() {
      const jobs = await logs.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
      return jobs.map((j) => j.data as LogJob<'log.event'>);
    },
    async close() {
      await worker.close();
      await configService.close();
      for (const name of [QueueName.tickets, QueueName.logs, QueueName.config]) {
        const queue = new Queue(name, { connection: redis, prefix });
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
      }
      await Promise.all([tickets.close(), logs.close(), configQueue.close()]);
      redis.disconnect();
      configConnection.disconnect();
      await emulator.close();
    },
  };
}

/** Waits until the queue holds no job still to run (waiting, active, delayed for a retry). */
async function settled(queue: Queue): Promise<void> {
  for (;;) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(counts).every((n) => n === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether a message carries a component with this custom id. */
export function hasComponent(message: { components: unknown[] }, id: string): boolean {
  return JSON.stringify(message.components).includes(`"custom_id":"${id}"`);
}
