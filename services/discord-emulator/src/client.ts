import { EMULATOR_BOT_TOKEN } from './config.js';
import type { InteractionState, SeededGuild, SeedGuildInput } from './control-api.js';
import type { FaultSpec } from './faults.js';
import type { DisconnectOptions, GatewayServer, IdentifyLimits, SessionStartLimit } from './gateway.js';
import type { InteractInput } from './interactions.js';
import type { InvalidRequestSnapshot } from './invalid-requests.js';
import type { RateLimitSettings, RouteLimit } from './rate-limits.js';
import type { RequestLogEntry, RequestStats } from './request-log.js';
import type { Attachment, Channel, Message, Overwrite, RegisteredCommand, Role } from './state.js';

/**
 * A typed client for the emulator's control API (`/_emulator/...`), for end-to-end tests
 * and the demo. `baseUrl` is the emulator's root, e.g. `http://127.0.0.1:8787` (not the
 * `/api` URL). Its types are the emulator's own: what the control API reads and answers.
 */

export type { SeedChannelInput, SeedGuildInput, SeedMemberInput, SeedOverwriteInput, SeedRoleInput } from './control-api.js';
export type { InteractInput, InteractionState, InvalidRequestSnapshot, Overwrite, RequestLogEntry, RouteLimit, SeededGuild };

/** A guild channel as the emulator holds it (and Discord answers it). */
export type ChannelObject = Channel;
export type AttachmentObject = Attachment;
/** A message as the emulator holds it (and Discord answers it). */
export type MessageObject = Message;

/** GET /_emulator/guilds/:id: the summary, the channels and roles as Discord answers them, and the GUILD_CREATE payload. */
export interface GuildState extends Omit<SeededGuild, 'channels' | 'roles'> {
  channels: Channel[];
  roles: Role[];
  guild: Record<string, unknown>;
}

/** What GET /_emulator/stats answers: the request log's counts plus faults and gateway sessions. */
export interface EmulatorStats extends RequestStats {
  faultHits: number;
  sessions: number;
}

export type RateLimitPatch = Partial<RateLimitSettings>;
export type FaultInput = FaultSpec;
export type DisconnectInput = DisconnectOptions;
export type GatewaySessionInfo = ReturnType<GatewayServer['describe']>[number];
export type SessionStartLimitInfo = SessionStartLimit;
export type IdentifyLimitsInput = Partial<Omit<IdentifyLimits, 'resetAfterMs'>> & { remaining?: number };

export interface GatewayStateInfo {
  sessions: GatewaySessionInfo[];
  sessionStartLimit: SessionStartLimit;
  identifyWindowMs: number;
  /** Identifies answered with op 9 because their bucket (`shard_id % max_concurrency`) identified within the window. */
  identifyRefusals: number;
}

export interface RegisteredCommands {
  global: RegisteredCommand[];
  guilds: Record<string, RegisteredCommand[]>;
}

export class EmulatorError extends Error {
  override name = 'EmulatorError';
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
  }
}

