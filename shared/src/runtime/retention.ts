import { Queue, type Job, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueName } from '../contracts/queues.js';

export { jobRetention } from '../contracts/job-options.js';

/** What a handled job's data is replaced with: its version only, no ids, tokens or content. */
export const HANDLED_JOB_DATA = { v: 1, handled: true } as const;

/**
 * Once a job completed its data is of no use: replace it (member ids, interaction tokens,
 * form answers, reasons) with HANDLED_JOB_DATA. The job, its id and return value stay for
 * their retention. A job already removed is fine.
 */
export function forgetHandledJobData(worker: Worker): void {
  worker.on('completed', (job: Job) => {
    void job.updateData(HANDLED_JOB_DATA).catch(() => undefined);
  });
}

export interface MemberErasure {
  jobs: number;
  events: number;
}

/**
 * `/privacy delete` in Redis: removes every finished job (completed or failed) of the
 * three queues whose data, return value or failure names the member, and every entry of
 * the queues' event streams that does. Jobs still waiting or running are left to finish
 * (their data is forgotten when they complete).
 */
export async function eraseMemberFromQueues(redis: Redis, prefix: string, userId: string): Promise<MemberErasure> {
  const erased: MemberErasure = { jobs: 0, events: 0 };
  for (const name of Object.values(QueueName)) {
    const base = `${prefix}:${name}`;
    const queue = new Queue(name, { connection: redis, prefix });
    try {
      for (const state of ['completed', 'failed'] as const) {
        for (const id of await redis.zrange(`${base}:${state}`, 0, -1)) {
          const fields = await redis.hmget(`${base}:${id}`, 'data', 'returnvalue', 'failedReason', 'stacktrace');
          if (!fields.some((field) => field?.includes(userId))) continue;
          erased.jobs += await queue.remove(id);
        }
      }
    } finally {
      await queue.close();
    }
    const stream = `${base}:events`;
    let start = '-';
    for (;;) {
      const entries = await redis.xrange(stream, start, '+', 'COUNT', 1000);
      if (entries.length === 0) break;
      const hits = entries.filter(([, values]) => values.some((value) => value.includes(userId))).map(([id]) => id);
      if (hits.length) erased.events += await redis.xdel(stream, ...hits);
      const last = entries[entries.length - 1]![0];
      start = `(${last}`;
      if (entries.length < 1000) break;
    }
  }
  return erased;
}
