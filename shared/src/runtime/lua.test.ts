import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testPrefix } from '../../../scripts/stack/prefix.js';
import { LuaScript } from './lua.js';

describe('LuaScript: a script run by its SHA1', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  });
  afterAll(() => redis.disconnect());

  it('loads a script Redis does not know (NOSCRIPT, then EVAL) and runs it by its SHA1 afterwards, with its keys and arguments', async () => {
    // A comment no other script has, so Redis cannot know it yet (no SCRIPT FLUSH on a shared server).
    const script = new LuaScript(`-- ${randomUUID()}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1]) .. ':' .. ARGV[2]`);
    const key = `${testPrefix()}:lua`;
    expect(await redis.script('EXISTS', script.sha)).toEqual([0]);
    expect(await script.run(redis, [key], [5, 'a'])).toBe('5:a');
    expect(await redis.script('EXISTS', script.sha)).toEqual([1]);
    expect(await script.run(redis, [key], [2, 'b'])).toBe('7:b');
    await redis.del(key);
  });

  it("passes on a script's own error instead of taking it for a missing script", async () => {
    const script = new LuaScript(`-- ${randomUUID()}\nreturn redis.error_reply('NOT A NUMBER ' .. ARGV[1])`);
    await expect(script.run(redis, [], ['x'])).rejects.toThrow('NOT A NUMBER x');
  });
});
