import type { ReserveReply } from '@promton/shared';

export interface OpenTicketRef {
  number: number;
  channelId: string | null;
}

/** The per-user limit: null when the member may open one more, else the refusal. */
export function limitRefusal(perUserLimit: number, open: readonly OpenTicketRef[]): Extract<ReserveReply, { reason: 'limit' }> | null {
  if (open.length < perUserLimit) return null;
  return { ok: false, reason: 'limit', limit: perUserLimit, open: open.map(({ number, channelId }) => ({ number, channelId })) };
}

/** UTC day key of the anonymous daily counts. */
export function dayKey(at: Date): string {
  return at.toISOString().slice(0, 10);
}
