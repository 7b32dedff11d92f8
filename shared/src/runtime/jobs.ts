import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { z } from 'zod';
import { jobOptions } from '../contracts/job-options.js';
import { InvalidJobError, jobSchemas, parseJob, type AnyJobName, type JobData } from '../contracts/jobs.js';

/** Where a job goes and when: everything else comes from the table of job options. */
export interface AddJobOptions {
  /** Dedupe id (the same id is never added twice while the first is kept). */
  jobId?: string;
  delay?: number;
  /** BullMQ priority (1 first; see FairShare); a job without one goes before every prioritized job. */
  priority?: number;
}

/**
 * The one way to add a job: validates the payload against its name's schema, then adds
 * it with that name's attempts, backoff and retention (contracts/job-options.ts).
 */
export async function addJob<N extends AnyJobName>(queue: Queue, name: N, data: JobData<N>, { jobId, delay, priority }: AddJobOptions = {}): Promise<Job> {
  const valid = parseJob(jobSchemas, name, data);
  return queue.add(name, valid, {
    ...jobOptions[name],
    ...(jobId ? { jobId } : {}),
    ...(delay !== undefined ? { delay: Math.max(0, delay) } : {}),
    ...(priority !== undefined ? { priority } : {}),
  });
}

/** A handler per job name of a schema map, receiving the validated payload. */
export type JobHandlers<S extends Record<string, z.ZodType>, Extra extends unknown[] = []> = {
  [N in keyof S & string]: (data: z.infer<S[N]>, job: Job, ...extra: Extra) => Promise<unknown>;
};

/**
 * Builds a queue's processor from job name → schema → handler: the payload is parsed
 * first, and one that does not match fails at once (UnrecoverableError) and stays in the
 * failed set for inspection; a name without a handler fails the same way.
 */
export function jobProcessor<S extends Record<string, z.ZodType>>(schemas: S, handlers: JobHandlers<S>): (job: Job) => Promise<unknown> {
  return async (job) => {
    let data: unknown;
    try {
      data = parseJob(schemas, job.name, job.data);
    } catch (error) {
      if (error instanceof InvalidJobError) throw new UnrecoverableError(error.message);
      throw error;
    }
    const handler = handlers[job.name as keyof S & string] as ((data: unknown, job: Job) => Promise<unknown>) | undefined;
    if (!handler) throw new UnrecoverableError(`no handler for ${job.name}`);
    return handler(data, job);
  };
}
