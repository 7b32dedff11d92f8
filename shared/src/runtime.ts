/**
 * `@promton/shared/runtime`: what a running service holds (logger, Redis, queues and
 * the config bus, health server, metrics, Discord REST clients, the global request
 * budget), and the Runtime that owns and closes them. Loads ioredis, BullMQ, pino, prom-client and @discordjs/rest.
 */
export * from './runtime/logger.js';
export * from './runtime/redis.js';
export * from './runtime/bus.js';
export * from './runtime/jobs.js';
export * from './runtime/health.js';
export * from './runtime/metrics.js';
export * from './runtime/discord-rest.js';
export * from './runtime/global-budget.js';
export * from './runtime/route-buckets.js';
export * from './runtime/fair-share.js';
export * from './runtime/guild-pace.js';
export * from './runtime/retention.js';
export * from './runtime/runtime.js';
export * from './runtime/main.js';
export * from './runtime/worker.js';
