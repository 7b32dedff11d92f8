import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EMULATOR_BOT_TOKEN } from '@promton/shared/contracts';
import { createDiscordClients, createWebhookApi, GlobalRequestBudget, globalBudgetKey, SharedRouteBuckets } from '@promton/shared/runtime';
import { createEmulator, EmulatorClient, type Emulator } from '@promton/discord-emulator';
import { testPrefix } from '../../../scripts/stack/prefix.js';

/**
 * The route buckets the ticket-worker shares through Redis (SharedRouteBuckets), against
 * the emulator's real buckets: what a worker started after a crash sends first.
 */
describe('two processes on one token (a worker restarted after a crash)', () => {
  let emulator: Emulator;
  let control: EmulatorClient;
  let a: Redis;
  let b: Redis;
  let c: Redis;
  let guildId: string;
  let channelId: string;
  let otherChannelId: string;
  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    control = new EmulatorClient(emulator.url);
    const guild = await control.seedGuild({ name: 'G', channels: [{ name: 'general' }, { name: 'other' }] });
    guildId = guild.id;
    channelId = guild.channels[0]!.id;
    otherChannelId = guild.channels[1]!.id;
    await control.setRateLimits({ routes: { 'POST /channels/:channel_id/messages': { limit: 2, windowMs: 1_500 } } });
    a = new Redis(inject('redisUrl'));
    b = new Redis(inject('redisUrl'));
    c = new Redis(inject('redisUrl'));
  });
  afterAll(async () => {
    for (const redis of [a, b, c]) redis.disconnect();
    await emulator.close();
  });

  const config = () => ({ discordApiUrl: emulator.apiUrl, discordToken: EMULATOR_BOT_TOKEN, discordGlobalRps: 50 });
  const post = (clients: ReturnType<typeof createDiscordClients>, content: string, channel = channelId) =>
    clients.api.channels.createMessage(channel, { content });
  const statuses = () => emulator.log.query({ method: 'POST' }).map((e) => e.status);

  it('the second waits out the bucket the first emptied instead of drawing a 429', async () => {
    const prefix = testPrefix();
    const first = createDiscordClients(config(), { retries: 0, buckets: new SharedRouteBuckets(a, prefix) });
    await post(first, 'one');
    await post(first, 'two');
    const second = createDiscordClients(config(), { retries: 0, buckets: new SharedRouteBuckets(b, prefix) });
    await post(second, 'three');
    expect(statuses()).toEqual([200, 200, 200]);
    expect(emulator.invalid.snapshot().total).toBe(0);
  });

  it('without the shared marks the same second process draws the 429 Discord counts', async () => {
    const before = emulator.invalid.snapshot().total;
    const first = createDiscordClients(config(), { retries: 0 });
    // A channel of its own: a fresh bucket.
    await post(first, 'four', otherChannelId);
    await post(first, 'five', otherChannelId);
    expect(emulator.invalid.snapshot().total).toBe(before);
    const second = createDiscordClients(config(), { retries: 0 });
    await post(second, 'six', otherChannelId);
    expect(emulator.invalid.snapshot().total - before).toBeGreaterThan(0);
  });

  describe('replicas under a burst (compose --scale ticket-worker=3 --scale log-worker=2)', () => {
    /** The answers to the POSTs on `path` (a pattern), by status. */
    const answers = (path: string) => {
      const counts: Record<number, number> = {};
      for (const entry of emulator.log.query({ method: 'POST', path })) counts[entry.status] = (counts[entry.status] ?? 0) + 1;
      return counts;
    };
    const channelCreations = () => `^/guilds/${guildId}/channels$`;

    /** Three ticket-workers: each its own Redis connection, the shared buckets and global schedule; requests time out after 2 s (a request that waited for its turn is not aborted: the timeout counts from when it leaves). */
    const replicas = (shared: boolean) => {
      const prefix = testPrefix();
      return [a, b, c].map((redis) =>
        createDiscordClients(config(), {
          retries: 0,
          timeoutMs: 2_000,
          ...(shared ? { buckets: new SharedRouteBuckets(redis, prefix), budget: new GlobalRequestBudget(redis, globalBudgetKey(prefix, '1'), 50) } : {}),
        }),
      );
    };
    const createChannels = (clients: ReturnType<typeof replicas>, count: number, tag: string) =>
      Promise.all(Array.from({ length: count }, (_, i) => clients[i % clients.length]!.api.guilds.createChannel(guildId, { name: `${tag}-${i}` })));

    it('channel creations in one server from three replicas at once: all made, none answered 429, though most wait longer than a request may take', async () => {
      await control.setRateLimits({ routes: { 'POST /guilds/:guild_id/channels': { limit: 2, windowMs: 1_000 } } });
      // 15 creations at 2 per second: the last leave about 7 s after they were asked for, three times the request timeout.
      const created = await createChannels(replicas(true), 15, 'shared');
      expect(new Set(created.map((channel) => channel.id)).size).toBe(15);
      expect(answers(channelCreations())).toEqual({ 201: 15 });
    });

    it('without the shared buckets the same burst draws 429s', async () => {
      await control.setRateLimits({ routes: { 'POST /guilds/:guild_id/channels': { limit: 2, windowMs: 1_000 } } });
      const before = answers(channelCreations())[201] ?? 0;
      await createChannels(replicas(false), 15, 'alone');
      const after = answers(channelCreations());
      expect(after[201]! - before).toBe(15);
      expect(after[429]).toBeGreaterThan(0);
    });

    it('log posts through one webhook from two log-workers: all posted, none answered 429', async () => {
      await control.setRateLimits({ routes: { 'POST /webhooks/:webhook_id/:webhook_token': { limit: 3, windowMs: 1_000 } } });
      const bot = createDiscordClients(config(), { retries: 0 });
      const webhook = await bot.api.channels.createWebhook(channelId, { name: 'log' });
      const prefix = testPrefix();
      const logWorkers = [a, b].map((redis) => createWebhookApi(config(), { timeoutMs: 2_000, retries: 0, buckets: new SharedRouteBuckets(redis, prefix) }));
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => logWorkers[i % 2]!.webhooks.execute(webhook.id, webhook.token!, { content: `line ${i}`, wait: true })),
      );
      const posted = (await control.messages(channelId)).filter((m) => m.content.startsWith('line '));
      expect(posted).toHaveLength(10);
      expect(answers(`^/webhooks/${webhook.id}/`)).toEqual({ 200: 10 });
    });
  });
});
