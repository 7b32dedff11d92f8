import type { Redis } from 'ioredis';

/**
 * Reserves the next free slot of a shared schedule spaced `interval` µs apart, using
 * Redis's clock so every process agrees. Returns [slot, now] in µs.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local next = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(next, now)
redis.call('SET', KEYS[1], slot + tonumber(ARGV[1]), 'PX', 60000)
return { slot, now }
`;

export interface BudgetReservation {
  /** When the request may go (µs, Redis clock). */
  slot: number;
  /** How long to wait for it, in ms. */
  waitMs: number;
}

/**
 * Discord's global limit is 50 requests/s per bot, not per process. Every process that
 * sends bot-authenticated requests takes its turn from one schedule in Redis, so the
 * services together stay under the limit while any one of them may use all of it.
 */
export class GlobalRequestBudget {
  readonly #intervalMicros: number;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    perSecond: number,
  ) {
    this.#intervalMicros = Math.ceil(1_000_000 / perSecond);
  }

  async reserve(): Promise<BudgetReservation> {
    const [slot, now] = (await this.redis.eval(RESERVE, 1, this.key, this.#intervalMicros)) as [number, number];
    return { slot, waitMs: (slot - now) / 1000 };
  }

  /** Waits for this process's next turn; if Redis cannot be asked, goes at once (the per-process limit still holds). */
  async acquire(): Promise<void> {
    let waitMs = 0;
    try {
      ({ waitMs } = await this.reserve());
    } catch {
      return;
    }
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

/** The Redis key of a bot's shared schedule. */
export function globalBudgetKey(prefix: string, applicationId: string): string {
  return `${prefix}:discord:global-budget:${applicationId}`;
}
