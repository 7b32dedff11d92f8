import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testPrefix } from '../../../scripts/stack/prefix.js';
import { RedisIdentifyThrottler, RedisSessionStore, identifyKey, sessionKey } from '../src/shard-coordination.js';
import { redisPair } from '../../../tests/support/redis-pair.js';

const APP = '1100000000000000001';

describe('identify buckets shared through Redis', () => {
  const [a, b] = redisPair();

  it('lets one shard per bucket (shard_id % max_concurrency) identify at once, across processes', async () => {
    const prefix = testPrefix();
    const first = new RedisIdentifyThrottler(a, prefix, APP, 4, 60_000);
    const second = new RedisIdentifyThrottler(b, prefix, APP, 4, 60_000);
    // Shards 0–3 are four buckets: none waits for another, whichever process runs it.
    await Promise.all([0, 1, 2, 3].map((shard) => (shard % 2 ? first : second).waitForIdentify(shard, new AbortController().signal)));
    for (const bucket of [0, 1, 2, 3]) {
      expect(await a.get(identifyKey(prefix, APP, bucket))).toBe(String(bucket));
      expect(await a.pttl(identifyKey(prefix, APP, bucket))).toBeGreaterThan(0);
    }

    // Shard 4 is bucket 0 again: the other process's shard holds the slot, so it waits.
    const controller = new AbortController();
    const waiting = first.waitForIdentify(4, controller.signal);
    const outcome = waiting.then(
      () => 'identified',
      () => 'aborted',
    );
    await a.ping();
    controller.abort();
    expect(await outcome).toBe('aborted');
    expect(await a.get(identifyKey(prefix, APP, 0))).toBe('0');

    // Once the window is over the slot is free again, and the waiting shard takes it.
    const next = second.waitForIdentify(8, new AbortController().signal);
    await a.pexpire(identifyKey(prefix, APP, 0), 1);
    await next;
    expect(await a.get(identifyKey(prefix, APP, 0))).toBe('8');
    await a.del(...[0, 1, 2, 3].map((bucket) => identifyKey(prefix, APP, bucket)));
  });

  it('refuses a max_concurrency that is not a positive integer', () => {
    expect(() => new RedisIdentifyThrottler(a, 'p', APP, 0)).toThrow(RangeError);
  });
});

describe('shard sessions kept in Redis', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(inject('redisUrl'));
  });
  afterAll(() => {
    redis.disconnect();
  });

  it('gives a new process the last session of each shard, and forgets an invalidated one', async () => {
    const prefix = testPrefix();
    const running = new RedisSessionStore(redis, prefix, APP);
    expect(await running.retrieve(3)).toBeNull();
    const session = { sessionId: 'abc123', sequence: 1, shardId: 3, shardCount: 16, resumeURL: 'wss://gateway.example/resume' };
    running.update(3, session);
    for (let sequence = 2; sequence <= 50; sequence++) running.update(3, { ...session, sequence });
    running.update(5, { ...session, shardId: 5, sessionId: 'def456', sequence: 7 });
    expect(await running.retrieve(3)).toMatchObject({ sequence: 50 });
    await running.flushed();

    const restarted = new RedisSessionStore(redis, prefix, APP);
    expect(await restarted.retrieve(3)).toEqual({ ...session, sequence: 50 });
    expect(await restarted.retrieve(5)).toMatchObject({ sessionId: 'def456', sequence: 7, shardId: 5 });
    // Only what a RESUME needs: no token, nothing else.
    expect(Object.keys(JSON.parse((await redis.get(sessionKey(prefix, APP, 3)))!)).sort()).toEqual(['resumeURL', 'sequence', 'sessionId', 'shardCount']);

    restarted.update(3, null);
    await restarted.flushed();
    expect(await redis.exists(sessionKey(prefix, APP, 3))).toBe(0);
    expect(await new RedisSessionStore(redis, prefix, APP).retrieve(3)).toBeNull();
    await redis.del(sessionKey(prefix, APP, 5));
  });

  it('writes a change of the sequence alone at most once per interval, a new session at once, and everything when flushed', async () => {
    const prefix = testPrefix();
    // An interval no test run reaches: what is written before flushed() is what was written at once.
    const store = new RedisSessionStore(redis, prefix, APP, undefined, 3_600_000);
    const stored = async () => JSON.parse((await redis.get(sessionKey(prefix, APP, 0))) ?? 'null') as { sessionId: string; sequence: number } | null;
    const session = { sessionId: 'first', sequence: 1, shardId: 0, shardCount: 1, resumeURL: 'wss://gateway.example/resume' };
    store.update(0, session);
    await expect.poll(stored).toMatchObject({ sessionId: 'first', sequence: 1 });
    for (let sequence = 2; sequence <= 20; sequence++) store.update(0, { ...session, sequence });
    // A new session (a fresh identify) is not held back behind the sequences.
    store.update(0, { ...session, sessionId: 'second', sequence: 1 });
    await expect.poll(stored).toMatchObject({ sessionId: 'second', sequence: 1 });
    for (let sequence = 2; sequence <= 30; sequence++) store.update(0, { ...session, sessionId: 'second', sequence });
    await redis.ping(); // a round trip: a write sent at once would have landed by now
    expect(await stored()).toMatchObject({ sessionId: 'second', sequence: 1 });
    expect(await store.retrieve(0)).toMatchObject({ sequence: 30 });
    await store.flushed();
    expect(await stored()).toMatchObject({ sessionId: 'second', sequence: 30 });
    await redis.del(sessionKey(prefix, APP, 0));
  });

  it('reads a damaged entry as no session (the shard identifies)', async () => {
    const prefix = testPrefix();
    await redis.set(sessionKey(prefix, APP, 0), '{"sessionId":1}');
    expect(await new RedisSessionStore(redis, prefix, APP).retrieve(0)).toBeNull();
    await redis.del(sessionKey(prefix, APP, 0));
  });
});
