import { setTimeout as sleep } from 'node:timers/promises';
import type { IIdentifyThrottler, SessionInfo } from '@discordjs/ws';
import type { Redis } from 'ioredis';

/** Discord: one identify per rate-limit key (`shard_id % max_concurrency`) per 5 s. */
export const IDENTIFY_WINDOW_MS = 5_000;
/**
 * Added to the window: the identify leaves this process after the slot is taken and
 * crosses the network (and a busy process may be late to send it), so two slots exactly
 * 5 s apart may reach Discord closer than 5 s. @discordjs/ws's own throttler adds up to
 * 1.5 s of jitter for the same reason.
 */
export const IDENTIFY_MARGIN_MS = 1_500;

export const identifyKey = (prefix: string, applicationId: string, bucket: number) => `${prefix}:gateway:identify:${applicationId}:${bucket}`;
export const sessionKey = (prefix: string, applicationId: string, shardId: number) => `${prefix}:gateway:session:${applicationId}:${shardId}`;

/**
 * Identify throttling shared by every gateway process of the bot: a bucket's slot is a
 * Redis key set with NX and a TTL of the window, so whichever process takes it may
 * identify, and every other shard of the bucket waits for the key to expire.
 */
export class RedisIdentifyThrottler implements IIdentifyThrottler {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly applicationId: string,
    private readonly maxConcurrency: number,
    private readonly windowMs = IDENTIFY_WINDOW_MS + IDENTIFY_MARGIN_MS,
  ) {
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) throw new RangeError('max_concurrency must be a positive integer');
  }

  async waitForIdentify(shardId: number, signal: AbortSignal): Promise<void> {
    const key = identifyKey(this.prefix, this.applicationId, shardId % this.maxConcurrency);
    for (;;) {
      signal.throwIfAborted();
      if ((await this.redis.set(key, String(shardId), 'PX', this.windowMs, 'NX')) === 'OK') return;
      const ttl = await this.redis.pttl(key);
      // A little jitter so the waiting shards of one bucket do not all ask at the same instant.
      await sleep(Math.max(ttl, 0) + 10 + Math.floor(Math.random() * 50), undefined, { signal });
    }
  }
}

type StoredSession = Omit<SessionInfo, 'shardId'>;

/**
 * How long a change of the sequence alone may wait before it is written. @discordjs/ws
 * reports the sequence after every dispatch (at 1,000 interactions/s, a thousand writes a
 * second); a crashed process's successor then resumes from a sequence up to this much
 * older, and Discord replays those events: a replayed interaction's callback is refused as
 * already acknowledged and its job id dedupes it, a replayed guild event is idempotent.
 * A new session, an invalidated one, and a graceful stop (`flushed`) are written at once.
 */
export const SEQUENCE_WRITE_MS = 1_000;

/**
 * Each shard's session (id, sequence, resume URL, shard count) kept in Redis so a
 * restarted gateway process RESUMEs its shards instead of identifying them again.
 * No token is stored. Reads come from memory once a shard is running; writes go to
 * Redis in order, the newest value winning, and never block the shard.
 */
export class RedisSessionStore {
  readonly #memory = new Map<number, SessionInfo | null>();
  readonly #writing = new Map<number, Promise<void>>();
  readonly #dirty = new Set<number>();
  /** A writer waiting before it writes a sequence-only change, and how to wake it early. */
  readonly #pauses = new Map<number, () => void>();
  #hurry = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly applicationId: string,
    private readonly onError: (error: Error) => void = () => undefined,
    private readonly sequenceWriteMs = SEQUENCE_WRITE_MS,
  ) {}

  async retrieve(shardId: number): Promise<SessionInfo | null> {
    if (this.#memory.has(shardId)) return this.#memory.get(shardId) ?? null;
    const raw = await this.redis.get(sessionKey(this.prefix, this.applicationId, shardId));
    const stored = raw ? parseSession(raw) : null;
    const session = stored ? { ...stored, shardId } : null;
    if (!this.#memory.has(shardId)) this.#memory.set(shardId, session);
    return this.#memory.get(shardId) ?? null;
  }

  update(shardId: number, session: SessionInfo | null): void {
    const previous = this.#memory.get(shardId);
    this.#memory.set(shardId, session);
    this.#dirty.add(shardId);
    const sequenceOnly =
      !!previous &&
      !!session &&
      previous.sessionId === session.sessionId &&
      previous.resumeURL === session.resumeURL &&
      previous.shardCount === session.shardCount;
    if (!sequenceOnly) this.#pauses.get(shardId)?.();
    if (!this.#writing.has(shardId)) this.#writing.set(shardId, this.#flush(shardId, sequenceOnly));
  }

  /** Resolves when every update so far is in Redis (or failed and was reported). */
  async flushed(): Promise<void> {
    this.#hurry++;
    try {
      for (const wake of this.#pauses.values()) wake();
      while (this.#writing.size > 0) await Promise.all(this.#writing.values());
    } finally {
      this.#hurry--;
    }
  }

  async #flush(shardId: number, wait: boolean): Promise<void> {
    try {
      if (wait) await this.#pause(shardId);
      while (this.#dirty.delete(shardId)) {
        const session = this.#memory.get(shardId) ?? null;
        const key = sessionKey(this.prefix, this.applicationId, shardId);
        try {
          if (session) {
            const stored: StoredSession = {
              sessionId: session.sessionId,
              sequence: session.sequence,
              resumeURL: session.resumeURL,
              shardCount: session.shardCount,
            };
            await this.redis.set(key, JSON.stringify(stored));
          } else {
            await this.redis.del(key);
          }
        } catch (error) {
          this.onError(error as Error);
        }
        // What changed meanwhile waits its turn, unless it is more than the sequence (update wakes the pause).
        if (this.#dirty.has(shardId)) await this.#pause(shardId);
      }
    } finally {
      this.#writing.delete(shardId);
    }
  }

  /** Waits up to sequenceWriteMs, or until woken (a new or invalidated session, flushed()). */
  #pause(shardId: number): Promise<void> {
    if (this.#hurry > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#pauses.delete(shardId);
        resolve();
      };
      const timer = setTimeout(wake, this.sequenceWriteMs);
      this.#pauses.set(shardId, wake);
    });
  }
}

function parseSession(raw: string): StoredSession | null {
  try {
    const value = JSON.parse(raw) as Partial<StoredSession>;
    if (
      typeof value.sessionId !== 'string' ||
      typeof value.sequence !== 'number' ||
      typeof value.resumeURL !== 'string' ||
      typeof value.shardCount !== 'number'
    )
      return null;
    return { sessionId: value.sessionId, sequence: value.sequence, resumeURL: value.resumeURL, shardCount: value.shardCount };
  } catch {
    return null;
  }
}
