import { createHmac } from 'node:crypto';

/**
 * The key the per-user limit and the open cooldown count by: an HMAC of guild and member
 * under a secret kept in the database. It names nobody without that secret, and survives
 * `/privacy delete` only as long as it still counts (an active ticket, or the cooldown).
 */
export function creatorKey(secret: string, guildId: string, userId: string): string {
  return createHmac('sha256', secret).update(`${guildId}:${userId}`).digest('hex');
}
