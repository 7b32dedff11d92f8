import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { ApplicationFlags, asSeenByApp } from './messages.js';
import type { EmulatorState, Message } from './state.js';

export interface GatewayOptions {
  state: EmulatorState;
  botToken: string;
  heartbeatIntervalMs: number;
  /** ws://host:port/gateway, also sent as resume_gateway_url; `host` is the Host header the client used. */
  url: (host: string | undefined) => string;
  /** Events kept per session for RESUME. */
  replayBufferSize?: number;
  /** Identify limits (Discord: max_concurrency 1, one identify per bucket per 5 s, 1000 session starts a day). */
  identify?: Partial<IdentifyLimits>;
}

export interface IdentifyLimits {
  /** session_start_limit.max_concurrency: identify buckets are `shard_id % max_concurrency`. */
  maxConcurrency: number;
  /** One identify per bucket per window (Discord: 5 s). */
  windowMs: number;
  /** session_start_limit.total per `resetAfterMs` (Discord: 1000 a day). */
  total: number;
  resetAfterMs: number;
}

export interface SessionStartLimit {
  total: number;
  remaining: number;
  reset_after: number;
  max_concurrency: number;
}

export const DefaultIdentifyLimits: IdentifyLimits = { maxConcurrency: 1, windowMs: 5_000, total: 1000, resetAfterMs: 86_400_000 };

interface Dispatch {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

export interface GatewaySession {
  id: string;
  shardId: number;
  shardCount: number;
  intents: number;
  seq: number;
  buffer: Dispatch[];
  socket: WebSocket | null;
  invalid: boolean;
  createdAt: number;
}

export interface DisconnectOptions {
  shard?: number;
  code?: number;
  op?: 7 | 9;
  resumable?: boolean;
}

const Intents = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildWebhooks: 1 << 5,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
} as const;

/** Privileged intents and the application flags (approved or limited) that allow them; without one → close 4014. */
const PRIVILEGED: readonly [intent: number, flags: number][] = [
  [Intents.GuildMembers, ApplicationFlags.GatewayGuildMembers | ApplicationFlags.GatewayGuildMembersLimited],
  [Intents.GuildPresences, ApplicationFlags.GatewayPresence | ApplicationFlags.GatewayPresenceLimited],
  [Intents.MessageContent, ApplicationFlags.GatewayMessageContent | ApplicationFlags.GatewayMessageContentLimited],
];

