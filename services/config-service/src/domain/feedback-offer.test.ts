import { describe, expect, it } from 'vitest';
import { FEEDBACK_OFFER_MS, readOffer, signOffer } from './feedback-offer.js';

const key = 'a'.repeat(64);
const guildId = '123456789012345678';
const now = new Date('2026-06-30T12:00:00Z');

describe('feedback offers', () => {
  it('reads back what it signed, and fits a custom id with the rating', () => {
    const expiresAt = new Date(now.getTime() + FEEDBACK_OFFER_MS);
    const offer = signOffer(key, guildId, 42, expiresAt);
    expect(readOffer(key, offer, now)).toEqual({ ok: true, guildId, ticketNumber: 42, expiresAt });
    const longest = signOffer(key, '12345678901234567890', 999_999_999, expiresAt);
    expect(`pt:v1:rate-comment:5.${longest}`.length).toBeLessThanOrEqual(100);
  });

  it('refuses an offer signed with another key, or with any part changed', () => {
    const offer = signOffer(key, guildId, 42, new Date(now.getTime() + 60_000));
    expect(readOffer('b'.repeat(64), offer, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(readOffer(key, offer.replace('.42.', '.43.'), now)).toEqual({ ok: false, reason: 'invalid' });
    const [g, n, e, sig] = offer.split('.');
    expect(readOffer(key, [g, n, (Number.parseInt(e!, 36) + 86_400).toString(36), sig].join('.'), now)).toEqual({ ok: false, reason: 'invalid' });
    expect(readOffer(key, 'not-an-offer', now)).toEqual({ ok: false, reason: 'invalid' });
    // A signed offer with anything before or after it is not that offer.
    expect(readOffer(key, `x${offer}`, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(readOffer(key, `${offer}x`, now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('expires', () => {
    const offer = signOffer(key, guildId, 42, new Date(now.getTime() + 60_000));
    expect(readOffer(key, offer, new Date(now.getTime() + 61_000))).toEqual({ ok: false, reason: 'expired' });
    // At its expiry instant it is over; a second before, it still counts.
    expect(readOffer(key, offer, new Date(now.getTime() + 60_000))).toEqual({ ok: false, reason: 'expired' });
    expect(readOffer(key, offer, new Date(now.getTime() + 59_000))).toMatchObject({ ok: true, ticketNumber: 42 });
  });
});
