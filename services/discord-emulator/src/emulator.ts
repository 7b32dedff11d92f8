import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { EMULATOR_APPLICATION_ID, EMULATOR_BOT_TOKEN } from './config.js';
import { ControlInputError, controlRoutes } from './control-api.js';
import { DiscordApiError, Errors } from './errors.js';
import { FaultInjector } from './faults.js';
import { GatewayServer } from './gateway.js';
import { compileRoute, matchRoute, parseBody, readRaw, sendJson } from './http-util.js';
import { InteractionEndpoint } from './interaction-endpoint.js';
import { InteractInputError } from './interactions.js';
import { InvalidRequestCounter, type InvalidRequestSettings } from './invalid-requests.js';
import { createPlayground } from './playground/server.js';
import { RateLimiter, type RateLimitSettings } from './rate-limits.js';
import { RequestLog, type RequestLogEntry } from './request-log.js';
import { majorParameter, restRoutes, type RestResult } from './routes/index.js';
import { threadRoutes } from './threads.js';
import { EmulatorState, type InteractionRecord } from './state.js';
import { entityTooLarge, UPLOAD_LIMIT_BY_TIER, uploadControlRoutes } from './uploads.js';
import { bulkMessageRoutes } from './bulk-messages.js';

export interface EmulatorOptions {
  /** 0 picks a free port. */
  port: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** true/false, or settings merged over the defaults (see rate-limits.ts). Default: on. */
  rateLimits?: boolean | Partial<RateLimitSettings>;
  botToken?: string;
  applicationId?: string;
  /** Initial-response window after dispatch (Discord: 3000 ms). */
  interactionWindowMs?: number;
  /** Interaction token lifetime (Discord: 15 min). */
  tokenLifetimeMs?: number;
  heartbeatIntervalMs?: number;
  /** Fixed shard count for GET /gateway/bot; default ceil(guilds / guildsPerShard), at least 1. */
  shardCount?: number;
  guildsPerShard?: number;
  /** session_start_limit.max_concurrency (Discord: 1 for most bots, so identifies are 5 s apart). Identify buckets are `shard_id % maxConcurrency`. */
  maxConcurrency?: number;
  /** One identify per bucket per this window, else op 9 (Discord: 5 s). */
  identifyWindowMs?: number;
  /** session_start_limit.total (Discord: 1000 a day). */
  sessionStartTotal?: number;
  /** How long a `timeout` fault keeps the socket before destroying it (default 60 s). */
  faultHoldMs?: number;
  /** Base URL advertised in attachment and gateway URLs; default taken from the request's Host header. */
  publicUrl?: string;
  /** Invalid requests (401, 403, 429, repeated 404) per window before every request is refused (Discord: 10,000 per 10 min). */
  invalidRequests?: Partial<InvalidRequestSettings>;
  /** How long a signed attachment URL is served (Discord's CDN: about 24 h). */
  attachmentUrlTtlMs?: number;
}

export interface Emulator {
  /** http://host:port */
  url: string;
  /** http://host:port/api — what DISCORD_API_URL should be. */
  apiUrl: string;
  port: number;
  state: EmulatorState;
  gateway: GatewayServer;
  limiter: RateLimiter;
  faults: FaultInjector;
  log: RequestLog;
  invalid: InvalidRequestCounter;
  close(): Promise<void>;
}

export const DefaultEmulatorOptions = {
  host: '127.0.0.1',
  interactionWindowMs: 3_000,
  tokenLifetimeMs: 15 * 60_000,
  heartbeatIntervalMs: 41_250,
  guildsPerShard: 1_000,
  maxConcurrency: 1,
  faultHoldMs: 60_000,
} as const;

const REST_PREFIX = '/api/v10';
/** The largest request body read: the top boost tier's file plus room for the form around it. */
const MAX_BODY_BYTES = UPLOAD_LIMIT_BY_TIER[3] + 1024 * 1024;

