import { PermissionFlagsBits, has } from '@promton/shared/domain';
import { type InteractionContext, type TicketRecord, type TicketType } from '@promton/shared/contracts';

export type TicketAction =
  'claim' | 'unclaim' | 'close' | 'close-request' | 'member-add' | 'member-remove' | 'rename' | 'tag' | 'move' | 'topic' | 'priority' | 'transfer';

export interface Actor {
  isCreator: boolean;
  isStaff: boolean;
  isAdmin: boolean;
  isClaimer: boolean;
}

/** Who the member is to this ticket. Admins (Manage Server or Administrator) count as staff. */
export function actorOf(
  member: InteractionContext['member'],
  ticket: Pick<TicketRecord, 'creatorId' | 'claimedBy'>,
  type: Pick<TicketType, 'staffRoleIds'> | undefined,
): Actor {
  const isAdmin = has(member.permissions, PermissionFlagsBits.ManageGuild);
  const isStaff = isAdmin || (type?.staffRoleIds ?? []).some((roleId) => member.roles.includes(roleId));
  return { isCreator: ticket.creatorId === member.userId, isStaff, isAdmin, isClaimer: ticket.claimedBy === member.userId };
}

/** null when allowed; otherwise the sentence that tells the member why not. */
export function refusal(action: TicketAction, actor: Actor): string | null {
  switch (action) {
    case 'close':
      return actor.isStaff || actor.isCreator ? null : 'Only staff of this ticket type or the member who opened it can close it.';
    case 'unclaim':
      return actor.isClaimer || actor.isAdmin ? null : 'Only the staff member who claimed this ticket, or an admin, can unclaim it.';
    case 'transfer':
      return actor.isClaimer || actor.isAdmin ? null : 'Only the staff member who claimed this ticket, or an admin, can hand it over.';
    case 'claim':
    case 'close-request':
    case 'member-add':
    case 'member-remove':
    case 'rename':
    case 'tag':
    case 'move':
    case 'topic':
    case 'priority':
      return actor.isStaff ? null : 'Only staff of this ticket type can do that.';
  }
}

export function formatTicketNumber(ticketNumber: number): string {
  return `#${String(ticketNumber).padStart(4, '0')}`;
}
