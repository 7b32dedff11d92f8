import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { Job, Worker } from 'bullmq';
import { Cluster, type Redis } from 'ioredis';

/** Buckets (seconds) for job durations: from a cache hit to a slow Discord round trip with retries. */
const JOB_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Buckets (seconds) for the interaction ack; Discord's hard limit is 3 s. */
const ACK_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];

/** The metrics every service may feed; one instance (and Registry) per process. */
export interface Metrics {
  service: string;
  registry: Registry;
  /** Seconds a job's processor ran; status is `completed` or `failed`. */
  jobDuration: Histogram<'queue' | 'name' | 'status'>;
  /** Jobs processed, by outcome. */
  jobsTotal: Counter<'queue' | 'name' | 'status'>;
  /** Seconds from INTERACTION_CREATE received to the initial callback answered (gateway). */
  interactionAckLatency: Histogram<'type'>;
  /** Interactions the gateway dropped unanswered because they waited too long for their turn (overloaded). */
  interactionsShed: Counter;
  /** Requests made to Discord's REST API; route is the bucket route (no ids or tokens), status the HTTP status. */
  discordRequests: Counter<'route' | 'status'>;
  /** 429 answers from Discord. */
  discordRateLimited: Counter<'route' | 'scope'>;
  /** Jobs per queue and state, as last observed. Aggregated with max: every process sees the same queue. */
  queueDepth: Gauge<'queue' | 'state'>;
}

export interface CreateMetricsOptions {
  /** Collect Node's process metrics (CPU, memory, event loop lag). Default true. */
  defaultMetrics?: boolean;
}

/** A fresh Registry with the product's metrics, every sample labelled with `service`. */
export function createMetrics(service: string, { defaultMetrics = true }: CreateMetricsOptions = {}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    service,
    registry,
    jobDuration: new Histogram({
      name: 'promton_job_duration_seconds',
      help: 'Seconds a BullMQ job processor ran',
      labelNames: ['queue', 'name', 'status'],
      buckets: JOB_BUCKETS,
      registers,
    }),
    jobsTotal: new Counter({
      name: 'promton_jobs_total',
      help: 'BullMQ jobs processed, by outcome',
      labelNames: ['queue', 'name', 'status'],
      registers,
    }),
    interactionAckLatency: new Histogram({
      name: 'promton_interaction_ack_latency_seconds',
      help: 'Seconds from INTERACTION_CREATE received to the initial response answered',
      labelNames: ['type'],
      buckets: ACK_BUCKETS,
      registers,
    }),
    interactionsShed: new Counter({
      name: 'promton_interactions_shed_total',
      help: 'Interactions dropped unanswered: they waited too long for their turn (gateway overloaded)',
      registers,
    }),
    discordRequests: new Counter({
      name: 'promton_discord_requests_total',
      help: 'Requests made to the Discord REST API',
      labelNames: ['route', 'status'],
      registers,
    }),
    discordRateLimited: new Counter({
      name: 'promton_discord_rate_limited_total',
      help: '429 answers from the Discord REST API',
      labelNames: ['route', 'scope'],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'promton_queue_depth',
      help: 'Jobs in a BullMQ queue, by state',
      labelNames: ['queue', 'state'],
      aggregator: 'max',
      registers,
    }),
  };
}

/** Records one finished job: its processor's run time and its outcome. */
export function recordJob(metrics: Metrics, queue: string, job: Pick<Job, 'name' | 'processedOn' | 'finishedOn'>, status: 'completed' | 'failed'): void {
  const labels = { queue, name: job.name, status };
  metrics.jobsTotal.inc(labels);
  if (job.processedOn !== undefined && job.finishedOn !== undefined) {
    metrics.jobDuration.observe(labels, Math.max(0, job.finishedOn - job.processedOn) / 1000);
  }
}

/** Feeds jobDuration and jobsTotal from a worker's events; returns a function that detaches. */
export function observeWorker(metrics: Metrics, worker: Worker): () => void {
  const completed = (job: Job) => recordJob(metrics, worker.name, job, 'completed');
  const failed = (job: Job | undefined) => {
    if (job) recordJob(metrics, worker.name, job, 'failed');
  };
  worker.on('completed', completed);
  worker.on('failed', failed);
  return () => {
    worker.off('completed', completed);
    worker.off('failed', failed);
  };
}

