import { Queue, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { testPrefix } from '../../../scripts/stack/prefix.js';
import { FairShare, LOWEST_PRIORITY } from './fair-share.js';
import { redisPair } from '../../../tests/support/redis-pair.js';

describe('FairShare: per-guild fairness on one BullMQ queue', () => {
  const [redis, workerRedis] = redisPair({ maxRetriesPerRequest: null });

  it("a quiet guild's open queued after another guild's 2,000 is processed before nearly all of them", async () => {
    const prefix = testPrefix();
    const fair = new FairShare(redis, prefix);
    const queue = new Queue('fairness', { connection: redis, prefix });
    const flood = 2_000;
    // The flood arrives first, then one open from a quiet guild.
    for (let start = 0; start < flood; start += 200) {
      const batch = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => ({
          name: 'ticket.open',
          data: { guild: 'flood', n: start + i },
          opts: { priority: await fair.priorityOf('flood') },
        })),
      );
      await queue.addBulk(batch);
    }
    await queue.add('ticket.open', { guild: 'quiet', n: 0 }, { priority: await fair.priorityOf('quiet') });

    const order: { guild: string; n: number }[] = [];
    const done = new Promise<void>((resolve) => {
      const worker = new Worker(
        'fairness',
        async (job) => {
          order.push(job.data as { guild: string; n: number });
          if ((job.data as { guild: string }).guild === 'quiet') {
            resolve();
            void worker.close();
          }
        },
        { connection: workerRedis, prefix, concurrency: 1 },
      );
    });
    await done;
    const position = order.findIndex((job) => job.guild === 'quiet');
    // FIFO would put it after all 2,000; with fairness it is among the first few.
    expect(position).toBeGreaterThanOrEqual(0);
    expect(position).toBeLessThan(flood / 100);
    // The flooding guild's own opens keep their order.
    const floodOrder = order.filter((job) => job.guild === 'flood').map((job) => job.n);
    expect(floodOrder).toEqual([...floodOrder].sort((a, b) => a - b));
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it("counts each guild's jobs separately, within BullMQ's priority range", async () => {
    const prefix = testPrefix();
    const fair = new FairShare(redis, prefix);
    expect(await fair.priorityOf('a')).toBe(1);
    expect(await fair.priorityOf('a')).toBe(2);
    expect(await fair.priorityOf('a')).toBe(3);
    expect(await fair.priorityOf('b')).toBe(1);
    await redis.set(`${prefix}:fair:c:${Math.floor(Date.now() / 30_000)}`, String(LOWEST_PRIORITY + 10));
    expect(await fair.priorityOf('c')).toBeLessThanOrEqual(LOWEST_PRIORITY);
  });
});
