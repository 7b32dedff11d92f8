import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run by its SHA1 (EVALSHA), so each call sends a few dozen bytes instead of
 * the script and Redis does not hash it again; a Redis that does not know it yet (a
 * fresh or restarted server, another cluster node) answers NOSCRIPT, and the script is
 * then sent once with EVAL, which also loads it.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Pick<Redis, 'evalsha' | 'eval'>, keys: readonly string[], args: readonly (string | number)[] = []): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
