import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack } from '../../scripts/stack/stack.js';
import { FULL, RestartableRedis, fireOpens, settle, setupGuilds, sized, sleep, summary, verifyOpens, type ChaosGuild } from './support/chaos.js';
import { expectEveryAnswered } from './support/expect-opens.js';

/** Redis (AOF on) is stopped and started again on the same port and data folder while opens are coming in. */
describe('chaos: Redis restarted mid-burst', () => {
  let redis: RestartableRedis;
  let stack: Stack;
  let guilds: ChaosGuild[];
  const total = sized(80, 600);
  const perSecond = 10;

  beforeAll(async () => {
    redis = await RestartableRedis.start();
    stack = await Stack.start({ redisUrl: redis.url });
    guilds = await setupGuilds(stack.emulator, sized(4, 12));
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.close();
  });

  it(`${total} opens across a Redis restart: every member answered, nothing lost or doubled`, async () => {
    let restartedAt = 0;
    const downMs = sized(1_500, 3_000);
    const opens = await fireOpens(stack.emulator, guilds, total, perSecond, async (sent) => {
      if (sent === Math.floor(total / 2)) {
        restartedAt = Date.now();
        void (async () => {
          await redis.down('SIGTERM');
          await sleep(downMs);
          await redis.up();
        })();
      }
    });
    expect(restartedAt).toBeGreaterThan(0);
    const states = await settle(
      stack.emulator,
      opens.map((o) => o.id),
      FULL ? 300_000 : 120_000,
    );
    const outcome = await verifyOpens(stack, guilds, opens, states);
    console.log(`[chaos redis-restart] down=${downMs}ms ${summary(outcome)}`);
    expectEveryAnswered(stack, opens, states, outcome, total);
    // Clicks while Redis was down were refused clearly; the rest opened.
    expect(outcome.opened).toBeGreaterThan(total / 2);
  }, 900_000);
});
