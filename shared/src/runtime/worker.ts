import { Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { QueueName } from '../contracts/queues.js';
import { observeWorker, type Metrics } from './metrics.js';
import { forgetHandledJobData } from './retention.js';

/** What every service's worker shares; a service sets only what differs (concurrency, locks, a name). */
export const workerDefaults = {
  // BullMQ keeps per-minute completed/failed counts for a day (read by the queue board).
  metrics: { maxDataPoints: 60 * 24 },
} as const satisfies Partial<WorkerOptions>;

export interface CreateWorkerOptions extends Partial<Omit<WorkerOptions, 'connection' | 'prefix' | 'metrics'>> {
  /** A connection of the worker's own (BullMQ blocks on it). */
  connection: Redis;
  prefix: string;
  /** The service's metrics (jobs counted and timed); BullMQ's own per-minute counts are in workerDefaults. */
  metrics: Metrics;
  logger: Logger;
  /** How an error of the worker itself is logged (default: its message). */
  describeError?: (error: Error) => unknown;
}

/**
 * A queue's worker with the house's defaults: its jobs counted and timed in the metrics,
 * a completed job's data forgotten (docs/privacy.md), the worker's own errors logged.
 * What a failed job means stays with the service (its `failed` listener).
 */
export function createWorker(
  queue: QueueName,
  processor: (job: Job) => Promise<unknown>,
  { connection, prefix, metrics, logger, describeError = (error) => error.message, ...options }: CreateWorkerOptions,
): Worker {
  const worker = new Worker(queue, processor, { ...workerDefaults, ...options, connection, prefix });
  observeWorker(metrics, worker);
  forgetHandledJobData(worker);
  worker.on('error', (error) => logger.error({ err: describeError(error) }, 'worker error'));
  return worker;
}
