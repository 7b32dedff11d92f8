import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '@promton/shared/runtime';
import { createLoginLimiter, FAILED_LOGIN_WINDOW_MS, MAX_FAILED_LOGINS, ownerOnly, presentedSecret, secretMatches } from './owner-auth.js';

const TOKEN = 'owner-token-of-at-least-32-characters-0001';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('presentedSecret', () => {
  it('takes a Bearer token, whatever the case of the scheme and the spaces around it', () => {
    expect(presentedSecret(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(presentedSecret(`  bearer   ${TOKEN}  `)).toBe(TOKEN);
    expect(presentedSecret('BEARER two words')).toBe('two words');
  });

  it('takes the password of HTTP Basic, with any user name, a colon in the password kept', () => {
    expect(presentedSecret(basic('owner', TOKEN))).toBe(TOKEN);
    expect(presentedSecret(basic('', 'pass:with:colons'))).toBe('pass:with:colons');
    expect(presentedSecret(`basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`)).toBe(TOKEN);
  });

  it('finds nothing without a header, a value, a colon in Basic, or with another scheme', () => {
    expect(presentedSecret(undefined)).toBeUndefined();
    expect(presentedSecret('')).toBeUndefined();
    expect(presentedSecret('Bearer')).toBeUndefined();
    expect(presentedSecret('Bearer    ')).toBeUndefined();
    expect(presentedSecret(`Basic ${Buffer.from(TOKEN).toString('base64')}`)).toBeUndefined();
    expect(presentedSecret(`Token ${TOKEN}`)).toBeUndefined();
    expect(presentedSecret(`Digest ${TOKEN}`)).toBeUndefined();
    // Only Basic is decoded: another scheme carrying what would decode to user:password is still nothing.
    expect(presentedSecret(`Digest ${Buffer.from(`owner:${TOKEN}`).toString('base64')}`)).toBeUndefined();
  });
});

describe('secretMatches', () => {
  it('accepts exactly the expected secret', () => {
    expect(secretMatches(TOKEN, TOKEN)).toBe(true);
    expect(secretMatches(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(secretMatches(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(secretMatches('', TOKEN)).toBe(false);
    expect(secretMatches(undefined, TOKEN)).toBe(false);
  });
});

describe('createLoginLimiter', () => {
  const T = 1_000_000;

  it(`lets an address fail ${MAX_FAILED_LOGINS} times in a window, then tells it how long to wait`, () => {
    const limiter = createLoginLimiter();
    for (let attempt = 1; attempt < MAX_FAILED_LOGINS; attempt++) {
      expect(limiter.fail('a', T)).toBe(attempt);
      expect(limiter.retryAfter('a', T)).toBe(0);
    }
    expect(limiter.fail('a', T)).toBe(MAX_FAILED_LOGINS);
    expect(limiter.retryAfter('a', T + 1_000)).toBe(FAILED_LOGIN_WINDOW_MS - 1_000);
    expect(limiter.retryAfter('b', T)).toBe(0);
  });

  it('forgets an address when its window ends, and starts a new one', () => {
    const limiter = createLoginLimiter({ max: 2, windowMs: 1_000 });
    limiter.fail('a', T);
    limiter.fail('a', T + 500);
    expect(limiter.retryAfter('a', T + 999)).toBe(1);
    expect(limiter.retryAfter('a', T + 1_000)).toBe(0);
    expect(limiter.size).toBe(0);
    expect(limiter.fail('a', T + 1_000)).toBe(1);
    expect(limiter.retryAfter('a', T + 1_999)).toBe(0);
    expect(limiter.fail('a', T + 1_999)).toBe(2);
    expect(limiter.retryAfter('a', T + 1_999)).toBe(1);
  });

  it('clears an address’s failures on success', () => {
    const limiter = createLoginLimiter({ max: 2 });
    limiter.fail('a', T);
    limiter.fail('b', T);
    limiter.succeed('a');
    expect(limiter.size).toBe(1);
    expect(limiter.fail('a', T)).toBe(1);
    expect(limiter.fail('b', T)).toBe(2);
  });

  it('remembers at most its capacity of addresses, forgetting the oldest window first', () => {
    const limiter = createLoginLimiter({ max: 1, capacity: 2 });
    limiter.fail('a', T);
    limiter.fail('b', T + 1);
    limiter.fail('c', T + 2);
    expect(limiter.size).toBe(2);
    expect(limiter.retryAfter('a', T + 3)).toBe(0);
    expect(limiter.retryAfter('b', T + 3)).toBeGreaterThan(0);
    expect(limiter.retryAfter('c', T + 3)).toBeGreaterThan(0);
    // An address already tracked counts up without evicting anyone.
    limiter.fail('c', T + 3);
    expect(limiter.size).toBe(2);
    expect(limiter.retryAfter('b', T + 3)).toBeGreaterThan(0);
  });
});

describe('ownerOnly', () => {
  // What the guard logs, by level (only warn is expected); its own module needs no more of pino.
  const records: Record<string, unknown>[] = [];
  const record = (level: string) => (fields: object, msg: string) => void records.push({ level, ...fields, msg });
  const logger = { warn: record('warn'), info: record('info'), error: record('error') } as unknown as Logger;
  let url = '';
  let close: () => void = () => undefined;

  beforeAll(async () => {
    const app = express();
    app.set('trust proxy', 'loopback');
    app.use('/configured', ownerOnly(TOKEN, { logger, limiter: createLoginLimiter({ max: 2 }) }));
    app.use('/unconfigured', ownerOnly(undefined, { logger }));
    // Without a logger the guard still counts failures and refuses.
    app.use('/quiet', ownerOnly(TOKEN, { limiter: createLoginLimiter({ max: 1 }) }));
    app.get(/.*/, (_req, res) => void res.send('owner page'));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  const get = async (path: string, ip: string, authorization?: string) => {
    const res = await fetch(`${url}${path}`, { headers: { 'x-forwarded-for': ip, ...(authorization === undefined ? {} : { authorization }) } });
    return { status: res.status, headers: res.headers, body: await res.text() };
  };

  it('answers 503 and never the page when no token is configured', async () => {
    const res = await get('/unconfigured/dashboard', '192.0.2.1', `Bearer ${TOKEN}`);
    expect(res.status).toBe(503);
    expect(res.body).toBe('Owner pages are not configured: set OWNER_TOKEN to enable them.\n');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('works without a logger: a failure is answered 401, then the address 429', async () => {
    expect((await get('/quiet/dashboard', '192.0.2.9', 'Bearer wrong')).status).toBe(401);
    expect((await get('/quiet/dashboard', '192.0.2.9', `Bearer ${TOKEN}`)).status).toBe(429);
  });

  it('lets the token in as Bearer or Basic password, uncached', async () => {
    for (const authorization of [`Bearer ${TOKEN}`, basic('anyone', TOKEN)]) {
      const res = await get('/configured/dashboard', '192.0.2.2', authorization);
      expect(res).toMatchObject({ status: 200, body: 'owner page' });
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('asks for the login without counting a bare request as an attempt', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await get('/configured/dashboard', '192.0.2.3');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="PROMTON-TICKETS", charset="UTF-8"');
      expect(res.body).toBe('Authentication required: the owner token as the Basic password or a Bearer token.\n');
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    }
    expect(records.filter((r) => r.ip === '192.0.2.3')).toEqual([]);
    expect((await get('/configured/dashboard', '192.0.2.3', `Bearer ${TOKEN}`)).status).toBe(200);
  });

  it('logs each failure with address, path and count, refuses the address with 429 at the limit, and a success clears it', async () => {
    const guess = 'a-wrong-guess-that-is-never-logged';
    expect((await get('/configured/metrics', '192.0.2.4', `Bearer ${guess}`)).status).toBe(401);
    expect((await get('/configured/metrics', '192.0.2.4', basic('x', guess))).status).toBe(401);
    const refused = await get('/configured/dashboard', '192.0.2.4', `Bearer ${TOKEN}`);
    expect(refused.status).toBe(429);
    expect(refused.body).toBe('Too many failed logins from this address; try again later.\n');
    expect(refused.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(refused.headers.get('retry-after')).toBe(String(FAILED_LOGIN_WINDOW_MS / 1000));
    const mine = records.filter((r) => r.ip === '192.0.2.4');
    expect(mine).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'owner login failed', path: '/metrics', failures: 1 }),
      expect.objectContaining({ level: 'warn', msg: 'owner login failed', path: '/metrics', failures: 2 }),
      expect.objectContaining({ level: 'warn', msg: 'owner login refused: too many failed attempts from this address', path: '/dashboard' }),
    ]);
    expect(JSON.stringify(records)).not.toContain(guess);
    // Another address is unaffected, and its success wipes its own failure.
    expect((await get('/configured/metrics', '192.0.2.5', `Bearer ${guess}`)).status).toBe(401);
    expect((await get('/configured/metrics', '192.0.2.5', `Bearer ${TOKEN}`)).status).toBe(200);
    expect((await get('/configured/metrics', '192.0.2.5', `Bearer ${guess}`)).status).toBe(401);
    expect((await get('/configured/metrics', '192.0.2.5', `Bearer ${TOKEN}`)).status).toBe(200);
  });
});
