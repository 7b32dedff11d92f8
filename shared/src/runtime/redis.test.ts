import { describe, expect, it } from 'vitest';
import { isClusterUrl, parseClusterUrl } from './redis.js';

describe('Redis Cluster URLs', () => {
  it('reads seed nodes, credentials and TLS', () => {
    expect(isClusterUrl('redis://127.0.0.1:6379')).toBe(false);
    expect(isClusterUrl('rediss-cluster://a:1')).toBe(true);
    expect(parseClusterUrl('redis-cluster://10.0.0.1:7000,10.0.0.2:7001')).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      tls: false,
    });
    expect(parseClusterUrl('rediss-cluster://bot:p%40ss@cache.example:6380/')).toEqual({
      nodes: [{ host: 'cache.example', port: 6380 }],
      username: 'bot',
      password: 'p@ss',
      tls: true,
    });
    expect(parseClusterUrl('redis-cluster://:secret@h:1')).toMatchObject({ password: 'secret' });
  });

  it('names what is wrong in a bad one', () => {
    expect(() => parseClusterUrl('redis-cluster://host')).toThrow('host:port, got "host"');
    expect(() => parseClusterUrl('redis-cluster://h:1/2')).toThrow('redis-cluster://[user:password@]host:port');
  });
});
