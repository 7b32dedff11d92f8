/**
 * Queue names. They are part of the deployed state in Redis: never rename one
 * without a migration that drains the old queue.
 */
export const QueueName = {
  tickets: 'tickets',
  config: 'config',
  logs: 'logs',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** Redis key holding a guild's whole configuration as JSON (the read projection). */
export function projectionKey(prefix: string, guildId: string): string {
  return `${prefix}:projection:guild:${guildId}`;
}

/**
 * Redis key marking a ticket's feedback offer as sent (`offered`) or as rated (`used`):
 * guild and ticket number only, never who was offered or who rated; expires with the offer.
 */
export function feedbackMarkKey(prefix: string, mark: 'offered' | 'used', guildId: string, ticketNumber: number): string {
  return `${prefix}:feedback-${mark}:${guildId}:${ticketNumber}`;
}

/**
 * Redis key pausing a guild's log channel: it holds the channel's id for an hour after
 * Discord answered 403/404 there, so no log-worker replica posts to it again in that
 * hour; the first event after it expires makes the one check (a GET of the channel).
 * config-service deletes it when an admin sets, clears or imports a log channel.
 */
export function logPauseKey(prefix: string, guildId: string): string {
  return `${prefix}:log-paused:${guildId}`;
}

/** How long a log channel that answered 403/404 rests before one check asks again. */
export const LOG_PAUSE_MS = 3_600_000;

/** Redis key with the hash of the last registered command definitions. */
export function commandsHashKey(prefix: string, applicationId: string, scope: string): string {
  return `${prefix}:commands:${applicationId}:${scope}`;
}

/** BullMQ job id for work caused by one interaction (ids may not contain ':' nor be all digits). */
export function interactionJobId(interactionId: string, step?: string): string {
  return step ? `int-${interactionId}-${step}` : `int-${interactionId}`;
}

/** Interaction tokens live 15 minutes; jobs carrying one are not kept longer. */
export const INTERACTION_TOKEN_TTL_MS = 15 * 60_000;
