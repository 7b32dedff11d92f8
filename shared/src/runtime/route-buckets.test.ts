import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { bucketRoute, emptyForMs, SharedRouteBuckets } from './route-buckets.js';

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
});
