import { InteractionType, type APIInteraction } from 'discord-api-types/v10';
import { interactionContextSchema } from '@promton/shared/contracts';
import { describe, expect, it } from 'vitest';
import { interactionContext } from './interaction-context.js';

const base = {
  id: '900000000000000001',
  application_id: '110000000000000001',
  type: InteractionType.MessageComponent,
  token: 'interaction-token',
  version: 1,
  app_permissions: '0',
  locale: 'en-US',
  entitlements: [],
  authorizing_integration_owners: {},
  attachment_size_limit: 8_388_608,
  data: { component_type: 2, custom_id: 'pt:v1:claim:1' },
};

const user = { id: '200000000000000002', username: 'alice', discriminator: '0', global_name: 'Alice', avatar: null };

describe('interactionContext', () => {
  it('takes ids, token and the member from a guild interaction', () => {
    const interaction = {
      ...base,
      guild_id: '100000000000000001',
      channel: { id: '400000000000000001', type: 0 },
      channel_id: '400000000000000001',
      member: { user, roles: ['300000000000000001'], permissions: '117760', joined_at: '2024-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 },
    } as unknown as APIInteraction;
    const ctx = interactionContext(interaction, new Date('2024-05-01T12:00:00.000Z'));
    expect(ctx).toEqual({
      applicationId: '110000000000000001',
      interactionId: '900000000000000001',
      token: 'interaction-token',
      guildId: '100000000000000001',
      channelId: '400000000000000001',
      receivedAt: '2024-05-01T12:00:00.000Z',
      member: { userId: '200000000000000002', roles: ['300000000000000001'], permissions: '117760' },
      locale: 'en-US',
    });
    expect(interactionContextSchema.safeParse(ctx).success).toBe(true);
  });

  it('returns null in a DM (no guild, no member)', () => {
    const dm = { ...base, channel: { id: '400000000000000009', type: 1 }, user } as unknown as APIInteraction;
    expect(interactionContext(dm, new Date())).toBeNull();
  });
});
