import { BOT_CHANNEL_ALLOW, OverwriteType, PermissionFlagsBits, TICKET_MEMBER_ALLOW, type PermissionOverwrite } from './permissions.js';

/** The guild's ticket number zero-padded to 4 digits, growing past 9999: the one place it is padded. */
function fourDigits(ticketNumber: number): string {
  return String(ticketNumber).padStart(4, '0');
}

/** `#0042`: how answers, titles and logs write a ticket's number. */
export function formatTicketNumber(ticketNumber: number): string {
  return `#${fourDigits(ticketNumber)}`;
}

/** `ticket-0001`: a ticket channel's (or thread's) name. */
export function ticketChannelName(ticketNumber: number): string {
  if (!Number.isInteger(ticketNumber) || ticketNumber < 1) throw new RangeError(`ticket number must be a positive integer, got ${ticketNumber}`);
  return `ticket-${fourDigits(ticketNumber)}`;
}

/** Discord's text channel name rules: 1–100 chars, lower case, no spaces. */
export function normalizeChannelName(input: string): string | null {
  const name = input
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/[^\p{L}\p{N}_-]/gu, '')
    .replace(/-{2,}/g, '-')
    .slice(0, 100);
  return name.length > 0 ? name : null;
}

export interface TicketOverwriteInput {
  guildId: string;
  botUserId: string;
  memberIds: readonly string[];
  staffRoleIds: readonly string[];
}

/** Overwrites of a ticket channel: @everyone hidden; creator, added members and staff roles let in; the bot's own. */
export function ticketOverwrites({ guildId, botUserId, memberIds, staffRoleIds }: TicketOverwriteInput): PermissionOverwrite[] {
  const allow = TICKET_MEMBER_ALLOW.toString();
  return [
    { id: guildId, type: OverwriteType.Role, allow: '0', deny: PermissionFlagsBits.ViewChannel.toString() },
    { id: botUserId, type: OverwriteType.Member, allow: BOT_CHANNEL_ALLOW.toString(), deny: '0' },
    ...[...new Set(memberIds)].map((id): PermissionOverwrite => ({ id, type: OverwriteType.Member, allow, deny: '0' })),
    ...[...new Set(staffRoleIds)].filter((id) => id !== guildId).map((id): PermissionOverwrite => ({ id, type: OverwriteType.Role, allow, deny: '0' })),
  ];
}

/** The overwrite that locks a closing ticket: the member keeps reading but can no longer write. */
export function lockedMemberOverwrite(userId: string): PermissionOverwrite {
  return {
    id: userId,
    type: OverwriteType.Member,
    allow: (PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory).toString(),
    deny: (PermissionFlagsBits.SendMessages | PermissionFlagsBits.AttachFiles).toString(),
  };
}

/** The overwrite of an archived ticket's member: they no longer see the channel (denied, so no role of theirs lets them in). */
export function archivedMemberOverwrite(userId: string): PermissionOverwrite {
  return { id: userId, type: OverwriteType.Member, allow: '0', deny: TICKET_MEMBER_ALLOW.toString() };
}

/** The overwrite of a ticket's member while it is open: what the open gave them, given back when staff reopen it. */
export function openMemberOverwrite(userId: string): PermissionOverwrite {
  return { id: userId, type: OverwriteType.Member, allow: TICKET_MEMBER_ALLOW.toString(), deny: '0' };
}
