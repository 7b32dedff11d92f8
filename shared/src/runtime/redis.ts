import { Redis, type RedisOptions } from 'ioredis';

export interface RedisConnectionOptions {
  /**
   * Workers and blocking clients must wait for Redis forever (BullMQ requires
   * maxRetriesPerRequest: null); producers on a request path should fail fast instead.
   */
  role: 'worker' | 'producer';
}

/** Opens a new ioredis connection; shared code never connects on import. */
export function createRedis(url: string, { role }: RedisConnectionOptions): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 };
  return new Redis(url, { ...options, lazyConnect: false });
}
