import type { ReserveReply } from '@promton/shared/contracts';

export interface OpenTicketRef {
  number: number;
  channelId: string | null;
}

/** The per-user limit: null when the member may open one more, else the refusal. */
export function limitRefusal(perUserLimit: number, open: readonly OpenTicketRef[]): Extract<ReserveReply, { reason: 'limit' }> | null {
  if (open.length < perUserLimit) return null;
  return { ok: false, reason: 'limit', limit: perUserLimit, open: open.map(({ number, channelId }) => ({ number, channelId })) };
}

/** The open cooldown: null when the member may open now, else the refusal with the wait left. */
export function cooldownRefusal(lastOpenedAt: Date | null, cooldownMs: number, now: Date): Extract<ReserveReply, { reason: 'cooldown' }> | null {
  if (!lastOpenedAt || cooldownMs <= 0) return null;
  const retryAfterMs = lastOpenedAt.getTime() + cooldownMs - now.getTime();
  return retryAfterMs > 0 ? { ok: false, reason: 'cooldown', retryAfterMs } : null;
}

/** UTC day key of the anonymous daily counts. */
export function dayKey(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** An `opening` ticket older than this with no channel was given up by its open job (the interaction token lives 15 min). */
export const ABANDONED_OPENING_MS = 30 * 60_000;

/** Tickets still `opening` without a channel and created before this are abandoned. */
export function abandonedBefore(now: Date): Date {
  return new Date(now.getTime() - ABANDONED_OPENING_MS);
}

/** The UTC day keys of the `count` days ending with `now`'s, oldest first. */
export function lastDays(now: Date, count: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: count }, (_, i) => dayKey(new Date(today - (count - 1 - i) * 86_400_000)));
}
