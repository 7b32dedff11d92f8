import { describe, expect, it } from 'vitest';
import { autoCloseDecision, snowflakeTime } from './auto-close.js';

const HOUR = 3_600_000;
/** A snowflake minted at `ms` (Discord epoch 2015). */
const idAt = (ms: number) => ((BigInt(ms) - 1_420_070_400_000n) << 22n).toString();

describe('auto-close', () => {
  const openedAt = Date.parse('2026-01-01T00:00:00Z');

  it('reads the time a snowflake was minted', () => {
    expect(snowflakeTime(idAt(openedAt))).toBe(openedAt);
  });

  it('closes a ticket quiet since it opened once the window passed', () => {
    expect(autoCloseDecision({ now: openedAt + 24 * HOUR, openedAt, lastMessageId: null, hours: 24 })).toEqual({ close: true });
  });

  it('waits for the rest of the window counted from the last message', () => {
    const lastMessageId = idAt(openedAt + 10 * HOUR);
    expect(autoCloseDecision({ now: openedAt + 24 * HOUR, openedAt, lastMessageId, hours: 24 })).toEqual({ close: false, delayMs: 10 * HOUR });
  });

  it('checks again later when the window has not passed', () => {
    expect(autoCloseDecision({ now: openedAt + HOUR, openedAt, lastMessageId: null, hours: 2 })).toEqual({ close: false, delayMs: HOUR });
  });
});