export async function createEmulator(options: EmulatorOptions): Promise<Emulator> {
  const opts = { ...DefaultEmulatorOptions, ...options };
  const botToken = options.botToken ?? EMULATOR_BOT_TOKEN;
  const state = new EmulatorState(options.applicationId ?? EMULATOR_APPLICATION_ID);
  if (options.attachmentUrlTtlMs !== undefined) state.uploads.configure(options.attachmentUrlTtlMs);
  const limiter = new RateLimiter(typeof options.rateLimits === 'object' ? options.rateLimits : { enabled: options.rateLimits ?? true });
  const faults = new FaultInjector();
  const log = new RequestLog();
  const invalid = new InvalidRequestCounter(options.invalidRequests);
  const held = new Set<Socket>();
  let listenUrl = '';
  let currentHost: string | undefined;

  const baseUrl = () => options.publicUrl ?? (currentHost ? `http://${currentHost}` : listenUrl);
  const gatewayUrlFor = (host: string | undefined) => {
    const base = options.publicUrl ?? (host ? `http://${host}` : listenUrl);
    return `${base.replace(/^http/, 'ws')}/gateway`;
  };
  const shardCount = () => opts.shardCount ?? Math.max(1, Math.ceil(state.guilds.size / opts.guildsPerShard));

  const gateway = new GatewayServer({
    state,
    botToken,
    heartbeatIntervalMs: opts.heartbeatIntervalMs,
    url: gatewayUrlFor,
    identify: {
      maxConcurrency: opts.maxConcurrency,
      ...(options.identifyWindowMs !== undefined ? { windowMs: options.identifyWindowMs } : {}),
      ...(options.sessionStartTotal !== undefined ? { total: options.sessionStartTotal } : {}),
    },
  });
  const interactionEndpoint = new InteractionEndpoint({
    windowMs: opts.interactionWindowMs,
    // The HTTP reply obeys the callback endpoint's rules (window, types, limits).
    respond: (rec, body) => {
      const result = callbackRoute().handler({ params: { interaction_id: rec.id, token: rec.token }, query: new URLSearchParams(), body, files: [] });
      if (result instanceof Promise) throw new Error('the callback route must be synchronous');
    },
  });
  const deliverInteraction = (rec: InteractionRecord): void => {
    if (!interactionEndpoint.url) {
      state.dispatch(rec.guildId, 'INTERACTION_CREATE', rec.payload);
      return;
    }
    void interactionEndpoint.deliver(rec).then(() => state.interactionChanged(rec.id));
  };
  const restDeps = {
    state,
    limiter,
    baseUrl,
    gatewayUrl: () => gatewayUrlFor(currentHost),
    shardCount,
    sessionStartLimit: () => gateway.sessionStartLimit(),
    interactionWindowMs: opts.interactionWindowMs,
    tokenLifetimeMs: opts.tokenLifetimeMs,
    interactionEndpoint,
  };
  const restDefs = threadRoutes(restDeps, restRoutes(restDeps));
  const callbackRoute = () => {
    const def = restDefs.find((d) => d.method === 'POST' && d.pattern === '/interactions/:interaction_id/:token/callback');
    if (!def) throw new Error('no interaction callback route');
    return def;
  };
  const rest = restDefs.map((def) => compileRoute(def.method, def.pattern, def));
  const control = [
    ...controlRoutes({
      state,
      gateway,
      limiter,
      faults,
      log,
      invalid,
      baseUrl,
      deliverInteraction,
      onReset: () => {
        interactionEndpoint.reset();
        for (const socket of held) socket.destroy();
        held.clear();
      },
    }),
    ...uploadControlRoutes(state),
    ...bulkMessageRoutes(state),
  ].map((def) => compileRoute(def.method, def.pattern, def));

  const playground = createPlayground({ state, log });

  const handleRest = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const path = url.pathname.slice(REST_PREFIX.length) || '/';
    const entry: RequestLogEntry = {
      seq: log.nextSeq(),
      at: new Date(started).toISOString(),
      method,
      path,
      route: null,
      status: 0,
      auth: 'none',
      rateLimited: false,
      durationMs: 0,
    };
    let global = false;
    const finish = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      sendJson(res, status, body, headers);
      entry.status = status;
      entry.rateLimited = status === 429;
      entry.durationMs = Date.now() - started;
      if (Object.keys(headers).length > 0) entry.headers = headers;
      log.record(entry, { global });
      // An injected fault is the emulator playing a failing Discord, not a request the bot got wrong: never counted.
      if (!entry.fault) invalid.record(method, path, status, headers['X-RateLimit-Scope']);
    };
    // Above the largest boost tier's file and the form around it: Discord's 413 / 40005.
    const raw = await readRaw(req, MAX_BODY_BYTES);
    if (raw === null) return finish(413, entityTooLarge().toJSON());
    const banned = invalid.banRemaining();
    if (banned > 0) {
      // Discord's invalid request limit: the address is refused everything until the window ends.
      global = true;
      const retryAfter = Number((banned / 1000).toFixed(3));
      return finish(
        429,
        {
          message: 'You are being blocked from accessing our API temporarily due to exceeding our rate limits frequently.',
          retry_after: retryAfter,
          global: true,
          code: 0,
        },
        { 'Retry-After': String(Math.ceil(banned / 1000)), 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global' },
      );
    }
    if (req.headers.authorization === `Bot ${botToken}`) entry.auth = 'bot';
    const match = matchRoute(rest, method, path);
    if (!match) return finish(404, Errors.notFound().toJSON());
    if ('methodNotAllowed' in match) return finish(405, Errors.methodNotAllowed().toJSON());
    const def = match.route.value;
    const routeKey = `${method} ${def.pattern}`;
    entry.route = routeKey;
    const asBot = req.headers.authorization === `Bot ${botToken}`;
    if (def.auth && !asBot) return finish(401, Errors.unauthorized().toJSON());

    // The global limit counts per bot token; a request without one (a webhook executed by its token) counts against the caller's IP address.
    const verdict = limiter.check({
      routeKey,
      major: majorParameter(match.params),
      identity: asBot ? 'bot' : `ip:${req.socket.remoteAddress ?? 'unknown'}`,
      globalExempt: typeof def.globalExempt === 'function' ? def.globalExempt(match.params) : def.globalExempt === true,
    });
    if (!verdict.ok) {
      global = verdict.global === true;
      const retryAfter = Number((verdict.retryAfter ?? 0).toFixed(3));
      return finish(429, { message: 'You are being rate limited.', retry_after: retryAfter, global }, verdict.headers);
    }

    const parsed = await parseBody(raw, req.headers['content-type']);
    if (parsed.body !== undefined) entry.body = parsed.body;
    if (parsed.files.length > 0) entry.files = parsed.files.map((f) => f.filename);
    if (!parsed.ok) return finish(400, Errors.invalidBody().toJSON(), verdict.headers);

    const fault = faults.match(method, path, url.pathname);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'status') {
      const text = fault.status === 502 ? '502: Bad Gateway' : `${fault.status}: Internal Server Error`;
      // The request was counted against its route's bucket above; like every answer of Discord's API, this one says so in its headers
      // (without them the client believes it has a request left that it has not, and its next one is a 429).
      return finish(fault.status, { message: text, code: 0 }, verdict.headers);
    }
    if (fault?.kind === 'delay') await sleep(fault.delayMs);

    let result: RestResult;
    let headers = verdict.headers;
    try {
      currentHost = req.headers.host;
      result = await def.handler({ params: match.params, query: url.searchParams, body: parsed.body, files: parsed.files });
    } catch (error) {
      if (!(error instanceof DiscordApiError)) throw error;
      headers = { ...headers, ...error.headers };
      result = { status: error.status, body: error.toJSON() };
    } finally {
      currentHost = undefined;
    }

    if (fault?.kind === 'timeout') {
      // Applied, never answered: the case that makes a retried POST create twice.
      entry.durationMs = Date.now() - started;
      log.record(entry);
      const socket = req.socket;
      held.add(socket);
      const timer = setTimeout(
        () => {
          held.delete(socket);
          socket.destroy();
        },
        fault.delayMs > 0 ? fault.delayMs : opts.faultHoldMs,
      );
      timer.unref();
      socket.once('close', () => {
        clearTimeout(timer);
        held.delete(socket);
      });
      return undefined;
    }
    return finish(result.status, result.body, { ...headers, ...result.headers });
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = url.pathname.slice('/_emulator'.length) || '/';
    const match = matchRoute(control, method, path);
    if (!match) return sendJson(res, 404, { error: `no control route ${method} ${path}` });
    if ('methodNotAllowed' in match) return sendJson(res, 405, { error: `method ${method} not allowed on ${path}` });
    const raw = await readRaw(req);
    if (raw === null) return sendJson(res, 413, { error: 'body too large' });
    const parsed = await parseBody(raw, 'application/json');
    if (!parsed.ok) return sendJson(res, 400, { error: 'body is not valid JSON' });
    const body = parsed.body && typeof parsed.body === 'object' ? (parsed.body as Record<string, unknown>) : {};
    try {
      currentHost = req.headers.host;
      const resultPromise = match.route.value.handler({ params: match.params, query: url.searchParams, body });
      currentHost = undefined;
      const result = await resultPromise;
      return sendJson(res, result.status, result.body);
    } catch (error) {
      currentHost = undefined;
      if (error instanceof ControlInputError || error instanceof InteractInputError || error instanceof SyntaxError || error instanceof RangeError)
        return sendJson(res, 400, { error: error.message });
      throw error;
    }
  };

  const handleAttachment = (res: ServerResponse, url: URL): void => {
    const [, , channelId, id] = url.pathname.split('/');
    const data = id ? state.attachmentData.get(id) : undefined;
    // Like Discord's CDN: an unsigned, tampered or expired URL is a 404.
    if (!data || !channelId || !state.uploads.verify(url.pathname, url.searchParams)) return sendJson(res, 404, { message: '404: Not Found', code: 0 });
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': data.length });
    res.end(data);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const handle = async () => {
      if (url.pathname === REST_PREFIX || url.pathname.startsWith(`${REST_PREFIX}/`)) return handleRest(req, res, url);
      if (url.pathname === '/_emulator' || url.pathname.startsWith('/_emulator/')) return handleControl(req, res, url);
      if (url.pathname.startsWith('/attachments/') && req.method === 'GET') return handleAttachment(res, url);
      if (url.pathname === '/' || url.pathname.startsWith('/playground')) return playground.handle(req, res, url);
      return sendJson(res, 404, { message: '404: Not Found', code: 0 });
    };
    handle().catch((error: unknown) => {
      sendJson(res, 500, { message: '500: Internal Server Error', code: 0, detail: error instanceof Error ? error.message : String(error) });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (url.pathname === '/gateway' || url.pathname === '/gateway/') gateway.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  listenUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await gateway.close();
      playground.close();
      for (const socket of held) socket.destroy();
      held.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    })();
    return closing;
  };

  return { url: listenUrl, apiUrl: `${listenUrl}/api`, port, state, gateway, limiter, faults, log, invalid, close };
}
