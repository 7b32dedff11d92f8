/**
 * Discord's invalid request limit ("Cloudflare bans"): 401, 403 and 429 answers (429s of
 * scope `shared` excepted), and repeated 404s, are counted per 10 minutes; at 10,000 the
 * address is refused everything until the window ends.
 */
export interface InvalidRequestSettings {
  limit: number;
  windowMs: number;
}

export interface InvalidRequestSnapshot extends InvalidRequestSettings {
  /** In the current window. */
  count: number;
  /** Since the emulator started (or was reset), across windows. */
  total: number;
  /** ms until the window (and any ban) ends; 0 when no window is open. */
  resetAfterMs: number;
  banned: boolean;
  /** The counted requests themselves, newest last (the last 200 since the start or reset), to trace each to its caller. */
  counted: CountedInvalidRequest[];
}

export interface CountedInvalidRequest {
  at: string;
  method: string;
  path: string;
  status: number;
}

export const DefaultInvalidRequestSettings: InvalidRequestSettings = { limit: 10_000, windowMs: 10 * 60_000 };

export class InvalidRequestCounter {
  settings: InvalidRequestSettings;
  #windowStart: number | null = null;
  #count = 0;
  #total = 0;
  /** Method and path of each 404 in the window: the second one on the same target counts. */
  readonly #notFound = new Set<string>();
  readonly #counted: CountedInvalidRequest[] = [];

  constructor(settings: Partial<InvalidRequestSettings> = {}) {
    this.settings = { ...DefaultInvalidRequestSettings, ...settings };
  }

  #roll(now: number): void {
    if (this.#windowStart !== null && now - this.#windowStart >= this.settings.windowMs) {
      this.#windowStart = null;
      this.#count = 0;
      this.#notFound.clear();
    }
  }

  /** ms of ban left, or 0 when requests are accepted. */
  banRemaining(now = Date.now()): number {
    this.#roll(now);
    if (this.#windowStart === null || this.#count < this.settings.limit) return 0;
    return this.#windowStart + this.settings.windowMs - now;
  }

  record(method: string, path: string, status: number, scope: string | undefined, now = Date.now()): void {
    this.#roll(now);
    let invalid = status === 401 || status === 403 || (status === 429 && scope !== 'shared');
    if (status === 404) {
      const key = `${method} ${path}`;
      invalid = this.#notFound.has(key);
      this.#notFound.add(key);
    }
    if (!invalid) return;
    this.#windowStart ??= now;
    this.#count += 1;
    this.#total += 1;
    this.#counted.push({ at: new Date(now).toISOString(), method, path, status });
    if (this.#counted.length > 200) this.#counted.shift();
  }

  snapshot(now = Date.now()): InvalidRequestSnapshot {
    this.#roll(now);
    return {
      ...this.settings,
      count: this.#count,
      total: this.#total,
      resetAfterMs: this.#windowStart === null ? 0 : this.#windowStart + this.settings.windowMs - now,
      banned: this.banRemaining(now) > 0,
      counted: [...this.#counted],
    };
  }

  update(patch: Partial<InvalidRequestSettings>): InvalidRequestSnapshot {
    for (const [key, value] of Object.entries(patch)) {
      if (!Number.isInteger(value) || (value as number) < 1) throw new RangeError(`${key} must be a positive integer`);
    }
    this.settings = { ...this.settings, ...patch };
    return this.snapshot();
  }

  reset(): void {
    this.#windowStart = null;
    this.#count = 0;
    this.#total = 0;
    this.#notFound.clear();
    this.#counted.length = 0;
  }
}
