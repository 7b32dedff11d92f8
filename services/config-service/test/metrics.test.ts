import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedis, metricsKey } from '@promton/shared/runtime';
import { startHarness, type Harness } from './support.js';

describe('config-service metrics', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('counts jobs and Discord answers, keeps BullMQ per-minute counts and publishes to Redis until closed', async () => {
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support' });
    h.discord.failWebhooks = true;
    await expect(h.command(['config', 'type', 'list'])).rejects.toThrow(/Unknown Webhook/);

    // The worker's own 'failed' event may land just after the requester heard of the failure.
    const count = async (status: string) =>
      (await h.app.metrics.jobsTotal.get()).values.find((v) => v.labels.name === 'config.command' && v.labels.status === status)?.value ?? 0;
    const deadline = Date.now() + 10_000;
    while ((await count('failed')) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect([await count('completed'), await count('failed')]).toEqual([1, 1]);
    const requests = (await h.app.metrics.discordRequests.get()).values;
    const routes = requests.map((v) => `${v.labels.route} ${v.labels.status} ${v.value}`);
    // The bucket route, with the token already replaced (discord-api-types encodes @original).
    expect(routes).toEqual(expect.arrayContaining(['/webhooks/:id/:token/messages/%40original 200 1', '/webhooks/:id/:token/messages/%40original 404 1']));
    expect(JSON.stringify(requests)).not.toMatch(/token-/);

    // BullMQ's own per-minute counts (the Worker's metrics option).
    const completed = await h.client.queue.getMetrics('completed');
    expect(completed.meta.count).toBeGreaterThanOrEqual(1);

    // The snapshot under the service's key: written at start, removed on close.
    const redis = createRedis(h.config.redisUrl, { role: 'worker' });
    try {
      const key = metricsKey(h.config.queuePrefix, 'config-service');
      const deadline = Date.now() + 10_000;
      while ((await redis.exists(key)) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      const snapshot = JSON.parse((await redis.get(key))!) as { name: string }[];
      expect(snapshot.map((m) => m.name)).toEqual(expect.arrayContaining(['promton_jobs_total', 'promton_discord_requests_total']));
      await h.app.close();
      expect(await redis.exists(key)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });
});
