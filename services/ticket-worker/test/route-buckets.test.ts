import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EMULATOR_BOT_TOKEN } from '@promton/shared/contracts';
import { createDiscordClients, SharedRouteBuckets } from '@promton/shared/runtime';
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
  let channelId: string;
  let otherChannelId: string;
  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    control = new EmulatorClient(emulator.url);
    const guild = await control.seedGuild({ name: 'G', channels: [{ name: 'general' }, { name: 'other' }] });
    channelId = guild.channels[0]!.id;
    otherChannelId = guild.channels[1]!.id;
    await control.setRateLimits({ routes: { 'POST /channels/:channel_id/messages': { limit: 2, windowMs: 1_500 } } });
    a = new Redis(inject('redisUrl'));
    b = new Redis(inject('redisUrl'));
  });
  afterAll(async () => {
    a.disconnect();
    b.disconnect();
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
});
