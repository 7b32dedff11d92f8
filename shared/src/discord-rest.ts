import { API } from '@discordjs/core/http-only';
import { REST, RESTEvents, type RateLimitData } from '@discordjs/rest';
import type { Config } from './config.js';
import { recordDiscordResponse, type Metrics } from './metrics.js';

export interface DiscordClients {
  /** Bot-authenticated API: counts against the bot's global 50 requests/s. */
  api: API;
  /** Interaction callbacks and webhooks: exempt from the global limit, so never queued behind bot calls. */
  interactions: API;
  rest: REST;
  /** How many 429s this process received (all clients). */
  rateLimited(): number;
}

/** The REST clients a service needs to talk to Discord (or the emulator). */
export function createDiscordClients(
  config: Pick<Config, 'discordApiUrl' | 'discordToken'> & Partial<Pick<Config, 'discordGlobalRps'>>,
  options: { timeoutMs?: number; retries?: number; rejectOnRateLimit?: (data: RateLimitData) => boolean; metrics?: Metrics; globalRequestsPerSecond?: number } = {},
): DiscordClients {
  const timeout = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 3;
  // Discord's 50/s is per bot, not per process: each service takes only its share (DISCORD_GLOBAL_RPS overrides).
  const globalRequestsPerSecond = config.discordGlobalRps ?? options.globalRequestsPerSecond ?? 50;
  const rest = new REST({ version: '10', api: config.discordApiUrl, timeout, retries, globalRequestsPerSecond, ...(options.rejectOnRateLimit ? { rejectOnRateLimit: options.rejectOnRateLimit } : {}) }).setToken(config.discordToken);
  const interactionRest = new REST({
    version: '10',
    api: config.discordApiUrl,
    timeout,
    retries,
    globalRequestsPerSecond: 100_000,
    // Every interaction id or token is its own rate-limit handler; swept hourly by default,
    // they would pile up (1,000/s is 3.6 million an hour). One-minute sweeps keep a minute's worth.
    handlerSweepInterval: 60_000,
  });
  let limited = 0;
  const count = () => void limited++;
  // @discordjs/rest emits Response for every reply; 429s are the ones with status 429.
  for (const client of [rest, interactionRest]) {
    client.on(RESTEvents.Response, (request, response) => {
      if (response.status === 429) count();
      if (options.metrics) recordDiscordResponse(options.metrics, request.route, response.status, response.headers.get('x-ratelimit-scope'));
    });
  }
  return { api: new API(rest), interactions: new API(interactionRest), rest, rateLimited: () => limited };
}
