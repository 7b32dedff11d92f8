import { DEFAULT_LOCALE, priorityBadge, type SupportedLocale } from '@promton/shared/domain';
import type { TicketPriority } from '@promton/shared/contracts';
import { formatTicketNumber } from './ticket-rules.js';

/** Discord's limit on a text channel's topic. */
export const MAX_TOPIC = 1024;

/** The topic a ticket channel starts with. */
export function defaultTopic(ticketNumber: number, typeLabel: string): string {
  return `PROMTON-TICKETS ${formatTicketNumber(ticketNumber)} · ${typeLabel}`;
}

/**
 * The priority is shown in the topic, before the staff's text (`🔴 Urgent · text`): the
 * channel header is seen by everyone in the ticket, and the channel name stays free for
 * /ticket rename (Discord allows 2 renames per 10 minutes).
 */
export function renderTopic(priority: TicketPriority, text: string, locale: SupportedLocale = DEFAULT_LOCALE): string {
  const badge = priorityBadge(priority, locale);
  const topic = badge ? `${badge} · ${text}` : text;
  return topic.length > MAX_TOPIC ? `${topic.slice(0, MAX_TOPIC - 1)}…` : topic;
}

// Any emoji mark and word before the first ' · ', whatever language the word is in.
const BADGE = /^(?:🟢|🟠|🔴) [^·]{1,30} · /u;

/** The staff's text of a topic, without its priority mark. */
export function topicText(topic: string | null | undefined): string {
  return (topic ?? '').replace(BADGE, '');
}
