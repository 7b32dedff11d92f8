import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LuaScript } from './lua.js';

/** What a response says about its route's bucket (the part of a fetch Response this needs). */
export interface BucketResponse {
  status: number;
  headers: { get(name: string): string | null };
}

/**
 * Books a turn in a route bucket's log of requests (a sorted set of send times, ms on
 * Redis's clock) when fewer than the route's limit were sent within its window (plus a
 * margin for the way to Discord). A bucket another answer marked empty is waited out first.
 * Returns 0 when booked, else how long to wait (ms) before asking again.
 *
 * KEYS: the bucket's mark, its log, the route's limits (hash: limit, window).
 * ARGV: margin ms, member, 1 = book as pending (sent later, at an unknown time), poll ms,
 *       longest mark waited out here, window assumed while the route's limits are unknown,
 *       how long a pending turn counts at most.
 */
const TAKE = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local mark = redis.call('PTTL', KEYS[1])
if mark > 0 and mark <= tonumber(ARGV[5]) then return mark end
local known = redis.call('HMGET', KEYS[3], 'limit', 'window')
-- Not learnt yet: one request at a time, whose answer tells the limit.
local limit = tonumber(known[1] or '1')
local window = tonumber(known[2] or ARGV[6])
if limit <= 0 then return 0 end
local span = window + tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - span)
if redis.call('ZCARD', KEYS[2]) < limit then
  -- A pending turn counts from now until it is stamped with its send time (or for PENDING_MS, if its process died).
  local score = now
  if ARGV[3] == '1' then score = now + tonumber(ARGV[7]) end
  redis.call('ZADD', KEYS[2], score, ARGV[2])
  local ttl = score - now + span
  if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
  return 0
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')[2])
-- Every turn of the window is booked but not sent yet: look again soon.
if oldest > now then return tonumber(ARGV[4]) end
return math.max(1, oldest + span - now)
`);

/** Stamps a pending turn with its send time (now, on Redis's clock). KEYS: the bucket's log; ARGV: member, how long the log must last (ms). */
const SENT = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return now
`);

/**
 * Records a route's limits. KEYS: the route's limits; ARGV: limit (0: the route told none),
 * the window an answer showed (ms). The window kept is the longest shown (a bucket's first
 * answer tells all of it); "no limit" is recorded only while nothing else is known.
 */
const LEARN = new LuaScript(`
if ARGV[1] == '0' then
  redis.call('HSETNX', KEYS[1], 'limit', 0)
else
  redis.call('HSET', KEYS[1], 'limit', ARGV[1])
  local window = tonumber(redis.call('HGET', KEYS[1], 'window') or '0')
  if tonumber(ARGV[2]) > window then redis.call('HSET', KEYS[1], 'window', ARGV[2]) end
end
redis.call('PEXPIRE', KEYS[1], 86400000)
return redis.call('HMGET', KEYS[1], 'limit', 'window')
`);

/** A booked turn in a route bucket. */
export interface BucketTurn {
  /** Stamps a turn booked while the request still waited (for the global schedule) with the moment it leaves. */
  sent(): Promise<void>;
}

/** How long a pending turn counts at most (its process may have died before the request left). */
const PENDING_MS = 30_000;
/** The longest window of Discord's route buckets that a stamped turn must outlast (webhook creation: 15 per minute). */
const LONGEST_WINDOW_MS = 60_000;
/** Each route's limits are written again at least this often (a fresh Redis has forgotten them). */
const RELEARN_MS = 60_000;

