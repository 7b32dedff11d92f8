import { createHash } from 'node:crypto';

export interface RouteLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitSettings {
  enabled: boolean;
  /** Requests per second per bot token (or, without one, per IP address), interaction routes excluded. */
  globalPerSecond: number;
  /** Per-route limits keyed by `METHOD /route/:template`; unknown routes use `default`. */
  routes: Record<string, RouteLimit>;
  default: RouteLimit;
  /** Channel renames per channel per window (Discord: 2 per 10 minutes). */
  renames: RouteLimit;
  /** Multiplies every limit count (e.g. 100 for benchmarks); windows stay as they are. */
  scale: number;
}

/**
 * Discord does not publish per-route numbers; these are the values its headers commonly
 * report, rounded. Override them with `PUT /_emulator/rate-limits`.
 */
export const DEFAULT_ROUTE_LIMITS: Record<string, RouteLimit> = {
  'POST /channels/:channel_id/messages': { limit: 5, windowMs: 5_000 },
  'PATCH /channels/:channel_id/messages/:message_id': { limit: 5, windowMs: 5_000 },
  'DELETE /channels/:channel_id/messages/:message_id': { limit: 5, windowMs: 1_000 },
  'GET /channels/:channel_id/messages': { limit: 5, windowMs: 1_000 },
  'GET /channels/:channel_id/messages/:message_id': { limit: 5, windowMs: 1_000 },
  'GET /channels/:channel_id': { limit: 5, windowMs: 1_000 },
  'PATCH /channels/:channel_id': { limit: 5, windowMs: 5_000 },
  'DELETE /channels/:channel_id': { limit: 5, windowMs: 5_000 },
  'PUT /channels/:channel_id/permissions/:overwrite_id': { limit: 10, windowMs: 10_000 },
  'DELETE /channels/:channel_id/permissions/:overwrite_id': { limit: 10, windowMs: 10_000 },
  'POST /guilds/:guild_id/channels': { limit: 10, windowMs: 10_000 },
  'GET /guilds/:guild_id/channels': { limit: 10, windowMs: 1_000 },
  'GET /guilds/:guild_id': { limit: 10, windowMs: 1_000 },
  'GET /guilds/:guild_id/roles': { limit: 10, windowMs: 1_000 },
  'GET /guilds/:guild_id/members/:user_id': { limit: 10, windowMs: 1_000 },
  'PUT /applications/:application_id/commands': { limit: 2, windowMs: 20_000 },
  'PUT /applications/:application_id/guilds/:guild_id/commands': { limit: 2, windowMs: 20_000 },
  'POST /interactions/:interaction_id/:token/callback': { limit: 1_000, windowMs: 1_000 },
  // Interaction followups and incoming webhook executions share this route; each webhook (id + token) is its own bucket.
  'POST /webhooks/:webhook_id/:webhook_token': { limit: 5, windowMs: 2_000 },
  'GET /webhooks/:webhook_id/:webhook_token/messages/:message_id': { limit: 5, windowMs: 2_000 },
  'PATCH /webhooks/:webhook_id/:webhook_token/messages/:message_id': { limit: 5, windowMs: 2_000 },
  'DELETE /webhooks/:webhook_id/:webhook_token/messages/:message_id': { limit: 5, windowMs: 2_000 },
  'POST /channels/:channel_id/webhooks': { limit: 15, windowMs: 60_000 },
};

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  enabled: true,
  globalPerSecond: 50,
  routes: DEFAULT_ROUTE_LIMITS,
  default: { limit: 50, windowMs: 1_000 },
  renames: { limit: 2, windowMs: 600_000 },
  scale: 1,
};

export interface BucketState {
  limit: number;
  remaining: number;
  resetAt: number;
  bucket: string;
}

export interface LimitVerdict {
  ok: boolean;
  headers: Record<string, string>;
  retryAfter?: number;
  global?: boolean;
  scope?: 'user' | 'global' | 'shared';
}

interface Window {
  count: number;
  resetAt: number;
}

const hashOf = (key: string): string => createHash('sha1').update(key).digest('hex').slice(0, 16);

