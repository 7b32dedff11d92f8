import type { IncomingMessage, ServerResponse } from 'node:http';

export interface UploadedFile {
  /** The form key, e.g. `files[0]`. */
  key: string;
  /** The n of `files[n]`, matched against `attachments[].id` in payload_json. */
  index: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface ParsedBody {
  body: unknown;
  files: UploadedFile[];
  /** False when the body could not be parsed as JSON. */
  ok: boolean;
}

/** Reads a body of at most `max` bytes; a larger one is null (read to its end and dropped, so the client gets its answer). */
export async function readRaw(req: IncomingMessage, max = 30 * 1024 * 1024): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= max) chunks.push(buffer);
  }
  return size > max ? null : Buffer.concat(chunks);
}

/** JSON or multipart (`payload_json` + `files[n]`), as Discord accepts both. */
export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  if (raw.length === 0) return { body: undefined, files: [], ok: true };
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    const files: UploadedFile[] = [];
    let body: unknown = {};
    let ok = true;
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') {
        if (key === 'payload_json') {
          try {
            body = JSON.parse(value);
          } catch {
            ok = false;
          }
        }
        continue;
      }
      const index = /^files\[(\w+)\]$/.exec(key)?.[1] ?? key;
      files.push({
        key,
        index,
        filename: value.name || 'file',
        contentType: value.type || 'application/octet-stream',
        data: Buffer.from(await value.arrayBuffer()),
      });
    }
    return { body, files, ok };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')), files: [], ok: true };
  } catch {
    return { body: undefined, files: [], ok: false };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export interface CompiledRoute<T> {
  method: string;
  pattern: string;
  regex: RegExp;
  keys: string[];
  value: T;
}

/** `/channels/:channel_id/messages` → a regex capturing each `:param`. */
export function compileRoute<T>(method: string, pattern: string, value: T): CompiledRoute<T> {
  const keys: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        keys.push(segment.slice(1));
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { method, pattern, regex: new RegExp(`^${source}/?$`), keys, value };
}

export type RouteMatch<T> = { route: CompiledRoute<T>; params: Record<string, string> } | { methodNotAllowed: true } | undefined;

export function matchRoute<T>(routes: readonly CompiledRoute<T>[], method: string, path: string): RouteMatch<T> {
  let pathMatched = false;
  for (const route of routes) {
    const m = route.regex.exec(path);
    if (!m) continue;
    if (route.method !== method) {
      pathMatched = true;
      continue;
    }
    const params: Record<string, string> = {};
    route.keys.forEach((key, i) => {
      params[key] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { route, params };
  }
  return pathMatched ? { methodNotAllowed: true } : undefined;
}
