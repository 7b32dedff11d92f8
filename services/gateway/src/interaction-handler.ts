import type { APIInteraction } from '@discordjs/core';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { InteractionType, RESTJSONErrorCodes, Routes } from 'discord-api-types/v10';
import { discordCode, fail, t } from '@promton/shared/domain';
import { QueueName, interactionJobId, type GuildConfig } from '@promton/shared/contracts';
import {
  addJob,
  ConfigClient,
  FairShare,
  guildConfigOrAsk,
  createDiscordClients,
  type DiscordClients,
  type Metrics,
  type Runtime,
} from '@promton/shared/runtime';
import { interactionLocale, noSuggestions, unavailablePlan, type InteractionPlan, type PlannedJob } from './interactions/plan-interaction.js';
import { planSafely, screenInteraction } from './interactions/screen-interaction.js';

/**
 * What the gateway and the HTTP interactions receiver share: Redis, the queues, the
 * Discord clients, and the handling of one interaction (plan the initial response from
 * the projection, then publish the job that finishes it).
 */
export interface InteractionHandler {
  redis: Redis;
  queues: { tickets: Queue; config: Queue };
  discord: DiscordClients;
  metrics: Metrics;
  /** Resolves once the config-service request channel is listening. */
  ready(): Promise<void>;
  /** The initial response and the job, without sending anything; null when the payload cannot be answered at all (no usable id, token or type). */
  plan(interaction: APIInteraction): Promise<InteractionPlan | null>;
  /** Publishes the plan's job, once the initial response is with Discord; tells the member when it cannot. */
  publish(interaction: APIInteraction, plan: InteractionPlan): Promise<void>;
  /** Gateway delivery: the initial response through the callback endpoint, then the job. */
  answerViaCallback(interaction: APIInteraction): Promise<void>;
}

