import { describe, expect, it } from 'vitest';
import { InteractionLine } from './interaction-line.js';

/** An answer that ends when the test says so, recording what it was given. */
function controlledAnswers() {
  const started: number[] = [];
  const finish = new Map<number, (fail?: boolean) => void>();
  const answer = (item: number) =>
    new Promise<void>((resolve, reject) => {
      started.push(item);
      finish.set(item, (fail) => (fail ? reject(new Error(`answer ${item} failed`)) : resolve()));
    });
  const end = async (item: number, fail = false) => {
    finish.get(item)!(fail);
    // Let the line's own continuation run.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { started, answer, end };
}

describe('InteractionLine', () => {
  it('answers at most `limit` at once and the others in arrival order as places free', async () => {
    const { started, answer, end } = controlledAnswers();
    const shed: number[] = [];
    const line = new InteractionLine(answer, { limit: 2, maxWaitMs: 2_000, onShed: (item) => shed.push(item) });
    for (const item of [1, 2, 3, 4]) line.push(item);
    expect(started).toEqual([1, 2]);
    expect(line.waiting).toBe(2);
    await end(2);
    expect(started).toEqual([1, 2, 3]);
    await end(1, true); // a failed answer frees its place too
    expect(started).toEqual([1, 2, 3, 4]);
    expect(line.waiting).toBe(0);
    expect(shed).toEqual([]);
  });

  it('drops, unanswered, each one that waited longer than maxWaitMs for its turn, and answers the fresh ones', async () => {
    let now = 0;
    const { started, answer, end } = controlledAnswers();
    const shed: number[] = [];
    const line = new InteractionLine(answer, { limit: 1, maxWaitMs: 2_000, onShed: (item) => shed.push(item), now: () => now });
    line.push(1);
    line.push(2);
    now = 1_500;
    line.push(3);
    now = 2_001; // 2 has waited 2,001 ms, 3 only 501
    await end(1);
    expect(shed).toEqual([2]);
    expect(started).toEqual([1, 3]);
    now = 2_500;
    line.push(4);
    await end(3);
    expect(started).toEqual([1, 3, 4]);
    expect(shed).toEqual([2]);
  });

  it('keeps its memory to what waits: a long run through a busy line leaves nothing behind', async () => {
    let now = 0;
    const { started, answer, end } = controlledAnswers();
    let shed = 0;
    const line = new InteractionLine(answer, { limit: 1, maxWaitMs: 10, onShed: () => (shed += 1), now: () => now });
    line.push(0);
    for (let i = 1; i <= 5_000; i++) line.push(i);
    expect(line.waiting).toBe(5_000);
    now = 100; // every waiting one is now too old
    line.push(5_001);
    await end(0);
    expect(shed).toBe(5_000);
    expect(started).toEqual([0, 5_001]);
    expect(line.waiting).toBe(0);
  });
});
