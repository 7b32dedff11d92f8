import { newMessage, storeAttachments } from './messages.js';
import { FaultError, type FaultInjector, type FaultSpec } from './faults.js';
import type { GatewayServer } from './gateway.js';
import { buildInteraction, InteractInputError, type InteractInput } from './interactions.js';
import type { RateLimiter, RateLimitSettings } from './rate-limits.js';
import type { InvalidRequestCounter } from './invalid-requests.js';
import type { RequestLog } from './request-log.js';
import { roleControlRoutes } from './control-roles.js';
import { makeRole, type Channel, type EmulatorState, type Guild, type InteractionRecord, type Overwrite } from './state.js';
import { threadControlRoutes } from './threads.js';
import { normalizeChannelName } from './validation.js';

export interface ControlDeps {
  state: EmulatorState;
  gateway: GatewayServer;
  limiter: RateLimiter;
  faults: FaultInjector;
  log: RequestLog;
  invalid: InvalidRequestCounter;
  baseUrl: () => string;
  /** Sends an interaction the way Discord would: INTERACTION_CREATE, or a POST to the Interactions Endpoint URL when one is set. */
  deliverInteraction: (rec: InteractionRecord) => void;
  /** Wipes everything that is not plain state (held sockets, buckets). */
  onReset: () => void;
}

export interface ControlResult {
  status: number;
  body?: unknown;
}

export class ControlInputError extends Error {
  override name = 'ControlInputError';
}

type Handler = (ctx: { params: Record<string, string>; query: URLSearchParams; body: Record<string, unknown> }) => ControlResult | Promise<ControlResult>;

const ok = (body: unknown, status = 200): ControlResult => ({ status, body });
const notFound = (what: string): ControlResult => ({ status: 404, body: { error: `unknown ${what}` } });

// The control API's inputs and views (the typed client, client.ts, uses these same types).

export interface SeedRoleInput {
  id?: string;
  name: string;
  /** Permission bitfield as a decimal string. */
  permissions?: string;
  position?: number;
}
export interface SeedMemberInput {
  id?: string;
  username: string;
  /** Role ids, or names of roles in the same seed body. */
  roles?: string[];
}
export interface SeedOverwriteInput {
  /** A role id/name, a member id/username from this body, '@everyone', or any snowflake. */
  id: string;
  type?: 0 | 1;
  allow?: string;
  deny?: string;
}
export interface SeedChannelInput {
  id?: string;
  name: string;
  /** 0 text (default), 4 category. */
  type?: number;
  /** Id or name of a category in this body. */
  parent?: string;
  permissionOverwrites?: SeedOverwriteInput[];
}
export interface SeedGuildInput {
  id?: string;
  name: string;
  ownerId?: string;
  memberCount?: number;
  /** The bot's managed role permissions (default: the invite's BOT_PERMISSIONS). */
  botPermissions?: string;
  /** Overrides @everyone's permissions (default: Discord's defaults). */
  everyonePermissions?: string;
  roles?: SeedRoleInput[];
  members?: SeedMemberInput[];
  channels?: SeedChannelInput[];
  /** Custom emojis of the guild. */
  emojis?: { id?: string; name: string; animated?: boolean }[];
}

/** A seeded guild as POST /_emulator/guilds answers it. */
export type SeededGuild = ReturnType<typeof guildSummary>;
/** An interaction as GET /_emulator/interactions/:id answers it. */
export type InteractionState = ReturnType<typeof interactionView>;

