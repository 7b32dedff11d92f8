import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** What a response says about its route's bucket (the part of a fetch Response this needs). */
export interface BucketResponse {
  status: number;
  headers: { get(name: string): string | null };
}

/**
 * Discord counts every 429 of a route bucket (scope `user`) as an invalid request. Each
 * @discordjs/rest client knows its buckets only from the answers it got itself, so a
 * process started after a crash (or a second process on the same token) sends into a
 * bucket another process emptied, and draws a 429. This keeps "bucket empty until …" in
 * Redis, shared by every process: an answer that says `remaining 0` (or a 429) marks the
 * route's bucket for its reset time, and a request first waits out a mark it finds.
 * The key holds a hash of the route and its major parameter (a webhook's token never
 * reaches Redis). When Redis cannot be asked, requests go as before.
 */
export class SharedRouteBuckets {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** A mark longer than this (e.g. a channel rename's 10 minutes) is not waited out here: the client's own rules decide. */
    private readonly maxWaitMs = 15_000,
  ) {}

  /** The Redis key of a request's bucket (route template + major parameter, as @discordjs/rest groups them). */
  keyOf(method: string, url: string): string {
    const route = bucketRoute(url);
    const digest = createHash('sha256').update(`${method.toUpperCase()} ${route.route} ${route.major}`).digest('base64url').slice(0, 22);
    return `${this.prefix}:discord:bucket:${digest}`;
  }

  /** Waits while another answer marked this request's bucket empty. */
  async waitTurn(method: string, url: string): Promise<void> {
    const key = this.keyOf(method, url);
    for (let rounds = 0; rounds < 3; rounds++) {
      let ttl: number;
      try {
        ttl = await this.redis.pttl(key);
      } catch {
        return;
      }
      if (ttl <= 0 || ttl > this.maxWaitMs) return;
      await new Promise((resolve) => setTimeout(resolve, ttl));
    }
  }

  /** Records an answer: `remaining 0` or a route 429 marks the bucket empty until its reset. */
  async observe(method: string, url: string, response: BucketResponse): Promise<void> {
    const waitMs = emptyForMs(response);
    if (waitMs <= 0) return;
    try {
      await this.redis.set(this.keyOf(method, url), '1', 'PX', Math.ceil(waitMs));
    } catch {
      // Only a hint: without Redis each process keeps its own view.
    }
  }
}

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
