import { ButtonStyle, ComponentType, type APIMessage, type RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { customId, t, type SupportedLocale } from '@promton/shared/domain';
import { formatTicketNumber } from './ticket-rules.js';

export interface FeedbackInput {
  ticketNumber: number;
  typeLabel: string;
  /** The server's name, when Discord told it. */
  guildName: string | null;
  /** The signed offer from config-service. */
  offer: string;
  /** The server's language (the DM is about one of its tickets, like the transcript by DM). */
  locale: SupportedLocale;
}

/** The DM offering a closed ticket's member a 1–5 rating: five buttons, each opening the comment form. */
export function feedbackMessage(input: FeedbackInput): RESTPostAPIChannelMessageJSONBody {
  const about = { ticket: formatTicketNumber(input.ticketNumber), type: input.typeLabel };
  return {
    content: input.guildName ? t(input.locale, 'feedback.dm', { ...about, server: input.guildName }) : t(input.locale, 'feedback.dm-no-server', about),
    allowed_mentions: { parse: [] },
    components: [
      {
        type: ComponentType.ActionRow,
        components: [1, 2, 3, 4, 5].map((rating) => ({
          type: ComponentType.Button as const,
          style: ButtonStyle.Secondary as const,
          label: String(rating),
          emoji: { name: '⭐' },
          custom_id: customId('rate', `${rating}.${input.offer}`),
        })),
      },
    ],
  };
}

/**
 * The first reply of a ticket: the oldest message by someone other than the member who
 * opened it and any bot (in a ticket channel only staff and added members can write).
 */
export function firstReply(messages: readonly Pick<APIMessage, 'id' | 'timestamp' | 'author'>[], creatorId: string | null): string | null {
  const replies = messages.filter((m) => !m.author.bot && m.author.id !== creatorId).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  return replies[0] ? new Date(replies[0].timestamp).toISOString() : null;
}
