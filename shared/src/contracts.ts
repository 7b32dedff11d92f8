/**
 * `@promton/shared/contracts`: what services agree on (env schema, queue names,
 * job schemas, the guild configuration projection). Loads only zod.
 */
export * from './contracts/config.js';
export * from './contracts/queues.js';
export * from './contracts/jobs.js';
export * from './contracts/job-options.js';
export * from './contracts/guild-config.js';
