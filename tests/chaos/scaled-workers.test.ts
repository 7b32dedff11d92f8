import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { Stack } from '../../scripts/stack/stack.js';
import { fireOpens, settle, setupGuilds, summary, verifyOpens, type ChaosGuild } from './support/chaos.js';
import { expectBurstMet } from './support/expect-opens.js';

/**
 * The workers scaled as `docker compose up --scale ticket-worker=3 --scale log-worker=2`
 * does, as plain processes: a burst of opens in three servers needs more channel
 * creations per server (Discord: 10 per 10 s) and more log posts per webhook (5 per 2 s)
 * than one window holds, and the replicas share those buckets: no 429 at all.
 *
 * Full size only (`make chaos`): `make compose-test` runs the same burst in containers; the
 * shared buckets' own tests (shared/src/runtime/route-buckets.test.ts,
 * services/ticket-worker/test/route-buckets.test.ts) are in `make test`.
 */
describe('chaos: 3 ticket-workers and 2 log-workers under a burst', () => {
  let stack: Stack;
  let guilds: ChaosGuild[];
  const total = 90;
  const perSecond = 30;

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl'), services: ['config-service', 'ticket-worker', 'log-worker', 'gateway'] });
    await Promise.all([
      stack.startService('ticket-worker', {}, 'ticket-worker-2'),
      stack.startService('ticket-worker', {}, 'ticket-worker-3'),
      stack.startService('log-worker', {}, 'log-worker-2'),
    ]);
    guilds = await setupGuilds(stack.emulator, 3);
  }, 240_000);
  afterAll(async () => {
    await stack?.close();
  });

  it(`${total} opens over 3 servers: every one opened and logged, no request answered 429`, async () => {
    const opens = await fireOpens(stack.emulator, guilds, total, perSecond);
    const states = await settle(
      stack.emulator,
      opens.map((o) => o.id),
      300_000,
    );
    const outcome = await verifyOpens(stack, guilds, opens, states);
    console.log(`[chaos scaled-workers] ${summary(outcome)}`);
    await expectBurstMet(stack.emulator, guilds, outcome, total);
  }, 900_000);
});
