import { API } from '@discordjs/core/http-only';
import { DefaultRestOptions, REST, RESTEvents, type RateLimitData } from '@discordjs/rest';
import type { Config } from '../contracts/config.js';
import type { GlobalRequestBudget } from './global-budget.js';
import { recordDiscordResponse, type Metrics } from './metrics.js';
import type { SharedRouteBuckets } from './route-buckets.js';

/**
 * The request function of a REST client: first any bucket another process marked empty is
 * waited out, then the turn of the shared global schedule, then the request; its answer
 * marks the bucket for the others.
 */
function makeRequestWith(
  budget: GlobalRequestBudget | undefined,
  buckets: SharedRouteBuckets | undefined,
): { makeRequest?: typeof DefaultRestOptions.makeRequest } {
  if (!budget && !buckets) return {};
  return {
    makeRequest: async (...args: Parameters<typeof DefaultRestOptions.makeRequest>) => {
      const [url, init] = args;
      const method = init.method ?? 'GET';
      await buckets?.waitTurn(method, url);
      await budget?.acquire();
      const response = await DefaultRestOptions.makeRequest(...args);
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
    timeout,
    retries,
    globalRequestsPerSecond: config.discordGlobalRps,
    ...(options.rejectOnRateLimit ? { rejectOnRateLimit: options.rejectOnRateLimit } : {}),
    ...makeRequestWith(budget, buckets),
  }).setToken(config.discordToken);
  const interactionRest = new REST({
    version: '10',
    api: config.discordApiUrl,
    timeout,
    retries,
    globalRequestsPerSecond: 100_000,
    // Every interaction id or token is its own rate-limit handler; swept hourly by default,
    // they would pile up (1,000/s is 3.6 million an hour). One-minute sweeps keep a minute's worth.
    handlerSweepInterval: 60_000,
    ...makeRequestWith(undefined, buckets),
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
 * address's schedule shared by the processes that execute webhooks. Each webhook's own route
 * bucket is @discordjs/rest's (learnt from the headers, waited on before a 429).
 */
export function createWebhookApi(
  config: Pick<Config, 'discordApiUrl' | 'discordGlobalRps'>,
  options: { timeoutMs?: number; retries?: number; metrics?: Metrics; budget?: GlobalRequestBudget; buckets?: SharedRouteBuckets } = {},
): API {
  const { budget, buckets } = options;
  const rest = new REST({
    version: '10',
    api: config.discordApiUrl,
    timeout: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 3,
    globalRequestsPerSecond: config.discordGlobalRps,
    // One handler per webhook; a minute's sweep keeps the ones in use.
    handlerSweepInterval: 60_000,
    ...makeRequestWith(budget, buckets),
  });
  rest.on(RESTEvents.Response, (request, response) => {
    if (options.metrics) recordDiscordResponse(options.metrics, request.route, response.status, response.headers.get('x-ratelimit-scope'));
  });
  return new API(rest);
}
