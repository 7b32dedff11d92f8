import { INTERACTION_TOKEN_TTL_MS } from '@promton/shared/contracts';

/**
 * A request sent in the token's last seconds may reach Discord after it expired, and
 * Discord counts the refusal (401) as an invalid request: the token is treated as spent
 * this long before its 15 minutes are up.
 */
export const TOKEN_SAFETY_MARGIN_MS = 10_000;

/** How long ago the gateway received the interaction, in ms (Infinity when the time cannot be read). */
export function interactionAgeMs(receivedAt: string, now: Date): number {
  const received = Date.parse(receivedAt);
  return Number.isFinite(received) ? now.getTime() - received : Number.POSITIVE_INFINITY;
}

/** True when the interaction's token can no longer be used to answer (Discord: 15 minutes, less the safety margin). */
export function tokenExpired(receivedAt: string, now: Date): boolean {
  return interactionAgeMs(receivedAt, now) >= INTERACTION_TOKEN_TTL_MS - TOKEN_SAFETY_MARGIN_MS;
}

/** How long the interaction's token can still be used to answer, in ms (0 when spent). */
export function tokenLeftMs(receivedAt: string, now: Date): number {
  return Math.max(0, INTERACTION_TOKEN_TTL_MS - TOKEN_SAFETY_MARGIN_MS - interactionAgeMs(receivedAt, now));
}
