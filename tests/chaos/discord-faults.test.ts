import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Stack } from '../../scripts/stack/stack.js';
import { FULL, ackFailedByDiscord, fireOpens, settle, setupGuilds, sized, summary, unansweredTrail, verifyOpens, type ChaosGuild } from './support/chaos.js';

/**
 * Discord misbehaves: 10 % of requests answered 500 (not applied) and 5 % of POSTs applied
 * but never answered (the socket is held `holdMs`, then destroyed), everywhere — channel
 * creates, welcome posts, interaction callbacks, webhook edits, log posts.
 */
describe('chaos: Discord answering 500s and timing out', () => {
  let stack: Stack;
  let guilds: ChaosGuild[];
  const total = sized(60, 500);
  const holdMs = 1_000;

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl') });
    guilds = await setupGuilds(stack.emulator, sized(4, 15));
  });
  afterAll(async () => {
    await stack?.close();
  });

  it(`${total} opens under 10 % 500s and 5 % timed-out POSTs: 0 lost, 0 duplicated, every member answered but those whose every initial response Discord failed`, async () => {
    await stack.emulator.addFault({ id: 'chaos-500', path: '.*', kind: 'status', status: 500, ratio: 0.1 });
    await stack.emulator.addFault({ id: 'chaos-timeout', method: 'POST', path: '.*', kind: 'timeout', delayMs: holdMs, ratio: 0.05 });
    const opens = await fireOpens(stack.emulator, guilds, total, 10);
    const states = await settle(
      stack.emulator,
      opens.map((o) => o.id),
      FULL ? 600_000 : 150_000,
    );
    const stats = await stack.emulator.stats();
    await stack.emulator.clearFaults();
    const outcome = await verifyOpens(stack, guilds, opens, states);
    const discordFailed = await ackFailedByDiscord(stack.emulator, opens, states);
    console.log(`[chaos discord-faults] faultHits=${stats.faultHits} requests=${stats.requests} ackFailedByDiscord=${discordFailed.size} ${summary(outcome)}`);
    expect(stats.faultHits).toBeGreaterThan(0);
    // Those Discord failed are among the unanswered (they have no response): equal counts, equal sets.
    const trail = unansweredTrail(
      stack,
      opens.filter((open) => !discordFailed.has(open.id)),
      states,
    );
    expect(outcome, trail).toMatchObject({
      unanswered: discordFailed.size,
      lost: 0,
      duplicateChannels: 0,
      duplicateNumbers: 0,
      duplicateWelcomes: 0,
      stuckOpening: 0,
    });
    expect(outcome.opened + outcome.refused + discordFailed.size).toBe(total);
  }, 900_000);
});
