import type { Redis } from 'ioredis';
import { LuaScript } from './lua.js';

/**
 * Reserves the next free slot of a shared schedule spaced `interval` µs apart, using
 * Redis's clock so every process agrees. Returns [slot, now] in µs.
 */
const RESERVE = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local next = tonumber(redis.call('GET', KEYS[1]) or '0')
-- A background caller takes only a turn nobody has booked.
if ARGV[2] == 'background' and next > now then return { -1, next - now } end
local slot = math.max(next, now)
redis.call('SET', KEYS[1], slot + tonumber(ARGV[1]), 'PX', 60000)
return { slot, now }
`);

export interface BudgetReservation {
  /** When the request may go (µs, Redis clock); -1 when a background caller found the schedule busy. */
  slot: number;
  /** How long to wait for the turn (or, when busy, until the schedule frees up), in ms. */
  waitMs: number;
}

/**
 * `normal` books the next turn. `background` (log posts) takes only idle turns, so
 * opens and closes go first; its waiting events batch meanwhile. After `maxWaitMs` it
 * books a turn like anyone else, so it is never starved.
 */
export type BudgetPriority = 'normal' | 'background';

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
    private readonly maxBackgroundWaitMs = 30_000,
  ) {
    this.#intervalMicros = Math.ceil(1_000_000 / perSecond);
  }

  async reserve(priority: BudgetPriority = 'normal'): Promise<BudgetReservation> {
    const [slot, waitOrNow] = (await RESERVE.run(this.redis, [this.key], [this.#intervalMicros, priority])) as [number, number];
    if (slot === -1) return { slot, waitMs: waitOrNow / 1000 };
    return { slot, waitMs: (slot - waitOrNow) / 1000 };
  }

  /** Waits for this process's turn; if Redis cannot be asked, goes at once (the per-process limit still holds). */
  async acquire(priority: BudgetPriority = 'normal'): Promise<void> {
    const giveUpAt = Date.now() + this.maxBackgroundWaitMs;
    for (;;) {
      let reservation: BudgetReservation;
      try {
        reservation = await this.reserve(priority === 'background' && Date.now() < giveUpAt ? 'background' : 'normal');
      } catch {
        return;
      }
      // Busy: look again when the booked turns run out (at least one turn later).
      const waitMs = reservation.slot === -1 ? Math.min(Math.max(reservation.waitMs, this.#intervalMicros / 1000), 1_000) : reservation.waitMs;
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
      if (reservation.slot !== -1) return;
    }
  }
}

/** The Redis key of a bot's shared schedule. */
export function globalBudgetKey(prefix: string, applicationId: string): string {
  return `${prefix}:discord:global-budget:${applicationId}`;
}

/** The Redis key of the schedule of requests sent without a bot token (webhook executions), which Discord limits per IP address. */
export function webhookBudgetKey(prefix: string): string {
  return `${prefix}:discord:webhook-budget`;
}
