import { Client, GatewayDispatchEvents, GatewayIntentBits, type APIInteraction } from '@discordjs/core';
import { WebSocketManager, WebSocketShardEvents, WebSocketShardStatus } from '@discordjs/ws';
import { Queue } from 'bullmq';
import { Routes } from 'discord-api-types/v10';
import { UNAVAILABLE, discordErrorCode } from '@promton/shared/domain';
import { QueueName, interactionJobId, type Config, type ConfigJob, type GuildConfig } from '@promton/shared/contracts';
import { addJob, ConfigClient, GlobalRequestBudget, guildConfigOrAsk, createDiscordClients, globalBudgetKey, createMetrics, startMetricsPublisher, createLogger, createRedis, startHealthServer, type HealthServer } from '@promton/shared/runtime';
import { interactionContext } from './interactions/interaction-context.js';
import { needsProjection, planInteraction, unavailablePlan, type PlannedJob } from './interactions/plan-interaction.js';
import { registerCommands } from './register-commands.js';

export interface GatewayApp {
  close(): Promise<void>;
}

const DISCORD_UNKNOWN_INTERACTION = 10062;
const DISCORD_ALREADY_ACKNOWLEDGED = 40060;

/** Connects to Discord's gateway, answers every interaction at once and publishes the work. */
export async function createApp(config: Config): Promise<GatewayApp> {
  const logger = createLogger({ service: 'gateway', level: config.logLevel });
  const redis = createRedis(config.redisUrl, { role: 'producer' });
  redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error'));
  await new Promise<void>((resolve, reject) => {
    if (redis.status === 'ready') return resolve();
    redis.once('ready', () => resolve());
    redis.once('end', () => reject(new Error('redis connection ended before it was ready')));
  });

  const queueOptions = { connection: redis, prefix: config.queuePrefix };
  const queues = { tickets: new Queue(QueueName.tickets, queueOptions), config: new Queue(QueueName.config, queueOptions) };
  for (const queue of Object.values(queues)) queue.on('error', (error) => logger.warn({ queue: queue.name, err: error.message }, 'queue error'));
  // Asks config-service for a projection Redis does not have (lost data, or not written yet).
  const eventsRedis = createRedis(config.redisUrl, { role: 'worker' });
  eventsRedis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error (events)'));
  const configClient = new ConfigClient(redis, eventsRedis, config.queuePrefix);
  configClient.queue.on('error', (error) => logger.warn({ err: error.message }, 'config client error'));
  configClient.events.on('error', (error) => logger.warn({ err: error.message }, 'config events error'));


  const metrics = createMetrics('gateway');
  const publisher = startMetricsPublisher(metrics, redis, config.queuePrefix, { onError: () => undefined });
  // The initial response must land within 3 s: a short timeout leaves room for one retry.
  const discord = createDiscordClients(config, { timeoutMs: 2_500, metrics, budget: new GlobalRequestBudget(redis, globalBudgetKey(config.queuePrefix, config.applicationId), config.discordGlobalRps) });
  const { rest } = discord;

  const gateway = new WebSocketManager({
    token: config.discordToken,
    // Only what a feature uses: guild and channel lifecycle. Messages are read over REST (transcripts, auto-close).
    intents: GatewayIntentBits.Guilds,
    rest,
    ...(config.shardCount ? { shardCount: config.shardCount } : {}),
    ...(config.shardIds ? { shardIds: config.shardIds } : {}),
  });
  const client = new Client({ rest, gateway });

  async function publish(job: PlannedJob): Promise<void> {
    const jobId = 'ctx' in job.data ? interactionJobId(job.data.ctx.interactionId) : undefined;
    await addJob(queues[job.queue], job.name, job.data, jobId ? { jobId } : {});
  }

  async function onInteraction(interaction: APIInteraction): Promise<void> {
    const receivedAt = new Date();
    const ctx = interactionContext(interaction, receivedAt);
    const log = logger.child({ interactionId: interaction.id, guildId: interaction.guild_id });

    let projection: GuildConfig | null = null;
    let redisFailed = false;
    if (ctx && needsProjection(interaction)) {
      try {
        // Within the 3 s of the initial response.
        projection = await guildConfigOrAsk(redis, configClient, ctx.guildId, 1_500);
      } catch (error) {
        redisFailed = true;
        log.warn({ err: (error as Error).message }, 'projection unreadable and config-service did not publish it in time');
      }
    }
    const plan = redisFailed ? unavailablePlan : planInteraction(interaction, ctx, projection);

    try {
      await discord.interactions.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: plan.response, auth: false });
      metrics.interactionAckLatency.observe({ type: String(interaction.type) }, (Date.now() - receivedAt.getTime()) / 1000);
    } catch (error) {
      const code = discordErrorCode(error);
      if (code === DISCORD_UNKNOWN_INTERACTION) {
        // Too late: Discord already told the member it failed; work done now would surprise them.
        log.warn('interaction expired before the initial response');
        return;
      }
      if (code !== DISCORD_ALREADY_ACKNOWLEDGED) log.error({ err: (error as Error).message }, 'initial response failed');
      // Already acknowledged means a duplicate delivery: the job id below dedupes it.
    }
    if (!plan.job) return;
    try {
      await publish(plan.job);
    } catch (error) {
      log.error({ err: (error as Error).message }, 'could not enqueue; telling the member');
      await discord.interactions.interactions
        .editReply(interaction.application_id, interaction.token, { content: UNAVAILABLE })
        .catch((editError: Error) => log.error({ err: editError.message }, 'could not tell the member either'));
    }
  }

  client.on(GatewayDispatchEvents.InteractionCreate, ({ data }) => {
    void onInteraction(data).catch((error: Error) => logger.error({ err: error.message }, 'interaction handler crashed'));
  });

  const lifecycle = <N extends 'guild.joined' | 'guild.left' | 'ticket.channel-deleted'>(name: N, data: Omit<ConfigJob<N>, 'v'>) =>
    addJob(queues.config, name, { v: 1, ...data } as ConfigJob<N>)
      .catch((error: Error) => logger.error({ err: error.message, job: name }, 'could not publish a guild event'));

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
  gateway.on(WebSocketShardEvents.Error, (error, shardId) => logger.error({ shardId, err: error.message }, 'shard error'));

  await configClient.waitUntilReady();
  if (await registerCommands(client.api, redis, config.queuePrefix, config.applicationId)) logger.info('slash commands registered');
  await gateway.connect();
  logger.info({ shards: await gateway.getShardIds() }, 'gateway connected');

  let health: HealthServer | undefined;
  if (config.healthPort !== undefined) health = await startHealthServer(config.healthPort, {
      redis: async () => (await redis.ping()) === 'PONG',
      discord: async () => [...(await gateway.fetchStatus()).values()].every((status) => status === WebSocketShardStatus.Ready),
    });

  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        await gateway.destroy();
        await publisher.close();
        await Promise.all([...Object.values(queues).map((queue) => queue.close()), configClient.close()]);
        redis.disconnect();
        eventsRedis.disconnect();
        await health?.close();
      })();
      return closing;
    },
  };
}
