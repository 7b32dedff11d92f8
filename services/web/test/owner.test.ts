import { Queue, Worker, UnrecoverableError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { QueueName } from '@promton/shared/contracts';
import { createMetrics, startMetricsPublisher } from '@promton/shared/runtime';
import { analyticsKey } from '../src/dashboard-data.js';
import { basic, bearer, OWNER_TOKEN, startWeb, testConfig } from './support.js';

const OWNER_PATHS = ['/dashboard', '/dashboard/data.json', '/metrics', '/admin/queues'];
const SECRET = 'interaction-token-that-must-never-show';

describe('owner pages', () => {
  let web: Awaited<ReturnType<typeof startWeb>>;
  let redis: Redis;
  let prefix: string;

  beforeAll(async () => {
    web = await startWeb();
    prefix = web.config.queuePrefix;
    redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    await web.close();
    await redis.quit();
  });

  it.each(OWNER_PATHS)('%s answers 401 with a Basic challenge without the token', async (path) => {
    const withoutToken: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-123' },
      { authorization: `Basic ${Buffer.from('owner:nope').toString('base64')}` },
    ];
    for (const headers of withoutToken) {
      const res = await fetch(`${web.url}${path}`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="PROMTON-TICKETS"/);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  it.each(OWNER_PATHS)('%s answers 200 with Basic (any user) and with Bearer', async (path) => {
    for (const headers of [basic, bearer, { authorization: `Basic ${Buffer.from(`:${OWNER_TOKEN}`).toString('base64')}` }]) {
      const res = await fetch(`${web.url}${path}`, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toBeNull();
      await res.arrayBuffer();
    }
  });

  it('/metrics merges snapshots other processes published with the web process’s own', async () => {
    const worker = createMetrics('ticket-worker', { defaultMetrics: false });
    worker.jobsTotal.inc({ queue: 'tickets', name: 'ticket.open', status: 'completed' }, 3);
    worker.discordRequests.inc({ route: '/channels/:id/messages', status: '200' }, 4);
    const gateway = createMetrics('gateway', { defaultMetrics: false });
    gateway.interactionAckLatency.observe({ type: 'command' }, 0.012);
    const publishers = [startMetricsPublisher(worker, redis, prefix, 60_000), startMetricsPublisher(gateway, redis, prefix, 60_000)];
    await Promise.all(publishers.map((p) => p.publish()));
    try {
      const res = await fetch(`${web.url}/metrics`, { headers: bearer });
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      expect(text).toContain('promton_jobs_total{queue="tickets",name="ticket.open",status="completed",service="ticket-worker"} 3');
      expect(text).toContain('promton_discord_requests_total{route="/channels/:id/messages",status="200",service="ticket-worker"} 4');
      expect(text).toMatch(/promton_interaction_ack_latency_seconds_count\{[^}]*service="gateway"[^}]*\} 1/);
      expect(text).toMatch(/process_cpu_user_seconds_total\{service="web"\}/);
      expect(text).toMatch(/promton_queue_depth\{queue="tickets",state="waiting",service="web"\} \d+/);
    } finally {
      await Promise.all(publishers.map((p) => p.close()));
    }
    // A closed publisher's snapshot is gone from the aggregate.
    expect(await (await fetch(`${web.url}/metrics`, { headers: bearer })).text()).not.toContain('service="ticket-worker"');
  });

  it('dashboard data reflects real queues: counts, throughput, durations, failures with reasons and no job data', async () => {
    const connection = { url: inject('redisUrl'), maxRetriesPerRequest: null };
    const queue = new Queue(QueueName.tickets, { connection, prefix });
    const worker = new Worker(
      QueueName.tickets,
      async (job: Job<{ token: string; n: number }>) => {
        if (job.data.n === 3)
          throw new UnrecoverableError(`channel limit reached at https://x.test/api/v10/webhooks/1100000000000000001/${job.data.token}/messages/@original`);
        await new Promise((r) => setTimeout(r, 5));
        return { ok: true };
      },
      { connection, prefix, metrics: { maxDataPoints: 60 }, concurrency: 1 },
    );
    worker.on('error', () => undefined);
    const finished = new Promise<void>((resolve) => {
      let seen = 0;
      const done = () => ++seen === 5 && resolve();
      worker.on('completed', done);
      worker.on('failed', done);
    });
    await redis.set(
      analyticsKey(prefix),
      JSON.stringify({
        servers: 12,
        members: 3456,
        ticketTypes: 20,
        days: [
          { day: '2025-01-01', opened: 5, closed: 3 },
          { day: '2025-01-02', opened: 2, closed: 4 },
        ],
        ratings: [1, 0, 2, 5, 9],
      }),
    );
    try {
      for (let n = 1; n <= 5; n++) await queue.add('ticket.open', { token: SECRET, n }, { jobId: `int-10000000000000000${n}` });
      await finished;
      await queue.add('ticket.close', { token: SECRET, n: 6 }, { delay: 60_000, jobId: 'int-delayed' });

      const res = await fetch(`${web.url}/dashboard/data.json`, { headers: bearer });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const raw = await res.text();
      expect(raw).not.toContain(SECRET);
      const data = JSON.parse(raw) as {
        analytics: { servers: number; members: number; ticketTypes: number; days: unknown[] } | null;
        queues: {
          name: string;
          counts: Record<string, number>;
          completedPerMinute: number[];
          failedPerMinute: number[];
          durationMs: { samples: number; p50: number | null; p99: number | null };
          failures: { id: string; name: string; reason: string; failedAt: string; data?: unknown }[];
        }[];
      };
      expect(data.analytics).toEqual({
        servers: 12,
        members: 3456,
        ticketTypes: 20,
        days: [
          { day: '2025-01-01', opened: 5, closed: 3 },
          { day: '2025-01-02', opened: 2, closed: 4 },
        ],
        ratings: [1, 0, 2, 5, 9],
      });
      expect(data.queues.map((q) => q.name)).toEqual(['tickets', 'config', 'logs']);
      const tickets = data.queues[0]!;
      expect(tickets.counts).toMatchObject({ completed: 4, failed: 1, delayed: 1, waiting: 0, active: 0 });
      expect(tickets.completedPerMinute.reduce((a, b) => a + b, 0)).toBe(4);
      expect(tickets.failedPerMinute.reduce((a, b) => a + b, 0)).toBe(1);
      expect(tickets.completedPerMinute).toHaveLength(60);
      expect(tickets.durationMs.samples).toBe(4);
      expect(tickets.durationMs.p50).toBeGreaterThanOrEqual(0);
      expect(tickets.durationMs.p99).toBeGreaterThanOrEqual(tickets.durationMs.p50 ?? 0);
      expect(tickets.failures).toHaveLength(1);
      const failure = tickets.failures[0]!;
      expect(failure).toMatchObject({ id: 'int-100000000000000003', name: 'ticket.open' });
      expect(failure.reason).toBe('channel limit reached at https://x.test/api/v10/webhooks/1100000000000000001/[redacted]/messages/@original');
      expect(Date.parse(failure.failedAt)).not.toBeNaN();
      expect(failure).not.toHaveProperty('data');
      expect(data.queues[1]!.counts).toMatchObject({ completed: 0, failed: 0 });
      expect(data.queues[1]!.durationMs).toEqual({ samples: 0, p50: null, p95: null, p99: null });

      // The queue board shows jobs but never a token.
      const board = await fetch(`${web.url}/admin/queues/api/queues?activeQueue=tickets&status=failed&page=1&jobsPerPage=10`, { headers: bearer });
      expect(board.status).toBe(200);
      const boardBody = await board.text();
      expect(boardBody).toContain('int-100000000000000003');
      expect(boardBody).not.toContain(SECRET);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await redis.del(analyticsKey(prefix));
    }
  });

  it('tolerates a missing or malformed analytics key', async () => {
    const read = async () => ((await (await fetch(`${web.url}/dashboard/data.json`, { headers: bearer })).json()) as { analytics: unknown }).analytics;
    expect(await read()).toBeNull();
    await redis.set(analyticsKey(prefix), '{not json');
    expect(await read()).toBeNull();
    await redis.del(analyticsKey(prefix));
  });

  it('/admin/queues serves bull-board from this service with no web font from another origin', async () => {
    const res = await fetch(`${web.url}/admin/queues`, { headers: bearer });
    const page = await res.text();
    expect(page).toContain('<base href="/admin/queues/"');
    expect(page).not.toMatch(/https?:\/\//);
    const script = /src="(static\/js\/main[^"]+\.js)"/.exec(page)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${web.url}/admin/queues/${script}`, { headers: bearer })).status).toBe(200);
  });
});

describe('without OWNER_TOKEN', () => {
  it.each(OWNER_PATHS)('%s answers 503 saying it is not configured', async (path) => {
    const web = await startWeb(testConfig({ OWNER_TOKEN: undefined }));
    try {
      const res = await fetch(`${web.url}${path}`, { headers: bearer });
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/not configured/);
    } finally {
      await web.close();
    }
  });
});