export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** The intent an event needs (Discord's list of intents and their events); null: sent regardless (READY, INTERACTION_CREATE). */
export function intentFor(event: string, inGuild: boolean): number | null {
  if (event.startsWith('GUILD_MEMBER')) return Intents.GuildMembers;
  if (event === 'WEBHOOKS_UPDATE') return Intents.GuildWebhooks;
  if (event.startsWith('GUILD_') || event.startsWith('CHANNEL_') || event.startsWith('THREAD_')) return Intents.Guilds;
  if (event.startsWith('MESSAGE_')) return inGuild ? Intents.GuildMessages : Intents.DirectMessages;
  return null;
}

/**
 * THREAD_MEMBERS_UPDATE: with the Guilds intent only when the bot itself was added or
 * removed; for anyone else it needs Guild Members (docs: gateway "Gateway Intents").
 */
export function threadMembersIntent(data: unknown, botUserId: string): number {
  const d = data as { added_members?: { user_id?: string }[]; removed_member_ids?: string[] };
  const aboutBot = (d.added_members ?? []).some((m) => m.user_id === botUserId) || (d.removed_member_ids ?? []).includes(botUserId);
  return aboutBot ? Intents.Guilds : Intents.GuildMembers;
}

/** Discord's gateway (v10, JSON, no compression): HELLO, IDENTIFY → READY, heartbeats, RESUME, dispatch. */
export class GatewayServer {
  readonly sessions = new Map<string, GatewaySession>();
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #options: GatewayOptions;
  readonly #onDispatch: (guildId: string | null, event: string, data: unknown) => void;
  #closed = false;
  #limits: IdentifyLimits;
  /** Accepted identifies per rate-limit key (`shard_id % max_concurrency`): time of the last one. */
  readonly #lastIdentify = new Map<number, number>();
  #starts = { used: 0, windowStart: Date.now() };
  /** Identifies refused with op 9 because their bucket had identified within the window. */
  identifyRefusals = 0;

  constructor(options: GatewayOptions) {
    this.#options = options;
    this.#limits = { ...DefaultIdentifyLimits, ...options.identify };
    this.#onDispatch = (guildId, event, data) => this.dispatchGuildEvent(guildId, event, data);
    options.state.on('dispatch', this.#onDispatch);
    this.#wss.on('connection', (ws: WebSocket, req: IncomingMessage) => this.#onConnection(ws, req.headers.host));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#wss.emit('connection', ws, req));
  }

  /** Routes a guild event to the sessions of the guild's shard: (guild_id >> 22) % shard_count. */
  dispatchGuildEvent(guildId: string | null, event: string, data: unknown): void {
    const required = event === 'THREAD_MEMBERS_UPDATE' ? threadMembersIntent(data, this.#options.state.botUser.id) : intentFor(event, guildId !== null);
    const hasContent = event === 'MESSAGE_CREATE' || event === 'MESSAGE_UPDATE';
    let redacted: unknown;
    for (const session of this.sessions.values()) {
      if (session.invalid) continue;
      if (guildId !== null && shardOf(guildId, session.shardCount) !== session.shardId) continue;
      if (guildId === null && session.shardId !== 0) continue;
      if (required !== null && (session.intents & required) === 0) continue;
      if (hasContent && (session.intents & Intents.MessageContent) === 0) {
        // Without the MESSAGE_CONTENT intent: empty content, embeds, attachments, components (own, mentioning and DM messages excepted).
        redacted ??= asSeenByApp(data as Message, this.#options.state.botUser.id, false, guildId !== null);
        this.#send(session, event, redacted);
        continue;
      }
      this.#send(session, event, data);
    }
  }

  disconnect(options: DisconnectOptions = {}): number {
    let affected = 0;
    for (const session of this.sessions.values()) {
      if (!session.socket || session.socket.readyState !== WebSocket.OPEN) continue;
      if (options.shard !== undefined && session.shardId !== options.shard) continue;
      affected += 1;
      const socket = session.socket;
      if (options.op === 7) {
        socket.send(JSON.stringify({ op: 7, d: null }));
      } else if (options.op === 9) {
        const resumable = options.resumable ?? false;
        if (!resumable) session.invalid = true;
        socket.send(JSON.stringify({ op: 9, d: resumable }));
      } else {
        if (options.resumable === false) session.invalid = true;
        session.socket = null;
        socket.close(options.code ?? 4000, 'Disconnected by the emulator');
      }
    }
    return affected;
  }

  get identifyLimits(): IdentifyLimits {
    return { ...this.#limits };
  }

  /** Changes the identify limits; a new max_concurrency forgets the old buckets' history. */
  setIdentifyLimits(patch: Partial<IdentifyLimits> & { remaining?: number }): SessionStartLimit {
    const { remaining, ...limits } = patch;
    for (const [key, value] of Object.entries(limits)) {
      if (!Number.isInteger(value) || (value as number) < (key === 'windowMs' ? 0 : 1)) throw new RangeError(`${key} must be a positive integer`);
    }
    if (limits.maxConcurrency !== undefined && limits.maxConcurrency !== this.#limits.maxConcurrency) this.#lastIdentify.clear();
    this.#limits = { ...this.#limits, ...limits };
    if (remaining !== undefined) {
      if (!Number.isInteger(remaining) || remaining < 0 || remaining > this.#limits.total)
        throw new RangeError('remaining must be an integer between 0 and total');
      this.#starts.used = this.#limits.total - remaining;
    }
    return this.sessionStartLimit();
  }

  /** What GET /gateway/bot reports: remaining decreases with every session started. */
  sessionStartLimit(now = Date.now()): SessionStartLimit {
    this.#rollStarts(now);
    return {
      total: this.#limits.total,
      remaining: Math.max(0, this.#limits.total - this.#starts.used),
      reset_after: Math.max(0, this.#starts.windowStart + this.#limits.resetAfterMs - now),
      max_concurrency: this.#limits.maxConcurrency,
    };
  }

  #rollStarts(now: number): void {
    if (now - this.#starts.windowStart >= this.#limits.resetAfterMs) this.#starts = { used: 0, windowStart: now };
  }

  /** Sends op 1: Discord may ask for a heartbeat at any time. */
  requestHeartbeat(): void {
    for (const session of this.sessions.values()) session.socket?.send(JSON.stringify({ op: 1, d: null }));
  }

  describe(): { id: string; shard: [number, number]; intents: number; connected: boolean; seq: number; invalid: boolean }[] {
    return [...this.sessions.values()].map((s) => ({
      id: s.id,
      shard: [s.shardId, s.shardCount],
      intents: s.intents,
      connected: s.socket !== null && s.socket.readyState === WebSocket.OPEN,
      seq: s.seq,
      invalid: s.invalid,
    }));
  }

  reset(): void {
    for (const session of this.sessions.values()) session.socket?.close(4000, 'Emulator reset');
    this.sessions.clear();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#options.state.off('dispatch', this.#onDispatch);
    for (const client of this.#wss.clients) client.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #send(session: GatewaySession, t: string, d: unknown): void {
    session.seq += 1;
    const payload: Dispatch = { op: 0, t, s: session.seq, d };
    session.buffer.push(payload);
    const max = this.#options.replayBufferSize ?? 20_000;
    if (session.buffer.length > max) session.buffer.splice(0, session.buffer.length - max);
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(payload));
  }

  #onConnection(ws: WebSocket, host: string | undefined): void {
    let session: GatewaySession | null = null;
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.#options.heartbeatIntervalMs, _trace: ['["promton-emulator",{}]'] } }));
    ws.on('message', (raw) => {
      let payload: { op?: unknown; d?: unknown };
      try {
        payload = JSON.parse(String(raw)) as { op?: unknown; d?: unknown };
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      const d = (payload.d ?? {}) as Record<string, unknown>;
      switch (payload.op) {
        case 1:
          ws.send(JSON.stringify({ op: 11 }));
          return;
        case 2:
          if (session) {
            ws.close(4005, 'Already authenticated.');
            return;
          }
          session = this.#identify(ws, d, host);
          return;
        case 6:
          session = this.#resume(ws, d, session);
          return;
        case 3:
        case 4:
        case 8:
          if (!session) ws.close(4003, 'Not authenticated.');
          return;
        default:
          ws.close(4001, 'Unknown opcode.');
      }
    });
    ws.on('close', () => {
      if (session && session.socket === ws) session.socket = null;
    });
    ws.on('error', () => undefined);
  }

  #tokenOk(token: unknown): boolean {
    return typeof token === 'string' && token.replace(/^Bot\s+/i, '') === this.#options.botToken;
  }

  #identify(ws: WebSocket, d: Record<string, unknown>, host: string | undefined): GatewaySession | null {
    const { state } = this.#options;
    if (!this.#tokenOk(d.token)) {
      ws.close(4004, 'Authentication failed.');
      return null;
    }
    const shard = Array.isArray(d.shard) ? d.shard : [0, 1];
    const shardId = Number(shard[0]);
    const shardCount = Number(shard[1]);
    if (!Number.isInteger(shardId) || !Number.isInteger(shardCount) || shardCount < 1 || shardId < 0 || shardId >= shardCount) {
      ws.close(4010, 'Invalid shard.');
      return null;
    }
    if (typeof d.intents !== 'number' || !Number.isInteger(d.intents) || d.intents < 0) {
      ws.close(4013, 'Invalid intent(s).');
      return null;
    }
    const intents = d.intents;
    if (PRIVILEGED.some(([intent, flags]) => (intents & intent) !== 0 && (state.applicationFlags & flags) === 0)) {
      ws.close(4014, 'Disallowed intent(s).');
      return null;
    }
    const guilds = [...state.guilds.values()].filter((g) => shardOf(g.id, shardCount) === shardId);
    if (guilds.length > 2500) {
      ws.close(4011, 'Sharding required.');
      return null;
    }
    const now = Date.now();
    this.#rollStarts(now);
    if (this.#starts.used >= this.#limits.total) {
      // Discord: all sessions terminated, token reset. The token here stays, but no session starts until the reset.
      for (const s of this.sessions.values()) {
        s.invalid = true;
        s.socket?.close(4004, 'Authentication failed.');
        s.socket = null;
      }
      ws.close(4004, 'Authentication failed.');
      return null;
    }
    const bucket = shardId % this.#limits.maxConcurrency;
    const last = this.#lastIdentify.get(bucket);
    if (last !== undefined && now - last < this.#limits.windowMs) {
      // Over max_concurrency: "Discord will respond with an Invalid Session (opcode 9)".
      this.identifyRefusals += 1;
      ws.send(JSON.stringify({ op: 9, d: false }));
      return null;
    }
    this.#lastIdentify.set(bucket, now);
    this.#starts.used += 1;
    for (const [id, old] of this.sessions) {
      if (old.shardId === shardId && old.shardCount === shardCount && !old.socket) this.sessions.delete(id);
    }
    const session: GatewaySession = {
      id: randomBytes(16).toString('hex'),
      shardId,
      shardCount,
      intents: d.intents,
      seq: 0,
      buffer: [],
      socket: ws,
      invalid: false,
      createdAt: Date.now(),
    };
    this.sessions.set(session.id, session);
    this.#send(session, 'READY', {
      v: 10,
      user: { ...state.botUser, verified: true, mfa_enabled: false, flags: 0 },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.#options.url(host),
      shard: [shardId, shardCount],
      application: { id: state.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      _trace: ['["promton-emulator",{}]'],
    });
    if ((session.intents & Intents.Guilds) !== 0) {
      for (const guild of guilds) {
        this.#send(session, 'GUILD_CREATE', guild.unavailable ? { id: guild.id, unavailable: true } : state.guildCreatePayload(guild));
      }
    }
    return session;
  }

  #resume(ws: WebSocket, d: Record<string, unknown>, current: GatewaySession | null): GatewaySession | null {
    if (!this.#tokenOk(d.token)) {
      ws.close(4004, 'Authentication failed.');
      return null;
    }
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    const oldest = session?.buffer[0]?.s ?? (session ? session.seq + 1 : 0);
    if (!session || session.invalid || seq > session.seq || seq < oldest - 1) {
      ws.send(JSON.stringify({ op: 9, d: false }));
      return current;
    }
    if (session.socket && session.socket !== ws && session.socket.readyState === WebSocket.OPEN) session.socket.close(4000, 'Session resumed elsewhere');
    session.socket = ws;
    for (const event of session.buffer) if (event.s > seq) ws.send(JSON.stringify(event));
    this.#send(session, 'RESUMED', null);
    return session;
  }
}
