import type { APIMessage, RESTPatchAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { fitEmbed, t, userMention, type SupportedLocale } from '@promton/shared/domain';
import { ticketButtons } from './welcome-message.js';

/**
 * The welcome message's embed and buttons after a claim or unclaim, everything else
 * kept (within Discord's embed limits). The claim field is the embed's last
 * (welcomeMessage puts it there), so it is replaced whatever language it was written in.
 */
export function withClaimer(
  message: Pick<APIMessage, 'embeds' | 'components'>,
  ticketNumber: number,
  claimedBy: string | null,
  locale: SupportedLocale,
): RESTPatchAPIChannelMessageJSONBody {
  const value = claimedBy ? userMention(claimedBy) : t(locale, 'welcome.nobody');
  const embeds = message.embeds.map((embed, index) => {
    if (index !== 0) return embed;
    const fields = (embed.fields ?? []).slice(0, -1);
    // A mention is longer than "Nobody yet": a welcome at Discord's 6,000 characters must not outgrow them.
    return fitEmbed({ ...embed, fields: [...fields, { name: t(locale, 'welcome.claimed-by'), value }] }, { keepLastField: true });
  });
  return { embeds, components: [ticketButtons(locale, ticketNumber, claimedBy)] };
}
