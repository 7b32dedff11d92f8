import type { TicketType } from '@promton/shared/contracts';

/** A ticket type as config-service stores it, with every field at its default (label: the name), and `over` on top. */
export function ticketType(name: string, over: Partial<TicketType> = {}): TicketType {
  return {
    name,
    label: name,
    description: null,
    emoji: null,
    categoryId: null,
    staffRoleIds: [],
    welcomeMessage: null,
    perUserLimit: 1,
    questions: [],
    autoCloseHours: null,
    hours: null,
    threadChannelId: null,
    closeMode: 'delete',
    archiveCategoryId: null,
    archiveDays: 7,
    ...over,
  };
}
