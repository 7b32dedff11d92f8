import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Stack } from '../../scripts/stack/stack.js';
import { FULL, newUserId, percentile, setupGuilds, sized, sleep, type ChaosGuild } from './support/chaos.js';

/**
 * One guild floods the bot with opens (its channel creations are held to Discord's 10 per
 * 10 s, so its jobs pile up) while another guild's members keep opening tickets. The quiet
 * guild's opens must not wait behind the flood: each is answered ✅ while most of the flood
 * is still waiting. The quiet guild's members click the same way twice, once before the
 * flood (the usual open time on this machine) and once during it; both latencies are
 * printed for docs/reliability.md. `make chaos` only (its flood is long); the scheduling
 * rules themselves are tested in make test (shared/src/runtime/fair-share.test.ts,
 * shared/src/runtime/guild-pace.test.ts).
 */
describe.runIf(FULL)('chaos: one guild floods, another keeps opening', () => {
  let stack: Stack;
  let guilds: ChaosGuild[];
  const flood = sized(200, 2_000);
  const quiet = sized(5, 20);

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl') });
    guilds = await setupGuilds(stack.emulator, 2);
  }, 300_000);
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

  /** The quiet guild's members click one a second; resolves with each click-to-✅ time (ms), sorted. */
  const quietOpens = async (guild: ChaosGuild): Promise<number[]> => {
    const latencies = await Promise.all(
      Array.from({ length: quiet }, async (_, i) => {
        await sleep(i * 1_000);
        const sentAt = Date.now();
        const { id } = await click(guild);
        // Behind the flood (first in, first out) this open would wait for every earlier one: many minutes.
        const state = await stack.emulator.waitForOriginal(id, 300_000);
        expect(state.original?.content ?? '').toMatch(/^✅ /);
        return Date.now() - sentAt;
      }),
    );
    return latencies.sort((a, b) => a - b);
  };
  const figures = (sorted: number[]) => JSON.stringify({ p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) });

  it(`the quiet guild's ${quiet} opens are answered ✅ while most of the other guild's ${flood} are still waiting`, async () => {
    const [loud, calm] = guilds as [ChaosGuild, ChaosGuild];
    const usual = await quietOpens(calm);

    const floodIds: string[] = [];
    const start = Date.now();
    for (let i = 0; i < flood; i++) {
      const wait = start + i * 25 - Date.now(); // 40 clicks a second
      if (wait > 0) await sleep(wait);
      floodIds.push((await click(loud)).id);
    }
    const during = await quietOpens(calm);

    // Where the flood stood when the quiet guild was done: opened (✅), refused at once as
    // unable to start within its token's 15 minutes at its guild's pace (❌), or still waiting.
    let floodOpened = 0;
    let floodWaiting = 0;
    for (const id of floodIds) {
      const content = (await stack.emulator.interaction(id)).original?.content;
      if (!content) floodWaiting++;
      else if (content.startsWith('✅')) floodOpened++;
    }
    console.log(
      `[chaos guild-flood] flood=${flood} floodOpenedWhenQuietDone=${floodOpened} floodWaitingWhenQuietDone=${floodWaiting} quiet=${quiet} usualOpenMs=${figures(usual)} duringFloodOpenMs=${figures(during)}`,
    );
    // The quiet guild's opens were measured while the flood was still being served: some of
    // it still waited for its turn, and most of it had not opened.
    expect(floodWaiting).toBeGreaterThan(0);
    expect(floodOpened).toBeLessThan(flood / 2);
  }, 900_000);
});
