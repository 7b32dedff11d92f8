import { PermissionFlagsBits, has, type MessageKey } from '@promton/shared/domain';
import { type InteractionContext, type TicketRecord, type TicketType } from '@promton/shared/contracts';

export type TicketAction =
  | 'claim'
  | 'unclaim'
  | 'close'
  | 'close-request'
  | 'member-add'
  | 'member-remove'
  | 'rename'
  | 'tag'
  | 'move'
  | 'topic'
  | 'priority'
  | 'transfer'
  /** Reopen, transcript and delete of an archived ticket. */
  | 'archive';

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

/** The catalog keys of the refusals. */
export type Refusal = Extract<MessageKey, `ticket.refused-${string}`>;

/** null when allowed; otherwise the sentence that tells the member why not. */
export function refusal(action: TicketAction, actor: Actor): Refusal | null {
  switch (action) {
    case 'close':
      return actor.isStaff || actor.isCreator ? null : 'ticket.refused-close';
    case 'unclaim':
      return actor.isClaimer || actor.isAdmin ? null : 'ticket.refused-unclaim';
    case 'transfer':
      return actor.isClaimer || actor.isAdmin ? null : 'ticket.refused-transfer';
    case 'archive':
      return actor.isStaff ? null : 'ticket.refused-archive';
    case 'claim':
    case 'close-request':
    case 'member-add':
    case 'member-remove':
    case 'rename':
    case 'tag':
    case 'move':
    case 'topic':
    case 'priority':
      return actor.isStaff ? null : 'ticket.refused-staff';
  }
}

export { formatTicketNumber } from '@promton/shared/domain';
