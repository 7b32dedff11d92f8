import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnRedis } from '../../../scripts/stack/redis-server.js';
import { bearer, OWNER_TOKEN } from './support.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const APPLICATION_ID = '123456789012345678';

/**
 * The web process as compose runs it: real Discord's API URL, an application id, and no
 * bot token; then its Redis dies.
 */
describe('web process without a bot token, then without Redis', () => {
  let redis: Awaited<ReturnType<typeof spawnRedis>>;
  let web: ChildProcess;
  let url: string;
  let output = '';
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  beforeAll(async () => {
    redis = await spawnRedis();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    web = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        REDIS_URL: redis.url,
        QUEUE_PREFIX: 'web-redis-down',
        WEB_PORT: String(port),
        DISCORD_APPLICATION_ID: APPLICATION_ID,
        OWNER_TOKEN,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    web.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    web.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    exited = new Promise((resolve) => web.once('exit', (code, signal) => resolve({ code, signal })));
    let dead = false;
    void exited.then(() => (dead = true));
    for (;;) {
      if (dead) throw new Error(`web exited during start:\n${output}`);
      const ok = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(async () => {
    if (web.exitCode === null && web.signalCode === null) web.kill('SIGKILL');
    if (redis.process.exitCode === null && redis.process.signalCode === null) await redis.stop();
    else rmSync(redis.dir, { recursive: true, force: true });
  });

  it('starts with no DISCORD_TOKEN against Discord’s API URL and links the invite of its application', async () => {
    const landing = await (await fetch(`${url}/`)).text();
    expect(landing).toContain(`client_id=${APPLICATION_ID}`);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', dependencies: { redis: 'up' } });
    for (const path of ['/metrics', '/dashboard/data.json', '/admin/queues/api/queues']) {
      const res = await fetch(`${url}${path}`, { headers: bearer });
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
    }
  });

  it('with Redis gone: /healthz says so with 503, the owner pages answer 503, the public pages still 200', async () => {
    redis.process.kill('SIGKILL');
    await new Promise((r) => redis.process.once('exit', r));
    // Each request is bounded by the app's own deadline; the signal here only turns a hang into a failure.
    const signal = () => AbortSignal.timeout(15_000);
    const health = await fetch(`${url}/healthz`, { signal: signal() });
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unhealthy', dependencies: { redis: 'down' } });
    for (const path of ['/metrics', '/dashboard/data.json', '/admin/queues', '/admin/queues/api/queues']) {
      const res = await fetch(`${url}${path}`, { headers: bearer, signal: signal() });
      expect(res.status, path).toBe(503);
      expect(await res.text(), path).toMatch(/unavailable/i);
    }
    for (const path of ['/', '/privacy', '/commands', '/terms']) expect((await fetch(`${url}${path}`, { signal: signal() })).status, path).toBe(200);
  });

  it('SIGTERM with Redis gone ends the process cleanly (exit 0) rather than hanging', async () => {
    web.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output).toContain('shutting down');
  });
});
