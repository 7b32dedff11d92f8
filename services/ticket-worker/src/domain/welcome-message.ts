import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import { buildEmbed, customId, t, userMention, type SupportedLocale } from '@promton/shared/domain';
import { type EmbedCustomization, type TicketType } from '@promton/shared/contracts';
import { formatTicketNumber } from './ticket-rules.js';

export interface WelcomeInput {
  ticketNumber: number;
  creatorId: string;
  type: Pick<TicketType, 'label' | 'welcomeMessage' | 'questions'>;
  answers: readonly { question: string; answer: string }[];
  claimedBy: string | null;
  embed: EmbedCustomization;
  now: Date;
  /** A line under the mention (opened outside support hours); kept when a claim edits the embed. */
  notice?: string | undefined;
  /** The server's language: the whole channel reads this message. */
  locale: SupportedLocale;
}

/** The welcome message's buttons: Close, and Claim or Unclaim. */
export function ticketButtons(locale: SupportedLocale, ticketNumber: number, claimedBy: string | null): APIActionRowComponent<APIComponentInMessageActionRow> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Danger,
        label: t(locale, 'close.button'),
        emoji: { name: '🔒' },
        custom_id: customId('close', ticketNumber),
      },
      claimedBy
        ? { type: ComponentType.Button, style: ButtonStyle.Secondary, label: t(locale, 'welcome.unclaim-button'), custom_id: customId('unclaim', ticketNumber) }
        : {
            type: ComponentType.Button,
            style: ButtonStyle.Primary,
            label: t(locale, 'welcome.claim-button'),
            emoji: { name: '🙋' },
            custom_id: customId('claim', ticketNumber),
          },
    ],
  };
}

/** The first message of a ticket channel: the type's welcome, the form's answers, who claimed it, and its buttons. */
export function welcomeMessage(input: WelcomeInput): RESTPostAPIChannelMessageJSONBody {
  // Form answers arrive keyed q0..q4; show them under the type's own question text.
  const fields = input.answers.map((entry) => {
    const index = /^q(\d)$/.exec(entry.question)?.[1];
    const question = index === undefined ? entry.question : (input.type.questions[Number(index)] ?? entry.question);
    return { name: question, value: entry.answer || '—' };
  });
  // Always the last field: a claim replaces it in place (claim-view.ts).
  fields.push({ name: t(input.locale, 'welcome.claimed-by'), value: input.claimedBy ? userMention(input.claimedBy) : t(input.locale, 'welcome.nobody') });
  return {
    content: `${userMention(input.creatorId)} ${formatTicketNumber(input.ticketNumber)}${input.notice ? `\n${input.notice}` : ''}`,
    allowed_mentions: { users: [input.creatorId] },
    embeds: [
      buildEmbed(input.embed, {
        title: t(input.locale, 'welcome.title', { ticket: formatTicketNumber(input.ticketNumber), type: input.type.label }),
        description: input.type.welcomeMessage ?? t(input.locale, 'welcome.default'),
        fields,
        timestamp: input.now.toISOString(),
        withBanner: true,
      }),
    ],
    components: [ticketButtons(input.locale, input.ticketNumber, input.claimedBy)],
  };
}
