import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import type { RequestLog, RequestLogEntry } from '../request-log.js';
import type { EmulatorState } from '../state.js';
import { buildView } from './view.js';

/** Where `npm run build` writes the client bundle (dist/playground-client, beside the compiled server). */
export const CLIENT_DIR = resolve(import.meta.dirname, '../../dist/playground-client');

export interface Playground {
  /** Serves `/` (a redirect) and everything under `/playground`. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void;
  close(): void;
}

/** One line of the side panel: a REST request of the bot, with its rate-limit headers. */
export interface RequestLine {
  seq: number;
  at: string;
  method: string;
  route: string | null;
  path: string;
  status: number;
  durationMs: number;
  rateLimit: Record<string, string>;
}

/** One gateway dispatch, summarised (the panel shows what happened, not every field). */
export interface DispatchLine {
  at: string;
  t: string;
  guildId: string | null;
  summary: string;
}

const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
const ATTACHMENT_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:";
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

/** Interaction and webhook tokens are secrets of one conversation: the panel shows the route, not the token. */
export function redactPath(path: string): string {
  return path.replace(/^\/(interactions\/\d+|webhooks\/\d+)\/[^/]+/, '/$1/:token');
}

export function requestLine(entry: RequestLogEntry): RequestLine {
  const rateLimit: Record<string, string> = {};
  for (const [key, value] of Object.entries(entry.headers ?? {})) if (/^(x-ratelimit-|retry-after)/i.test(key)) rateLimit[key.toLowerCase()] = value;
  return {
    seq: entry.seq,
    at: entry.at,
    method: entry.method,
    route: entry.route,
    path: redactPath(entry.path),
    status: entry.status,
    durationMs: entry.durationMs,
    rateLimit,
  };
}

export function dispatchLine(guildId: string | null, t: string, data: unknown): DispatchLine {
  const d = (data ?? {}) as Record<string, unknown>;
  const author = (d.author as { username?: string } | undefined)?.username;
  const summary = t.startsWith('CHANNEL_')
    ? `#${String(d.name ?? d.id)}`
    : t === 'MESSAGE_CREATE' || t === 'MESSAGE_UPDATE'
      ? `${author ?? '?'} in ${String(d.channel_id)}`
      : t === 'MESSAGE_DELETE'
        ? `${String(d.id)} in ${String(d.channel_id)}`
        : t === 'INTERACTION_CREATE'
          ? interactionSummary(d)
          : t.startsWith('GUILD_')
            ? String(d.name ?? d.id ?? (d.user as { username?: string } | undefined)?.username ?? '')
            : '';
  return { at: new Date().toISOString(), t, guildId, summary };
}

function interactionSummary(d: Record<string, unknown>): string {
  const data = (d.data ?? {}) as { name?: string; custom_id?: string; options?: { name: string; type: number; options?: unknown[] }[] };
  const user = ((d.member as { user?: { username?: string } } | undefined)?.user ?? {}).username ?? '?';
  if (data.name) {
    const path = [data.name];
    let level = data.options;
    while (level?.[0] && (level[0].type === 1 || level[0].type === 2)) {
      path.push(level[0].name);
      level = level[0].options as typeof level;
    }
    return `/${path.join(' ')} by ${user}`;
  }
  return `${data.custom_id ?? '?'} by ${user}`;
}

export function createPlayground(deps: { state: EmulatorState; log: RequestLog; clientDir?: string }): Playground {
  const { state, log } = deps;
  const clientDir = deps.clientDir ?? CLIENT_DIR;
  const strangerId = state.ids.next();
  const clients = new Set<ServerResponse>();
  const dispatches: DispatchLine[] = [];

  const send = (res: ServerResponse, event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const broadcast = (event: string, data: unknown) => {
    for (const res of clients) send(res, event, data);
  };
  const onDispatch = (guildId: string | null, t: string, data: unknown) => {
    const line = dispatchLine(guildId, t, data);
    dispatches.push(line);
    if (dispatches.length > 200) dispatches.shift();
    broadcast('dispatch', line);
  };
  const onInteraction = (id: string) => broadcast('interaction', { id });
  state.on('dispatch', onDispatch);
  state.on('interaction', onInteraction);
  const unsubscribe = log.subscribe((entry) => broadcast('request', requestLine(entry)));
  // Comments keep proxies and the browser from closing an idle stream.
  const keepAlive = setInterval(() => {
    for (const res of clients) res.write(': ping\n\n');
  }, 15_000);
  keepAlive.unref();

  const file = (name: string): Buffer | null => {
    const path = resolve(clientDir, name);
    return existsSync(path) ? readFileSync(path) : null;
  };

  const page = (): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PROMTON playground</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/playground/app.css">
</head>
<body>
<div id="app"><p class="boot">Loading the playground…</p></div>
<script type="module" src="/playground/app.js"></script>
</body>
</html>
`;

  const headers = (type: string, extra: Record<string, string> = {}) => ({
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...extra,
  });

  const handle = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const path = url.pathname;
    if (req.method !== 'GET') {
      res.writeHead(405, headers('text/plain; charset=utf-8', { Allow: 'GET' }));
      res.end('The playground acts through /_emulator (POST /_emulator/interactions, /_emulator/messages).');
      return;
    }
    if (path === '/' || path === '/playground') {
      res.writeHead(302, { Location: '/playground/' });
      res.end();
      return;
    }
    if (path === '/playground/') {
      if (!file('app.js')) {
        res.writeHead(503, headers('text/plain; charset=utf-8'));
        res.end('The playground is not built: run `npm run build` (it bundles services/discord-emulator/playground).');
        return;
      }
      res.writeHead(200, headers('text/html; charset=utf-8', { 'Content-Security-Policy': PAGE_CSP }));
      res.end(page());
      return;
    }
    if (path === '/playground/app.js' || path === '/playground/app.css') {
      const body = file(path.slice('/playground/'.length));
      if (!body) {
        res.writeHead(404, headers('text/plain; charset=utf-8'));
        res.end('not built');
        return;
      }
      res.writeHead(200, headers(path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8'));
      res.end(body);
      return;
    }
    if (path === '/playground/api/view') {
      const view = buildView(
        state,
        { guild: url.searchParams.get('guild'), as: url.searchParams.get('as'), channel: url.searchParams.get('channel') },
        strangerId,
      );
      res.writeHead(200, headers('application/json'));
      res.end(JSON.stringify(view));
      return;
    }
    if (path === '/playground/events') {
      res.writeHead(200, headers('text/event-stream'));
      clients.add(res);
      req.on('close', () => clients.delete(res));
      const recent = log.query({}).slice(-100);
      send(res, 'hello', { requests: recent.map(requestLine), dispatches });
      return;
    }
    const attachment = /^\/playground\/attachments\/(\d+)\/(\d+)\/([^/]+)$/.exec(path);
    if (attachment) {
      const data = state.attachmentData.get(attachment[2] ?? '');
      if (!data) {
        res.writeHead(404, headers('text/plain; charset=utf-8'));
        res.end('This attachment no longer exists (the emulator keeps state in memory only).');
        return;
      }
      const ext =
        decodeURIComponent(attachment[3] ?? '')
          .split('.')
          .pop()
          ?.toLowerCase() ?? '';
      // A transcript is HTML written by the bot from members' messages: shown sandboxed, no scripts.
      res.writeHead(200, headers(TYPES[ext] ?? 'application/octet-stream', { 'Content-Security-Policy': ATTACHMENT_CSP }));
      res.end(data);
      return;
    }
    res.writeHead(404, headers('text/plain; charset=utf-8'));
    res.end('not found');
  };

  const close = () => {
    clearInterval(keepAlive);
    state.off('dispatch', onDispatch);
    state.off('interaction', onInteraction);
    unsubscribe();
    for (const res of clients) res.end();
    clients.clear();
  };

  return { handle, close };
}
