export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  /** The route template, e.g. `POST /channels/:channel_id/messages`; null for unknown routes. */
  route: string | null;
  /** `bot` when the request carried the bot's token (what counts against the bot's global limit), else `none`. */
  auth: 'bot' | 'none';
  /** HTTP status sent; 0 when a `timeout` fault swallowed the answer. */
  status: number;
  body?: unknown;
  files?: string[];
  rateLimited: boolean;
  fault?: string;
  durationMs: number;
  /** Headers sent with the answer (rate-limit headers), when there were any. */
  headers?: Record<string, string>;
}

export interface RequestStats {
  requests: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  rateLimited: number;
  globalRateLimited: number;
  /** 401, 403 and 429 answers (Discord's invalid-request count; shared-scope 429s excluded). */
  invalid: number;
  faults: number;
}

/** Every REST request the bot made, for assertions (bounded). */
export class RequestLog {
  #entries: RequestLogEntry[] = [];
  #seq = 0;
  #listeners = new Set<(entry: RequestLogEntry) => void>();
  stats: RequestStats = RequestLog.#emptyStats();

  constructor(private readonly max = 100_000) {}

  static #emptyStats(): RequestStats {
    return { requests: 0, byRoute: {}, byStatus: {}, rateLimited: 0, globalRateLimited: 0, invalid: 0, faults: 0 };
  }

  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  record(entry: RequestLogEntry, extra: { global?: boolean } = {}): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.max) this.#entries.splice(0, this.#entries.length - this.max);
    const s = this.stats;
    s.requests += 1;
    const key = entry.route ?? `${entry.method} (unknown route)`;
    s.byRoute[key] = (s.byRoute[key] ?? 0) + 1;
    s.byStatus[String(entry.status)] = (s.byStatus[String(entry.status)] ?? 0) + 1;
    if (entry.status === 429) {
      s.rateLimited += 1;
      if (extra.global) s.globalRateLimited += 1;
    }
    if (entry.status === 401 || entry.status === 403 || entry.status === 429) s.invalid += 1;
    if (entry.fault) s.faults += 1;
    for (const listener of this.#listeners) listener(entry);
  }

  /** Calls `listener` with every entry as it is recorded; returns the unsubscribe function. */
  subscribe(listener: (entry: RequestLogEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  query(filter: { since?: number; method?: string; path?: string; auth?: string }): RequestLogEntry[] {
    let pattern: RegExp | undefined;
    if (filter.path) {
      try {
        pattern = new RegExp(filter.path);
      } catch {
        pattern = undefined;
      }
    }
    return this.#entries.filter(
      (e) =>
        (filter.since === undefined || e.seq > filter.since) &&
        (!filter.method || e.method === filter.method.toUpperCase()) &&
        (!filter.auth || e.auth === filter.auth) &&
        (!filter.path || e.path.includes(filter.path) || (pattern?.test(e.path) ?? false)),
    );
  }

  reset(): void {
    this.#entries = [];
    this.stats = RequestLog.#emptyStats();
  }
}
