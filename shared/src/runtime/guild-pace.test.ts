import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { testPrefix } from '../../../scripts/stack/prefix.js';
import { GuildPace, pacedProcessor } from './guild-pace.js';
import { redisPair } from '../../../tests/support/redis-pair.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('GuildPace: a guild takes worker slots no faster than its bucket', () => {
  const [redis, workerRedis] = redisPair({ maxRetriesPerRequest: null });

  it('books the burst at once, then one turn per interval, each guild on its own schedule', async () => {
    const pace = new GuildPace(redis, testPrefix(), { burst: 3, intervalMs: 60_000 });
    const hour = 3_600_000;
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push(await pace.book('flood', `j${i}`, hour));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    // Redis's clock moves a little between the calls: each turn is one interval after the last.
    expect(waits[3]).toBeGreaterThan(59_000);
    expect(waits[3]).toBeLessThanOrEqual(60_000);
    expect(waits[4]).toBeGreaterThan(119_000);
    expect(waits[4]).toBeLessThanOrEqual(120_000);
    // A job that booked its turn and comes back takes it: it books no second one.
    expect(await pace.book('flood', 'j3', hour)).toBe(0);
    const after = await pace.book('flood', 'j5', hour);
    expect(after).toBeGreaterThan(179_000);
    expect(after).toBeLessThanOrEqual(180_000);
    expect(await pace.book('quiet', 'q', hour)).toBe(0);
  });

  it('books nothing for a job that cannot wait until its turn', async () => {
    const pace = new GuildPace(redis, testPrefix(), { burst: 1, intervalMs: 60_000 });
    expect(await pace.book('g', 'a', 1_000)).toBe(0);
    expect(await pace.book('g', 'b', 1_000)).toBeNull();
    // The refused job took no turn: the next one is still one interval away, not two.
    const next = await pace.book('g', 'c', 3_600_000);
    expect(next).toBeGreaterThan(59_000);
    expect(next).toBeLessThanOrEqual(60_000);
  });

  const byGuild = (job: Job) => ({ guildId: (job.data as { guild: string }).guild, maxWaitMs: 3_600_000 });

  it("keeps worker slots free for another guild while one guild's jobs wait for their turns", async () => {
    const prefix = testPrefix();
    const queue = new Queue('paced', { connection: redis, prefix });
    const started: string[] = [];
    const quietStarted = deferred();
    const release = deferred();
    // A flood job holds its slot until released, as an open asleep on Discord's bucket would.
    const process = async (job: Job) => {
      const { guild, n } = job.data as { guild: string; n: number };
      started.push(`${guild}${n}`);
      if (guild === 'quiet') quietStarted.resolve();
      else await release.promise;
    };
    const pace = new GuildPace(redis, prefix, { burst: 2, intervalMs: 60_000 });
    const worker = new Worker(
      'paced',
      pacedProcessor(pace, byGuild, process, async () => undefined),
      { connection: workerRedis, prefix, concurrency: 4 },
    );
    try {
      await queue.addBulk(Array.from({ length: 6 }, (_, n) => ({ name: 'open', data: { guild: 'flood', n }, opts: { priority: n + 1 } })));
      // The flood's turns beyond its burst are booked a minute apart: those jobs wait in the queue, not in a slot.
      while ((await queue.getDelayedCount()) < 4) await new Promise((resolve) => setTimeout(resolve, 20));
      await queue.add('open', { guild: 'quiet', n: 0 }, { priority: 1 });
      // Without the pace the flood's first 4 would hold all 4 slots and the quiet job would not start.
      await quietStarted.promise;
      expect(started).toEqual(['flood0', 'flood1', 'quiet0']);
      expect(await queue.getDelayedCount()).toBe(4);
    } finally {
      release.resolve();
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it("runs each job moved aside once, at its turn, in the guild's order", async () => {
    const prefix = testPrefix();
    const queue = new Queue('paced', { connection: redis, prefix });
    const started: number[] = [];
    const flood = 8;
    const allDone = deferred();
    const process = async (job: Job) => {
      started.push((job.data as { n: number }).n);
      if (started.length === flood) allDone.resolve();
    };
    const pace = new GuildPace(redis, prefix, { burst: 1, intervalMs: 100 });
    // One slot: jobs fetched side by side would book their turns in whichever order their requests reach Redis.
    const worker = new Worker(
      'paced',
      pacedProcessor(pace, byGuild, process, async () => undefined),
      { connection: workerRedis, prefix, concurrency: 1 },
    );
    try {
      await queue.addBulk(Array.from({ length: flood }, (_, n) => ({ name: 'open', data: { guild: 'flood', n }, opts: { priority: n + 1 } })));
      await allDone.promise;
      expect(started).toEqual(Array.from({ length: flood }, (_, n) => n));
      expect(await queue.getDelayedCount()).toBe(0);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it("holds at most the burst of a guild's jobs in the worker's slots when turns come faster than its jobs end", async () => {
    const prefix = testPrefix();
    const queue = new Queue('paced', { connection: redis, prefix });
    const events = new QueueEvents('paced', { connection: redis.duplicate(), prefix });
    const started: number[] = [];
    const release = deferred();
    const allDone = deferred();
    const movedAside = new Map<string, number>();
    const secondBackTwice = deferred();
    events.on('delayed', ({ jobId }) => {
      const times = (movedAside.get(jobId) ?? 0) + 1;
      movedAside.set(jobId, times);
      // Booked once, then sent back twice because the guild still held its one slot.
      if (jobId === 'f1' && times >= 3) secondBackTwice.resolve();
    });
    const process = async (job: Job) => {
      started.push((job.data as { n: number }).n);
      await release.promise;
      if (started.length === 3) allDone.resolve();
    };
    const pace = new GuildPace(redis, prefix, { burst: 1, intervalMs: 50 });
    const worker = new Worker(
      'paced',
      pacedProcessor(pace, byGuild, process, async () => undefined),
      { connection: workerRedis, prefix, concurrency: 4 },
    );
    try {
      await events.waitUntilReady();
      await queue.addBulk(Array.from({ length: 3 }, (_, n) => ({ name: 'open', data: { guild: 'flood', n }, opts: { jobId: `f${n}`, priority: n + 1 } })));
      await secondBackTwice.promise;
      expect(started).toEqual([0]);
      release.resolve();
      await allDone.promise;
      expect([...started].sort()).toEqual([0, 1, 2]);
    } finally {
      release.resolve();
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('does not run a job whose turn would come after its limit (a spent interaction token)', async () => {
    const prefix = testPrefix();
    const queue = new Queue('paced', { connection: redis, prefix });
    const events = new QueueEvents('paced', { connection: redis.duplicate(), prefix });
    const ran: number[] = [];
    const tooLate: number[] = [];
    const pace = new GuildPace(redis, prefix, { burst: 1, intervalMs: 60_000 });
    const processor = pacedProcessor(
      pace,
      () => ({ guildId: 'g', maxWaitMs: 1_000 }),
      async (job) => void ran.push((job.data as { n: number }).n),
      async (job) => void tooLate.push((job.data as { n: number }).n),
    );
    const worker = new Worker('paced', processor, { connection: workerRedis, prefix, concurrency: 4 });
    try {
      await events.waitUntilReady();
      await (await queue.add('open', { n: 0 })).waitUntilFinished(events, 30_000);
      await (await queue.add('open', { n: 1 })).waitUntilFinished(events, 30_000);
      expect(ran).toEqual([0]);
      expect(tooLate).toEqual([1]);
      expect(await queue.getDelayedCount()).toBe(0);
    } finally {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
