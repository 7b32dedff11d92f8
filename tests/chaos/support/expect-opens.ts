import { expect } from 'vitest';
import type { EmulatorClient, EmulatorStats } from '@promton/discord-emulator';
import { waitFor } from '../../../scripts/stack/demo.js';
import { unansweredTrail, type ChaosGuild, type Open, type Outcome } from './chaos.js';
import type { InteractionState } from '@promton/discord-emulator';
import type { Stack } from '../../../scripts/stack/stack.js';

// The checks of an opens run (fireOpens → settle → verifyOpens), apart from chaos.ts, which the benchmarks load outside vitest.

/** Every one of `total` opens answered and opened once: none lost, duplicated, orphaned or stuck opening. */
export function expectEveryOpened(outcome: Outcome, total: number): void {
  expect(outcome).toMatchObject({
    unanswered: 0,
    lost: 0,
    duplicateChannels: 0,
    duplicateNumbers: 0,
    duplicateWelcomes: 0,
    orphanChannels: 0,
    stuckOpening: 0,
  });
  expect(outcome.opened).toBe(total);
}

/**
 * Every one of `total` opens answered (✅ or ❌), none lost, duplicated or stuck opening; a
 * failure prints each unanswered open's state and the log lines naming it.
 */
export function expectEveryAnswered(
  stack: Pick<Stack, 'processes' | 'logOf'>,
  opens: readonly Open[],
  states: Map<string, InteractionState>,
  outcome: Outcome,
  total: number,
): void {
  expect(outcome, unansweredTrail(stack, opens, states)).toMatchObject({
    unanswered: 0,
    lost: 0,
    duplicateChannels: 0,
    duplicateNumbers: 0,
    duplicateWelcomes: 0,
    stuckOpening: 0,
  });
  expect(outcome.opened + outcome.refused).toBe(total);
}

/**
 * The scaled-workers burst check (chaos and compose): every open opened once, each guild's
 * log channel shows its share of "Ticket opened" lines, and Discord answered no request 429.
 * Returns the emulator's request figures.
 */
export async function expectBurstMet(emulator: EmulatorClient, guilds: readonly ChaosGuild[], outcome: Outcome, total: number): Promise<EmulatorStats> {
  expectEveryOpened(outcome, total);
  const perGuild = total / guilds.length;
  for (const guild of guilds) {
    await waitFor(
      async () =>
        (await emulator.messages(guild.logChannel.id)).flatMap((m) => m.embeds).filter((e) => String((e as { title?: string }).title).includes('Ticket opened'))
          .length === perGuild,
      `${perGuild} log lines in ${guild.guild.name}`,
      180_000,
    );
  }
  const stats = await emulator.stats();
  expect(stats.byStatus['429'] ?? 0).toBe(0);
  expect(stats.rateLimited).toBe(0);
  return stats;
}
