import { buildEmbed, channelMention, userMention, type ApiEmbed } from '@promton/shared/domain';
import { type EmbedCustomization, type LogJob } from '@promton/shared/contracts';

type LogEvent = LogJob<'log.event'>;

const COLORS = { green: 0x57f287, yellow: 0xfee75c, red: 0xed4245, blue: 0x5865f2, grey: 0x99aab5 } as const;

const TITLES: Record<LogEvent['kind'], { title: string; color: number }> = {
  'ticket.opened': { title: 'Ticket opened', color: COLORS.green },
  'ticket.claimed': { title: 'Ticket claimed', color: COLORS.blue },
  'ticket.unclaimed': { title: 'Ticket unclaimed', color: COLORS.grey },
  'ticket.member-added': { title: 'Member added', color: COLORS.blue },
  'ticket.member-removed': { title: 'Member removed', color: COLORS.yellow },
  'ticket.renamed': { title: 'Ticket renamed', color: COLORS.blue },
  'ticket.moved': { title: 'Ticket moved', color: COLORS.blue },
  'ticket.transferred': { title: 'Claim transferred', color: COLORS.blue },
  'ticket.priority-changed': { title: 'Priority changed', color: COLORS.yellow },
  'ticket.topic-changed': { title: 'Topic changed', color: COLORS.blue },
  'ticket.close-requested': { title: 'Close requested', color: COLORS.yellow },
  'ticket.closed': { title: 'Ticket closed', color: COLORS.red },
  'ticket.deleted-by-hand': { title: 'Ticket channel deleted by hand', color: COLORS.red },
  'ticket.auto-closed': { title: 'Ticket auto-closed', color: COLORS.red },
  'ticket.feedback': { title: 'Feedback', color: COLORS.blue },
  'config.changed': { title: 'Configuration changed', color: COLORS.grey },
  'privacy.export': { title: 'Member exported their data', color: COLORS.grey },
  'privacy.delete': { title: 'Member erased their data', color: COLORS.grey },
};

/** What the subject field is called when it is not the member who opened the ticket. */
const SUBJECT: Partial<Record<LogEvent['kind'], string>> = {
  'ticket.member-added': 'Member',
  'ticket.member-removed': 'Member',
  'ticket.transferred': 'Now claimed by',
};

/** "2 h 5 min", "3 d 4 h", "45 s". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3_600);
  const m = Math.floor((seconds % 3_600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min`;
  return `${seconds} s`;
}

/** One log event as an embed in the guild's style. Privacy events name nobody. */
export function logEmbed(event: LogEvent, custom: EmbedCustomization): ApiEmbed {
  const { title, color } = TITLES[event.kind];
  const fields: { name: string; value: string; inline?: boolean }[] = [];
  if (event.ticketNumber !== undefined) fields.push({ name: 'Ticket', value: `#${String(event.ticketNumber).padStart(4, '0')}`, inline: true });
  if (event.typeName) fields.push({ name: 'Type', value: event.typeName, inline: true });
  if (event.channelId && event.kind !== 'ticket.closed' && event.kind !== 'ticket.deleted-by-hand' && event.kind !== 'ticket.auto-closed') {
    fields.push({ name: 'Channel', value: channelMention(event.channelId), inline: true });
  }
  const privacy = event.kind.startsWith('privacy.');
  if (event.actorId && !privacy) fields.push({ name: 'By', value: userMention(event.actorId), inline: true });
  if (event.subjectId && !privacy) fields.push({ name: SUBJECT[event.kind] ?? 'Opened by', value: userMention(event.subjectId), inline: true });
  if (event.durationMs !== undefined) fields.push({ name: 'Open for', value: formatDuration(event.durationMs), inline: true });
  // Feedback carries its rating as detail and the member's comment as reason (and no member id).
  const feedback = event.kind === 'ticket.feedback';
  if (event.detail && feedback) fields.push({ name: 'Rating', value: event.detail, inline: true });
  if (event.reason) fields.push({ name: feedback ? 'Comment' : 'Reason', value: event.reason });
  if (event.detail && !feedback) fields.push({ name: 'Detail', value: event.detail });
  if (event.transcript) fields.push({ name: 'Transcript', value: event.transcript.filename });
  return buildEmbed(custom, { title, fields, timestamp: event.at, color });
}
