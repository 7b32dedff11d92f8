import { AggregatorRegistry } from 'prom-client';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { testPrefix } from '../../../scripts/stack/prefix.js';
import { Queue, Worker } from 'bullmq';
import { createMetrics, metricsKey, observeWorker, readMetricsSnapshots, recordDiscordResponse, startMetricsPublisher } from './metrics.js';

let redis: Redis;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
});

afterAll(async () => {
  await redis.quit();
});

describe('createMetrics', () => {
  it('labels every sample with the service and keeps registries apart', async () => {
    const a = createMetrics('gateway', { defaultMetrics: false });
    const b = createMetrics('ticket-worker', { defaultMetrics: false });
    a.jobsTotal.inc({ queue: 'tickets', name: 'open', status: 'completed' });
    a.interactionAckLatency.observe({ type: 'command' }, 0.02);
    const text = await a.registry.metrics();
    expect(text).toContain('promton_jobs_total{queue="tickets",name="open",status="completed",service="gateway"} 1');
    expect(text).toMatch(/promton_interaction_ack_latency_seconds_count\{(?=[^}]*type="command")(?=[^}]*service="gateway")[^}]*\} 1/);
    expect(await b.registry.metrics()).not.toContain('status="completed"');
  });

  it('collects process metrics by default', async () => {
    const m = createMetrics('web');
    expect(await m.registry.metrics()).toContain('process_cpu_user_seconds_total');
  });
});

describe('startMetricsPublisher', () => {
  it('publishes a snapshot with a TTL that the aggregator merges per service', async () => {
    const prefix = testPrefix();
    const one = createMetrics('ticket-worker', { defaultMetrics: false });
    const two = createMetrics('ticket-worker', { defaultMetrics: false });
    one.jobsTotal.inc({ queue: 'tickets', name: 'open', status: 'completed' }, 2);
    two.jobsTotal.inc({ queue: 'tickets', name: 'open', status: 'completed' }, 3);
    one.queueDepth.set({ queue: 'tickets', state: 'waiting' }, 7);
    two.queueDepth.set({ queue: 'tickets', state: 'waiting' }, 7);
    one.discordRateLimited.inc({ route: '/channels/:id', scope: 'user' });

    const publisher = startMetricsPublisher(one, redis, prefix, 1_000);
    await publisher.publish();
    const key = metricsKey(prefix, 'ticket-worker');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3_000);

    // A second process of the same service (a different pid in real life).
    await redis.set(`${prefix}:metrics:ticket-worker:999999`, JSON.stringify(await two.registry.getMetricsAsJSON()), 'PX', 3_000);

    const snapshots = await readMetricsSnapshots(redis, prefix);
    expect(snapshots).toHaveLength(2);
    const text = await AggregatorRegistry.aggregate(snapshots).metrics();
    expect(text).toContain('promton_jobs_total{queue="tickets",name="open",status="completed",service="ticket-worker"} 5');
    // The same queue seen by two processes is not counted twice.
    expect(text).toContain('promton_queue_depth{queue="tickets",state="waiting",service="ticket-worker"} 7');
    expect(text).toContain('promton_discord_rate_limited_total{route="/channels/:id",scope="user",service="ticket-worker"} 1');

    await publisher.close();
    await publisher.close();
    expect(await redis.exists(key)).toBe(0);
    await redis.del(`${prefix}:metrics:ticket-worker:999999`);
  });

  it('lets a snapshot expire when its process stops refreshing it', async () => {
    const prefix = testPrefix();
    const m = createMetrics('log-worker', { defaultMetrics: false });
    await redis.set(metricsKey(prefix, 'log-worker', 1), JSON.stringify(await m.registry.getMetricsAsJSON()), 'PX', 50);
    await redis.set(`${prefix}:metrics:log-worker:2`, 'not json');
    // Redis expires the snapshot; wait for that, not for a fixed time.
    while ((await redis.exists(metricsKey(prefix, 'log-worker', 1))) === 1) await new Promise((r) => setTimeout(r, 10));
    expect(await readMetricsSnapshots(redis, prefix)).toEqual([]);
    await redis.del(`${prefix}:metrics:log-worker:2`);
  });

  it('keeps publishing after a failed write', async () => {
    const prefix = testPrefix();
    const m = createMetrics('gateway', { defaultMetrics: false });
    const errors: unknown[] = [];
    let down = true;
    // Redis that is down for the first write, then back.
    const flaky = new Proxy(redis, {
      get(target, property, receiver) {
        if (property === 'set' && down) return () => Promise.reject(new Error('Connection is closed.'));
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const publisher = startMetricsPublisher(m, flaky, prefix, { intervalMs: 1_000, onError: (e) => errors.push(e) });
    await expect(publisher.publish()).rejects.toThrow('Connection is closed.');
    down = false;
    await publisher.publish();
    expect(await redis.exists(metricsKey(prefix, 'gateway'))).toBe(1);
    expect(errors.length).toBeGreaterThan(0);
    await publisher.close();
    expect(await redis.exists(metricsKey(prefix, 'gateway'))).toBe(0);
  });
});

describe('recording helpers', () => {
  it('counts Discord answers and 429s without ever labelling a token', async () => {
    const m = createMetrics('ticket-worker', { defaultMetrics: false });
    recordDiscordResponse(m, '/channels/:id/messages', 200);
    recordDiscordResponse(m, '/channels/:id/messages', 429, 'user');
    recordDiscordResponse(m, '/webhooks/1100000000000000001/aW50ZXJhY3Rpb24.secret/messages/@original', 200);
    const text = await m.registry.metrics();
    expect(text).toContain('promton_discord_requests_total{route="/channels/:id/messages",status="429",service="ticket-worker"} 1');
    expect(text).toContain('promton_discord_rate_limited_total{route="/channels/:id/messages",scope="user",service="ticket-worker"} 1');
    expect(text).toContain('route="/webhooks/1100000000000000001/:token/messages/@original"');
    expect(text).not.toContain('secret');
  });

  it('observes a real worker: durations and outcomes per queue and job name', async () => {
    const prefix = testPrefix();
    const connection = { url: inject('redisUrl'), maxRetriesPerRequest: null };
    const queue = new Queue('tickets', { connection, prefix });
    const worker = new Worker(
      'tickets',
      async (job) => {
        if (job.name === 'bad') throw new Error('nope');
      },
      { connection, prefix },
    );
    const m = createMetrics('ticket-worker', { defaultMetrics: false });
    const detach = observeWorker(m, worker);
    const done = new Promise<void>((resolve) => {
      let n = 0;
      const tick = () => ++n === 3 && resolve();
      worker.on('completed', tick);
      worker.on('failed', tick);
    });
    await queue.add('good', {});
    await queue.add('good', {});
    await queue.add('bad', {});
    await done;
    detach();
    const text = await m.registry.metrics();
    expect(text).toContain('promton_jobs_total{queue="tickets",name="good",status="completed",service="ticket-worker"} 2');
    expect(text).toContain('promton_jobs_total{queue="tickets",name="bad",status="failed",service="ticket-worker"} 1');
    expect(text).toMatch(/promton_job_duration_seconds_count\{[^}]*name="good"[^}]*status="completed"[^}]*\} 2/);
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });
});
