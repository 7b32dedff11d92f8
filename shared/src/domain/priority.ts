import type { TicketPriority } from '../contracts/jobs.js';

/** How a priority shows in a ticket's topic and in /ticket list; normal shows nothing. */
export const priorityMarks: Readonly<Record<TicketPriority, { emoji: string; label: string } | null>> = {
  low: { emoji: '🟢', label: 'Low' },
  normal: null,
  high: { emoji: '🟠', label: 'High' },
  urgent: { emoji: '🔴', label: 'Urgent' },
};

/** `🔴 Urgent`, or '' for normal. */
export function priorityBadge(priority: TicketPriority): string {
  const mark = priorityMarks[priority];
  return mark ? `${mark.emoji} ${mark.label}` : '';
}
