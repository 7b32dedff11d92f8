import type { TicketRecord } from '@promton/shared/contracts';

/** An open ticket record of type `support`, numbered `number`, with a channel id derived from it, and `over` on top. */
export function ticketRecord(number: number, over: Partial<TicketRecord> & Pick<TicketRecord, 'guildId' | 'creatorId'>): TicketRecord {
  return {
    id: number,
    number,
    typeName: 'support',
    channelId: `4000000000000${String(number).padStart(5, '0')}`,
    status: 'open',
    claimedBy: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    closedAt: null,
    closedBy: null,
    closeReason: null,
    welcomeMessageId: null,
    openingInteractionId: null,
    priority: 'normal',
    firstReplyAt: null,
    thread: false,
    archivedAt: null,
    reopenedAt: null,
    ...over,
  };
}
