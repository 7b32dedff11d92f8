import type { APIEmbed } from 'discord-api-types/v10';
import {
  DEFAULT_LOCALE,
  buildEmbed,
  channelMention,
  formatDuration,
  formatSize,
  formatTicketNumber,
  t,
  userMention,
  type MessageKey,
  type SupportedLocale,
} from '@promton/shared/domain';
import { type EmbedCustomization, type LogJob } from '@promton/shared/contracts';

type LogEvent = LogJob<'log.event'>;

const COLORS = { green: 0x57f287, yellow: 0xfee75c, red: 0xed4245, blue: 0x5865f2, grey: 0x99aab5 } as const;

const COLOR_OF: Record<LogEvent['kind'], number> = {
  'ticket.opened': COLORS.green,
  'ticket.claimed': COLORS.blue,
  'ticket.unclaimed': COLORS.grey,
  'ticket.member-added': COLORS.blue,
  'ticket.member-removed': COLORS.yellow,
  'ticket.renamed': COLORS.blue,
  'ticket.moved': COLORS.blue,
  'ticket.transferred': COLORS.blue,
  'ticket.priority-changed': COLORS.yellow,
  'ticket.topic-changed': COLORS.blue,
  'ticket.close-requested': COLORS.yellow,
  'ticket.closed': COLORS.red,
  'ticket.deleted-by-hand': COLORS.red,
  'ticket.auto-closed': COLORS.red,
  'ticket.reopened': COLORS.green,
  'ticket.deleted': COLORS.red,
  'ticket.archive-expired': COLORS.red,
  'ticket.feedback': COLORS.blue,
  'config.changed': COLORS.grey,
  'privacy.export': COLORS.grey,
  'privacy.delete': COLORS.grey,
};

/** Events after which the channel may be gone: no mention of it. */
const CHANNEL_GONE: ReadonlySet<LogEvent['kind']> = new Set([
  'ticket.closed',
  'ticket.deleted-by-hand',
  'ticket.auto-closed',
  'ticket.deleted',
  'ticket.archive-expired',
]);

/** What the subject field is called when it is not the member who opened the ticket. */
const SUBJECT: Partial<Record<LogEvent['kind'], Extract<MessageKey, `log.field.${string}`>>> = {
  'ticket.member-added': 'log.field.member',
  'ticket.member-removed': 'log.field.member',
  'ticket.transferred': 'log.field.now-claimed-by',
};

/** One log event as an embed in the guild's style. Privacy events name nobody. */
export function logEmbed(event: LogEvent, custom: EmbedCustomization, locale: SupportedLocale = DEFAULT_LOCALE): APIEmbed {
  const title = t(locale, `log.${event.kind}`);
  const color = COLOR_OF[event.kind];
  const name = (key: Extract<MessageKey, `log.field.${string}`>) => t(locale, key);
  const fields: { name: string; value: string; inline?: boolean }[] = [];
  if (event.ticketNumber !== undefined) fields.push({ name: name('log.field.ticket'), value: formatTicketNumber(event.ticketNumber), inline: true });
  if (event.typeName) fields.push({ name: name('log.field.type'), value: event.typeName, inline: true });
  if (event.channelId && !CHANNEL_GONE.has(event.kind)) {
    fields.push({ name: name('log.field.channel'), value: channelMention(event.channelId), inline: true });
  }
  const privacy = event.kind.startsWith('privacy.');
  if (event.actorId && !privacy) fields.push({ name: name('log.field.by'), value: userMention(event.actorId), inline: true });
  if (event.subjectId && !privacy) fields.push({ name: name(SUBJECT[event.kind] ?? 'log.field.opened-by'), value: userMention(event.subjectId), inline: true });
  if (event.durationMs !== undefined) fields.push({ name: name('log.field.open-for'), value: formatDuration(event.durationMs, locale), inline: true });
  // Feedback carries its rating as detail and the member's comment as reason (and no member id).
  const feedback = event.kind === 'ticket.feedback';
  if (event.detail && feedback) fields.push({ name: name('log.field.rating'), value: event.detail, inline: true });
  if (event.reason) fields.push({ name: name(feedback ? 'log.field.comment' : 'log.field.reason'), value: event.reason });
  if (event.detail && !feedback) fields.push({ name: name('log.field.detail'), value: event.detail });
  if (event.transcript) fields.push({ name: name('log.field.transcript'), value: transcriptField(event, locale) });
  return buildEmbed(custom, { title, fields, timestamp: event.at, color });
}

/**
 * The close log's transcript field: its files by name and size, a link to the log
 * channel's message holding them (message links do not expire, attachment URLs do), and
 * why files are missing or older messages left out.
 */
export function transcriptField(event: LogJob<'log.event'>, locale: SupportedLocale): string {
  const transcript = event.transcript;
  if (!transcript) return '';
  const lines = [transcript.files.map((file) => `${file.name} (${formatSize(file.size)})`).join(', ')];
  if (transcript.missing === 'too-large') lines.push(t(locale, 'log.transcript.too-large'));
  else if (transcript.missing === 'refused') lines.push(t(locale, 'log.transcript.refused'));
  else if (transcript.messageId && transcript.channelId)
    lines.push(`https://discord.com/channels/${event.guildId}/${transcript.channelId}/${transcript.messageId}`);
  if (transcript.truncated) lines.push(t(locale, 'log.transcript.truncated', { count: transcript.messages }));
  return lines.join('\n').slice(0, 1024);
}