function headersFor(state: BucketState, now: number): Record<string, string> {
  const resetAfter = Math.max(0, state.resetAt - now) / 1000;
  return {
    'X-RateLimit-Limit': String(state.limit),
    'X-RateLimit-Remaining': String(Math.max(0, state.remaining)),
    'X-RateLimit-Reset': (state.resetAt / 1000).toFixed(3),
    'X-RateLimit-Reset-After': resetAfter.toFixed(3),
    'X-RateLimit-Bucket': state.bucket,
  };
}

/** Fixed-window buckets per route + major parameter, and Discord's global per-token limit. */
export class RateLimiter {
  settings: RateLimitSettings;
  #buckets = new Map<string, Window>();
  #global = new Map<string, Window>();
  #renames = new Map<string, number[]>();

  constructor(settings: Partial<RateLimitSettings> = {}) {
    this.settings = { ...DEFAULT_RATE_LIMITS, ...settings, routes: { ...DEFAULT_ROUTE_LIMITS, ...settings.routes } };
  }

  update(patch: Partial<RateLimitSettings>): RateLimitSettings {
    this.settings = {
      ...this.settings,
      ...patch,
      routes: { ...this.settings.routes, ...patch.routes },
    };
    this.reset();
    return this.settings;
  }

  reset(): void {
    this.#buckets.clear();
    this.#global.clear();
    this.#renames.clear();
  }

  #limitFor(routeKey: string): RouteLimit {
    const base = this.settings.routes[routeKey] ?? this.settings.default;
    return { limit: Math.max(1, Math.floor(base.limit * this.settings.scale)), windowMs: base.windowMs };
  }

  /** Checks the global limit (unless exempt) and then the route bucket; counts the request when allowed. */
  check(input: { routeKey: string; major: string; identity: string; globalExempt: boolean; now?: number }): LimitVerdict {
    const now = input.now ?? Date.now();
    const { limit, windowMs } = this.#limitFor(input.routeKey);
    const bucket = hashOf(input.routeKey);
    const key = `${input.routeKey}:${input.major}`;
    let window = this.#buckets.get(key);
    if (!window || now >= window.resetAt) window = { count: 0, resetAt: now + windowMs };
    const state = (count: number): BucketState => ({ limit, remaining: limit - count, resetAt: window.resetAt, bucket });

    if (!this.settings.enabled) {
      return { ok: true, headers: headersFor({ limit, remaining: limit, resetAt: now + windowMs, bucket }, now) };
    }
    if (!input.globalExempt) {
      const perSecond = Math.max(1, Math.floor(this.settings.globalPerSecond * this.settings.scale));
      let global = this.#global.get(input.identity);
      if (!global || now >= global.resetAt) {
        global = { count: 0, resetAt: now + 1000 };
        this.#global.set(input.identity, global);
      }
      if (global.count >= perSecond) {
        const retryAfter = (global.resetAt - now) / 1000;
        return {
          ok: false,
          global: true,
          scope: 'global',
          retryAfter,
          headers: { 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global', 'Retry-After': String(Math.max(1, Math.ceil(retryAfter))) },
        };
      }
      global.count += 1;
    }
    if (window.count >= limit) {
      const retryAfter = (window.resetAt - now) / 1000;
      this.#buckets.set(key, window);
      return {
        ok: false,
        global: false,
        scope: 'user',
        retryAfter,
        headers: { ...headersFor(state(window.count), now), 'X-RateLimit-Scope': 'user', 'Retry-After': String(Math.max(1, Math.ceil(retryAfter))) },
      };
    }
    window.count += 1;
    this.#buckets.set(key, window);
    return { ok: true, headers: headersFor(state(window.count), now) };
  }

  /** Discord's hidden sublimit on channel renames: returns seconds to wait, or 0 when allowed (and counted). */
  checkRename(channelId: string, now = Date.now()): number {
    if (!this.settings.enabled) return 0;
    const { limit, windowMs } = this.settings.renames;
    const recent = (this.#renames.get(channelId) ?? []).filter((at) => now - at < windowMs);
    if (recent.length >= limit) {
      this.#renames.set(channelId, recent);
      return ((recent[0] ?? now) + windowMs - now) / 1000;
    }
    recent.push(now);
    this.#renames.set(channelId, recent);
    return 0;
  }
}
