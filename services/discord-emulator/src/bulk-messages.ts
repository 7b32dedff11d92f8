import { newMessage } from './messages.js';
import type { EmulatorState } from './state.js';

type ControlHandler = (ctx: { params: Record<string, string>; query: URLSearchParams; body: Record<string, unknown> }) => {
  status: number;
  body?: unknown;
};

/** Most messages one call adds (a long ticket is seeded in a few calls, not thousands). */
export const BULK_MESSAGES_MAX = 20_000;

/**
 * `POST /channels/:id/messages/bulk { userId, count, content }`: a member writes `count`
 * messages at once (`content` with `{i}` replaced by 1…count), no MESSAGE_CREATE each —
 * a test's shortcut to a channel with thousands of messages.
 */
export function bulkMessageRoutes(state: EmulatorState): { method: string; pattern: string; handler: ControlHandler }[] {
  return [
    {
      method: 'POST',
      pattern: '/channels/:id/messages/bulk',
      handler: ({ params, body }) => {
        const channel = state.channels.get(params.id ?? '');
        const guild = channel ? state.guilds.get(channel.guild_id) : undefined;
        const list = channel ? state.messages.get(channel.id) : undefined;
        if (!channel || !guild || !list) return { status: 404, body: { error: 'unknown channel' } };
        const count = body.count;
        if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > BULK_MESSAGES_MAX)
          throw new RangeError(`count must be an integer from 1 to ${BULK_MESSAGES_MAX}`);
        if (typeof body.content !== 'string' || body.content.length === 0 || body.content.length > 2000)
          throw new RangeError('content must be 1-2000 characters');
        const userId = String(body.userId);
        const member = guild.members.get(userId) ?? state.addMember(guild, userId);
        const author = state.users.get(member.userId) ?? state.ensureUser(member.userId);
        for (let i = 1; i <= count; i++) {
          const content = body.content.replaceAll('{i}', String(i)).slice(0, 2000);
          list.push(newMessage(state, { content, channelId: channel.id, guildId: guild.id, author }));
        }
        channel.last_message_id = list[list.length - 1]?.id ?? channel.last_message_id;
        return { status: 201, body: { count, lastId: channel.last_message_id } };
      },
    },
  ];
}
