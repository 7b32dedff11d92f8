import type { Redis } from 'ioredis';

/**
 * Every key under `prefix` whose contents (any type: string, hash, list, set, sorted set,
 * stream) or name contain `needle`, with where it was found.
 */
export async function keysContaining(redis: Redis, prefix: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      if (key.includes(needle)) {
        found.push(`${key} (name)`);
        continue;
      }
      const type = await redis.type(key);
      let values: string[] = [];
      if (type === 'string') values = [(await redis.getBuffer(key))?.toString('latin1') ?? ''];
      else if (type === 'hash') values = Object.entries(await redis.hgetall(key)).flat();
      else if (type === 'list') values = await redis.lrange(key, 0, -1);
      else if (type === 'set') values = await redis.smembers(key);
      else if (type === 'zset') values = await redis.zrange(key, 0, -1);
      else if (type === 'stream') values = (await redis.xrange(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields]);
      else if (type !== 'none') values = [`unreadable type ${type}`, needle];
      const hit = values.find((value) => value.includes(needle));
      if (hit !== undefined) found.push(`${key} (${type}): …${hit.slice(Math.max(0, hit.indexOf(needle) - 80), hit.indexOf(needle) + 40)}…`);
    }
  } while (cursor !== '0');
  return found;
}
