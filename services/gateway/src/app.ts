import { Client, GatewayDispatchEvents, GatewayIntentBits } from '@discordjs/core';
import { CloseCodes, WebSocketManager, WebSocketShardEvents, WebSocketShardStatus } from '@discordjs/ws';
import type { ConfigJob } from '@promton/shared/contracts';
import { addJob, type HealthChecks, type Runtime } from '@promton/shared/runtime';
import type { APIInteraction } from 'discord-api-types/v10';
import { createInteractionHandler } from './interaction-handler.js';
import { InteractionLine } from './interaction-line.js';
import { registerCommands } from './register-commands.js';
import { RedisIdentifyThrottler, RedisSessionStore } from './shard-coordination.js';

/** Interactions the gateway answers at once; the rest wait in line (each answer mostly waits on Redis and Discord). */
const ANSWERED_AT_ONCE = 256;
/**
 * How long an interaction may wait for its turn before it is dropped: Discord refuses an
 * initial response 3 s after the interaction, and what is left must cover the answer itself.
 */
const MAX_WAIT_FOR_TURN_MS = 2_000;

export interface GatewayApp {
  /** What its /healthz checks (served on HEALTH_PORT when set). */
  readonly health: HealthChecks;
  /** Closes the runtime it was started in (once). */
  close(): Promise<void>;
}

/**
 * Connects to Discord's gateway, answers every interaction at once and publishes the work.
 * Everything it opens is registered in `runtime` (a producer's: its connection fails fast).
 */
export function createApp(runtime: Runtime): Promise<GatewayApp> {
  return runtime.start(() => start(runtime));
}

async function start(runtime: Runtime): Promise<GatewayApp> {
  const { config, logger } = runtime;
  const handler = await createInteractionHandler(runtime);
  const { redis, queues, discord } = handler;
  const { rest } = discord;

  // Sessions and identify slots live in Redis, so several gateway processes (SHARD_IDS)
  // share Discord's identify buckets and a restarted process resumes its shards.
  const sessions = new RedisSessionStore(redis, config.queuePrefix, config.applicationId, (error) =>
    logger.warn({ err: error.message }, 'could not save a shard session'),
  );
  let sessionsFrozen = false;
  const gateway = new WebSocketManager({
    token: config.discordToken,
    // Only what a feature uses: guild and channel lifecycle. Messages are read over REST (transcripts, auto-close).
    intents: GatewayIntentBits.Guilds,
    rest,
    ...(config.shardCount ? { shardCount: config.shardCount } : {}),
    ...(config.shardIds ? { shardIds: config.shardIds } : {}),
    buildIdentifyThrottler: async (manager) =>
      new RedisIdentifyThrottler(
        redis,
        config.queuePrefix,
        config.applicationId,
        (await manager.fetchGatewayInformation()).session_start_limit.max_concurrency,
      ),
    retrieveSessionInfo: (shardId) => sessions.retrieve(shardId),
    updateSessionInfo: (shardId, info) => {
      // While shutting down, keep the sessions so the next process resumes them.
      if (!sessionsFrozen) sessions.update(shardId, info);
    },
  });
  const client = new Client({ rest, gateway });
  runtime.own('gateway connection', gateway, async (manager) => {
    // Not 1000: Discord keeps a session closed with any other code resumable, and the
    // sessions stay in Redis, so the next process resumes instead of identifying.
    await sessions.flushed();
    sessionsFrozen = true;
    await manager.destroy({ code: CloseCodes.Resuming });
  });

  // Interactions are answered ANSWERED_AT_ONCE at a time; under overload the ones that
  // waited too long for their turn are dropped (counted and logged every 5 s), instead of the
  // gateway starting every one it reads and growing until its heap cap ends it.
  let shedSinceLog = 0;
  let shedLoggedAt = 0;
  const line = new InteractionLine(
    (data: APIInteraction) => handler.answerViaCallback(data).catch((error: Error) => logger.error({ err: error.message }, 'interaction handler crashed')),
    {
      limit: ANSWERED_AT_ONCE,
      maxWaitMs: MAX_WAIT_FOR_TURN_MS,
      onShed: () => {
        handler.metrics.interactionsShed.inc();
        shedSinceLog += 1;
        if (Date.now() - shedLoggedAt < 5_000) return;
        logger.warn(
          { dropped: shedSinceLog, waiting: line.waiting },
          `overloaded: dropped interactions that waited over ${MAX_WAIT_FOR_TURN_MS} ms for their turn`,
        );
        shedSinceLog = 0;
        shedLoggedAt = Date.now();
      },
    },
  );
  client.on(GatewayDispatchEvents.InteractionCreate, ({ data }) => line.push(data));

  const lifecycle = <N extends 'guild.joined' | 'guild.left' | 'ticket.channel-deleted'>(name: N, data: Omit<ConfigJob<N>, 'v'>) =>
    addJob(queues.config, name, { v: 1, ...data } as ConfigJob<N>).catch((error: Error) =>
      logger.error({ err: error.message, job: name }, 'could not publish a guild event'),
    );

  client.on(GatewayDispatchEvents.GuildCreate, ({ data }) => {
    void lifecycle('guild.joined', { guildId: data.id, memberCount: data.member_count ?? 0 });
  });
  client.on(GatewayDispatchEvents.GuildDelete, ({ data }) => {
    // unavailable: true is an outage, not a removal: nothing is purged.
    if (data.unavailable) return;
    void lifecycle('guild.left', { guildId: data.id });
  });
  client.on(GatewayDispatchEvents.ChannelDelete, ({ data }) => {
    if ('guild_id' in data && data.guild_id) void lifecycle('ticket.channel-deleted', { guildId: data.guild_id, channelId: data.id });
  });
  // A thread ticket deleted by hand closes like a deleted ticket channel.
  client.on(GatewayDispatchEvents.ThreadDelete, ({ data }) => {
    void lifecycle('ticket.channel-deleted', { guildId: data.guild_id, channelId: data.id });
  });
  gateway.on(WebSocketShardEvents.Error, (error, shardId) => logger.error({ shardId, err: error.message }, 'shard error'));
  gateway.on(WebSocketShardEvents.Ready, (_data, shardId) => logger.info({ shardId }, 'shard identified'));
  gateway.on(WebSocketShardEvents.Resumed, (shardId) => logger.info({ shardId }, 'shard resumed'));

  await handler.ready();
  if (await registerCommands(client.api, redis, config.queuePrefix, config.applicationId)) logger.info('slash commands registered');
  await gateway.connect();
  logger.info({ shards: await gateway.getShardIds() }, 'gateway connected');

  const health = await runtime.health({
    redis: async () => (await redis.ping()) === 'PONG',
    discord: async () => [...(await gateway.fetchStatus()).values()].every((status) => status === WebSocketShardStatus.Ready),
  });
  return { health, close: () => runtime.close() };
}
