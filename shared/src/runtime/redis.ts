import { Cluster, Redis, type RedisOptions } from 'ioredis';

export interface RedisConnectionOptions {
  /**
   * Workers and blocking clients must wait for Redis forever (BullMQ requires
   * maxRetriesPerRequest: null); producers on a request path should fail fast instead.
   */
  role: 'worker' | 'producer';
}

/** `redis-cluster://` / `rediss-cluster://` URLs name a Redis Cluster's seed nodes. */
export function isClusterUrl(url: string): boolean {
  return /^rediss?-cluster:\/\//.test(url);
}

/**
 * The seed nodes and shared options of a cluster URL:
 * `redis-cluster://[user:password@]host:port[,host:port…]` (`rediss-cluster://` for TLS).
 * The other nodes are found through CLUSTER SLOTS and get the same credentials.
 */
export function parseClusterUrl(url: string): { nodes: { host: string; port: number }[]; username?: string; password?: string; tls: boolean } {
  const match = /^(rediss?)-cluster:\/\/(?:([^@]*)@)?([^/?#]+)\/?$/.exec(url);
  if (!match) throw new Error('a Redis Cluster URL is redis-cluster://[user:password@]host:port[,host:port…]');
  const [, scheme, auth, hosts] = match;
  const nodes = hosts!.split(',').map((hostPort) => {
    const at = hostPort.lastIndexOf(':');
    const port = Number(hostPort.slice(at + 1));
    if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`a Redis Cluster node must be host:port, got "${hostPort}"`);
    return { host: hostPort.slice(0, at), port };
  });
  const [user, password] =
    auth === undefined ? [] : auth.includes(':') ? [auth.slice(0, auth.indexOf(':')), auth.slice(auth.indexOf(':') + 1)] : [undefined, auth];
  return {
    nodes,
    ...(user ? { username: decodeURIComponent(user) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
    tls: scheme === 'rediss',
  };
}

/**
 * Opens a new ioredis connection (a Cluster client for a cluster URL); shared code never
 * connects on import. On a cluster every key of ours must carry the same hash tag, the
 * `{…}` of QUEUE_PREFIX, so BullMQ's and our Lua scripts touch one slot.
 */
export function createRedis(url: string, { role }: RedisConnectionOptions): Redis {
  const options: RedisOptions =
    role === 'worker' ? { maxRetriesPerRequest: null, enableReadyCheck: true } : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 };
  if (isClusterUrl(url)) {
    const { nodes, tls, ...auth } = parseClusterUrl(url);
    const cluster = new Cluster(nodes, {
      redisOptions: { ...options, ...auth, ...(tls ? { tls: {} } : {}) },
      // A producer fails fast; a worker waits (as for one server).
      enableOfflineQueue: role === 'worker',
      enableReadyCheck: true,
      lazyConnect: false,
    });
    // Commands, Lua and BullMQ work the same through a Cluster client; its type differs
    // only in connection management, which callers leave to this factory.
    return cluster as unknown as Redis;
  }
  return new Redis(url, { ...options, lazyConnect: false });
}
