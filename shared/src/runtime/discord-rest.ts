import { API } from '@discordjs/core/http-only';
import { DefaultRestOptions, REST, RESTEvents, type RateLimitData } from '@discordjs/rest';
import type { Config } from '../contracts/config.js';
import type { GlobalRequestBudget } from './global-budget.js';
import { recordDiscordResponse, type Metrics } from './metrics.js';
import type { SharedRouteBuckets } from './route-buckets.js';

/**
 * How long @discordjs/rest lets a request take when this module applies the timeout itself:
 * the library's timer starts before the request function is called, so a request that
 * waited its turn would otherwise time out (or be aborted before it left). An interaction's
 * token lasts 15 minutes; nothing waits longer.
 */
const LIBRARY_TIMEOUT_MS = 15 * 60_000;

/**
 * The request function of a REST client: first the request's turn in its route bucket as
 * every process used it, then the turn of the shared global schedule, then the request,
 * whose own timeout counts from the moment it leaves; its answer tells the others about
 * the bucket.
 */
function makeRequestWith(
  budget: GlobalRequestBudget | undefined,
  buckets: SharedRouteBuckets | undefined,
  timeoutMs: number,
): { timeout: number; makeRequest?: typeof DefaultRestOptions.makeRequest } {
  if (!budget && !buckets) return { timeout: timeoutMs };
  return {
    timeout: LIBRARY_TIMEOUT_MS,
    makeRequest: async (...args: Parameters<typeof DefaultRestOptions.makeRequest>) => {
      const [url, init] = args;
      const method = init.method ?? 'GET';
      const turn = await buckets?.take(method, url, budget !== undefined);
      await budget?.acquire();
      await turn?.sent();
      // Aborted as the library would (an AbortError, which it retries when it may), but timed from now.
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      init.signal?.addEventListener('abort', () => controller.abort(), { once: true });
      let response: Awaited<ReturnType<typeof DefaultRestOptions.makeRequest>>;
      try {
        response = await DefaultRestOptions.makeRequest(url, { ...init, signal: controller.signal });
      } finally {
        clearTimeout(timer);
      }
      await buckets?.observe(method, url, response);
      return response;
    },
  };
}

export interface DiscordClients {
  /** Bot-authenticated API: counts against the bot's global 50 requests/s. */
  api: API;
  /** Interaction callbacks and webhooks: exempt from the global limit, so never queued behind bot calls. */
  interactions: API;
  rest: REST;
}

/** The REST clients a service needs to talk to Discord (or the emulator). */
export function createDiscordClients(
  config: Pick<Config, 'discordApiUrl' | 'discordToken' | 'discordGlobalRps'>,
  options: {
    timeoutMs?: number;
    retries?: number;
    rejectOnRateLimit?: (data: RateLimitData) => boolean;
    metrics?: Metrics;
    /** The schedule shared with the other services (see GlobalRequestBudget); without it this process keeps to the limit alone. */
    budget?: GlobalRequestBudget;
    /** Route buckets shared with the other processes (see SharedRouteBuckets); without it this process knows only its own answers. */
    buckets?: SharedRouteBuckets;
  } = {},
): DiscordClients {
  const timeout = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 3;
  const { budget, buckets } = options;
  const rest = new REST({
    version: '10',
    api: config.discordApiUrl,
    retries,
    globalRequestsPerSecond: config.discordGlobalRps,
    ...(options.rejectOnRateLimit ? { rejectOnRateLimit: options.rejectOnRateLimit } : {}),
    ...makeRequestWith(budget, buckets, timeout),
  }).setToken(config.discordToken);
  const interactionRest = new REST({
    version: '10',
    api: config.discordApiUrl,
    retries,
    globalRequestsPerSecond: 100_000,
    // Every interaction id or token is its own rate-limit handler; swept hourly by default,
    // they would pile up (1,000/s is 3.6 million an hour). One-minute sweeps keep a minute's worth.
    handlerSweepInterval: 60_000,
    ...makeRequestWith(undefined, buckets, timeout),
  });
  // @discordjs/rest emits Response for every reply; the metrics count 429s among them.
  for (const client of [rest, interactionRest]) {
    client.on(RESTEvents.Response, (request, response) => {
      if (options.metrics) recordDiscordResponse(options.metrics, request.route, response.status, response.headers.get('x-ratelimit-scope'));
    });
  }
  return { api: new API(rest), interactions: new API(interactionRest), rest };
}

/**
 * Webhook executions by their token (log-worker): a REST client that never holds the bot's
 * token, so nothing it sends counts against the bot's 50 requests/s. Discord counts requests
 * without a token against the caller's IP address (also 50/s); `budget`, when given, is that
 * address's schedule shared by the processes that execute webhooks; `buckets`, each webhook's
 * bucket (5 posts per 2 s) shared by them (see SharedRouteBuckets).
 */
export function createWebhookApi(
  config: Pick<Config, 'discordApiUrl' | 'discordGlobalRps'>,
  options: { timeoutMs?: number; retries?: number; metrics?: Metrics; budget?: GlobalRequestBudget; buckets?: SharedRouteBuckets } = {},
): API {
  const { budget, buckets } = options;
  const rest = new REST({
    version: '10',
    api: config.discordApiUrl,
    retries: options.retries ?? 3,
    globalRequestsPerSecond: config.discordGlobalRps,
    // One handler per webhook; a minute's sweep keeps the ones in use.
    handlerSweepInterval: 60_000,
    ...makeRequestWith(budget, buckets, options.timeoutMs ?? 10_000),
  });
  rest.on(RESTEvents.Response, (request, response) => {
    if (options.metrics) recordDiscordResponse(options.metrics, request.route, response.status, response.headers.get('x-ratelimit-scope'));
  });
  return new API(rest);
}
