import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { redactText } from './redact.js';

/** Redis key where config-service keeps the anonymous analytics (counts only). */
export function analyticsKey(prefix: string): string {
  return `${prefix}:analytics`;
}

export const analyticsSchema = z.object({
  servers: z.number().int().nonnegative(),
  members: z.number().int().nonnegative(),
  ticketTypes: z.number().int().nonnegative(),
  days: z
    .array(z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), opened: z.number().int().nonnegative(), closed: z.number().int().nonnegative() }))
    .default([]),
  /** Feedback ratings of every server added up: how many 1s … 5s. */
  ratings: z.array(z.number().int().nonnegative()).length(5).default([0, 0, 0, 0, 0]),
  updatedAt: z.string().optional(),
});
export type Analytics = z.infer<typeof analyticsSchema>;

export const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface Percentiles {
  /** Completed jobs the figures are computed from. */
  samples: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface FailureView {
  id: string | null;
  name: string;
  reason: string;
  attemptsMade: number;
  failedAt: string | null;
}

export interface QueueView {
  name: string;
  counts: Record<JobState, number>;
  /** Jobs per minute, oldest first; the last point is the current (partial) minute. */
  completedPerMinute: number[];
  failedPerMinute: number[];
  /** Milliseconds from processedOn to finishedOn of recent completed jobs. */
  durationMs: Percentiles;
  failures: FailureView[];
}

export interface DashboardData {
  generatedAt: string;
  analytics: Analytics | null;
  queues: QueueView[];
}

/** How many minutes the throughput charts show. */
export const MINUTES = 60;
/** How many recent completed jobs the duration percentiles are computed from. */
export const DURATION_SAMPLE = 200;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? null;
}

export function percentiles(durations: readonly number[]): Percentiles {
  const sorted = [...durations].sort((a, b) => a - b);
  return { samples: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/** Failure reasons can quote a webhook URL, which embeds a token; cap the length too. */
export function redactReason(reason: string): string {
  return redactText(reason).slice(0, 500);
}

/**
 * BullMQ's metrics: `data` holds one point per finished minute, newest first, and
 * `meta.count - meta.prevCount` is the current minute so far.
 */
export function perMinute(metrics: { meta: { count: number; prevCount: number }; data: number[] }, minutes = MINUTES): number[] {
  const finished = metrics.data.slice(0, minutes - 1).reverse();
  const current = Math.max(0, metrics.meta.count - metrics.meta.prevCount);
  const series = [...finished, current];
  return [...Array<number>(Math.max(0, minutes - series.length)).fill(0), ...series];
}

export async function readAnalytics(redis: Redis, prefix: string): Promise<Analytics | null> {
  const raw = await redis.get(analyticsKey(prefix));
  if (raw === null) return null;
  try {
    const parsed = analyticsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A queue's health, without job data: payloads carry interaction tokens. */
export async function readQueue(queue: Queue): Promise<QueueView> {
  const [counts, completed, failed, recent, failures] = await Promise.all([
    queue.getJobCounts(...JOB_STATES),
    queue.getMetrics('completed', 0, MINUTES - 2),
    queue.getMetrics('failed', 0, MINUTES - 2),
    queue.getCompleted(0, DURATION_SAMPLE - 1),
    queue.getFailed(0, 9),
  ]);
  const durations = recent
    .filter((job) => job.processedOn !== undefined && job.finishedOn !== undefined)
    .map((job) => (job.finishedOn as number) - (job.processedOn as number));
  return {
    name: queue.name,
    counts: Object.fromEntries(JOB_STATES.map((state) => [state, counts[state] ?? 0])) as Record<JobState, number>,
    completedPerMinute: perMinute(completed),
    failedPerMinute: perMinute(failed),
    durationMs: percentiles(durations),
    failures: failures.map((job) => ({
      id: job.id ?? null,
      name: job.name,
      reason: redactReason(job.failedReason ?? ''),
      attemptsMade: job.attemptsMade,
      failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    })),
  };
}

export async function readDashboard(redis: Redis, prefix: string, queues: readonly Queue[]): Promise<DashboardData> {
  const [analytics, views] = await Promise.all([readAnalytics(redis, prefix), Promise.all(queues.map(readQueue))]);
  return { generatedAt: new Date().toISOString(), analytics, queues: views };
}
