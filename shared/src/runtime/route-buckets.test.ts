import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { testPrefix } from '../../../scripts/stack/prefix.js';
import { bucketRoute, emptyForMs, limitsOf, SharedRouteBuckets } from './route-buckets.js';
import { redisPair } from '../../../tests/support/redis-pair.js';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });

describe('route buckets shared through Redis', () => {
  it('groups requests as Discord buckets them, and keeps no webhook token in its keys', () => {
    const api = 'http://127.0.0.1:1/api/v10';
    expect(bucketRoute(`${api}/channels/123456789012345678/messages`)).toEqual({ route: '/channels/:id/messages', major: '123456789012345678' });
    expect(bucketRoute(`${api}/guilds/223456789012345678/channels`)).toEqual({ route: '/guilds/:id/channels', major: '223456789012345678' });
    expect(bucketRoute(`${api}/webhooks/323456789012345678/s3cret-token/messages/@original`)).toEqual({
      route: '/webhooks/:id/:token/messages/@original',
      major: '323456789012345678/s3cret-token',
    });
    const buckets = new SharedRouteBuckets(undefined as unknown as Redis, 'p');
    expect(buckets.limitsKeyOf('PATCH', `${api}/webhooks/323456789012345678/s3cret-token/messages/@original`)).not.toContain('s3cret');
    const key = buckets.keyOf('PATCH', `${api}/webhooks/323456789012345678/s3cret-token/messages/@original`);
    expect(key).toMatch(/^p:discord:bucket:[\w-]{22}$/);
    expect(key).not.toContain('s3cret');
    // Another channel is another bucket; another token of the same webhook route too.
    expect(buckets.keyOf('POST', `${api}/channels/1/messages`)).toBe(buckets.keyOf('POST', `${api}/channels/1/messages`));
    expect(buckets.keyOf('POST', `${api}/channels/123456789012345678/messages`)).not.toBe(buckets.keyOf('POST', `${api}/channels/123456789012345679/messages`));
    expect(buckets.keyOf('PATCH', `${api}/webhooks/323456789012345678/a/messages/@original`)).not.toBe(
      buckets.keyOf('PATCH', `${api}/webhooks/323456789012345678/b/messages/@original`),
    );
  });

  it('reads how long an answer says the bucket stays empty', () => {
    expect(emptyForMs({ status: 200, headers: headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '1.5' }) })).toBe(1_500);
    expect(emptyForMs({ status: 200, headers: headers({ 'x-ratelimit-remaining': '1', 'x-ratelimit-reset-after': '1.5' }) })).toBe(0);
    expect(emptyForMs({ status: 500, headers: headers({}) })).toBe(0);
    expect(emptyForMs({ status: 429, headers: headers({ 'retry-after': '2', 'x-ratelimit-scope': 'user' }) })).toBe(2_000);
    // The global limit is the shared schedule's business, not a route's.
    expect(emptyForMs({ status: 429, headers: headers({ 'retry-after': '1', 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' }) })).toBe(0);
  });

  it('reads a route’s limit and window from an answer (none from the global limit)', () => {
    expect(limitsOf({ status: 200, headers: headers({ 'x-ratelimit-limit': '10', 'x-ratelimit-reset-after': '9.998' }) })).toEqual({
      limit: 10,
      windowMs: 9_998,
    });
    expect(limitsOf({ status: 200, headers: headers({}) })).toBeUndefined();
    expect(
      limitsOf({ status: 429, headers: headers({ 'x-ratelimit-global': 'true', 'x-ratelimit-limit': '50', 'x-ratelimit-reset-after': '1' }) }),
    ).toBeUndefined();
  });
});

describe('route buckets booked in Redis by every process', () => {
  const api = 'http://127.0.0.1:1/api/v10';
  const create = `${api}/guilds/123456789012345678/channels`;
  const answer = (values: Record<string, string>, status = 200) => ({ status, headers: headers(values) });
  const [a, b] = redisPair();
  /** Two processes' views of one Redis. */
  const pair = (options?: ConstructorParameters<typeof SharedRouteBuckets>[2]) => {
    const prefix = testPrefix();
    return [new SharedRouteBuckets(a, prefix, options), new SharedRouteBuckets(b, prefix, options)] as const;
  };

  it('sends one request at a time on a route whose limit no answer told yet, then keeps to the limit learnt, across processes', async () => {
    const [first, second] = pair({ marginMs: 500 });
    expect(await first.book('POST', create, 'r1')).toBe(0);
    expect(await second.book('POST', create, 'r2')).toBeGreaterThan(0);
    // The answer tells 3 per 1 s (its bucket's first answer: all of the window).
    await first.observe('POST', create, answer({ 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '2', 'x-ratelimit-reset-after': '1.000' }));
    expect(await second.book('POST', create, 'r2')).toBe(0);
    expect(await first.book('POST', create, 'r3')).toBe(0);
    // The fourth within the window and its margin waits until the first ages out.
    const wait = await second.book('POST', create, 'r4');
    expect(wait).toBeGreaterThan(1_000);
    expect(wait).toBeLessThanOrEqual(1_500);
    // Another server is another bucket of the same route: its limit is known already.
    const other = `${api}/guilds/223456789012345678/channels`;
    for (const member of ['o1', 'o2', 'o3']) expect(await second.book('POST', other, member)).toBe(0);
    expect(await first.book('POST', other, 'o4')).toBeGreaterThan(0);
  });

  it('never lets more than the limit go within a window (and its margin), whoever sends', async () => {
    const [first, second] = pair({ marginMs: 100 });
    await first.observe('POST', create, answer({ 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '2', 'x-ratelimit-reset-after': '0.400' }));
    const sent: number[] = [];
    await Promise.all(
      Array.from({ length: 9 }, async (_, i) => {
        await (i % 2 ? first : second).take('POST', create);
        sent.push(Date.now());
      }),
    );
    sent.sort((x, y) => x - y);
    // Any four consecutive requests span more than the window: at most 3 in any 400 ms.
    for (let i = 3; i < sent.length; i++) expect(sent[i]! - sent[i - 3]!).toBeGreaterThanOrEqual(400);
  });

  it('counts a turn booked while the request waits for the global schedule from its booking, then from when it leaves', async () => {
    const [first, second] = pair({ marginMs: 100 });
    await first.observe('POST', create, answer({ 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '1', 'x-ratelimit-reset-after': '5.000' }));
    const one = await first.take('POST', create, true);
    await second.take('POST', create, true);
    // Both turns booked, neither sent: the next asks again soon (they leave at an unknown time).
    expect(await second.book('POST', create, 'third')).toBe(100);
    await one.sent();
    // Sent now: the third waits for it to age out, about the window and margin.
    expect(await second.book('POST', create, 'third')).toBeGreaterThan(5_000);
  });

  it('waits out a bucket an answer said is empty, but not a mark longer than it waits for (the client decides those)', async () => {
    const [first, second] = pair({ maxMarkWaitMs: 15_000 });
    const patch = `${api}/channels/123456789012345678`;
    await first.observe('PATCH', patch, answer({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '2.5' }));
    const wait = await second.book('PATCH', patch, 'p1');
    expect(wait).toBeGreaterThan(2_000);
    expect(wait).toBeLessThanOrEqual(2_500);
    // A rename's hidden limit answers 429 for ten minutes: not waited out here.
    const rename = `${api}/channels/223456789012345678`;
    await first.observe('PATCH', rename, answer({ 'retry-after': '600', 'x-ratelimit-scope': 'user' }, 429));
    expect(await second.book('PATCH', rename, 'p2')).toBe(0);
  });

  it('lets a route whose answers tell no limit go freely', async () => {
    const [first, second] = pair();
    const get = `${api}/users/@me`;
    expect(await first.book('GET', get, 'g1')).toBe(0);
    await first.observe('GET', get, answer({}));
    for (const member of ['g2', 'g3', 'g4', 'g5']) expect(await second.book('GET', get, member)).toBe(0);
  });
});
