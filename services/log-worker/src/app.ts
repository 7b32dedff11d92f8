import { DiscordAPIError } from '@discordjs/rest';
import { UnrecoverableError, type Worker } from 'bullmq';
import { LOG_PAUSE_MS, QueueName, logJobSchemas, logPauseKey, type LogJob } from '@promton/shared/contracts';
import { discordCode, serverLocale } from '@promton/shared/domain';
import {
  GlobalRequestBudget,
  SharedRouteBuckets,
  createDiscordClients,
  createWebhookApi,
  webhookBudgetKey,
  jobProcessor,
  readGuildConfig,
  addJob,
  type HealthChecks,
  type Runtime,
} from '@promton/shared/runtime';
import { logChannelProblem, type LogPath } from './domain/log-channel-problem.js';
import { logEmbed } from './domain/log-embed.js';
import { LogBatcher } from './log-batcher.js';
import { LogWebhooks, WebhookGoneError, type LogMessage } from './log-webhooks.js';

/** Discord's answer that the channel is gone or closed to the bot: 403 or 404 (not a 429, not a 5xx). */
function isLost(error: DiscordAPIError): boolean {
  return error.status === 403 || error.status === 404;
}

export interface LogWorkerApp {
  worker: Worker;
  /** What its /healthz checks (served on HEALTH_PORT when set). */
  readonly health: HealthChecks;
  /** Closes the runtime it was started in (once). */
  close(): Promise<void>;
}

/** Switches only the benchmark's entry sets (bench/baseline-main.mjs), never the environment: the product runs the defaults. */
export interface LogWorkerOptions {
  /** Post every event as its own message (the naive baseline of the benchmark). */
  batching?: boolean;
  /** Post through the log channel's webhook (default), or as the bot (the benchmark's comparison with the earlier path). */
  webhooks?: boolean;
}

/** The `logs` consumer: log lines to each guild's log channel. Everything it opens is registered in `runtime`. */
export function createApp(runtime: Runtime, options: LogWorkerOptions = {}): Promise<LogWorkerApp> {
  return runtime.start(() => start(runtime, options));
}

