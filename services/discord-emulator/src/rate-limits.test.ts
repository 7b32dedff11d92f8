import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limits.js';

const route = 'POST /channels/:channel_id/messages';

describe('RateLimiter', () => {
  it('counts per route and major parameter, then answers 429 until the window resets', () => {
    const limiter = new RateLimiter({ routes: { [route]: { limit: 2, windowMs: 1000 } } });
    const at = (now: number, major = 'channel:1') => limiter.check({ routeKey: route, major, identity: 'bot', globalExempt: false, now });
    expect(at(0).headers['X-RateLimit-Remaining']).toBe('1');
    expect(at(1).ok).toBe(true);
    const limited = at(2);
    expect(limited).toMatchObject({ ok: false, global: false, scope: 'user' });
    expect(limited.retryAfter).toBeCloseTo(0.998);
    expect(at(3, 'channel:2').ok).toBe(true);
    expect(at(1000).ok).toBe(true);
  });

  it('applies the global limit per identity, except to exempt routes', () => {
    const limiter = new RateLimiter({ globalPerSecond: 1 });
    const check = (exempt: boolean) => limiter.check({ routeKey: 'GET /users/:user_id', major: 'global', identity: 'bot', globalExempt: exempt, now: 0 });
    expect(check(false).ok).toBe(true);
    expect(check(false)).toMatchObject({ ok: false, global: true, scope: 'global' });
    expect(check(true).ok).toBe(true);
  });

  it('scales counts and can be disabled', () => {
    const limiter = new RateLimiter({ routes: { [route]: { limit: 1, windowMs: 1000 } }, scale: 3 });
    const results = Array.from({ length: 4 }, () => limiter.check({ routeKey: route, major: 'c', identity: 'bot', globalExempt: true, now: 0 }).ok);
    expect(results).toEqual([true, true, true, false]);
    limiter.update({ enabled: false });
    expect(limiter.check({ routeKey: route, major: 'c', identity: 'bot', globalExempt: true, now: 0 }).ok).toBe(true);
  });

  it('allows two renames per channel per window', () => {
    const limiter = new RateLimiter();
    expect(limiter.checkRename('c', 0)).toBe(0);
    expect(limiter.checkRename('c', 1)).toBe(0);
    expect(limiter.checkRename('c', 2)).toBeCloseTo(600);
    expect(limiter.checkRename('other', 2)).toBe(0);
    expect(limiter.checkRename('c', 600_001)).toBe(0);
  });
});
