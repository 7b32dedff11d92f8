import { ButtonStyle, ComponentType, type APIMessage, type RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { customId, formatTicketNumber, t, type SupportedLocale } from '@promton/shared/domain';

const DAY_MS = 86_400_000;

/** When an archived channel is deleted: its archiving plus the type's days. */
export function archiveDeleteAt(archivedAt: string, days: number): number {
  return Date.parse(archivedAt) + days * DAY_MS;
}

/** The message an archived ticket's channel gets: what happened, when it goes, and the staff's Reopen, Transcript and Delete buttons. */
export function archiveControls(ticketNumber: number, deleteAt: number, locale: SupportedLocale): RESTPostAPIChannelMessageJSONBody {
  const when = `<t:${Math.floor(deleteAt / 1000)}:R>`;
  return {
    content: `🔒 ${t(locale, 'archive.notice', { ticket: formatTicketNumber(ticketNumber), when })}`,
    allowed_mentions: { parse: [] },
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Success, label: t(locale, 'archive.reopen-button'), custom_id: customId('reopen', ticketNumber) },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: t(locale, 'archive.transcript-button'),
            custom_id: customId('archive-transcript', ticketNumber),
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Danger,
            label: t(locale, 'archive.delete-button'),
            custom_id: customId('archive-delete', ticketNumber),
          },
        ],
      },
    ],
  };
}

/** True when the message is the bot's archive message of this ticket with its buttons still on (a reopen takes them off). */
export function isActiveArchiveMessage(message: Pick<APIMessage, 'author' | 'components'>, botUserId: string, ticketNumber: number): boolean {
  if (message.author.id !== botUserId) return false;
  const reopen = customId('reopen', ticketNumber);
  return (message.components ?? []).some((row) => 'components' in row && row.components.some((c) => 'custom_id' in c && c.custom_id === reopen));
}
