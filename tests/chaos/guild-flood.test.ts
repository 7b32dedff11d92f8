import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Stack } from '../../scripts/stack/stack.js';
import { FULL, newUserId, percentile, setupGuilds, sized, sleep, type ChaosGuild } from './support/chaos.js';

/**
 * One guild floods the bot with opens (its channel creations are held to Discord's 10 per
 * 10 s, so its jobs pile up in the queue) while another guild's members keep opening
 * tickets. The quiet guild's opens must not wait behind the flood (per-guild priority,
 * FairShare): each is answered while most of the flood is still queued. `make chaos`
 * only (its flood is long); the ordering itself is tested in make test by
 * shared/src/runtime/fair-share.test.ts.
 */
describe.runIf(FULL)('chaos: one guild floods, another keeps opening', () => {
  let stack: Stack;
  let guilds: ChaosGuild[];
  const flood = sized(200, 2_000);
  const quiet = sized(5, 20);

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl') });
    guilds = await setupGuilds(stack.emulator, 2);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const click = (guild: ChaosGuild) =>
    stack.emulator.interact({
      guildId: guild.guild.id,
      channelId: guild.panelChannel.id,
      userId: newUserId(),
      kind: 'button',
      customId: 'pt:v1:open:support',
      messageId: guild.panelId,
    });

  it(`the quiet guild's ${quiet} opens are answered ✅ while most of the other guild's ${flood} are still queued`, async () => {
    const [loud, calm] = guilds as [ChaosGuild, ChaosGuild];
    const floodIds: string[] = [];
    const start = Date.now();
    for (let i = 0; i < flood; i++) {
      const wait = start + i * 25 - Date.now(); // 40 clicks a second
      if (wait > 0) await sleep(wait);
      floodIds.push((await click(loud)).id);
    }
    // Then the quiet guild's members click, all at once.
    const latencies = await Promise.all(
      Array.from({ length: quiet }, async () => {
        const sentAt = Date.now();
        const { id } = await click(calm);
        // Behind the flood (first in, first out) this open would wait for every earlier one: minutes.
        const state = await stack.emulator.waitForOriginal(id, 90_000);
        expect(state.original?.content ?? '').toMatch(/^✅ /);
        return Date.now() - sentAt;
      }),
    );
    let floodAnswered = 0;
    for (const id of floodIds) if ((await stack.emulator.interaction(id)).original?.content) floodAnswered++;
    latencies.sort((a, b) => a - b);
    console.log(
      `[chaos guild-flood] flood=${flood} floodAnsweredWhenQuietDone=${floodAnswered} quiet=${quiet} quietOpenMs=${JSON.stringify({ p50: percentile(latencies, 50), max: latencies.at(-1) })}`,
    );
    expect(floodAnswered).toBeLessThan(flood / 2);
  }, 900_000);
});
