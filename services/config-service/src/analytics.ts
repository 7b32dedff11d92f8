import type { Redis } from 'ioredis';

/** Redis key of the owner's anonymous analytics, read by the web dashboard. No expiry. */
export function analyticsKey(prefix: string): string {
  return `${prefix}:analytics`;
}

/** One UTC day of ticket counts. */
export interface AnalyticsDay {
  day: string;
  opened: number;
  closed: number;
}

/**
 * What the dashboard shows the owner: counts only (policy §1, aggregated and anonymous);
 * no guild, channel or user id ever goes in here.
 */
export interface AnalyticsSnapshot {
  servers: number;
  members: number;
  ticketTypes: number;
  /** The last ANALYTICS_DAYS days, oldest first, today last; days without tickets are zeros. */
  days: AnalyticsDay[];
  /** Feedback ratings of every server added up: ratings[0] ones … ratings[4] fives. */
  ratings: number[];
  updatedAt: string;
}

export const ANALYTICS_DAYS = 30;

export interface AnalyticsPublisherOptions {
  /** Reads the current counts (from the database). */
  compute(): Promise<AnalyticsSnapshot>;
  redis: Pick<Redis, 'set'>;
  prefix: string;
  /** Changes within this window share one write. Default 1 s. */
  debounceMs?: number;
  /** A failed write is reported here and tried again after the debounce window. */
  onError?: (error: unknown) => void;
}

/**
 * Keeps `${prefix}:analytics` current. `changed()` is called after every write that can
 * move a count; writes are coalesced within the debounce window and serialized, and each
 * reads the database afresh, so the last write always reflects the last change.
 */
export class AnalyticsPublisher {
  readonly #options: AnalyticsPublisherOptions;
  readonly #debounceMs: number;
  #timer: NodeJS.Timeout | undefined;
  #dirty = false;
  #chain: Promise<void> = Promise.resolve();
  #closing: Promise<void> | undefined;

  constructor(options: AnalyticsPublisherOptions) {
    this.#options = options;
    this.#debounceMs = options.debounceMs ?? 1_000;
  }

  /** Marks the counts stale; a write follows within the debounce window. */
  changed(): void {
    this.#dirty = true;
    if (this.#closing) return;
    this.#arm();
  }

  /** Writes now (after any write in progress); rejects when the write fails. */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const run = this.#chain.then(() => this.#write());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer and writes a last time if something changed. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = undefined;
      if (this.#dirty) await this.flush().catch((error: unknown) => this.#options.onError?.(error));
      await this.#chain;
    })();
    return this.#closing;
  }

  #arm(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch((error: unknown) => this.#options.onError?.(error));
    }, this.#debounceMs);
    this.#timer.unref();
  }

  async #write(): Promise<void> {
    // Cleared before reading: a change committed after this point marks it again and re-arms.
    this.#dirty = false;
    try {
      const snapshot = await this.#options.compute();
      await this.#options.redis.set(analyticsKey(this.#options.prefix), JSON.stringify(snapshot));
    } catch (error) {
      // Still stale: try again later, so the key ends up correct once Redis or the database is back.
      this.#dirty = true;
      if (!this.#closing) this.#arm();
      throw error;
    }
  }
}
