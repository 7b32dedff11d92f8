import { describe, expect, it } from 'vitest';
import { INTERACTION_TOKEN_TTL_MS } from '@promton/shared/contracts';
import { interactionAgeMs, tokenExpired, tokenLeftMs, TOKEN_SAFETY_MARGIN_MS } from './interaction-age.js';

describe('interaction token age', () => {
  const received = '2026-12-02T10:00:00.000Z';
  const at = (ms: number) => new Date(Date.parse(received) + ms);

  it('measures the age from when the gateway received the interaction', () => {
    expect(interactionAgeMs(received, at(1_234))).toBe(1_234);
    expect(interactionAgeMs('not a time', at(0))).toBe(Number.POSITIVE_INFINITY);
  });

  it('is usable until 15 minutes less the safety margin, and spent from then on', () => {
    const limit = INTERACTION_TOKEN_TTL_MS - TOKEN_SAFETY_MARGIN_MS;
    expect(TOKEN_SAFETY_MARGIN_MS).toBeGreaterThan(0);
    expect(tokenExpired(received, at(0))).toBe(false);
    expect(tokenExpired(received, at(limit - 1))).toBe(false);
    expect(tokenExpired(received, at(limit))).toBe(true);
    expect(tokenExpired(received, at(INTERACTION_TOKEN_TTL_MS + 60_000))).toBe(true);
    // A time that cannot be read is never trusted with a request.
    expect(tokenExpired('', at(0))).toBe(true);
  });

  it('tells how long the token can still answer, and 0 once spent', () => {
    const limit = INTERACTION_TOKEN_TTL_MS - TOKEN_SAFETY_MARGIN_MS;
    expect(tokenLeftMs(received, at(0))).toBe(limit);
    expect(tokenLeftMs(received, at(60_000))).toBe(limit - 60_000);
    expect(tokenLeftMs(received, at(limit))).toBe(0);
    expect(tokenLeftMs(received, at(INTERACTION_TOKEN_TTL_MS + 60_000))).toBe(0);
    expect(tokenLeftMs('not a time', at(0))).toBe(0);
  });
});
