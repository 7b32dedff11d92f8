import type { Redis } from 'ioredis';
import { LuaScript } from './lua.js';

/**
 * Counts a guild's jobs in the current window and the one before (Redis's clock, so every
 * gateway agrees) and returns the sum: the guild's recent share of the queue.
 */
const BUMP = new LuaScript(`
local t = redis.call('TIME')
local size = tonumber(ARGV[1])
local window = math.floor(tonumber(t[1]) / size)
local current = KEYS[1] .. ':' .. window
local n = redis.call('INCR', current)
if n == 1 then redis.call('EXPIRE', current, size * 2) end
return n + tonumber(redis.call('GET', KEYS[1] .. ':' .. (window - 1)) or '0')
`);

/** BullMQ's lowest priority (the largest number it accepts). */
export const LOWEST_PRIORITY = 2_097_152;

/**
 * Per-guild fairness within BullMQ (no Pro groups): a job's priority is the number of
 * jobs its guild queued in the last one to two windows. A quiet guild's job gets 1 or 2
 * and goes before a flooding guild's thousandth (BullMQ takes the lowest number first,
 * first in first out among equals), so one guild's flood does not delay the others. The
 * count needs no decrement: it fades with its window, so a crash or a lost job cannot
 * leave a guild pushed back. When Redis cannot count, the job gets the middle priority.
 */
export class FairShare {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly windowSeconds = 30,
  ) {}

  async priorityOf(guildId: string): Promise<number> {
    try {
      const count = Number(await BUMP.run(this.redis, [`${this.prefix}:fair:${guildId}`], [this.windowSeconds]));
      return Math.min(Math.max(1, count), LOWEST_PRIORITY);
    } catch {
      return 1_000;
    }
  }
}
