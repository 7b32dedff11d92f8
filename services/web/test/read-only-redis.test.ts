import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { QueueName } from '@promton/shared/contracts';
import { freePort, reachable } from '../../../scripts/stack/redis-server.js';
import { bearer, startWeb, testConfig } from './support.js';

const BOT_PASSWORD = 'bot0123456789abcdef';
const WEB_PASSWORD = 'web0123456789abcdef';
const PREFIX = 'acl-test';

/** compose.yaml's own redis-server arguments, with its ${...} filled in as compose would. */
function composeRedisArgs(): string[] {
  const compose = parse(readFileSync(new URL('../../../compose.yaml', import.meta.url), 'utf8'), { merge: true }) as {
    services: { redis: { command: string[] } };
  };
  const values: Record<string, string> = { REDIS_PASSWORD: BOT_PASSWORD, REDIS_WEB_PASSWORD: WEB_PASSWORD, QUEUE_PREFIX: PREFIX };
  const [binary, ...args] = compose.services.redis.command.map((arg) => arg.replace(/\$\{(\w+)[^}]*\}/g, (_m, name: string) => values[name] ?? ''));
  expect(binary).toBe('redis-server');
  // Persistence is compose's business; the ACL and the password are what is tested.
  return args.filter((arg, i, all) => arg !== '--appendonly' && all[i - 1] !== '--appendonly');
}

/**
 * A private redis-server started with compose.yaml's password and users: the bot
 * services write as the default user, the site reads as `web`.
 */
describe('the site on a Redis user that can only read', () => {
  let server: ChildProcess;
  let dir: string;
  let port: number;
  let bot: Redis;
  let web: Awaited<ReturnType<typeof startWeb>>;
  const url = (user: string, password: string) => `redis://${user}:${password}@127.0.0.1:${port}`;

  beforeAll(async () => {
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'promton-acl-'));
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, ...composeRedisArgs()], { stdio: 'ignore' });
    while (!(await reachable(url('default', BOT_PASSWORD)))) {
      if (server.exitCode !== null) throw new Error('redis-server refused compose.yaml’s arguments');
      await new Promise((r) => setTimeout(r, 50));
    }
    bot = new Redis(url('default', BOT_PASSWORD), { maxRetriesPerRequest: null });
    // What the bot services leave in Redis: finished jobs, a failed one, analytics.
    const queue = new Queue(QueueName.tickets, { connection: bot, prefix: PREFIX });
    const worker = new Worker(
      QueueName.tickets,
      async (job) => {
        if (job.data.n === 2) throw new Error('boom');
        return 'ok';
      },
      { connection: { url: url('default', BOT_PASSWORD), maxRetriesPerRequest: null }, prefix: PREFIX },
    );
    const settled = new Promise<void>((resolve) => {
      let n = 0;
      const done = () => ++n === 3 && resolve();
      worker.on('completed', done);
      worker.on('failed', done);
    });
    for (const n of [1, 2, 3]) await queue.add('ticket.open', { n }, { jobId: `job-${n}` });
    await settled;
    await worker.close();
    await queue.close();
    await bot.set(`${PREFIX}:analytics`, JSON.stringify({ servers: 3, members: 30, ticketTypes: 4, days: [] }));
    web = await startWeb(testConfig({ REDIS_URL: url('web', WEB_PASSWORD), QUEUE_PREFIX: PREFIX }));
  });
  afterAll(async () => {
    await web?.close();
    bot?.disconnect();
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the dashboard data, /metrics, the queue board and /healthz', async () => {
    const res = await fetch(`${web.url}/dashboard/data.json`, { headers: bearer });
    const raw = await res.text();
    expect(res.status, raw).toBe(200);
    const data = JSON.parse(raw) as { analytics: { servers: number }; queues: { name: string; counts: Record<string, number> }[] };
    expect(data.analytics.servers).toBe(3);
    expect(data.queues.find((q) => q.name === 'tickets')?.counts).toMatchObject({ completed: 2, failed: 1 });
    const metrics = await fetch(`${web.url}/metrics`, { headers: bearer });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/promton_queue_depth\{queue="tickets",state="failed",service="web"\} 1/);
    const board = await fetch(`${web.url}/admin/queues/api/queues?activeQueue=tickets&status=failed&page=1&jobsPerPage=10`, { headers: bearer });
    expect(board.status).toBe(200);
    expect(await board.text()).toContain('job-2');
    expect((await fetch(`${web.url}/healthz`)).status).toBe(200);
  });

  it('the site’s user cannot write: no SET, no write inside a script, no job added (jobs cannot be forged)', async () => {
    const asWeb = new Redis(url('web', WEB_PASSWORD), { maxRetriesPerRequest: 0 });
    try {
      await expect(asWeb.set(`${PREFIX}:x`, '1')).rejects.toThrow(/NOPERM/);
      await expect(asWeb.eval("return redis.call('set', KEYS[1], '1')", 1, `${PREFIX}:x`)).rejects.toThrow(/can't run this command|NOPERM/);
      await expect(asWeb.get('other-deployment:key')).rejects.toThrow(/NOPERM/);
      const forged = new Queue(QueueName.tickets, { connection: asWeb, prefix: PREFIX, skipMetasUpdate: true });
      await expect(forged.add('ticket.close', { forged: true })).rejects.toThrow();
      await forged.close();
      expect(await bot.llen(`${PREFIX}:tickets:wait`)).toBe(0);
    } finally {
      asWeb.disconnect();
    }
  });

  it('nobody gets in without a password', async () => {
    const anonymous = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 0, lazyConnect: true });
    anonymous.on('error', () => undefined);
    try {
      await anonymous.connect().catch(() => undefined);
      await expect(anonymous.get(`${PREFIX}:analytics`)).rejects.toThrow(/NOAUTH/);
    } finally {
      anonymous.disconnect();
    }
  });
});
