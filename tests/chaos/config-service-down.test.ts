import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Stack } from '../../scripts/stack/stack.js';
import { FULL, fireOpens, settle, setupGuilds, sized, sleep, summary, verifyOpens, type ChaosGuild } from './support/chaos.js';
import { expectEveryAnswered } from './support/expect-opens.js';

/** config-service (the database owner) is down while members click: opens wait and complete once it is back. */
describe('chaos: config-service down', () => {
  let stack: Stack;
  let guilds: ChaosGuild[];
  const downMs = sized(8_000, 30_000);
  const total = sized(40, 300);

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl') });
    guilds = await setupGuilds(stack.emulator, sized(4, 10));
  });
  afterAll(async () => {
    await stack?.close();
  });

  it(`${total} opens while config-service is down ${downMs / 1000} s: all answered, none lost`, async () => {
    await stack.stopService('config-service', 'SIGKILL');
    const started = Date.now();
    const opens = await fireOpens(stack.emulator, guilds, total, (total / (downMs / 1000)) * 0.8);
    await sleep(Math.max(0, downMs - (Date.now() - started)));
    await stack.startService('config-service');
    const states = await settle(
      stack.emulator,
      opens.map((o) => o.id),
      FULL ? 300_000 : 90_000,
    );
    const outcome = await verifyOpens(stack, guilds, opens, states);
    console.log(`[chaos config-service-down] down=${downMs}ms ${summary(outcome)}`);
    expectEveryAnswered(stack, opens, states, outcome, total);
    // The members waited, they were not turned away.
    expect(outcome.opened).toBe(total);
  }, 900_000);
});
