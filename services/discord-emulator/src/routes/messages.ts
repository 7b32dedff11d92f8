import { Errors, invalidFormBody } from '../errors.js';
import { applyEdit, asSeenByApp, hasMessageContentFlag, newMessage, requireNotEmpty, storeAttachments, type MessageInput } from '../messages.js';
import type { Guild, Message } from '../state.js';
import { messageLimitErrors, validateBody } from '../validation.js';
import { asObject, noContent, ok, P, type RestContext, type RestResult, type RouteModule } from './kit.js';

/** A channel's messages (a guild channel's, or the bot's DM channel with a user). */
export const messageRoutes: RouteModule = ({ state, deps, visibleChannel, need, checkMessagePermissions, deleteFromChannel }) => {
  /** Without the Message Content flag, other users' guild messages come with empty content, embeds, attachments, components. */
  const seen = (message: Message): Message => asSeenByApp(message, state.botUser.id, hasMessageContentFlag(state.applicationFlags), true);

  const listMessages = (ctx: RestContext): RestResult => {
    const { channel, perms } = visibleChannel(ctx.params.channel_id ?? '');
    if ((perms & P.ReadMessageHistory) === 0n && (perms & P.Administrator) === 0n) return ok([]);
    const limitRaw = ctx.query.get('limit');
    const limit = limitRaw === null ? 50 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw invalidFormBody([{ path: ['limit'], code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 100.' }]);
    const all = state.messages.get(channel.id) ?? [];
    const before = ctx.query.get('before');
    const after = ctx.query.get('after');
    const around = ctx.query.get('around');
    let selected: Message[];
    if (after) {
      const a = BigInt(after);
      selected = all.filter((m) => BigInt(m.id) > a).slice(0, limit);
    } else if (around) {
      const index = all.findIndex((m) => BigInt(m.id) >= BigInt(around));
      const start = Math.max(0, (index < 0 ? all.length : index) - Math.floor(limit / 2));
      selected = all.slice(start, start + limit);
    } else {
      const b = before ? BigInt(before) : undefined;
      const filtered = b === undefined ? all : all.filter((m) => BigInt(m.id) < b);
      selected = filtered.slice(Math.max(0, filtered.length - limit));
    }
    return ok([...selected].reverse().map(seen));
  };

  return [
    { method: 'GET', pattern: '/channels/:channel_id/messages', auth: true, handler: listMessages },
    {
      method: 'POST',
      pattern: '/channels/:channel_id/messages',
      auth: true,
      handler: (ctx) => {
        const dm = state.dmChannels.get(ctx.params.channel_id ?? '');
        if (dm) {
          const body = validateBody<MessageInput>('createMessage', ctx.body, messageLimitErrors);
          requireNotEmpty(body, ctx.files);
          if (!state.acceptsDmFromBot(dm.recipientId)) throw Errors.cannotSendToUser();
          const attachments = storeAttachments(state, deps.baseUrl(), dm.id, ctx.files, body.attachments);
          const message = newMessage(state, { ...body, channelId: dm.id, author: state.botUser, attachments });
          state.addMessage(message);
          return ok(message);
        }
        const { channel, guild, perms } = visibleChannel(ctx.params.channel_id ?? '');
        const body = validateBody<MessageInput>('createMessage', ctx.body, (b) => messageLimitErrors(b, emojiIdsOf(guild)));
        requireNotEmpty(body, ctx.files);
        checkMessagePermissions(perms, body, ctx.files);
        const attachments = storeAttachments(state, deps.baseUrl(), channel.id, ctx.files, body.attachments);
        const message = newMessage(state, { ...body, channelId: channel.id, guildId: guild.id, author: state.botUser, attachments });
        state.addMessage(message);
        return ok(message);
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channel_id/messages/:message_id',
      auth: true,
      handler: (ctx) => {
        const { channel, perms } = visibleChannel(ctx.params.channel_id ?? '');
        need(perms, P.ReadMessageHistory);
        const message = state.findMessage(channel.id, ctx.params.message_id ?? '');
        if (!message) throw Errors.unknownMessage();
        return ok(seen(message));
      },
    },
    {
      method: 'PATCH',
      pattern: '/channels/:channel_id/messages/:message_id',
      auth: true,
      handler: (ctx) => {
        const { channel, guild, perms } = visibleChannel(ctx.params.channel_id ?? '');
        const message = state.findMessage(channel.id, ctx.params.message_id ?? '');
        if (!message) throw Errors.unknownMessage();
        const body = validateBody<MessageInput>('editMessage', ctx.body, (b) => messageLimitErrors(b, emojiIdsOf(guild)));
        if (message.author.id !== state.botUser.id) {
          const onlyFlags = Object.keys(asObject(body)).every((k) => k === 'flags');
          if (!onlyFlags || ctx.files.length > 0) throw Errors.cannotEditOthers();
          need(perms, P.ManageMessages);
        }
        if (Array.isArray(body.embeds) && body.embeds.length > 0) need(perms, P.EmbedLinks);
        if (ctx.files.length > 0) need(perms, P.AttachFiles);
        const attachments = storeAttachments(state, deps.baseUrl(), channel.id, ctx.files, body.attachments);
        applyEdit(message, body, attachments);
        state.dispatch(guild.id, 'MESSAGE_UPDATE', { ...message, guild_id: guild.id });
        return ok(message);
      },
    },
    {
      method: 'DELETE',
      pattern: '/channels/:channel_id/messages/:message_id',
      auth: true,
      handler: (ctx) => {
        const { channel, perms } = visibleChannel(ctx.params.channel_id ?? '');
        const message = state.findMessage(channel.id, ctx.params.message_id ?? '');
        if (!message) throw Errors.unknownMessage();
        if (message.author.id !== state.botUser.id) need(perms, P.ManageMessages);
        deleteFromChannel(message);
        return noContent();
      },
    },
  ];
};

/** The ids of a guild's custom emoji, which its messages' components may use. */
function emojiIdsOf(guild: Guild): ReadonlySet<string> {
  return new Set(guild.emojis.map((e) => e.id));
}
