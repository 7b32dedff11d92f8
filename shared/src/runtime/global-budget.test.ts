import { describe, expect, it } from 'vitest';
import { testPrefix } from '../../../scripts/stack/prefix.js';
import { GlobalRequestBudget, globalBudgetKey } from './global-budget.js';
import { redisPair } from '../../../tests/support/redis-pair.js';

describe('GlobalRequestBudget', () => {
  const [a, b] = redisPair();

  it('gives two processes one schedule: every slot distinct and 1/rate apart', async () => {
    const key = globalBudgetKey(testPrefix(), '1100000000000000001');
    const first = new GlobalRequestBudget(a, key, 50);
    const second = new GlobalRequestBudget(b, key, 50);
    const reservations = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? first : second).reserve()));
    const slots = reservations.map((r) => r.slot).sort((x, y) => x - y);
    // Whoever asked, no two turns are closer than 20 ms: at most 50 requests in any second.
    for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBeGreaterThanOrEqual(20_000);
    expect(new Set(slots).size).toBe(40);
    await a.del(key);
  });

  it('lets a background caller take only idle turns, and books like anyone once it waited long enough', async () => {
    const key = globalBudgetKey(testPrefix(), '1100000000000000001');
    // One turn a second: the booked turn stays in the future however slowly this machine runs the next line.
    const budget = new GlobalRequestBudget(a, key, 1, 0);
    expect((await budget.reserve('background')).slot).toBeGreaterThan(0); // idle: it gets the turn
    await budget.reserve(); // the next turn is booked now
    const busy = await budget.reserve('background');
    expect(busy.slot).toBe(-1);
    expect(busy.waitMs).toBeGreaterThan(0);
    // With no patience left (maxBackgroundWaitMs 0), acquire books a normal turn and returns.
    await budget.acquire('background');
    await a.del(key);
  });
});