async function start(runtime: Runtime, options: LogWorkerOptions): Promise<LogWorkerApp> {
  const { config, logger, connection, metrics } = runtime;
  // Log posts take only the turns of the bot's global budget that opens and closes leave
  // idle; while they wait, a channel's events pile up and go out together.
  const budget = runtime.budget;
  // Route buckets shared with the other processes: a restarted or second process does not send into a bucket already emptied.
  const buckets = new SharedRouteBuckets(connection, config.queuePrefix);
  const discord = createDiscordClients(config, { metrics, buckets });
  const path: LogPath = options.webhooks === false ? 'bot' : 'webhook';
  const asBot = async <T>(call: () => Promise<T>): Promise<T> => {
    await budget.acquire('background');
    return call();
  };
  // Log lines go through a webhook of the log channel: two bot requests per channel per
  // process (find or create it), then executions without the bot's token, which Discord
  // counts against this address (own schedule, DISCORD_GLOBAL_RPS) and each webhook's bucket.
  const webhookApi = createWebhookApi(config, {
    metrics,
    budget: new GlobalRequestBudget(connection, webhookBudgetKey(config.queuePrefix), config.discordGlobalRps),
    buckets,
  });
  const webhooks = new LogWebhooks(
    {
      list: (channelId) => asBot(() => discord.api.channels.getWebhooks(channelId)),
      create: (channelId, name) => asBot(() => discord.api.channels.createWebhook(channelId, { name })),
      // wait=true: Discord answers once the message is saved, so a post it could not save is an error, not silence.
      execute: async (webhook, message) =>
        void (await webhookApi.webhooks.execute(webhook.id, webhook.token, { ...message, allowed_mentions: { parse: [] }, wait: true })),
    },
    config.applicationId,
  );
  const send = (channelId: string, message: LogMessage): Promise<void> =>
    path === 'webhook'
      ? webhooks.post(channelId, message)
      : asBot(() => discord.api.channels.createMessage(channelId, { ...message, allowed_mentions: { parse: [] } })).then(() => undefined);
  const configQueue = runtime.queue(QueueName.config);

  const batcher = runtime.own('log batcher', new LogBatcher((channelId, embeds) => send(channelId, { embeds }), options.batching === false ? 0 : 25), (b) =>
    b.close(),
  );
  const post =
    options.batching === false
      ? (channelId: string, embed: ReturnType<typeof logEmbed>) => send(channelId, { embeds: [embed] })
      : (channelId: string, embed: ReturnType<typeof logEmbed>) => batcher.add(channelId, embed);

  /** What config-service knows about each guild's log channel, as this process last saw or told it. */
  const reported = new Map<string, string | null>();
  async function report(guildId: string, problem: string | null): Promise<void> {
    if ((reported.get(guildId) ?? null) === problem) return;
    reported.set(guildId, problem);
    await addJob(configQueue, 'guild.log-problem', { v: 1, guildId, problem });
  }

  async function postEvent(event: LogJob<'log.event'>): Promise<string> {
    const guild = await readGuildConfig(connection, config.queuePrefix, event.guildId);
    if (!guild?.logChannelId) return 'no log channel';
    // The projection is what config-service knows (an admin's set clears the problem there).
    reported.set(event.guildId, guild.logChannelProblem);
    const pauseKey = logPauseKey(config.queuePrefix, event.guildId);
    // A log channel that answered 403/404 is not asked again within the hour, by any replica.
    if ((await connection.get(pauseKey)) === guild.logChannelId) return 'paused';
    if (guild.logChannelProblem) {
      // The hour is over: one replica, once, asks whether the channel is back (one GET).
      const checker = await connection.set(pauseKey, guild.logChannelId, 'PX', LOG_PAUSE_MS, 'NX');
      if (checker !== 'OK') return 'paused';
      try {
        await asBot(() => discord.api.channels.get(guild.logChannelId!));
      } catch (error) {
        if (error instanceof DiscordAPIError && isLost(error)) {
          logger.info({ guildId: event.guildId, status: error.status }, 'log channel still unusable; next check in an hour');
          return 'paused';
        }
        await connection.del(pauseKey);
        throw error;
      }
      await connection.del(pauseKey);
    }
    const embed = logEmbed(event, guild.embed, serverLocale(guild.language, event.locale));
    try {
      // A close's transcript is already in the log channel (ticket-worker posted its files); the embed names them.
      await post(guild.logChannelId, embed);
    } catch (error) {
      if (error instanceof WebhookGoneError) {
        logger.warn({ guildId: event.guildId, kind: event.kind }, 'log event dropped: the recreated webhook was deleted again');
        throw new UnrecoverableError(error.message);
      }
      const code = discordCode(error);
      const lost = code === undefined ? undefined : logChannelProblem(code, path);
      if (!lost) throw error;
      // A lost log channel never blocks a ticket: drop the event, rest the channel for an hour
      // (Discord counts every 403/404 towards its ban) and tell the admin through /config show.
      await connection.set(pauseKey, guild.logChannelId, 'PX', LOG_PAUSE_MS);
      logger.warn({ guildId: event.guildId, kind: event.kind, problem: lost }, 'log event dropped; log channel paused for an hour');
      await report(event.guildId, lost);
      return 'dropped';
    }
    if (guild.logChannelProblem) await report(event.guildId, null);
    return 'posted';
  }

  const worker = runtime.worker(QueueName.logs, jobProcessor(logJobSchemas, { 'log.event': postEvent }), {
    // Many jobs in flight at once is what lets the batcher put them in one message.
    concurrency: 1000,
  });
  worker.on('failed', (job, error) => logger.warn({ queue: QueueName.logs, jobId: job?.id, attempt: job?.attemptsMade, err: error.message }, 'log job failed'));
  await worker.waitUntilReady();

  const health = await runtime.health({
    redis: async () => (await connection.ping()) === 'PONG',
    worker: () => worker.isRunning(),
  });
  logger.info('log-worker ready');
  return { worker, health, close: () => runtime.close() };
}
