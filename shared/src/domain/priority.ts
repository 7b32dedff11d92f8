import type { TicketPriority } from '../contracts/jobs.js';
import { DEFAULT_LOCALE, t, type SupportedLocale } from './i18n/index.js';

/** How a priority shows in a ticket's topic and in /ticket list; normal shows nothing. Its word is the catalog's `priority.<priority>-label`. */
export const priorityMarks: Readonly<Record<TicketPriority, { emoji: string } | null>> = {
  low: { emoji: '🟢' },
  normal: null,
  high: { emoji: '🟠' },
  urgent: { emoji: '🔴' },
};

/** `🔴 Urgent` in the reader's language, or '' for normal. */
export function priorityBadge(priority: TicketPriority, locale: SupportedLocale = DEFAULT_LOCALE): string {
  const mark = priorityMarks[priority];
  return mark ? `${mark.emoji} ${t(locale, `priority.${priority}-label`)}` : '';
}
