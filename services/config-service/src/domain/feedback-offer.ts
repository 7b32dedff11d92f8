import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a member may rate a closed ticket. */
export const FEEDBACK_OFFER_MS = 7 * 86_400_000;

/**
 * A feedback offer: `<guild>.<ticket number>.<expiry, base-36 seconds>.<signature>`, carried
 * by the rating buttons of the DM. The signature (HMAC under a key only config-service
 * reads) means nobody can rate a ticket they were not offered; who was offered is not in it.
 */
export function signOffer(key: string, guildId: string, ticketNumber: number, expiresAt: Date): string {
  const expiry = Math.floor(expiresAt.getTime() / 1000).toString(36);
  return `${guildId}.${ticketNumber}.${expiry}.${signature(key, guildId, ticketNumber, expiry)}`;
}

function signature(key: string, guildId: string, ticketNumber: number, expiry: string): string {
  return createHmac('sha256', key).update(`feedback:${guildId}:${ticketNumber}:${expiry}`).digest('base64url').slice(0, 22);
}

export type ReadOffer = { ok: true; guildId: string; ticketNumber: number; expiresAt: Date } | { ok: false; reason: 'invalid' | 'expired' };

export function readOffer(key: string, offer: string, now: Date): ReadOffer {
  const match = /^(\d{17,20})\.(\d{1,9})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/.exec(offer);
  if (!match) return { ok: false, reason: 'invalid' };
  const [, guildId, number, expiry, given] = match as unknown as [string, string, string, string, string];
  const expected = Buffer.from(signature(key, guildId, Number(number), expiry));
  if (!timingSafeEqual(expected, Buffer.from(given))) return { ok: false, reason: 'invalid' };
  const expiresAt = new Date(Number.parseInt(expiry, 36) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, guildId, ticketNumber: Number(number), expiresAt };
}
