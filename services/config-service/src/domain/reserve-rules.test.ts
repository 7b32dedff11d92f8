import { describe, expect, it } from 'vitest';
import { cooldownRefusal } from './reserve-rules.js';

describe('cooldownRefusal', () => {
  const now = new Date('2026-01-01T00:00:10Z');
  it('lets a member open when they never did, or the cooldown is off or over', () => {
    expect(cooldownRefusal(null, 10_000, now)).toBeNull();
    expect(cooldownRefusal(new Date('2026-01-01T00:00:05Z'), 0, now)).toBeNull();
    expect(cooldownRefusal(new Date('2026-01-01T00:00:00Z'), 10_000, now)).toBeNull();
  });
  it('refuses within the cooldown with the wait left', () => {
    expect(cooldownRefusal(new Date('2026-01-01T00:00:04Z'), 10_000, now)).toEqual({ ok: false, reason: 'cooldown', retryAfterMs: 4_000 });
  });
});