export function guildSummary(state: EmulatorState, guild: Guild) {
  return {
    id: guild.id,
    name: guild.name,
    ownerId: guild.ownerId,
    memberCount: guild.memberCount,
    botUserId: state.botUser.id,
    botRoleId: guild.botRoleId,
    everyoneRoleId: guild.id,
    emojis: guild.emojis.map((e) => ({ id: e.id, name: e.name, animated: e.animated })),
    unavailable: guild.unavailable,
    roles: [...guild.roles.values()].map((r) => ({ id: r.id, name: r.name, permissions: r.permissions, position: r.position, managed: r.managed })),
    members: [...guild.members.values()].map((m) => ({ id: m.userId, username: state.users.get(m.userId)?.username ?? '', roles: m.roles })),
    channels: state
      .channelsOf(guild)
      .map((c) => ({ id: c.id, name: c.name, type: c.type, parentId: c.parent_id, permission_overwrites: c.permission_overwrites })),
  };
}

export function interactionView(rec: InteractionRecord) {
  return {
    id: rec.id,
    token: rec.token,
    kind: rec.kind,
    type: rec.type,
    guildId: rec.guildId,
    channelId: rec.channelId,
    userId: rec.userId,
    createdAt: new Date(rec.createdAt).toISOString(),
    response: rec.response,
    original: rec.response && rec.response.type !== 9 ? rec.original : null,
    followups: rec.followups,
    deleted: rec.deleted,
    ...(rec.delivery ? { delivery: rec.delivery } : {}),
  };
}

