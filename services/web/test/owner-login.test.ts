import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@promton/shared/contracts';
import { createLogger } from '@promton/shared/runtime';
import { createLoginLimiter, MAX_FAILED_LOGINS } from '../src/owner-auth.js';
import { bearer, OWNER_TOKEN, startWeb, testConfig } from './support.js';

const OWNER_PATHS = ['/dashboard', '/dashboard/data.json', '/metrics', '/admin/queues', '/admin/queues/api/queues'];

/** Log records the web app writes, parsed. */
function captureLogs() {
  const records: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) records.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { records, logger: createLogger({ service: 'web', level: 'info', destination }) };
}

describe('owner logins', () => {
  let web: Awaited<ReturnType<typeof startWeb>>;
  const logs = captureLogs();

  beforeAll(async () => {
    web = await startWeb(testConfig(), { logger: logs.logger });
  });
  afterAll(async () => {
    await web.close();
  });

  const from = (ip: string, authorization?: string) => ({ 'x-forwarded-for': ip, ...(authorization ? { authorization } : {}) });

  it(`refuses an address with 429 after ${MAX_FAILED_LOGINS} failed logins, even with the right token, while other addresses still log in`, async () => {
    const attacker = '203.0.113.7';
    for (let attempt = 1; attempt <= MAX_FAILED_LOGINS; attempt++) {
      const res = await fetch(`${web.url}/metrics`, { headers: from(attacker, `Bearer wrong-guess-number-${attempt}`) });
      expect(res.status).toBe(401);
      await res.arrayBuffer();
    }
    for (const authorization of ['Bearer another-wrong-guess', bearer.authorization]) {
      const res = await fetch(`${web.url}/dashboard`, { headers: from(attacker, authorization) });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      await res.arrayBuffer();
    }
    const other = await fetch(`${web.url}/dashboard`, { headers: from('203.0.113.8', bearer.authorization) });
    expect(other.status).toBe(200);
    await other.arrayBuffer();
  });

  it('logs every failed login with the address and path, never what was presented', async () => {
    const guess = 'a-guess-that-must-not-be-logged-0001';
    const res = await fetch(`${web.url}/dashboard/data.json`, { headers: from('198.51.100.23', `Bearer ${guess}`) });
    expect(res.status).toBe(401);
    const failed = logs.records.filter((r) => r.msg === 'owner login failed' && r.ip === '198.51.100.23');
    expect(failed).toEqual([expect.objectContaining({ level: 40, path: '/dashboard/data.json', failures: 1 })]);
    const all = JSON.stringify(logs.records);
    expect(all).not.toContain(guess);
    expect(all).not.toContain(OWNER_TOKEN);
    expect(logs.records.some((r) => r.msg === 'owner login refused: too many failed attempts from this address' && r.ip === '203.0.113.7')).toBe(true);
  });

  it('a correct login clears the address’s failures', async () => {
    const ip = '198.51.100.99';
    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++) await (await fetch(`${web.url}/metrics`, { headers: from(ip, 'Bearer nope-nope-nope') })).arrayBuffer();
    expect((await fetch(`${web.url}/dashboard`, { headers: from(ip, bearer.authorization) })).status).toBe(200);
    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++)
      expect((await fetch(`${web.url}/metrics`, { headers: from(ip, 'Bearer nope-nope-nope') })).status).toBe(401);
  });

  it.each(OWNER_PATHS)('%s sends no X-Powered-By', async (path) => {
    const res = await fetch(`${web.url}${path}`, { headers: from('192.0.2.1', bearer.authorization) });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-powered-by')).toBeNull();
    await res.arrayBuffer();
  });
});

describe('login limiter', () => {
  it('counts per address within a window and forgets it when the window ends', () => {
    const limiter = createLoginLimiter({ max: 3, windowMs: 1000 });
    expect([limiter.fail('a', 0), limiter.fail('a', 10), limiter.fail('b', 10)]).toEqual([1, 2, 1]);
    expect(limiter.retryAfter('a', 20)).toBe(0);
    expect(limiter.fail('a', 20)).toBe(3);
    expect(limiter.retryAfter('a', 20)).toBe(980);
    expect(limiter.retryAfter('b', 20)).toBe(0);
    expect(limiter.retryAfter('a', 999)).toBe(1);
    expect(limiter.retryAfter('a', 1000)).toBe(0);
    expect(limiter.fail('a', 1000)).toBe(1);
    limiter.succeed('a');
    expect(limiter.fail('a', 1001)).toBe(1);
  });

  it('remembers at most `capacity` addresses, dropping the oldest', () => {
    const limiter = createLoginLimiter({ max: 1, windowMs: 1000, capacity: 2 });
    limiter.fail('a', 0);
    limiter.fail('b', 1);
    limiter.fail('c', 2);
    expect(limiter.size).toBe(2);
    expect(limiter.retryAfter('a', 3)).toBe(0);
    expect(limiter.retryAfter('b', 3)).toBe(998);
    expect(limiter.retryAfter('c', 3)).toBe(999);
  });
});

describe('OWNER_TOKEN', () => {
  it.each([
    ['8 spaces', '        '],
    ['31 characters', 'x'.repeat(31)],
    ['32 characters with a space', `${'x'.repeat(16)} ${'x'.repeat(16)}`],
    ['a tab', `${'x'.repeat(32)}\t`],
  ])('is refused when it is %s', (_label, token) => {
    expect(() => loadConfig({ DISCORD_API_URL: 'http://127.0.0.1:9/api', OWNER_TOKEN: token })).toThrow(ConfigError);
    expect(() => loadConfig({ DISCORD_API_URL: 'http://127.0.0.1:9/api', OWNER_TOKEN: token })).toThrow(
      /OWNER_TOKEN: must be at least 32 characters without whitespace/,
    );
  });

  it('is accepted with 32 non-space characters', () => {
    expect(loadConfig({ DISCORD_API_URL: 'http://127.0.0.1:9/api', OWNER_TOKEN: 'x'.repeat(32) }).ownerToken).toBe('x'.repeat(32));
  });
});
