import { Errors } from '../errors.js';
import { MAX_GUILD_CHANNELS } from '../state.js';
import { channelNameErrors, normalizeChannelName, validateBody } from '../validation.js';
import { ok, P, type RouteModule } from './kit.js';

/** A guild, its channels, roles, emojis and members; Create Guild Channel. */
export const guildRoutes: RouteModule = ({ state, guildOf, need, toOverwrites, checkGrantable, checkParent }) => {
  return [
    {
      method: 'GET',
      pattern: '/guilds/:guild_id',
      auth: true,
      handler: (ctx) => {
        const guild = guildOf(ctx.params.guild_id ?? '');
        const counts = ctx.query.get('with_counts') === 'true' ? { approximate_member_count: guild.memberCount, approximate_presence_count: 0 } : {};
        return ok({ ...state.guildObject(guild), ...counts });
      },
    },
    { method: 'GET', pattern: '/guilds/:guild_id/channels', auth: true, handler: (ctx) => ok(state.channelsOf(guildOf(ctx.params.guild_id ?? ''))) },
    { method: 'GET', pattern: '/guilds/:guild_id/roles', auth: true, handler: (ctx) => ok([...guildOf(ctx.params.guild_id ?? '').roles.values()]) },
    { method: 'GET', pattern: '/guilds/:guild_id/emojis', auth: true, handler: (ctx) => ok(guildOf(ctx.params.guild_id ?? '').emojis) },
    {
      method: 'GET',
      pattern: '/guilds/:guild_id/emojis/:emoji_id',
      auth: true,
      handler: (ctx) => {
        const emoji = guildOf(ctx.params.guild_id ?? '').emojis.find((e) => e.id === ctx.params.emoji_id);
        if (!emoji) throw Errors.unknownEmoji();
        return ok(emoji);
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild_id/members/:user_id',
      auth: true,
      handler: (ctx) => {
        const guild = guildOf(ctx.params.guild_id ?? '');
        const member = guild.members.get(ctx.params.user_id ?? '');
        if (!member) throw Errors.unknownMember();
        return ok(state.memberObject(guild, member));
      },
    },
    {
      method: 'POST',
      pattern: '/guilds/:guild_id/channels',
      auth: true,
      handler: (ctx) => {
        const guild = guildOf(ctx.params.guild_id ?? '');
        const body = validateBody('createChannel', ctx.body, (b) => channelNameErrors(b.name));
        need(state.botPermissions(guild), P.ManageChannels);
        const overwrites = toOverwrites(guild, body.permission_overwrites);
        if (overwrites.length > 0) checkGrantable(guild, overwrites);
        if (guild.channelIds.length >= MAX_GUILD_CHANNELS) throw Errors.maxGuildChannels();
        const type = typeof body.type === 'number' ? body.type : 0;
        const parentId = type === 4 ? null : checkParent(guild, body.parent_id);
        if (parentId) {
          // Under a category, Discord checks the bot's permissions in that category: it must see it and manage channels there.
          const inParent = state.botPermissions(guild, state.channels.get(parentId));
          if ((inParent & P.Administrator) === 0n) {
            if ((inParent & P.ViewChannel) === 0n) throw Errors.missingAccess();
            if ((inParent & P.ManageChannels) === 0n) throw Errors.missingPermissions();
          }
        }
        const channel = state.createChannel(guild, {
          name: normalizeChannelName(String(body.name), type),
          type,
          parent_id: parentId,
          permission_overwrites: overwrites,
          ...(typeof body.topic === 'string' ? { topic: body.topic } : {}),
          ...(typeof body.position === 'number' ? { position: body.position } : {}),
          ...(typeof body.nsfw === 'boolean' ? { nsfw: body.nsfw } : {}),
          ...(typeof body.rate_limit_per_user === 'number' ? { rate_limit_per_user: body.rate_limit_per_user } : {}),
        });
        state.dispatch(guild.id, 'CHANNEL_CREATE', channel);
        return ok(channel, 201);
      },
    },
  ];
};
