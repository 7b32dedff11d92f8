import { DelayedError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { LuaScript } from './lua.js';

/**
 * A job's turn in its guild's schedule (GCRA on Redis's clock, so every worker agrees):
 * `burst` turns at once, then one every `interval` ms. A job that booked a turn before
 * (KEYS[2] exists: it was moved aside and has come back) takes it now. Otherwise returns
 * the wait until its turn in ms, marking the job as booked when it has to wait; or -1
 * when that wait would exceed ARGV[3] (then nothing is booked).
 */
const BOOK = new LuaScript(`
if redis.call('DEL', KEYS[2]) == 1 then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tau = (tonumber(ARGV[2]) - 1) * interval
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
local wait = math.max(tat - tau - now, 0)
if wait > tonumber(ARGV[3]) then return -1 end
redis.call('SET', KEYS[1], tat + interval, 'PX', tat + interval - now + 1000)
if wait > 0 then redis.call('SET', KEYS[2], '1', 'PX', wait + 3600000) end
return wait
`);

/**
 * Discord's channel-creation bucket is per guild: 10 creations, then the bucket resets
 * after 10 s (what its rate-limit headers announce, and what the emulator enforces).
 */
export const CHANNEL_CREATION_PACE = { burst: 10, intervalMs: 1_000 } as const;

/**
 * When each guild's ticket opens may take a worker slot. A guild's opens cannot go faster
 * than its channel-creation bucket; an open started beyond that only waits inside the REST
 * client, holding one of the worker's slots while it sleeps, and a flood of one guild's
 * opens would hold them all (another guild's open then waits for a slot, not for Discord).
 * Each open books a turn in its guild's schedule; one whose turn is not yet due is moved
 * aside (delayed in the queue until its turn) instead of sleeping in a slot.
 */
export class GuildPace {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly pace: { burst: number; intervalMs: number } = CHANNEL_CREATION_PACE,
  ) {}

  /** Marks the job as having its turn already (it is moved aside again without booking another). */
  async keepTurn(jobId: string, waitMs: number): Promise<void> {
    await this.redis.set(`${this.prefix}:pace-booked:${jobId}`, '1', 'PX', waitMs + 3_600_000).catch(() => undefined);
  }

  /**
   * The job's turn in its guild's schedule: the wait until it in ms (0: now; also for a
   * job that booked its turn before and has come back), or null when it would come later
   * than `maxWaitMs` (nothing booked). When Redis cannot be asked, 0: the job goes now and
   * waits for Discord's bucket in its slot, as without a pace.
   */
  async book(guildId: string, jobId: string, maxWaitMs: number): Promise<number | null> {
    try {
      const keys = [`${this.prefix}:pace:${guildId}`, `${this.prefix}:pace-booked:${jobId}`];
      const wait = Number(await BOOK.run(this.redis, keys, [this.pace.intervalMs, this.pace.burst, Math.max(0, Math.floor(maxWaitMs))]));
      return wait < 0 ? null : wait;
    } catch {
      return 0;
    }
  }
}

/** Which guild's turn a job needs, and how long it may wait for it (null: the job goes at once). */
export type TurnOf = (job: Job) => { guildId: string; maxWaitMs: number } | null;

/**
 * A processor whose jobs take a worker slot only at their guild's turn: a job whose turn
 * is not yet due is moved aside (delayed in the queue until its turn; BullMQ keeps its
 * priority and does not count an attempt) instead of sleeping in the slot, and goes at
 * once when it comes back. A turn is a prediction (an open may take longer than its
 * interval, e.g. two creations when its category is full), so a guild also holds at most
 * `burst` of this worker's slots: a job whose turn came while its guild holds them all is
 * moved aside again for one interval, keeping its turn. A job whose turn would come later
 * than its `maxWaitMs` is not run (`tooLate` is told, and may still answer within that time).
 */
export function pacedProcessor(
  pace: GuildPace,
  turnOf: TurnOf,
  process: (job: Job) => Promise<unknown>,
  tooLate: (job: Job) => Promise<void>,
): (job: Job, token?: string) => Promise<unknown> {
  const held = new Map<string, number>();
  const moveAside = async (job: Job, token: string, waitMs: number): Promise<never> => {
    await job.moveToDelayed(Date.now() + waitMs, token);
    throw new DelayedError();
  };
  return async (job, token) => {
    const turn = token && job.id ? turnOf(job) : null;
    if (!turn) return process(job);
    const waitMs = await pace.book(turn.guildId, job.id!, turn.maxWaitMs);
    if (waitMs === null) {
      await tooLate(job);
      return undefined;
    }
    if (waitMs > 0) await moveAside(job, token!, waitMs);
    const holding = held.get(turn.guildId) ?? 0;
    if (holding >= pace.pace.burst) {
      await pace.keepTurn(job.id!, pace.pace.intervalMs);
      await moveAside(job, token!, pace.pace.intervalMs);
    }
    held.set(turn.guildId, holding + 1);
    try {
      return await process(job);
    } finally {
      const left = (held.get(turn.guildId) ?? 1) - 1;
      if (left > 0) held.set(turn.guildId, left);
      else held.delete(turn.guildId);
    }
  };
}
