import { PermissionFlagsBits } from '../permissions.js';
import { Errors, invalidFormBody } from '../errors.js';
import type { UploadedFile } from '../http-util.js';
import type { InteractionEndpoint } from '../interaction-endpoint.js';
import type { MessageInput } from '../messages.js';
import type { RateLimiter } from '../rate-limits.js';
import { MAX_CATEGORY_CHANNELS, type Channel, type EmulatorState, type Guild, type Message, type Overwrite } from '../state.js';

// What every REST resource file shares: the route shape, the emulator's parts a handler
// may use (RestDeps), and the checks Discord makes on many routes (RouteKit).

export interface RestContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
}

export interface RestResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RestRouteDef {
  method: string;
  pattern: string;
  /** Requires `Authorization: Bot <token>`; interaction callbacks and interaction webhooks do not. */
  auth: boolean;
  /** Not counted against the global limit (interaction endpoints); a function when it depends on the path (interaction vs incoming webhooks). */
  globalExempt?: boolean | ((params: Record<string, string>) => boolean);
  /**
   * Answers only when this holds, for a path two resources share (an interaction token's
   * webhook and an incoming webhook): the registry tries these first, then the route without one.
   */
  when?: (params: Record<string, string>) => boolean;
  handler: (ctx: RestContext) => RestResult | Promise<RestResult>;
}

export interface RestDeps {
  state: EmulatorState;
  limiter: RateLimiter;
  baseUrl: () => string;
  gatewayUrl: () => string;
  shardCount: () => number;
  sessionStartLimit: () => { total: number; remaining: number; reset_after: number; max_concurrency: number };
  /** How long after dispatch the initial response is accepted (Discord: 3 s). */
  interactionWindowMs: number;
  /** Interaction token lifetime (Discord: 15 min). */
  tokenLifetimeMs: number;
  /** The application's Interactions Endpoint URL and signing key. */
  interactionEndpoint: InteractionEndpoint;
}

/** A resource's routes (one file under routes/), built from the shared kit. */
export type RouteModule = (kit: RouteKit) => RestRouteDef[];

export const P = PermissionFlagsBits;
export const ok = (body: unknown, status = 200): RestResult => ({ status, body });
export const noContent = (): RestResult => ({ status: 204 });

export const asObject = (body: unknown): Record<string, unknown> =>
  body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

export type RouteKit = ReturnType<typeof routeKit>;

/** The lookups and permission checks several resources make, over one emulator's state. */
export function routeKit(deps: RestDeps) {
  const { state } = deps;

  const guildOf = (id: string): Guild => {
    const guild = state.guilds.get(id);
    if (!guild || guild.unavailable) throw Errors.unknownGuild();
    return guild;
  };
  const channelOf = (id: string): { channel: Channel; guild: Guild } => {
    const channel = state.channels.get(id);
    if (!channel) throw Errors.unknownChannel();
    const guild = state.guilds.get(channel.guild_id);
    if (!guild) throw Errors.unknownChannel();
    return { channel, guild };
  };
  /** The bot's permissions in a channel; 50001 when it cannot see the channel. */
  const visibleChannel = (id: string) => {
    const { channel, guild } = channelOf(id);
    const perms = state.botPermissions(guild, channel);
    if ((perms & P.ViewChannel) === 0n) throw Errors.missingAccess();
    return { channel, guild, perms };
  };
  const need = (perms: bigint, ...flags: bigint[]) => {
    for (const flag of flags) if ((perms & flag) !== flag && (perms & P.Administrator) === 0n) throw Errors.missingPermissions();
  };

  /** What overwrites the bot may set: only permissions it holds; Manage Roles only as an administrator. */
  const checkGrantable = (guild: Guild, overwrites: readonly Overwrite[], channel?: Channel) => {
    const base = state.botPermissions(guild);
    if ((base & P.Administrator) !== 0n) return;
    if (channel) {
      const member = guild.members.get(state.botUser.id);
      const botIds = new Set([state.botUser.id, ...(member?.roles ?? [])]);
      const explicit = channel.permission_overwrites.some((o) => botIds.has(o.id) && (BigInt(o.allow) & P.ManageRoles) !== 0n);
      if (explicit) return;
    }
    let held = base;
    const parent = channel?.parent_id ? state.channels.get(channel.parent_id) : undefined;
    if (parent) held |= state.botPermissions(guild, parent);
    for (const o of overwrites) {
      const requested = BigInt(o.allow) | BigInt(o.deny);
      if ((requested & ~held) !== 0n || (requested & P.ManageRoles) !== 0n) throw Errors.missingPermissions();
    }
  };

  const toOverwrites = (guild: Guild, list: unknown): Overwrite[] => {
    if (!Array.isArray(list)) return [];
    return list.map((raw) => {
      const o = asObject(raw);
      const id = String(o.id);
      const type = o.type === 1 || o.type === 0 ? o.type : guild.roles.has(id) ? 0 : 1;
      return { id, type, allow: String(BigInt(Math.trunc(Number(o.allow ?? 0)))), deny: String(BigInt(Math.trunc(Number(o.deny ?? 0)))) };
    });
  };

  const checkParent = (guild: Guild, parentId: unknown, movingChannelId?: string): string | null => {
    if (parentId === undefined || parentId === null) return null;
    const parent = state.channels.get(String(parentId));
    if (!parent || parent.guild_id !== guild.id || parent.type !== 4)
      throw invalidFormBody([{ path: ['parent_id'], code: 'CHANNEL_PARENT_INVALID', message: 'Category does not exist' }]);
    const current = movingChannelId ? state.channels.get(movingChannelId)?.parent_id : undefined;
    if (current !== parent.id && state.childrenOf(guild, parent.id) >= MAX_CATEGORY_CHANNELS)
      throw invalidFormBody([
        { path: ['parent_id'], code: 'CHANNEL_PARENT_MAX_CHANNELS', message: `Maximum number of channels in category reached (${MAX_CATEGORY_CHANNELS})` },
      ]);
    return parent.id;
  };

  const checkMessagePermissions = (perms: bigint, input: MessageInput, files: readonly UploadedFile[]) => {
    need(perms, P.SendMessages);
    if (Array.isArray(input.embeds) && input.embeds.length > 0) need(perms, P.EmbedLinks);
    if (files.length > 0) need(perms, P.AttachFiles);
  };

  const editInChannel = (message: Message) => {
    const channel = state.channels.get(message.channel_id);
    if (channel && state.findMessage(message.channel_id, message.id))
      state.dispatch(channel.guild_id, 'MESSAGE_UPDATE', { ...message, guild_id: channel.guild_id });
  };

  const deleteFromChannel = (message: Message) => {
    const list = state.messages.get(message.channel_id);
    if (!list) return;
    const index = list.findIndex((m) => m.id === message.id);
    if (index < 0) return;
    list.splice(index, 1);
    const channel = state.channels.get(message.channel_id);
    state.dispatch(channel?.guild_id ?? null, 'MESSAGE_DELETE', { id: message.id, channel_id: message.channel_id, guild_id: channel?.guild_id });
  };

  return {
    state,
    deps,
    guildOf,
    channelOf,
    visibleChannel,
    need,
    checkGrantable,
    toOverwrites,
    checkParent,
    checkMessagePermissions,
    editInChannel,
    deleteFromChannel,
  };
}
