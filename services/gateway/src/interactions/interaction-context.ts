import type { APIInteraction } from 'discord-api-types/v10';
import type { InteractionContext } from '@promton/shared/contracts';

/** The part of an interaction a worker needs to finish it; null outside a guild. */
export function interactionContext(interaction: APIInteraction, receivedAt: Date): InteractionContext | null {
  if (!interaction.guild_id || !interaction.member || !interaction.channel?.id) return null;
  return {
    applicationId: interaction.application_id,
    interactionId: interaction.id,
    token: interaction.token,
    guildId: interaction.guild_id,
    channelId: interaction.channel.id,
    receivedAt: receivedAt.toISOString(),
    member: {
      userId: interaction.member.user.id,
      roles: interaction.member.roles,
      permissions: interaction.member.permissions,
    },
    ...('locale' in interaction && typeof interaction.locale === 'string' ? { locale: interaction.locale } : {}),
    ...(typeof interaction.guild_locale === 'string' ? { guildLocale: interaction.guild_locale } : {}),
  };
}
