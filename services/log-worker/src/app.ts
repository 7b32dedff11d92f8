import { DiscordAPIError } from '@discordjs/rest';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { InvalidJobError, QueueName, logJobSchemas, parseJob, type Config } from '@promton/shared/contracts';
import {
  forgetHandledJobData,
  GlobalRequestBudget,
  createDiscordClients,
  globalBudgetKey,
  createMetrics,
  observeWorker,
  startMetricsPublisher,
  createLogger,
  createRedis,
  readGuildConfig,
  startHealthServer,
  addJob,
  type HealthServer,
} from '@promton/shared/runtime';
import { logEmbed } from './domain/log-embed.js';
import { LogBatcher } from './log-batcher.js';

export interface LogWorkerApp {
  worker: Worker;
  close(): Promise<void>;
}

export interface LogWorkerOptions {
  /** Post every event as its own message (the naive baseline of the benchmark). */
  batching?: boolean;
}

/** Discord refusals that mean the log channel is gone or closed to the bot: retrying will not help. */
const LOG_CHANNEL_LOST: ReadonlyMap<number, string> = new Map([
  [10003, 'the log channel no longer exists'],
  [50001, 'the bot cannot see the log channel'],
  [50013, 'the bot lacks Send Messages or Embed Links in the log channel'],
]);

export async function createApp(config: Config, options: LogWorkerOptions = {}): Promise<LogWorkerApp> {
  const logger = createLogger({ service: 'log-worker', level: config.logLevel });
  const connection = createRedis(config.redisUrl, { role: 'worker' });
  connection.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error'));
  const metrics = createMetrics('log-worker');
  const publisher = startMetricsPublisher(metrics, connection, config.queuePrefix, { onError: () => undefined });
  // Log posts take only the turns of the bot's global budget that opens and closes leave
  // idle; while they wait, a channel's events pile up and go out together.
  const budget = new GlobalRequestBudget(connection, globalBudgetKey(config.queuePrefix, config.applicationId), config.discordGlobalRps);
  const discord = createDiscordClients(config, { metrics });
  const createMessage: typeof discord.api.channels.createMessage = async (...args) => {
    await budget.acquire('background');
    return discord.api.channels.createMessage(...args);
  };
  const configQueue = new Queue(QueueName.config, { connection, prefix: config.queuePrefix });
  configQueue.on('error', (error) => logger.warn({ err: error.message }, 'config queue error'));

  const batcher = new LogBatcher(
    async (channelId, embeds) => {
      await createMessage(channelId, { embeds, allowed_mentions: { parse: [] } });
    },
    options.batching === false ? 0 : 25,
  );
  const post =
    options.batching === false
      ? (channelId: string, embed: ReturnType<typeof logEmbed>) =>
          createMessage(channelId, { embeds: [embed], allowed_mentions: { parse: [] } }).then(() => undefined)
      : (channelId: string, embed: ReturnType<typeof logEmbed>) => batcher.add(channelId, embed);

  /** What this process last told config-service about each guild's log channel. */
  const reported = new Map<string, string | null>();
  async function report(guildId: string, problem: string | null): Promise<void> {
    if ((reported.get(guildId) ?? null) === problem) return;
    reported.set(guildId, problem);
    await addJob(configQueue, 'guild.log-problem', { v: 1, guildId, problem });
  }

  async function handle(job: Job): Promise<string> {
    let event;
    try {
      event = parseJob(logJobSchemas, job.name, job.data);
    } catch (error) {
      if (error instanceof InvalidJobError) throw new UnrecoverableError(error.message);
      throw error;
    }
    const guild = await readGuildConfig(connection, config.queuePrefix, event.guildId);
    if (!guild?.logChannelId) return 'no log channel';
    if (!reported.has(event.guildId)) reported.set(event.guildId, guild.logChannelProblem);
    const embed = logEmbed(event, guild.embed);
    try {
      if (event.transcript) {
        await createMessage(guild.logChannelId, {
          embeds: [embed],
          allowed_mentions: { parse: [] },
          files: [{ name: event.transcript.filename, data: Buffer.from(event.transcript.html, 'utf8'), contentType: 'text/html' }],
        });
      } else {
        await post(guild.logChannelId, embed);
      }
    } catch (error) {
      const lost = error instanceof DiscordAPIError && typeof error.code === 'number' ? LOG_CHANNEL_LOST.get(error.code) : undefined;
      if (!lost) throw error;
      // A lost log channel never blocks a ticket: drop the event and tell the admin through /config show.
      logger.warn({ guildId: event.guildId, kind: event.kind, problem: lost }, 'log event dropped');
      await report(event.guildId, lost);
      return 'dropped';
    }
    if (guild.logChannelProblem) await report(event.guildId, null);
    return 'posted';
  }

  const worker = new Worker(QueueName.logs, handle, {
    connection: createRedis(config.redisUrl, { role: 'worker' }),
    prefix: config.queuePrefix,
    // Many jobs in flight at once is what lets the batcher put them in one message.
    concurrency: 1000,
    metrics: { maxDataPoints: 60 * 24 },
  });
  observeWorker(metrics, worker);
  forgetHandledJobData(worker);
  worker.on('error', (error) => logger.error({ err: error.message }, 'worker error'));
  worker.on('failed', (job, error) => logger.warn({ queue: QueueName.logs, jobId: job?.id, attempt: job?.attemptsMade, err: error.message }, 'log job failed'));
  await worker.waitUntilReady();

  let health: HealthServer | undefined;
  if (config.healthPort !== undefined)
    health = await startHealthServer(config.healthPort, {
      redis: async () => (await connection.ping()) === 'PONG',
      worker: () => worker.isRunning(),
    });
  logger.info('log-worker ready');

  let closing: Promise<void> | undefined;
  return {
    worker,
    close() {
      closing ??= (async () => {
        await worker.close();
        batcher.close();
        await publisher.close();
        await configQueue.close();
        connection.disconnect();
        await health?.close();
      })();
      return closing;
    },
  };
}
