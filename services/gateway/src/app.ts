import { Client, GatewayDispatchEvents, GatewayIntentBits } from '@discordjs/core';
import { CloseCodes, WebSocketManager, WebSocketShardEvents, WebSocketShardStatus } from '@discordjs/ws';
import type { ConfigJob } from '@promton/shared/contracts';
import { addJob, type HealthChecks, type Runtime } from '@promton/shared/runtime';
import { createInteractionHandler } from './interaction-handler.js';
import { registerCommands } from './register-commands.js';
import { RedisIdentifyThrottler, RedisSessionStore } from './shard-coordination.js';

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

  client.on(GatewayDispatchEvents.InteractionCreate, ({ data }) => {
    void handler.answerViaCallback(data).catch((error: Error) => logger.error({ err: error.message }, 'interaction handler crashed'));
  });

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
