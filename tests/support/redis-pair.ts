import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, inject } from 'vitest';

/**
 * Two connections to the test Redis for the enclosing describe block (two processes' views
 * of one Redis, or a client and a worker's blocking connection), disconnected after it. They
 * connect at their first command.
 */
export function redisPair(options: RedisOptions = {}): readonly [Redis, Redis] {
  const pair = [0, 1].map(() => new Redis(inject('redisUrl'), { ...options, lazyConnect: true })) as [Redis, Redis];
  afterAll(() => pair.forEach((redis) => redis.disconnect()));
  return pair;
}