/**
 * Records one Discord REST answer. `route` must be the bucket route
 * (@discordjs/rest's `request.route`, ids and webhook tokens already replaced);
 * anything left that looks like a webhook token is blanked anyway.
 */
export function recordDiscordResponse(metrics: Metrics, route: string, status: number, scope?: string | null): void {
  const safeRoute = route.replace(/^(\/(?:webhooks|interactions)\/[^/]+\/)(?!:token)[^/]+/, '$1:token');
  metrics.discordRequests.inc({ route: safeRoute, status: String(status) });
  if (status === 429) metrics.discordRateLimited.inc({ route: safeRoute, scope: scope ?? 'unknown' });
}

/** Redis key pattern under which processes publish their metric snapshots. */
export function metricsKeyPattern(prefix: string): string {
  return `${prefix}:metrics:*`;
}

/** Redis key of one process's snapshot. */
export function metricsKey(prefix: string, service: string, pid: number = process.pid): string {
  return `${prefix}:metrics:${service}:${pid}`;
}

/** A snapshot as published: what `registry.getMetricsAsJSON()` returned. */
export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

export interface MetricsPublisher {
  /** Publishes one snapshot now (also what the timer does). */
  publish(): Promise<void>;
  /** Stops publishing and removes this process's snapshot. Safe to call twice. */
  close(): Promise<void>;
}

export interface MetricsPublisherOptions {
  intervalMs?: number;
  /** Called when a publish fails (Redis down); publishing goes on at the next tick. */
  onError?: (error: unknown) => void;
}

/**
 * Writes the registry's snapshot to `${prefix}:metrics:${service}:${pid}` every
 * interval with a TTL of three intervals, so a dead process drops out of the
 * web service's aggregate on its own. The first snapshot is written at once.
 */
export function startMetricsPublisher(
  metrics: Pick<Metrics, 'service' | 'registry'>,
  redis: Redis,
  prefix: string,
  intervalOrOptions: number | MetricsPublisherOptions = 5_000,
): MetricsPublisher {
  const options = typeof intervalOrOptions === 'number' ? { intervalMs: intervalOrOptions } : intervalOrOptions;
  const intervalMs = options.intervalMs ?? 5_000;
  const key = metricsKey(prefix, metrics.service);
  const ttlMs = intervalMs * 3;
  let closing: Promise<void> | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const publish = (): Promise<void> => {
    if (closing) return inFlight;
    inFlight = (async () => {
      const snapshot = await metrics.registry.getMetricsAsJSON();
      await redis.set(key, JSON.stringify(snapshot), 'PX', ttlMs);
    })();
    return inFlight;
  };
  const tick = () => {
    publish().catch((error: unknown) => options.onError?.(error));
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();

  return {
    publish,
    close() {
      if (closing) return closing;
      clearInterval(timer);
      closing = (async () => {
        await inFlight.catch(() => undefined);
        await redis.del(key).catch(() => undefined);
      })();
      return closing;
    },
  };
}

/** Reads every published snapshot under the prefix (SCAN, never KEYS). Unparseable ones are skipped. */
export async function readMetricsSnapshots(redis: Redis, prefix: string): Promise<MetricsSnapshot[]> {
  const keys: string[] = [];
  // SCAN walks one server: on a Redis Cluster, walk every master.
  const client = redis as Redis | Cluster; // createRedis returns a Cluster for a cluster URL
  const servers: Redis[] = client instanceof Cluster ? client.nodes('master') : [client];
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, batch] = await server.scan(cursor, 'MATCH', metricsKeyPattern(prefix), 'COUNT', 200);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
  }
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  const snapshots: MetricsSnapshot[] = [];
  for (const value of values) {
    if (value === null) continue;
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) snapshots.push(parsed as MetricsSnapshot);
    } catch {
      // A half-written or foreign value: the next publish replaces it.
    }
  }
  return snapshots;
}