export class EmulatorClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '').replace(/\/api$/, '');
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/_emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const error = (parsed as { error?: string } | undefined)?.error ?? text;
      throw new EmulatorError(res.status, parsed, `emulator ${method} ${path}: ${res.status} ${error}`);
    }
    return parsed as T;
  }

  health(): Promise<{ ok: boolean }> {
    return this.#call('GET', '/health');
  }

  /** Clears guilds, channels, messages, interactions, faults, buckets and the request log. Registered global commands and gateway sessions survive unless `commands: true`. */
  reset(options: { commands?: boolean } = {}): Promise<{ ok: boolean }> {
    return this.#call('POST', '/reset', options);
  }

  seedGuild(input: SeedGuildInput): Promise<SeededGuild> {
    return this.#call('POST', '/guilds', input);
  }

  seedGuilds(input: {
    count: number;
    channels?: number;
    roles?: number;
    members?: number;
    memberCount?: number;
  }): Promise<{ ids: string[]; first: string; last: string; count: number }> {
    return this.#call('POST', '/guilds/bulk', input);
  }

  /** GUILD_DELETE: `unavailable: true` for an outage (guild kept), else the bot was removed. */
  removeGuild(guildId: string, options: { unavailable?: boolean } = {}): Promise<{ ok: boolean }> {
    return this.#call('DELETE', `/guilds/${guildId}`, options);
  }

  /** Someone deletes one of the guild's custom emoji (GUILD_EMOJIS_UPDATE). */
  deleteEmoji(guildId: string, emojiId: string): Promise<{ ok: boolean }> {
    return this.#call('DELETE', `/guilds/${guildId}/emojis/${emojiId}`);
  }

  /** Ends an outage: the guild becomes available again (GUILD_CREATE). */
  restoreGuild(guildId: string): Promise<{ ok: boolean }> {
    return this.#call('POST', `/guilds/${guildId}/available`);
  }

  addMember(guildId: string, input: { id?: string; username?: string; roles?: string[] }): Promise<{ id: string; username: string; roles: string[] }> {
    return this.#call('POST', `/guilds/${guildId}/members`, input);
  }

  addRole(guildId: string, input: { id?: string; name: string; permissions?: string }): Promise<{ id: string; name: string; permissions: string }> {
    return this.#call('POST', `/guilds/${guildId}/roles`, input);
  }

  /** An admin changes a role's permissions (GUILD_ROLE_UPDATE), e.g. the bot's role losing one. */
  setRolePermissions(guildId: string, roleId: string, permissions: bigint | string): Promise<{ id: string; permissions: string }> {
    return this.#call('PATCH', `/guilds/${guildId}/roles/${roleId}`, { permissions: String(permissions) });
  }

  guild(guildId: string): Promise<GuildState> {
    return this.#call('GET', `/guilds/${guildId}`);
  }

  /** The channel, or null when it does not exist (404). */
  async channel(channelId: string): Promise<ChannelObject | null> {
    try {
      return await this.#call<ChannelObject>('GET', `/channels/${channelId}`);
    } catch (error) {
      if (error instanceof EmulatorError && error.status === 404) return null;
      throw error;
    }
  }

  /** What a person may do in a channel or thread: their permission bits and whether they see it. */
  permissions(channelId: string, userId: string): Promise<{ permissions: string; view: boolean }> {
    return this.#call('GET', `/channels/${channelId}/permissions/${userId}`);
  }

  /** The user ids that are members of a thread. */
  threadMembers(threadId: string): Promise<string[]> {
    return this.#call('GET', `/channels/${threadId}/thread-members`);
  }

  /** All messages of a channel, oldest first. */
  /** An admin sets one permission overwrite of a channel by hand (CHANNEL_UPDATE). */
  setOverwrite(channelId: string, target: string, overwrite: { type: 0 | 1; allow?: string; deny?: string }): Promise<ChannelObject> {
    return this.#call('PUT', `/channels/${channelId}/overwrites/${target}`, overwrite);
  }

  messages(channelId: string): Promise<MessageObject[]> {
    return this.#call('GET', `/channels/${channelId}/messages`);
  }

  /** A user's "Allow direct messages from server members" setting; off makes the bot's DMs fail with 50007. */
  setAcceptsDms(userId: string, accept: boolean): Promise<{ id: string; acceptsDms: boolean }> {
    return this.#call('POST', `/users/${userId}/dms`, { accept });
  }

  /** The bot's DM channel with a user and its messages, oldest first; null when the bot never opened one. */
  async dm(userId: string): Promise<{ id: string; type: 1; recipients: { id: string }[]; messages: MessageObject[] } | null> {
    try {
      return await this.#call('GET', `/users/${userId}/dm`);
    } catch (error) {
      if (error instanceof EmulatorError && error.status === 404) return null;
      throw error;
    }
  }

  /** Deletes a channel as a human admin would (CHANNEL_DELETE is dispatched). */
  deleteChannel(channelId: string): Promise<{ ok: boolean }> {
    return this.#call('POST', `/channels/${channelId}/delete`);
  }

  /** The channel's webhooks, tokens included (the emulator's own view). */
  webhooks(channelId: string): Promise<{ id: string; name: string; channel_id: string; application_id: string | null; token: string }[]> {
    return this.#call('GET', `/channels/${channelId}/webhooks`);
  }

  /** Deletes a webhook as a server admin would (WEBHOOKS_UPDATE). */
  deleteWebhook(webhookId: string): Promise<{ ok: boolean }> {
    return this.#call('POST', `/webhooks/${webhookId}/delete`);
  }

  /** A member's command, click, selection or modal submit: dispatches INTERACTION_CREATE. */
  interact(input: InteractInput): Promise<{ id: string; token: string; payload: Record<string, unknown> }> {
    return this.#call('POST', '/interactions', input);
  }

  /** Dispatches the same INTERACTION_CREATE again (a duplicate delivery). */
  redeliver(id: string): Promise<{ id: string }> {
    return this.#call('POST', `/interactions/${id}/redeliver`);
  }

  interaction(id: string): Promise<InteractionState> {
    return this.#call('GET', `/interactions/${id}`);
  }

  /** Resolves when the bot's initial response arrived; throws EmulatorError(408) on timeout. */
  waitForResponse(id: string, timeoutMs = 10_000): Promise<InteractionState> {
    return this.#call('GET', `/interactions/${id}/wait?for=response&timeout=${timeoutMs}`);
  }

  /** Resolves when @original has real content (a type 4/7 answer, or a PATCH after a deferral). */
  waitForOriginal(id: string, timeoutMs = 10_000): Promise<InteractionState> {
    return this.#call('GET', `/interactions/${id}/wait?for=original&timeout=${timeoutMs}`);
  }

  /** Resolves when at least one followup message was sent. */
  waitForFollowup(id: string, timeoutMs = 10_000): Promise<InteractionState> {
    return this.#call('GET', `/interactions/${id}/wait?for=followup&timeout=${timeoutMs}`);
  }

  /** A member sends a message (MESSAGE_CREATE is dispatched). */
  sendMessage(input: {
    channelId: string;
    userId: string;
    content: string;
    attachments?: { filename: string; content?: string; contentBase64?: string }[];
  }): Promise<MessageObject> {
    return this.#call('POST', '/messages', input);
  }

  /** The REST requests recorded; `auth: 'bot'` only those that carried the bot's token. */
  requests(filter: { since?: number; method?: string; path?: string; auth?: 'bot' | 'none' } = {}): Promise<RequestLogEntry[]> {
    const query = new URLSearchParams();
    if (filter.since !== undefined) query.set('since', String(filter.since));
    if (filter.method) query.set('method', filter.method);
    if (filter.path) query.set('path', filter.path);
    if (filter.auth) query.set('auth', filter.auth);
    const qs = query.toString();
    return this.#call('GET', `/requests${qs ? `?${qs}` : ''}`);
  }

  stats(): Promise<EmulatorStats> {
    return this.#call('GET', '/stats');
  }

  setRateLimits(patch: RateLimitPatch): Promise<RateLimitSettings> {
    return this.#call('PUT', '/rate-limits', patch);
  }

  addFault(input: FaultInput): Promise<{ id: string }> {
    return this.#call('POST', '/faults', input);
  }

  removeFault(id: string): Promise<{ ok: boolean }> {
    return this.#call('DELETE', `/faults/${id}`);
  }

  clearFaults(): Promise<{ ok: boolean }> {
    return this.#call('DELETE', '/faults');
  }

  disconnect(input: DisconnectInput = {}): Promise<{ affected: number }> {
    return this.#call('POST', '/gateway/disconnect', input);
  }

  gatewaySessions(): Promise<GatewayStateInfo> {
    return this.#call('GET', '/gateway');
  }

  /** The application's flags as GET /applications/@me reports them (privileged intents: 1 << 12..19). */
  application(): Promise<{ id: string; flags: number }> {
    return this.#call('GET', '/application');
  }

  /** Sets the application's flags, as the developer portal does (Message Content: 1 << 18, or 1 << 19 under 100 servers). */
  setApplicationFlags(flags: number): Promise<{ id: string; flags: number }> {
    return this.#call('PUT', '/application', { flags });
  }

  /** A guild's Server Boost level (0–3), which sets its upload limit; `limitBytes` replaces the tier's figure (to see a bot's 40005 path). */
  setPremiumTier(guildId: string, tier: number, limitBytes?: number): Promise<{ id: string; premium_tier: number; attachment_size_limit: number }> {
    return this.#call('PUT', `/guilds/${guildId}/premium-tier`, limitBytes === undefined ? { tier } : { tier, limitBytes });
  }

  /** How long new signed attachment URLs are served (0: expired at once) until the next reset. */
  setAttachmentUrlTtl(ttlMs: number): Promise<{ ttlMs: number }> {
    return this.#call('PUT', '/attachments/settings', { ttlMs });
  }

  /** A member writes `count` messages at once (`{i}` in `content` becomes 1…count), without a MESSAGE_CREATE each. */
  bulkMessages(channelId: string, input: { userId: string; count: number; content: string }): Promise<{ count: number; lastId: string }> {
    return this.#call('POST', `/channels/${channelId}/messages/bulk`, input);
  }

  /** Discord's invalid-request count (401, 403, 429, repeated 404) in the current 10-minute window, and whether the ban is on. */
  invalidRequests(): Promise<InvalidRequestSnapshot> {
    return this.#call('GET', '/invalid-requests');
  }

  setInvalidRequestLimit(input: { limit?: number; windowMs?: number }): Promise<InvalidRequestSnapshot> {
    return this.#call('PUT', '/invalid-requests', input);
  }

  /** Sets max_concurrency, the identify window, the session-start total or what remains of it. */
  setIdentifyLimits(input: IdentifyLimitsInput): Promise<SessionStartLimitInfo> {
    return this.#call('PUT', '/gateway/limits', input);
  }

  /** Polls until `count` gateway sessions are connected (the bot's gateway is up). */
  async waitForGateway(count = 1, timeoutMs = 15_000): Promise<GatewaySessionInfo[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { sessions } = await this.gatewaySessions();
      const connected = sessions.filter((s) => s.connected && !s.invalid);
      if (connected.length >= count) return connected;
      if (Date.now() > deadline) throw new EmulatorError(408, sessions, `timed out waiting for ${count} gateway session(s)`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Sets (or with null clears) the application's Interactions Endpoint URL the way an
   * operator would, through Discord's API as the bot; Discord checks the endpoint first.
   */
  async setInteractionsEndpoint(url: string | null, botToken = EMULATOR_BOT_TOKEN): Promise<{ verify_key: string; interactions_endpoint_url: string | null }> {
    const res = await fetch(`${this.baseUrl}/api/v10/applications/@me`, {
      method: 'PATCH',
      headers: { authorization: `Bot ${botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ interactions_endpoint_url: url }),
    });
    const body = (await res.json()) as { verify_key: string; interactions_endpoint_url: string | null };
    if (!res.ok) throw new EmulatorError(res.status, body, `PATCH /applications/@me: ${res.status} ${JSON.stringify(body)}`);
    return body;
  }

  commands(): Promise<RegisteredCommands> {
    return this.#call('GET', '/commands');
  }
}
