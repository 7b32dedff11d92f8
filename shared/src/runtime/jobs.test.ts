import { Queue, UnrecoverableError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testPrefix } from '../../../scripts/stack/prefix.js';
import { jobOptions } from '../contracts/job-options.js';
import { InvalidJobError, logJobSchemas, ticketJobSchemas, type JobData } from '../contracts/jobs.js';
import { addJob, jobProcessor } from './jobs.js';

const GUILD = '100000000000000001';

describe('addJob and jobProcessor', () => {
  let redis: Redis;
  let queue: Queue;
  beforeAll(() => {
    redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
    queue = new Queue('tickets', { connection: redis, prefix: testPrefix() });
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  it('adds with the options of the job name from the table, plus the call site’s id and delay', async () => {
    const job = await addJob(queue, 'ticket.auto-close', { v: 1, guildId: GUILD, ticketNumber: 7 }, { jobId: 'auto-close-x', delay: 60_000 });
    const stored = (await queue.getJob('auto-close-x'))!;
    expect(stored.id).toBe(job.id);
    expect(stored.opts).toMatchObject({ ...jobOptions['ticket.auto-close'], delay: 60_000 });
    expect(await stored.getState()).toBe('delayed');
  });

  it('refuses an invalid payload before anything reaches Redis', async () => {
    const before = await queue.getJobCounts();
    const bad = { v: 1, guildId: 'not-a-snowflake', ticketNumber: 7 } as unknown as JobData<'ticket.auto-close'>;
    await expect(addJob(queue, 'ticket.auto-close', bad)).rejects.toThrow(InvalidJobError);
    expect(await queue.getJobCounts()).toEqual(before);
  });

  it('hands the parsed payload to the handler of the job name; bad payloads and unknown names fail without retries', async () => {
    const seen: unknown[] = [];
    const process = jobProcessor(logJobSchemas, {
      'log.event': async (data) => {
        seen.push(data.kind);
        return 'posted';
      },
    });
    const job = (name: string, data: unknown) => ({ name, data }) as Job;
    await expect(process(job('log.event', { v: 1, guildId: GUILD, kind: 'ticket.opened', at: new Date().toISOString() }))).resolves.toBe('posted');
    expect(seen).toEqual(['ticket.opened']);
    await expect(process(job('log.event', { v: 1, guildId: GUILD, kind: 'nope', at: 'x' }))).rejects.toThrow(UnrecoverableError);
    await expect(jobProcessor(ticketJobSchemas, {} as never)(job('ticket.auto-close', { v: 1, guildId: GUILD, ticketNumber: 1 }))).rejects.toThrow(
      /no handler/,
    );
    await expect(process(job('log.unknown', {}))).rejects.toThrow(UnrecoverableError);
    expect(seen).toEqual(['ticket.opened']);
  });
});
