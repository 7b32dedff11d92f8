import { describe, expect, it } from 'vitest';
import { creatorKey } from './creator-key.js';

const SECRET = 's'.repeat(64);
const GUILD = '100000000000000001';
const MEMBER = '200000000000000001';

describe('creatorKey', () => {
  it('is the same key for the same member of the same guild, and another for anyone else', () => {
    const key = creatorKey(SECRET, GUILD, MEMBER);
    expect(creatorKey(SECRET, GUILD, MEMBER)).toBe(key);
    expect(creatorKey(SECRET, '100000000000000002', MEMBER)).not.toBe(key);
    expect(creatorKey(SECRET, GUILD, '200000000000000002')).not.toBe(key);
    // Guild and member are kept apart: moving a digit from one to the other is another key.
    expect(creatorKey(SECRET, '1', '23')).not.toBe(creatorKey(SECRET, '12', '3'));
  });

  it('names nobody without the secret: a 64-digit hex HMAC, another under another secret', () => {
    const key = creatorKey(SECRET, GUILD, MEMBER);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain(MEMBER);
    expect(creatorKey('t'.repeat(64), GUILD, MEMBER)).not.toBe(key);
  });
});
