import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const AUTH = { authorization: 'Bot emulator.bot.token', 'content-type': 'application/json' };

describe('rate limits', () => {
  it('sends the rate-limit headers on every routed response', async () => {
    h = await startEmulator();
    const guild = await h.client.seedGuild({ name: 'G', channels: [{ name: 'general' }] });
    const res = await fetch(`${h.emu.apiUrl}/v10/channels/${guild.channels[0]!.id}/messages`, {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ content: 'x' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('5');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('4');
    expect(Number(res.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(0);
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
    expect(res.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('answers 429 on an exhausted route bucket, and @discordjs/rest waits and succeeds', async () => {
    h = await startEmulator();
    await h.client.setRateLimits({ routes: { 'POST /channels/:channel_id/messages': { limit: 1, windowMs: 300 } } });
    const guild = await h.client.seedGuild({ name: 'G', channels: [{ name: 'general' }] });
    const channelId = guild.channels[0]!.id;
    // Someone else (another process) spends the bucket; the client does not know.
    expect(
      (await fetch(`${h.emu.apiUrl}/v10/channels/${channelId}/messages`, { method: 'POST', headers: AUTH, body: JSON.stringify({ content: 'a' }) })).status,
    ).toBe(200);
    const message = (await h.rest.post(`/channels/${channelId}/messages`, { body: { content: 'b' } })) as { content: string };
    expect(message.content).toBe('b');
    const log = await h.client.requests({ method: 'POST', path: '/messages' });
    expect(log.map((e) => e.status)).toEqual([200, 429, 200]);
    const limited = await fetch(`${h.emu.url}/_emulator/stats`).then((r) => r.json() as Promise<{ rateLimited: number; invalid: number }>);
    expect(limited.rateLimited).toBe(1);
    expect(limited.invalid).toBe(1);
    expect((await h.client.messages(channelId)).map((m) => m.content)).toEqual(['a', 'b']);
  });

  it('enforces the global per-token limit but not on interaction endpoints', async () => {
    h = await startEmulator();
    await h.client.setRateLimits({ globalPerSecond: 3 });
    const results = await Promise.all(Array.from({ length: 5 }, () => fetch(`${h!.emu.apiUrl}/v10/users/@me`, { headers: AUTH })));
    const limited = results.filter((r) => r.status === 429);
    expect(limited).toHaveLength(2);
    const body = (await limited[0]!.json()) as { global: boolean; retry_after: number; message: string };
    expect(body).toMatchObject({ global: true, message: 'You are being rate limited.' });
    expect(limited[0]!.headers.get('x-ratelimit-global')).toBe('true');
    expect(limited[0]!.headers.get('x-ratelimit-scope')).toBe('global');
    expect(limited[0]!.headers.get('retry-after')).not.toBeNull();
    expect((await h.client.stats()).globalRateLimited).toBe(2);

    // Interaction callbacks are exempt even while the token is globally limited.
    const guild = await h.client.seedGuild({ name: 'G', channels: [{ name: 'general' }] });
    const { id, token } = await h.client.interact({ guildId: guild.id, channelId: guild.channels[0]!.id, userId: guild.ownerId, kind: 'command', name: 'x' });
    const cb = await fetch(`${h.emu.apiUrl}/v10/interactions/${id}/${token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 5 }),
    });
    expect(cb.status).toBe(204);
  });

  it('lets @discordjs/rest ride out a global 429', async () => {
    h = await startEmulator({}, { globalRequestsPerSecond: 1_000 });
    await h.client.setRateLimits({ globalPerSecond: 2 });
    const users = await Promise.all(Array.from({ length: 4 }, () => h!.rest.get('/users/@me')));
    expect(users).toHaveLength(4);
    expect((await h.client.stats()).globalRateLimited).toBeGreaterThan(0);
  });
});

describe('faults', () => {
  it('answers a share of requests with 500; @discordjs/rest retries and the write happens once', async () => {
    h = await startEmulator({ rateLimits: false });
    const guild = await h.client.seedGuild({ name: 'G', channels: [{ name: 'general' }] });
    const channelId = guild.channels[0]!.id;
    await h.client.addFault({ method: 'POST', path: '/channels/\\d+/messages$', kind: 'status', status: 500, ratio: 1, count: 1 });
    await h.rest.post(`/channels/${channelId}/messages`, { body: { content: 'once' } });
    expect((await h.client.requests({ method: 'POST' })).map((e) => e.status)).toEqual([500, 200]);
    expect(await h.client.messages(channelId)).toHaveLength(1);
  });

  it("an injected 500 carries its bucket's headers, so a client that does not retry it never draws a 429 after it", async () => {
    // retries: 0, as the ticket-worker sends (its job retries, not the library).
    h = await startEmulator({}, { retries: 0 });
    const guild = await h.client.seedGuild({ name: 'G', channels: [{ name: 'general' }] });
    const channelId = guild.channels[0]!.id;
    await h.client.setRateLimits({ routes: { 'POST /channels/:channel_id/messages': { limit: 2, windowMs: 1_000 } } });
    await h.rest.post(`/channels/${channelId}/messages`, { body: { content: 'first' } });
    await h.client.addFault({ method: 'POST', path: '/channels/\\d+/messages$', kind: 'status', status: 500, ratio: 1, count: 1 });
    await expect(h.rest.post(`/channels/${channelId}/messages`, { body: { content: 'refused' } })).rejects.toMatchObject({ status: 500 });
    // The 500 used the bucket's last request: the client waits for the window instead of drawing a 429.
    await h.rest.post(`/channels/${channelId}/messages`, { body: { content: 'third' } });
    const log = await h.client.requests({ method: 'POST' });
    expect(log[1]).toMatchObject({ status: 500, fault: 'status' });
    expect(log[1]!.headers?.['X-RateLimit-Remaining']).toBe('0');
    expect(log.map((e) => e.status)).toEqual([200, 500, 200]);
    expect(await h.client.invalidRequests()).toMatchObject({ total: 0 });
  });

  it('a timed-out POST is applied but never answered, so a retry creates twice', async () => {
    h = await startEmulator({ rateLimits: false }, { timeout: 300, retries: 1 });
    const guild = await h.client.seedGuild({ name: 'G' });
    await h.client.addFault({ method: 'POST', path: '/guilds/\\d+/channels$', kind: 'timeout', count: 1 });
    await h.rest.post(`/guilds/${guild.id}/channels`, { body: { name: 'ticket-0001' } });
    const state = await h.client.guild(guild.id);
    expect(state.channels.filter((c) => c.name === 'ticket-0001')).toHaveLength(2);
    const log = await h.client.requests({ method: 'POST' });
    expect(log.map((e) => [e.status, e.fault ?? null])).toEqual([
      [0, 'timeout'],
      [201, null],
    ]);
  });

  it('delays matching requests and clears faults', async () => {
    h = await startEmulator({ rateLimits: false });
    await h.client.addFault({ path: '/users/@me', kind: 'delay', delayMs: 50 });
    await h.rest.get('/users/@me');
    const [entry] = await h.client.requests({ path: '/users' });
    expect(entry!.fault).toBe('delay');
    await h.client.clearFaults();
    await h.rest.get('/users/@me');
    expect((await h.client.requests({ path: '/users' }))[1]!.fault).toBeUndefined();
    await expect(h.client.addFault({ path: '(', kind: 'status' })).rejects.toThrow(/regular expression/);
  });
});
