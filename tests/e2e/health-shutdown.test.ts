import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnRedis } from '../../scripts/stack/redis-server.js';
import { Stack, type ServiceName } from '../../scripts/stack/stack.js';

const SERVICES: ServiceName[] = ['config-service', 'ticket-worker', 'log-worker', 'gateway', 'web'];
const DEPENDENCIES: Record<ServiceName, string[]> = {
  'config-service': ['database', 'redis', 'worker'],
  'ticket-worker': ['redis', 'worker'],
  'log-worker': ['redis', 'worker'],
  gateway: ['redis', 'discord'],
  interactions: ['redis'],
  web: ['redis'],
  'discord-emulator': [],
  'all-in-one': [
    'config-service.database',
    'config-service.redis',
    'config-service.worker',
    'ticket-worker.redis',
    'ticket-worker.worker',
    'log-worker.redis',
    'log-worker.worker',
    'gateway.redis',
    'gateway.discord',
  ],
};

async function health(stack: Stack, name: ServiceName): Promise<{ status: number; body: { status: string; dependencies: Record<string, string> } }> {
  // The services bound every check themselves; this signal only turns a hang into a failure.
  const res = await fetch(`http://127.0.0.1:${stack.portOf(name)}/healthz`, { signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: (await res.json()) as { status: string; dependencies: Record<string, string> } };
}

/** Every service on a private Redis that is then SIGKILLed. */
describe('health reports and SIGTERM, with Redis up and then gone', () => {
  let redis: Awaited<ReturnType<typeof spawnRedis>>;
  let stack: Stack;

  beforeAll(async () => {
    redis = await spawnRedis();
    stack = await Stack.start({ redisUrl: redis.url, services: SERVICES });
  });
  afterAll(async () => {
    await stack?.close();
    if (redis.process.exitCode === null && redis.process.signalCode === null) await redis.stop();
    else rmSync(redis.dir, { recursive: true, force: true });
  });

  it('every /healthz names its dependencies, all up', async () => {
    for (const name of SERVICES) {
      const { status, body } = await health(stack, name);
      expect({ name, status, body }).toEqual({
        name,
        status: 200,
        body: { status: 'ok', dependencies: Object.fromEntries(DEPENDENCIES[name].map((d) => [d, 'up'])) },
      });
    }
  });

  it('with Redis SIGKILLed, every /healthz answers 503 naming Redis as down', async () => {
    redis.process.kill('SIGKILL');
    await new Promise((r) => redis.process.once('exit', r));
    for (const name of SERVICES) {
      const { status, body } = await health(stack, name);
      expect({ name, status, state: body.status, redis: body.dependencies.redis }).toEqual({ name, status: 503, state: 'unhealthy', redis: 'down' });
    }
  });

  it('SIGTERM ends every service by itself with Redis gone (the harness SIGKILLs after 30 s, as compose does: exit code null)', async () => {
    const codes = await Promise.all(SERVICES.map(async (name) => [name, await stack.stopService(name, 'SIGTERM')] as const));
    for (const [name, code] of codes) expect({ name, code }).toEqual({ name, code: expect.any(Number) });
    // Those whose close finished exit 0; one stuck on the lost Redis exits 1 at its own grace deadline.
    expect(codes.filter(([, code]) => code !== 0 && code !== 1)).toEqual([]);
  });
});