export function controlRoutes(deps: ControlDeps): { method: string; pattern: string; handler: Handler }[] {
  const { state } = deps;

  const seedGuild = (body: Record<string, unknown>): Guild => {
    if (typeof body.name !== 'string' || body.name.length === 0) throw new ControlInputError('name is required');
    if (typeof body.id === 'string' && state.guilds.has(body.id)) throw new ControlInputError(`guild ${body.id} exists`);
    const guild = state.createGuild({
      ...(typeof body.id === 'string' ? { id: body.id } : {}),
      name: body.name,
      ...(typeof body.ownerId === 'string' ? { ownerId: body.ownerId } : {}),
      ...(typeof body.botPermissions === 'string' ? { botPermissions: BigInt(body.botPermissions) } : {}),
    });
    if (Array.isArray(body.emojis)) {
      for (const raw of body.emojis as { id?: string; name?: string; animated?: boolean }[]) {
        guild.emojis.push({
          id: raw.id ?? state.ids.next(),
          name: raw.name ?? 'emoji',
          animated: raw.animated === true,
          roles: [],
          require_colons: true,
          managed: false,
          available: true,
        });
      }
    }
    if (typeof body.everyonePermissions === 'string') {
      const everyone = guild.roles.get(guild.id);
      if (everyone) everyone.permissions = String(BigInt(body.everyonePermissions));
    }
    const roleIds = new Map<string, string>([
      ['@everyone', guild.id],
      ['everyone', guild.id],
    ]);
    for (const [i, raw] of ((body.roles as SeedRoleInput[] | undefined) ?? []).entries()) {
      const id = raw.id ?? state.ids.next();
      guild.roles.set(id, makeRole(id, raw.name, BigInt(raw.permissions ?? '0'), raw.position ?? i + 2));
      roleIds.set(raw.name, id);
      roleIds.set(id, id);
    }
    const memberIds = new Map<string, string>();
    for (const raw of (body.members as SeedMemberInput[] | undefined) ?? []) {
      const id = raw.id ?? state.ids.next();
      const roles = (raw.roles ?? []).map((r) => {
        const roleId = roleIds.get(r) ?? (guild.roles.has(r) ? r : undefined);
        if (!roleId) throw new ControlInputError(`member ${raw.username}: unknown role ${r}`);
        return roleId;
      });
      state.addMember(guild, id, roles, raw.username);
      memberIds.set(raw.username, id);
      memberIds.set(id, id);
    }
    const ownerId = guild.ownerId;
    if (!memberIds.has(ownerId)) memberIds.set(ownerId, ownerId);
    if (typeof body.memberCount === 'number') guild.memberCount = body.memberCount;
    const channelIds = new Map<string, string>();
    const channels = (body.channels as SeedChannelInput[] | undefined) ?? [];
    // Categories first, so children can name their parent in any order.
    const ordered = [...channels.filter((c) => c.type === 4), ...channels.filter((c) => c.type !== 4)];
    for (const raw of ordered) {
      const type = raw.type ?? 0;
      let parentId: string | null = null;
      if (raw.parent) {
        parentId = channelIds.get(raw.parent) ?? (state.channels.get(raw.parent)?.type === 4 ? raw.parent : null);
        if (!parentId) throw new ControlInputError(`channel ${raw.name}: unknown category ${raw.parent}`);
      }
      const overwrites: Overwrite[] = (raw.permissionOverwrites ?? []).map((o) => {
        const roleId = roleIds.get(o.id);
        const memberId = memberIds.get(o.id) ?? (o.id === state.botUser.id ? o.id : undefined);
        const id = roleId ?? memberId ?? o.id;
        const type = o.type ?? (roleId ? 0 : 1);
        return { id, type, allow: String(BigInt(o.allow ?? '0')), deny: String(BigInt(o.deny ?? '0')) };
      });
      const channel = state.createChannel(guild, {
        ...(raw.id ? { id: raw.id } : {}),
        name: normalizeChannelName(raw.name, type),
        type,
        parent_id: parentId,
        permission_overwrites: overwrites,
      });
      channelIds.set(raw.name, channel.id);
      channelIds.set(channel.id, channel.id);
    }
    state.dispatch(guild.id, 'GUILD_CREATE', state.guildCreatePayload(guild));
    return guild;
  };

  const bulk = (body: Record<string, unknown>): ControlResult => {
    const count = Number(body.count);
    if (!Number.isInteger(count) || count < 1 || count > 200_000) throw new ControlInputError('count must be an integer 1..200000');
    const channels = Number(body.channels ?? 1);
    const roles = Number(body.roles ?? 0);
    const members = Number(body.members ?? 0);
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const guild = state.createGuild({ name: `${typeof body.namePrefix === 'string' ? body.namePrefix : 'Guild'} ${i + 1}` });
      for (let r = 0; r < roles; r += 1) {
        const id = state.ids.next();
        guild.roles.set(id, makeRole(id, `role-${r + 1}`, 0n, r + 2));
      }
      for (let m = 0; m < members; m += 1) state.addMember(guild, state.ids.next());
      for (let c = 0; c < channels; c += 1) state.createChannel(guild, { name: c === 0 ? 'general' : `channel-${c + 1}`, type: 0 });
      if (typeof body.memberCount === 'number') guild.memberCount = body.memberCount;
      state.dispatch(guild.id, 'GUILD_CREATE', state.guildCreatePayload(guild));
      ids.push(guild.id);
    }
    return ok({ ids, first: ids[0], last: ids[ids.length - 1], count: ids.length }, 201);
  };

  const waitFor = (rec: InteractionRecord, what: string, timeoutMs: number): Promise<boolean> => {
    const done = () => {
      if (what === 'original') return rec.originalEdited && rec.original !== null;
      if (what === 'followup') return rec.followups.length > 0;
      if (what === 'any') return rec.originalEdited || rec.followups.length > 0 || rec.response?.type === 9;
      return rec.response !== null;
    };
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const listener = (id: string) => {
        if (id === rec.id && done()) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (value: boolean) => {
        clearTimeout(timer);
        state.off('interaction', listener);
        resolve(value);
      };
      state.on('interaction', listener);
    });
  };

  const routes: { method: string; pattern: string; handler: Handler }[] = [
    { method: 'GET', pattern: '/health', handler: () => ok({ ok: true }) },
    {
      method: 'POST',
      pattern: '/reset',
      handler: ({ body }) => {
        // Commands survive a reset (the bot registers them only at start) unless asked; gateway sessions stay connected.
        const commands = body.commands === true ? [] : [...state.globalCommands];
        state.reset();
        for (const [id, command] of commands) state.globalCommands.set(id, command);
        deps.faults.clear();
        deps.limiter.reset();
        deps.log.reset();
        deps.invalid.reset();
        deps.onReset();
        return ok({ ok: true });
      },
    },
    { method: 'GET', pattern: '/application', handler: () => ok({ id: state.applicationId, flags: state.applicationFlags }) },
    {
      method: 'PUT',
      pattern: '/application',
      handler: ({ body }) => {
        // The developer portal: e.g. Message Content is 1 << 18 (approved) or 1 << 19 (limited, under 100 servers).
        if (!Number.isInteger(body.flags) || (body.flags as number) < 0) throw new ControlInputError('flags must be a non-negative integer');
        state.applicationFlags = body.flags as number;
        return ok({ id: state.applicationId, flags: state.applicationFlags });
      },
    },
    { method: 'POST', pattern: '/guilds', handler: ({ body }) => ok(guildSummary(state, seedGuild(body)), 201) },
    { method: 'POST', pattern: '/guilds/bulk', handler: ({ body }) => bulk(body) },
    {
      method: 'GET',
      pattern: '/guilds/:id',
      handler: ({ params }) => {
        const guild = state.guilds.get(params.id ?? '');
        if (!guild) return notFound('guild');
        return ok({
          ...guildSummary(state, guild),
          channels: state.channelsOf(guild),
          roles: [...guild.roles.values()],
          guild: state.guildCreatePayload(guild),
        });
      },
    },
    {
      method: 'DELETE',
      pattern: '/guilds/:id',
      handler: ({ params, body }) => {
        const guild = state.guilds.get(params.id ?? '');
        if (!guild) return notFound('guild');
        if (body.unavailable === true) {
          guild.unavailable = true;
          state.dispatch(guild.id, 'GUILD_DELETE', { id: guild.id, unavailable: true });
        } else {
          state.dispatch(guild.id, 'GUILD_DELETE', { id: guild.id });
          state.removeGuild(guild);
        }
        return ok({ ok: true });
      },
    },
    {
      // Someone with Manage Expressions deletes one of the guild's custom emoji.
      method: 'DELETE',
      pattern: '/guilds/:id/emojis/:emoji_id',
      handler: ({ params }) => {
        const guild = state.guilds.get(params.id ?? '');
        if (!guild) return notFound('guild');
        const before = guild.emojis.length;
        guild.emojis = guild.emojis.filter((e) => e.id !== params.emoji_id);
        if (guild.emojis.length === before) return notFound('emoji');
        state.dispatch(guild.id, 'GUILD_EMOJIS_UPDATE', { guild_id: guild.id, emojis: guild.emojis });
        return ok({ ok: true });
      },
    },
    {
      method: 'POST',
      pattern: '/guilds/:id/available',
      handler: ({ params }) => {
        const guild = state.guilds.get(params.id ?? '');
        if (!guild) return notFound('guild');
        guild.unavailable = false;
        state.dispatch(guild.id, 'GUILD_CREATE', state.guildCreatePayload(guild));
        return ok({ ok: true });
      },
    },
    {
      // A user's privacy setting "Allow direct messages from server members": off makes
      // the bot's DMs fail with 50007, as Discord does.
      method: 'POST',
      pattern: '/users/:id/dms',
      handler: ({ params, body }) => {
        const id = params.id ?? '';
        if (!state.users.has(id)) return notFound('user');
        if (body.accept === false) state.refusesDms.add(id);
        else state.refusesDms.delete(id);
        return ok({ id, acceptsDms: !state.refusesDms.has(id) });
      },
    },
    {
      // The bot's DM channel with a user and its messages (what the user sees in their DMs).
      method: 'GET',
      pattern: '/users/:id/dm',
      handler: ({ params }) => {
        const dm = [...state.dmChannels.values()].find((d) => d.recipientId === params.id);
        return dm ? ok({ ...state.dmChannelObject(dm), messages: state.messages.get(dm.id) ?? [] }) : notFound('DM channel');
      },
    },
    {
      method: 'POST',
      pattern: '/guilds/:id/members',
      handler: ({ params, body }) => {
        const guild = state.guilds.get(params.id ?? '');
        if (!guild) return notFound('guild');
        const id = typeof body.id === 'string' ? body.id : state.ids.next();
        const roles = Array.isArray(body.roles)
          ? body.roles.map((r) => String(r)).map((r) => [...guild.roles.values()].find((x) => x.id === r || x.name === r)?.id ?? r)
          : [];
        state.addMember(guild, id, roles, typeof body.username === 'string' ? body.username : undefined);
        state.dispatch(guild.id, 'GUILD_MEMBER_ADD', { ...state.memberObject(guild, guild.members.get(id)!), guild_id: guild.id });
        return ok({ id, username: state.users.get(id)?.username, roles }, 201);
      },
    },
    {
      method: 'POST',
      pattern: '/guilds/:id/roles',
      handler: ({ params, body }) => {
        const guild = state.guilds.get(params.id ?? '');
        if (!guild) return notFound('guild');
        const id = typeof body.id === 'string' ? body.id : state.ids.next();
        const role = makeRole(id, String(body.name ?? 'role'), BigInt(String(body.permissions ?? '0')), guild.roles.size + 1);
        guild.roles.set(id, role);
        state.dispatch(guild.id, 'GUILD_ROLE_CREATE', { guild_id: guild.id, role });
        return ok(role, 201);
      },
    },
    {
      method: 'POST',
      pattern: '/interactions',
      handler: ({ body }) => {
        const rec = buildInteraction(state, deps.baseUrl(), body as unknown as InteractInput);
        deps.deliverInteraction(rec);
        return ok({ id: rec.id, token: rec.token, payload: rec.payload }, 201);
      },
    },
    {
      // At-least-once delivery, as Discord's gateway may do after a RESUME: the same
      // INTERACTION_CREATE (same id and token) dispatched again.
      method: 'POST',
      pattern: '/interactions/:id/redeliver',
      handler: ({ params }) => {
        const rec = state.interactions.get(params.id ?? '');
        if (!rec) return notFound('interaction');
        deps.deliverInteraction(rec);
        return ok({ id: rec.id });
      },
    },
    {
      method: 'GET',
      pattern: '/interactions/:id',
      handler: ({ params }) => {
        const rec = state.interactions.get(params.id ?? '');
        return rec ? ok(interactionView(rec)) : notFound('interaction');
      },
    },
    {
      method: 'GET',
      pattern: '/interactions/:id/wait',
      handler: async ({ params, query }) => {
        const rec = state.interactions.get(params.id ?? '');
        if (!rec) return notFound('interaction');
        const what = query.get('for') ?? 'response';
        const timeout = Math.min(Number(query.get('timeout') ?? 10_000) || 10_000, 600_000);
        const done = await waitFor(rec, what, timeout);
        return done ? ok(interactionView(rec)) : { status: 408, body: { error: `timed out waiting for ${what}`, interaction: interactionView(rec) } };
      },
    },
    {
      method: 'POST',
      pattern: '/messages',
      handler: ({ body }) => {
        const channel = state.channels.get(String(body.channelId));
        if (!channel) return notFound('channel');
        const guild = state.guilds.get(channel.guild_id);
        if (!guild) return notFound('guild');
        const userId = String(body.userId);
        const member = guild.members.get(userId) ?? state.addMember(guild, userId);
        const files = ((body.attachments as { filename: string; content?: string; contentBase64?: string; contentType?: string }[] | undefined) ?? []).map(
          (a, i) => ({
            key: `files[${i}]`,
            index: String(i),
            filename: a.filename,
            contentType: a.contentType ?? 'application/octet-stream',
            data: a.contentBase64 !== undefined ? Buffer.from(a.contentBase64, 'base64') : Buffer.from(a.content ?? '', 'utf8'),
          }),
        );
        const attachments = storeAttachments(state, deps.baseUrl(), channel.id, files, undefined);
        const author = state.users.get(member.userId) ?? state.ensureUser(member.userId);
        const message = newMessage(state, { content: body.content, embeds: body.embeds, channelId: channel.id, guildId: guild.id, author, attachments });
        state.addMessage(message);
        return ok(message, 201);
      },
    },
    ...threadControlRoutes(state),
    {
      method: 'GET',
      pattern: '/channels/:id',
      handler: ({ params }) => {
        const channel = state.channels.get(params.id ?? '');
        return channel ? ok(channel) : notFound('channel');
      },
    },
    {
      // An admin edits a channel's permissions by hand (CHANNEL_UPDATE), e.g. denying the bot's role.
      method: 'PUT',
      pattern: '/channels/:id/overwrites/:target',
      handler: ({ params, body }) => {
        const channel = state.channels.get(params.id ?? '');
        if (!channel) return notFound('channel');
        if (body.type !== 0 && body.type !== 1) throw new ControlInputError('type must be 0 (role) or 1 (member)');
        const overwrite = { id: params.target ?? '', type: body.type, allow: String(body.allow ?? '0'), deny: String(body.deny ?? '0') } as const;
        channel.permission_overwrites = [...channel.permission_overwrites.filter((o) => o.id !== overwrite.id), overwrite];
        state.dispatch(channel.guild_id, 'CHANNEL_UPDATE', channel);
        return ok(channel);
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:id/messages',
      handler: ({ params }) => {
        const list = state.messages.get(params.id ?? '');
        return list ? ok(list) : notFound('channel');
      },
    },
    {
      method: 'POST',
      pattern: '/channels/:id/delete',
      handler: ({ params }) => {
        const channel: Channel | undefined = state.channels.get(params.id ?? '');
        if (!channel) return notFound('channel');
        state.deleteChannel(channel);
        return ok({ ok: true });
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:id/webhooks',
      handler: ({ params }) => (state.channels.has(params.id ?? '') ? ok(state.webhooksOf(params.id ?? '')) : notFound('channel')),
    },
    {
      // As a server admin would in the channel's settings: the webhook is gone (WEBHOOKS_UPDATE).
      method: 'POST',
      pattern: '/webhooks/:id/delete',
      handler: ({ params }) => {
        const webhook = state.webhooks.get(params.id ?? '');
        if (!webhook) return notFound('webhook');
        state.webhooks.delete(webhook.id);
        state.dispatch(webhook.guild_id, 'WEBHOOKS_UPDATE', { guild_id: webhook.guild_id, channel_id: webhook.channel_id });
        return ok({ ok: true });
      },
    },
    {
      method: 'GET',
      pattern: '/requests',
      handler: ({ query }) => {
        const since = query.get('since');
        return ok(
          deps.log.query({
            ...(since !== null ? { since: Number(since) } : {}),
            ...(query.get('method') ? { method: query.get('method') ?? '' } : {}),
            ...(query.get('path') ? { path: query.get('path') ?? '' } : {}),
            ...(query.get('auth') ? { auth: query.get('auth') ?? '' } : {}),
          }),
        );
      },
    },
    { method: 'GET', pattern: '/stats', handler: () => ok({ ...deps.log.stats, faultHits: deps.faults.hits, sessions: deps.gateway.describe().length }) },
    { method: 'GET', pattern: '/invalid-requests', handler: () => ok(deps.invalid.snapshot()) },
    {
      method: 'PUT',
      pattern: '/invalid-requests',
      handler: ({ body }) => {
        const patch: { limit?: number; windowMs?: number } = {};
        for (const key of ['limit', 'windowMs'] as const) {
          if (body[key] === undefined) continue;
          if (typeof body[key] !== 'number') throw new ControlInputError(`${key} must be a number`);
          patch[key] = body[key];
        }
        return ok(deps.invalid.update(patch));
      },
    },
    { method: 'GET', pattern: '/rate-limits', handler: () => ok(deps.limiter.settings) },
    {
      method: 'PUT',
      pattern: '/rate-limits',
      handler: ({ body }) => {
        const patch: Partial<RateLimitSettings> = {};
        if (typeof body.enabled === 'boolean') patch.enabled = body.enabled;
        if (typeof body.globalPerSecond === 'number') patch.globalPerSecond = body.globalPerSecond;
        if (typeof body.scale === 'number') patch.scale = body.scale;
        if (body.routes && typeof body.routes === 'object') patch.routes = body.routes as RateLimitSettings['routes'];
        if (body.default && typeof body.default === 'object') patch.default = body.default as RateLimitSettings['default'];
        if (body.renames && typeof body.renames === 'object') patch.renames = body.renames as RateLimitSettings['renames'];
        return ok(deps.limiter.update(patch));
      },
    },
    {
      method: 'POST',
      pattern: '/faults',
      handler: ({ body }) => {
        try {
          const fault = deps.faults.add(body as unknown as FaultSpec);
          return ok({ id: fault.id }, 201);
        } catch (error) {
          if (error instanceof FaultError) throw new ControlInputError(error.message);
          throw error;
        }
      },
    },
    {
      method: 'GET',
      pattern: '/faults',
      handler: () => ok(deps.faults.list().map((f) => ({ ...f, path: f.path.source, remaining: Number.isFinite(f.remaining) ? f.remaining : null }))),
    },
    {
      method: 'DELETE',
      pattern: '/faults',
      handler: () => {
        deps.faults.clear();
        return ok({ ok: true });
      },
    },
    {
      method: 'DELETE',
      pattern: '/faults/:id',
      handler: ({ params }) => (deps.faults.remove(params.id ?? '') ? ok({ ok: true }) : notFound('fault')),
    },
    {
      method: 'GET',
      pattern: '/gateway',
      handler: () =>
        ok({
          sessions: deps.gateway.describe(),
          sessionStartLimit: deps.gateway.sessionStartLimit(),
          identifyWindowMs: deps.gateway.identifyLimits.windowMs,
          identifyRefusals: deps.gateway.identifyRefusals,
        }),
    },
    {
      method: 'PUT',
      pattern: '/gateway/limits',
      handler: ({ body }) => {
        const patch: Record<string, number> = {};
        for (const key of ['maxConcurrency', 'windowMs', 'total', 'remaining'] as const) {
          if (body[key] === undefined) continue;
          if (typeof body[key] !== 'number') throw new ControlInputError(`${key} must be a number`);
          patch[key] = body[key];
        }
        return ok(deps.gateway.setIdentifyLimits(patch));
      },
    },
    {
      method: 'POST',
      pattern: '/gateway/disconnect',
      handler: ({ body }) => {
        const affected = deps.gateway.disconnect({
          ...(typeof body.shard === 'number' ? { shard: body.shard } : {}),
          ...(typeof body.code === 'number' ? { code: body.code } : {}),
          ...(body.op === 7 || body.op === 9 ? { op: body.op } : {}),
          ...(typeof body.resumable === 'boolean' ? { resumable: body.resumable } : {}),
        });
        return ok({ affected });
      },
    },
    {
      method: 'POST',
      pattern: '/gateway/heartbeat',
      handler: () => {
        deps.gateway.requestHeartbeat();
        return ok({ ok: true });
      },
    },
    {
      method: 'GET',
      pattern: '/commands',
      handler: () =>
        ok({
          global: [...state.globalCommands.values()],
          guilds: Object.fromEntries([...state.guildCommands].map(([guildId, commands]) => [guildId, [...commands.values()]])),
        }),
    },
    ...roleControlRoutes(state),
  ];
  return routes;
}

export { InteractInputError };
