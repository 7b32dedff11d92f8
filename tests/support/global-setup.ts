import type { TestProject } from 'vitest/node';
import { startTestRedis, type TestRedis } from '../../scripts/stack/redis-server.js';

let redis: TestRedis | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** One Redis for the whole run: REDIS_URL when reachable, else a private redis-server. */
export async function setup(project: TestProject): Promise<void> {
  redis = await startTestRedis();
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.stop();
}
