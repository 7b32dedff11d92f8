import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Stack } from '../../scripts/stack/stack.js';
import { FULL, fireOpens, settle, setupGuilds, sized, sleep, summary, verifyOpens, type ChaosGuild } from './support/chaos.js';
import { expectEveryAnswered } from './support/expect-opens.js';

/** Opens keep coming while ticket-worker is SIGKILLed every few seconds and started again. */
describe('chaos: ticket-worker killed repeatedly mid-burst', () => {
  let stack: Stack;
  let guilds: ChaosGuild[];
  const total = sized(90, 1_000);
  const perSecond = sized(10, 10);
  const killEveryMs = sized(2_000, 5_000);

  beforeAll(
    async () => {
      stack = await Stack.start({ redisUrl: inject('redisUrl') });
      guilds = await setupGuilds(stack.emulator, sized(3, 20));
      // 20 guilds set up through their slash commands take over 2 minutes on a loaded machine.
    },
    sized(120_000, 600_000),
  );
  afterAll(async () => {
    await stack?.close();
  });

  it(`${total} opens, 0 lost, 0 duplicated, 0 unanswered`, async () => {
    let kills = 0;
    let firing = true;
    const killer = (async () => {
      while (firing) {
        await sleep(killEveryMs);
        if (!firing) break;
        await stack.stopService('ticket-worker', 'SIGKILL');
        kills++;
        await sleep(300);
        await stack.startService('ticket-worker');
      }
    })();
    const opens = await fireOpens(stack.emulator, guilds, total, perSecond);
    firing = false;
    await killer;
    const states = await settle(
      stack.emulator,
      opens.map((o) => o.id),
      FULL ? 300_000 : 120_000,
    );
    const outcome = await verifyOpens(stack, guilds, opens, states);
    console.log(`[chaos worker-kill] kills=${kills} ${summary(outcome)}`);
    expect(kills).toBeGreaterThan(0);
    expectEveryAnswered(stack, opens, states, outcome, total);
    // Our crashes are never the member's failure: every job can still complete, so no one is told ❌.
    expect(outcome.refusals).toEqual({});
    expect(outcome.opened).toBe(total);
  }, 900_000);
});
