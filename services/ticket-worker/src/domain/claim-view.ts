import { ButtonStyle, ComponentType, type APIMessage, type RESTPatchAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { customId, fitEmbed, userMention } from '@promton/shared/domain';

/** The welcome message's embed and buttons after a claim or unclaim, everything else kept (within Discord's embed limits). */
export function withClaimer(
  message: Pick<APIMessage, 'embeds' | 'components'>,
  ticketNumber: number,
  claimedBy: string | null,
): RESTPatchAPIChannelMessageJSONBody {
  const value = claimedBy ? userMention(claimedBy) : 'Nobody yet';
  const embeds = message.embeds.map((embed, index) => {
    if (index !== 0) return embed;
    const fields = (embed.fields ?? []).filter((field) => field.name !== 'Claimed by');
    // A mention is longer than "Nobody yet": a welcome at Discord's 6,000 characters must not outgrow them.
    return fitEmbed({ ...embed, fields: [...fields, { name: 'Claimed by', value }] }, { keepLastField: true });
  });
  const toggle = claimedBy
    ? { type: ComponentType.Button as const, style: ButtonStyle.Secondary as const, label: 'Unclaim', custom_id: customId('unclaim', ticketNumber) }
    : {
        type: ComponentType.Button as const,
        style: ButtonStyle.Primary as const,
        label: 'Claim',
        emoji: { name: '🙋' },
        custom_id: customId('claim', ticketNumber),
      };
  return {
    embeds,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Close', emoji: { name: '🔒' }, custom_id: customId('close', ticketNumber) },
          toggle,
        ],
      },
    ],
  };
}
