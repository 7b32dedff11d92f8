import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { command } from '../../scripts/stack/demo.js';
import { Stack } from '../../scripts/stack/stack.js';
import { FULL, fireOpens, settle, setupGuilds, sized, summary, verifyOpens, type ChaosGuild } from './support/chaos.js';
import { expectEveryOpened } from './support/expect-opens.js';

/** An admin deletes the log channel while tickets are opening: the tickets do not care. */
describe('chaos: log channel deleted mid-burst', () => {
  let stack: Stack;
  let guilds: ChaosGuild[];
  const total = sized(40, 300);

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl') });
    guilds = await setupGuilds(stack.emulator, sized(2, 6));
  });
  afterAll(async () => {
    await stack?.close();
  });

  it(`${total} opens, the log channels deleted half-way: 0 lost, 0 duplicated`, async () => {
    const opens = await fireOpens(stack.emulator, guilds, total, 8, async (sent) => {
      if (sent === Math.floor(total / 2)) for (const guild of guilds) await stack.emulator.deleteChannel(guild.logChannel.id);
    });
    const states = await settle(
      stack.emulator,
      opens.map((o) => o.id),
      FULL ? 300_000 : 90_000,
    );
    const outcome = await verifyOpens(stack, guilds, opens, states);
    console.log(`[chaos log-channel-deleted] ${summary(outcome)}`);
    expectEveryOpened(outcome, total);
    // The admin is told through /config show.
    const shown = await command(stack.emulator, guilds[0]!, ['config', 'show']);
    expect(shown).toMatch(/^✅/);
  }, 600_000);
});
