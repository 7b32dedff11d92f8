import { Errors, RateLimitedError } from '../errors.js';
import type { Overwrite } from '../state.js';
import { channelNameErrors, normalizeChannelName, validateBody } from '../validation.js';
import { asObject, noContent, ok, P, type RouteModule } from './kit.js';

/** Get/Modify/Delete Channel and its permission overwrites. */
export const channelRoutes: RouteModule = ({ state, deps, visibleChannel, need, toOverwrites, checkGrantable, checkParent }) => {
  return [
    {
      method: 'GET',
      pattern: '/channels/:channel_id',
      auth: true,
      handler: (ctx) => {
        const dm = state.dmChannels.get(ctx.params.channel_id ?? '');
        return ok(dm ? state.dmChannelObject(dm) : visibleChannel(ctx.params.channel_id ?? '').channel);
      },
    },
    {
      method: 'PATCH',
      pattern: '/channels/:channel_id',
      auth: true,
      handler: (ctx) => {
        const { channel, guild, perms } = visibleChannel(ctx.params.channel_id ?? '');
        const body = validateBody('modifyChannel', ctx.body, (b) => (b.name !== undefined ? channelNameErrors(b.name) : []));
        need(perms, P.ManageChannels);
        let overwrites: Overwrite[] | undefined;
        if (body.permission_overwrites !== undefined && body.permission_overwrites !== null) {
          need(perms, P.ManageRoles);
          overwrites = toOverwrites(guild, body.permission_overwrites);
          checkGrantable(guild, overwrites, channel);
        }
        const parentId = body.parent_id !== undefined && channel.type !== 4 ? checkParent(guild, body.parent_id, channel.id) : undefined;
        if (typeof body.name === 'string') {
          const name = normalizeChannelName(body.name, channel.type);
          if (name !== channel.name) {
            const wait = deps.limiter.checkRename(channel.id);
            if (wait > 0) {
              throw new RateLimitedError(wait);
            }
            channel.name = name;
          }
        }
        if (overwrites) channel.permission_overwrites = overwrites;
        if (parentId !== undefined) channel.parent_id = parentId;
        if (typeof body.topic === 'string' || body.topic === null) channel.topic = (body.topic as string | null) ?? null;
        if (typeof body.position === 'number') channel.position = body.position;
        if (typeof body.nsfw === 'boolean') channel.nsfw = body.nsfw;
        if (typeof body.rate_limit_per_user === 'number') channel.rate_limit_per_user = body.rate_limit_per_user;
        state.dispatch(guild.id, 'CHANNEL_UPDATE', channel);
        return ok(channel);
      },
    },
    {
      method: 'DELETE',
      pattern: '/channels/:channel_id',
      auth: true,
      handler: (ctx) => {
        const { channel, perms } = visibleChannel(ctx.params.channel_id ?? '');
        need(perms, P.ManageChannels);
        state.deleteChannel(channel);
        return ok(channel);
      },
    },
    {
      method: 'PUT',
      pattern: '/channels/:channel_id/permissions/:overwrite_id',
      auth: true,
      handler: (ctx) => {
        const { channel, guild, perms } = visibleChannel(ctx.params.channel_id ?? '');
        const id = ctx.params.overwrite_id ?? '';
        const body = validateBody('editOverwrite', { ...asObject(ctx.body), id }, (b) =>
          b.type === undefined || b.type === null ? [{ path: ['type'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] : [],
        );
        need(perms, P.ManageRoles);
        const [overwrite] = toOverwrites(guild, [body]);
        if (!overwrite) throw Errors.unknownOverwrite();
        checkGrantable(guild, [overwrite], channel);
        channel.permission_overwrites = [...channel.permission_overwrites.filter((o) => o.id !== id), overwrite];
        state.dispatch(guild.id, 'CHANNEL_UPDATE', channel);
        return noContent();
      },
    },
    {
      method: 'DELETE',
      pattern: '/channels/:channel_id/permissions/:overwrite_id',
      auth: true,
      handler: (ctx) => {
        const { channel, guild, perms } = visibleChannel(ctx.params.channel_id ?? '');
        need(perms, P.ManageRoles);
        channel.permission_overwrites = channel.permission_overwrites.filter((o) => o.id !== ctx.params.overwrite_id);
        state.dispatch(guild.id, 'CHANNEL_UPDATE', channel);
        return noContent();
      },
    },
  ];
};
