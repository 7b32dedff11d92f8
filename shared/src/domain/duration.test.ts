import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration.js';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [-5000, '0 s'],
    [45_000, '45 s'],
    [59_499, '59 s'],
    [60_000, '1 min'],
    [3_599_000, '59 min'],
    [3_600_000, '1 h 0 min'],
    [7_500_000, '2 h 5 min'],
    [86_400_000, '1 d 0 h'],
    [3 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000, '3 d 4 h'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("writes the units in the reader's language", () => {
    expect(formatDuration(7_500_000, 'de')).toBe('2 Std. 5 Min.');
  });
});
