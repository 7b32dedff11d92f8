import { AggregatorRegistry } from 'prom-client';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { readMetricsSnapshots, type Metrics } from '@promton/shared/runtime';

const DEPTH_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/**
 * Prometheus text: every process's published snapshot merged with this process's
 * own registry. Queue depth is read at scrape time so it is current.
 */
export async function renderMetrics(own: Metrics, redis: Redis, prefix: string, queues: readonly Queue[]): Promise<{ contentType: string; body: string }> {
  await Promise.all(
    queues.map(async (queue) => {
      const counts = await queue.getJobCounts(...DEPTH_STATES);
      for (const state of DEPTH_STATES) own.queueDepth.set({ queue: queue.name, state }, counts[state] ?? 0);
    }),
  );
  const snapshots = await readMetricsSnapshots(redis, prefix);
  const registry = AggregatorRegistry.aggregate([...snapshots, await own.registry.getMetricsAsJSON()]);
  return { contentType: registry.contentType, body: await registry.metrics() };
}