const NOTHING_TO_STAMP: BucketTurn = { sent: () => Promise.resolve() };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Discord's per-route buckets (e.g. 10 channel creations per 10 s per server, 5 posts per
 * 2 s per webhook) belong to the bot, not to a process, and each of their 429s counts as
 * an invalid request. @discordjs/rest learns a bucket only from the answers its own
 * process got, so three ticket-worker replicas each believed they had the whole bucket.
 *
 * Here every process books its requests in one log per bucket (route + major parameter,
 * as @discordjs/rest groups them) in Redis, before the request leaves: a request goes only
 * when fewer than the route's limit were sent within its window (and a margin) by anyone,
 * else it waits for the oldest to age out. Limit and window are learnt from the answers'
 * `X-RateLimit-Limit` / `X-RateLimit-Reset-After` (per route, for all its buckets; until
 * then one request at a time); an answer that says `remaining 0` or a route 429 marks the
 * bucket empty until its reset (traffic from elsewhere). A request booked before it waits
 * for the global schedule counts from its booking and is stamped when it leaves. The keys
 * hold hashes (a webhook's token never reaches Redis). When Redis cannot be asked,
 * requests go as before.
 */
export class SharedRouteBuckets {
  /** Each route's limits as this process last wrote them, so answers that tell nothing new are not written again. */
  readonly #known = new Map<string, { limit: number; windowMs: number; at: number }>();
  readonly #maxMarkWaitMs: number;
  readonly #marginMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: {
      /** A mark longer than this (e.g. a channel rename's 10 minutes) is not waited out here: the client's own rules decide. */
      maxMarkWaitMs?: number;
      /** Added to every window: the way to Discord is not equally long for every request. */
      marginMs?: number;
    } = {},
  ) {
    this.#maxMarkWaitMs = options.maxMarkWaitMs ?? 15_000;
    this.#marginMs = options.marginMs ?? 500;
  }

  /** The Redis key of a request's bucket (route template + major parameter, as @discordjs/rest groups them). */
  keyOf(method: string, url: string): string {
    const route = bucketRoute(url);
    return `${this.prefix}:discord:bucket:${digest(`${method.toUpperCase()} ${route.route} ${route.major}`)}`;
  }

  /** The Redis key of what was learnt about a route's limits (shared by all its buckets). */
  limitsKeyOf(method: string, url: string): string {
    return `${this.prefix}:discord:route-limits:${digest(`${method.toUpperCase()} ${bucketRoute(url).route}`)}`;
  }

  /**
   * Waits until the request's bucket has room and books it. `pending`: the request still
   * waits for something else before it leaves; call the turn's `sent()` when it does.
   */
  async take(method: string, url: string, pending = false): Promise<BucketTurn> {
    const member = randomUUID();
    for (;;) {
      let waitMs: number;
      try {
        waitMs = await this.book(method, url, member, pending);
      } catch {
        return NOTHING_TO_STAMP;
      }
      if (waitMs <= 0) break;
      await sleep(waitMs);
    }
    if (!pending) return NOTHING_TO_STAMP;
    const log = `${this.keyOf(method, url)}:sent`;
    return {
      sent: async () => {
        try {
          await SENT.run(this.redis, [log], [member, LONGEST_WINDOW_MS + this.#marginMs]);
        } catch {
          // Only a hint: the pending turn still counts for PENDING_MS.
        }
      },
    };
  }

  /** One try of `take`: 0 when the turn (named `member`) is booked, else how long to wait before trying again (ms). */
  async book(method: string, url: string, member: string, pending = false): Promise<number> {
    const key = this.keyOf(method, url);
    const args = [this.#marginMs, member, pending ? 1 : 0, 100, this.#maxMarkWaitMs, 1_000, PENDING_MS];
    return Number(await TAKE.run(this.redis, [key, `${key}:sent`, this.limitsKeyOf(method, url)], args));
  }

  /** Records an answer: the route's limits, and a mark when it says the bucket is empty (`remaining 0`, or a route 429). */
  async observe(method: string, url: string, response: BucketResponse): Promise<void> {
    try {
      const learnt = limitsOf(response);
      const limitsKey = this.limitsKeyOf(method, url);
      const known = this.#known.get(limitsKey);
      const stale = !known || Date.now() - known.at > RELEARN_MS;
      // Written when it tells something new (another limit, a longer window, a route without limits) or what was written is old.
      const news = learnt
        ? stale || known.limit !== learnt.limit || known.windowMs < learnt.windowMs
        : stale && response.status < 300 && !hasLimitHeaders(response);
      if (news) {
        const [limit, window] = (await LEARN.run(this.redis, [limitsKey], [learnt?.limit ?? 0, learnt?.windowMs ?? 0])) as [string | null, string | null];
        this.#known.set(limitsKey, { limit: Number(limit ?? 0), windowMs: Number(window ?? 0), at: Date.now() });
      }
      const emptyMs = emptyForMs(response);
      if (emptyMs > 0) await this.redis.set(this.keyOf(method, url), '1', 'PX', Math.ceil(emptyMs));
    } catch {
      // Only a hint: without Redis each process keeps its own view.
    }
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

/** A route's limit and window as an answer tells them (none for the global limit or an answer without them). */
export function limitsOf(response: BucketResponse): { limit: number; windowMs: number } | undefined {
  const { headers } = response;
  if (headers.get('x-ratelimit-global') !== null || headers.get('x-ratelimit-scope') === 'global') return undefined;
  const limit = Number(headers.get('x-ratelimit-limit') ?? NaN);
  const resetAfter = Number(headers.get('x-ratelimit-reset-after') ?? NaN);
  if (!Number.isInteger(limit) || limit <= 0 || !Number.isFinite(resetAfter) || resetAfter < 0) return undefined;
  return { limit, windowMs: Math.ceil(resetAfter * 1000) };
}

const hasLimitHeaders = (response: BucketResponse) => response.headers.get('x-ratelimit-limit') !== null || response.headers.get('x-ratelimit-scope') !== null;

/** How long the answer says its route's bucket stays empty (ms); 0 when it has requests left or the limit is global. */
export function emptyForMs(response: BucketResponse): number {
  const { headers } = response;
  if (headers.get('x-ratelimit-global') !== null || headers.get('x-ratelimit-scope') === 'global') return 0;
  if (response.status === 429) {
    const retryAfter = Number(headers.get('retry-after'));
    const resetAfter = Number(headers.get('x-ratelimit-reset-after'));
    return Math.max(Number.isFinite(retryAfter) ? retryAfter * 1000 : 0, Number.isFinite(resetAfter) ? resetAfter * 1000 : 0);
  }
  if (headers.get('x-ratelimit-remaining') !== '0') return 0;
  const resetAfter = Number(headers.get('x-ratelimit-reset-after'));
  return Number.isFinite(resetAfter) && resetAfter > 0 ? resetAfter * 1000 : 0;
}

/**
 * A request's route template and major parameter, grouped as Discord's buckets are (and as
 * @discordjs/rest groups its handlers): ids become `:id`; the major parameter is the
 * channel, guild or webhook (id and token) the path starts with.
 */
export function bucketRoute(url: string): { route: string; major: string } {
  const path = new URL(url).pathname.replace(/^.*?\/v\d+(?=\/)/, '');
  const major = /^\/webhooks\/(\d{17,20}\/[^/?]+)|^\/(?:channels|guilds|webhooks)\/(\d{17,20})/.exec(path);
  const route = path
    .replaceAll(/\d{17,20}/g, ':id')
    .replace(/\/reactions\/.*/, '/reactions/:reaction')
    .replace(/\/webhooks\/:id\/[^/?]+/, '/webhooks/:id/:token');
  return { route, major: major?.[2] ?? major?.[1] ?? 'global' };
}