/** Everything it opens is registered in `runtime` (whose connection is a producer's: it fails fast). */
export async function createInteractionHandler(runtime: Runtime): Promise<InteractionHandler> {
  const { config, logger, connection: redis, metrics } = runtime;
  await new Promise<void>((resolve, reject) => {
    if (redis.status === 'ready') return resolve();
    redis.once('ready', () => resolve());
    redis.once('end', () => reject(new Error('redis connection ended before it was ready')));
  });

  const fairShare = new FairShare(redis, config.queuePrefix);
  const queues = { tickets: runtime.queue(QueueName.tickets), config: runtime.queue(QueueName.config) };
  // Asks config-service for a projection Redis does not have (lost data, or not written yet).
  const configClient = runtime.own('config client', new ConfigClient(redis, runtime.redis('worker', 'redis (config events)'), config.queuePrefix), (client) =>
    client.close(),
  );
  configClient.queue.on('error', (error) => logger.warn({ err: error.message }, 'config client error'));
  configClient.events.on('error', (error) => logger.warn({ err: error.message }, 'config events error'));

  // The initial response must land within 3 s: a short timeout leaves room for one retry.
  const discord = createDiscordClients(config, { timeoutMs: 2_500, metrics, budget: runtime.budget });

  // The initial response, unretried by the library: a callback that timed out may have
  // reached Discord after its 3 s, and a retry then meets the same 404 (10062) again, which
  // Discord counts as an invalid request. answerViaCallback retries only while the
  // interaction is young enough for a retry to land in time (up to 3 retries, as before).
  const callbacks = createDiscordClients(config, { timeoutMs: 2_500, retries: 0, metrics }).interactions;
  const CALLBACK_RETRY_BEFORE_MS = 2_000;

  const logFor = (interaction: APIInteraction) => logger.child({ interactionId: interaction.id, guildId: interaction.guild_id });

  async function plan(raw: APIInteraction): Promise<InteractionPlan | null> {
    // Nothing of the payload is trusted before it is screened (shape, id, token, type).
    const screened = screenInteraction(raw, new Date());
    if (screened.kind === 'ignore') {
      logger.warn({ reason: screened.reason }, 'interaction ignored: it cannot be answered');
      return null;
    }
    if (screened.kind === 'answer') {
      if (screened.error) logger.child({ interactionId: screened.id }).warn({ err: screened.error }, 'malformed interaction answered with ❌');
      return screened.plan;
    }
    const { interaction, ctx } = screened;
    const planned = (projection: GuildConfig | null) => {
      const result = planSafely(interaction, ctx, projection);
      if (result.error) logFor(interaction).warn({ err: result.error }, 'interaction could not be planned; answered with ❌');
      return result;
    };
    if (!ctx || !screened.needsProjection) return planned(null);
    let projection: GuildConfig;
    try {
      // Within the 3 s of the initial response.
      projection = await guildConfigOrAsk(redis, configClient, ctx.guildId, 1_500);
    } catch (error) {
      logFor(interaction).warn({ err: (error as Error).message }, 'projection unreadable and config-service did not publish it in time');
      return interaction.type === InteractionType.ApplicationCommandAutocomplete ? noSuggestions : unavailablePlan(interactionLocale(interaction));
    }
    return planned(projection);
  }

  async function enqueue(job: PlannedJob): Promise<void> {
    // One job per interaction (a redelivered interaction adds nothing): by its context, or the rating's own id (DMs have no context).
    const interactionId = 'ctx' in job.data ? job.data.ctx.interactionId : 'interactionId' in job.data ? job.data.interactionId : undefined;
    const jobId = interactionId ? interactionJobId(interactionId) : undefined;
    // A guild's work queues behind that guild's own recent work, not behind another guild's flood.
    const priority = 'ctx' in job.data ? await fairShare.priorityOf(job.data.ctx.guildId) : undefined;
    await addJob(queues[job.queue], job.name, job.data, { ...(jobId ? { jobId } : {}), ...(priority !== undefined ? { priority } : {}) });
  }

  /** Re-sends a select panel's components (see InteractionPlan.resetPanel); a failure costs the member only a re-pick. */
  async function resetPanel(interaction: APIInteraction, reset: NonNullable<InteractionPlan['resetPanel']>): Promise<void> {
    try {
      await discord.api.channels.editMessage(reset.channelId, reset.messageId, { components: reset.components as never });
    } catch (error) {
      logFor(interaction).warn({ err: (error as Error).message }, 'select panel not reset');
    }
  }

  async function publish(interaction: APIInteraction, planned: InteractionPlan): Promise<void> {
    if (planned.job) await publishJob(interaction, planned.job);
    // After the job: the open does not wait for the panel's edit.
    if (planned.resetPanel) await resetPanel(interaction, planned.resetPanel);
  }

  async function publishJob(interaction: APIInteraction, job: PlannedJob): Promise<void> {
    try {
      await enqueue(job);
    } catch (error) {
      const log = logFor(interaction);
      log.error({ err: (error as Error).message }, 'could not enqueue; telling the member');
      await discord.interactions.interactions
        .editReply(interaction.application_id, interaction.token, { content: fail(t(interactionLocale(interaction), 'common.unavailable')) })
        .catch((editError: Error) => log.error({ err: editError.message }, 'could not tell the member either'));
    }
  }

  async function answerViaCallback(interaction: APIInteraction): Promise<void> {
    const receivedAt = Date.now();
    const planned = await plan(interaction);
    if (!planned) return;
    const callback = () => callbacks.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: planned.response, auth: false });
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await callback();
          break;
        } catch (error) {
          // A refusal (4xx) is an answer; a 5xx or a lost connection is worth another try while there is time.
          const status = (error as { status?: unknown }).status;
          const refused = typeof status === 'number' && status < 500;
          if (refused || attempt > 3 || Date.now() - receivedAt >= CALLBACK_RETRY_BEFORE_MS) throw error;
        }
      }
      metrics.interactionAckLatency.observe({ type: String(interaction.type) }, (Date.now() - receivedAt) / 1000);
    } catch (error) {
      const code = discordCode(error);
      if (code === RESTJSONErrorCodes.UnknownInteraction) {
        // Too late: Discord already told the member it failed; work done now would surprise them.
        logFor(interaction).warn('interaction expired before the initial response');
        return;
      }
      if (code !== RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged)
        logFor(interaction).error({ err: (error as Error).message }, 'initial response failed');
      // Already acknowledged means a duplicate delivery: the job id dedupes it.
    }
    await publish(interaction, planned);
  }

  return {
    redis,
    queues,
    discord,
    metrics,
    ready: () => configClient.waitUntilReady(),
    plan,
    publish,
    answerViaCallback,
  };
}
