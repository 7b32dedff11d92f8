import { DiscordAPIError, RateLimitError, REST } from '@discordjs/rest';
import { EMULATOR_BOT_TOKEN } from '@promton/shared/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Status of a request that is expected to fail. */
async function statusOf(request: Promise<unknown>): Promise<number> {
  try {
    await request;
  } catch (error) {
    if (error instanceof DiscordAPIError) return error.status;
    if (error instanceof RateLimitError) return 429;
    throw error;
  }
  return 200;
}

describe('invalid requests (Discord: 10,000 per 10 minutes, then a ban)', () => {
  it('counts 401, 403 and repeated 404s, not a first 404 nor a success', async () => {
    h = await startEmulator({ rateLimits: false }, { retries: 0 });
    // The bot cannot see this channel: @everyone and its role lack View Channel there.
    const guild = await h.client.seedGuild({ name: 'G', channels: [{ name: 'hidden', permissionOverwrites: [{ id: '@everyone', deny: String(1 << 10) }] }] });
    const hidden = guild.channels[0]!.id;
    const badToken = new REST({ api: h.emu.apiUrl, retries: 0 }).setToken('not-the-token');

    await h.rest.get('/users/@me');
    expect((await h.client.invalidRequests()).count).toBe(0);
    expect(await statusOf(badToken.get('/users/@me'))).toBe(401);
    expect(await statusOf(h.rest.get(`/channels/${hidden}`))).toBe(403);
    expect((await h.client.invalidRequests()).count).toBe(2);
    expect(await statusOf(h.rest.get('/channels/123456789012345678'))).toBe(404);
    expect((await h.client.invalidRequests()).count).toBe(2);
    expect(await statusOf(h.rest.get('/channels/123456789012345678'))).toBe(404);
    const snapshot = await h.client.invalidRequests();
    expect(snapshot).toMatchObject({ count: 3, total: 3, limit: 10_000, windowMs: 600_000, banned: false });
    // Each counted request is listed, so a caller can trace it.
    expect(snapshot.counted.map((c) => `${c.status} ${c.method} ${c.path}`)).toEqual([
      '401 GET /users/@me',
      `403 GET /channels/${hidden}`,
      '404 GET /channels/123456789012345678',
    ]);
    badToken.clearHashSweeper();
    badToken.clearHandlerSweeper();
  });

  it("does not count a fault the emulator injects (Discord's failure, not the bot's invalid request)", async () => {
    h = await startEmulator({ rateLimits: false }, { retries: 0 });
    await h.client.addFault({ id: 'injected-429', path: '^/users/@me$', kind: 'status', status: 429, ratio: 1 });
    await h.client.addFault({ id: 'injected-403', path: '^/gateway/bot$', kind: 'status', status: 403, ratio: 1 });
    // A bare request for the 429 (@discordjs/rest would wait and retry an injected 429 that names no Retry-After).
    const injected = await fetch(`${h.emu.apiUrl}/v10/users/@me`, { headers: { authorization: `Bot ${EMULATOR_BOT_TOKEN}` } });
    expect(injected.status).toBe(429);
    expect(await statusOf(h.rest.get('/gateway/bot'))).toBe(403);
    expect((await h.client.stats()).faultHits).toBe(2);
    expect(await h.client.invalidRequests()).toMatchObject({ count: 0, total: 0, counted: [] });
    // The same answers given by the emulator itself still count.
    await h.client.clearFaults();
    const badToken = new REST({ api: h.emu.apiUrl, retries: 0 }).setToken('not-the-token');
    expect(await statusOf(badToken.get('/users/@me'))).toBe(401);
    expect((await h.client.invalidRequests()).total).toBe(1);
    badToken.clearHashSweeper();
    badToken.clearHandlerSweeper();
  });

  it('at the limit every request, valid or not, is refused with 429 until the window ends', async () => {
    h = await startEmulator({ rateLimits: false }, { retries: 0, rejectOnRateLimit: () => true });
    const guild = await h.client.seedGuild({ name: 'G', channels: [{ name: 'hidden', permissionOverwrites: [{ id: '@everyone', deny: String(1 << 10) }] }] });
    await h.client.setInvalidRequestLimit({ limit: 3 });
    for (let i = 0; i < 3; i += 1) expect(await statusOf(h.rest.get(`/channels/${guild.channels[0]!.id}`))).toBe(403);
    const snapshot = await h.client.invalidRequests();
    expect(snapshot).toMatchObject({ count: 3, banned: true });
    expect(snapshot.resetAfterMs).toBeGreaterThan(0);
    let error: unknown;
    try {
      await h.rest.get('/users/@me');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).global).toBe(true);
    // A short window: the ban lifts when it ends (a new client: @discordjs/rest remembers the global wait it was told).
    await h.client.setInvalidRequestLimit({ windowMs: 1 });
    const fresh = new REST({ api: h.emu.apiUrl, retries: 0 }).setToken(EMULATOR_BOT_TOKEN);
    expect(await fresh.get('/users/@me')).toMatchObject({ id: h.emu.state.botUser.id });
    fresh.clearHashSweeper();
    fresh.clearHandlerSweeper();
  });
});
