import { describe, expect, it } from 'vitest';
import { percentile, percentiles, perMinute, redactReason } from './dashboard-data.js';
import { redactSecrets } from './redact.js';
import { presentedSecret, secretMatches } from './owner-auth.js';

describe('percentiles', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentiles(values)).toEqual({ samples: 100, p50: 50, p95: 95, p99: 99 });
    expect(percentile([7], 99)).toBe(7);
    expect(percentiles([])).toEqual({ samples: 0, p50: null, p95: null, p99: null });
  });
});

describe('perMinute', () => {
  it('orders BullMQ points oldest first, appends the current minute and pads to the window', () => {
    const series = perMinute({ meta: { count: 12, prevCount: 10 }, data: [3, 0, 5] }, 6);
    expect(series).toEqual([0, 0, 5, 0, 3, 2]);
  });
  it('shows the current minute before any minute has finished', () => {
    expect(perMinute({ meta: { count: 4, prevCount: 0 }, data: [] }, 3)).toEqual([0, 0, 4]);
  });
});

describe('redaction', () => {
  it('blanks webhook tokens and auth headers in text', () => {
    expect(redactReason('PATCH /api/v10/webhooks/123456789012345678/aW50ZXJhY3Rpb24.token-value/messages/@original failed')).toBe(
      'PATCH /api/v10/webhooks/123456789012345678/[redacted]/messages/@original failed',
    );
    expect(redactReason('POST /interactions/123456789012345678/abc.def/callback')).toBe('POST /interactions/123456789012345678/[redacted]/callback');
    expect(redactReason('Authorization: Bot MTA1.abcdefghijklmnopqrstuvwxyz')).toBe('Authorization: Bot [redacted]');
    expect(redactReason('x'.repeat(600))).toHaveLength(500);
  });
  it('blanks token fields at any depth', () => {
    expect(redactSecrets({ ctx: { token: 'abc', interactionToken: 'def', id: '1' }, list: [{ token: 'x' }], n: 1 })).toEqual({
      ctx: { token: '[redacted]', interactionToken: '[redacted]', id: '1' },
      list: [{ token: '[redacted]' }],
      n: 1,
    });
  });
});

describe('owner auth', () => {
  it('reads Bearer tokens and Basic passwords (any user, colons allowed in the password)', () => {
    expect(presentedSecret('Bearer abc')).toBe('abc');
    expect(presentedSecret(`Basic ${Buffer.from('me:pa:ss').toString('base64')}`)).toBe('pa:ss');
    expect(presentedSecret(`Basic ${Buffer.from('nopassword').toString('base64')}`)).toBeUndefined();
    expect(presentedSecret('Digest x')).toBeUndefined();
    expect(presentedSecret(undefined)).toBeUndefined();
  });
  it('compares secrets of any length', () => {
    expect(secretMatches('owner-token', 'owner-token')).toBe(true);
    expect(secretMatches('owner', 'owner-token')).toBe(false);
    expect(secretMatches(undefined, 'owner-token')).toBe(false);
  });
});
