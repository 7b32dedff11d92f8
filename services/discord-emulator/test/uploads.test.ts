import { DiscordAPIError } from '@discordjs/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Harness } from './helpers.js';

const MiB = 1024 * 1024;

let h: Harness;
let guildId: string;
let channelId: string;
let memberId: string;

beforeEach(async () => {
  h = await startEmulator({ rateLimits: false }, { timeout: 60_000 });
  const guild = await h.client.seedGuild({ name: 'G', members: [{ username: 'alice' }], channels: [{ name: 'general' }] });
  guildId = guild.id;
  channelId = guild.channels[0]!.id;
  memberId = guild.members.find((m) => m.username === 'alice')!.id;
});
afterEach(async () => {
  await h.close();
});

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${h.emu.url}/_emulator${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DiscordAPIError) return error;
    throw error;
  }
  throw new Error('expected a DiscordAPIError');
}

const upload = (bytes: number, name = 'file.bin') =>
  h.rest.post(`/channels/${channelId}/messages`, { body: { content: 'x' }, files: [{ name, data: Buffer.alloc(bytes, 97) }] }) as Promise<{
    attachments: { filename: string; size: number; url: string; proxy_url: string }[];
  }>;

describe('uploads: the guild limit by boost tier', () => {
  it('takes a file of exactly 10 MiB in an unboosted guild and refuses one byte more with 413 / 40005', async () => {
    expect((await upload(10 * MiB)).attachments[0]).toMatchObject({ size: 10 * MiB });
    const error = await apiError(upload(10 * MiB + 1));
    expect(error.status).toBe(413);
    expect(error.code).toBe(40005);
    expect(error.message).toMatch(/Request entity too large/);
    // Nothing was posted by the refused request.
    expect((await h.client.messages(channelId)).length).toBe(1);
  });

  it('raises the limit with the boost tier (level 2: 50 MiB) and shows premium_tier on the guild', async () => {
    expect(((await h.rest.get(`/guilds/${guildId}`)) as { premium_tier: number }).premium_tier).toBe(0);
    const set = await control('PUT', `/guilds/${guildId}/premium-tier`, { tier: 2 });
    expect(set).toEqual({ status: 200, body: { id: guildId, premium_tier: 2, attachment_size_limit: 50 * MiB } });
    expect(((await h.rest.get(`/guilds/${guildId}`)) as { premium_tier: number }).premium_tier).toBe(2);
    expect((await upload(11 * MiB)).attachments[0]!.size).toBe(11 * MiB);
    // Level 1 adds nothing over the default.
    await control('PUT', `/guilds/${guildId}/premium-tier`, { tier: 1 });
    expect((await apiError(upload(11 * MiB))).code).toBe(40005);
    expect((await control('PUT', `/guilds/${guildId}/premium-tier`, { tier: 4 })).status).toBe(400);
    expect((await control('PUT', `/guilds/999/premium-tier`, { tier: 1 })).status).toBe(404);
  });

  it('refuses files that together pass the 25 MiB request size', async () => {
    const files = [0, 1, 2].map((i) => ({ name: `part${i}.bin`, data: Buffer.alloc(9 * MiB, 98) }));
    const error = await apiError(h.rest.post(`/channels/${channelId}/messages`, { body: { content: 'x' }, files }));
    expect([error.status, error.code]).toEqual([413, 40005]);
    const two = (await h.rest.post(`/channels/${channelId}/messages`, { body: { content: 'x' }, files: files.slice(0, 2) })) as { attachments: unknown[] };
    expect(two.attachments).toHaveLength(2);
  });

  it('applies the limit to webhook executions too, and a test may lower it (limitBytes)', async () => {
    await control('PUT', `/guilds/${guildId}/premium-tier`, { tier: 0, limitBytes: 1000 });
    const webhook = (await h.rest.post(`/channels/${channelId}/webhooks`, { body: { name: 'log' } })) as { id: string; token: string };
    const error = await apiError(
      h.rest.post(`/webhooks/${webhook.id}/${webhook.token}`, { body: { content: 'x' }, files: [{ name: 'a.html', data: Buffer.alloc(1001) }], auth: false }),
    );
    expect([error.status, error.code]).toEqual([413, 40005]);
    await h.rest.post(`/webhooks/${webhook.id}/${webhook.token}`, {
      body: { content: 'x' },
      files: [{ name: 'a.html', data: Buffer.alloc(1000) }],
      auth: false,
    });
    expect((await h.client.messages(channelId)).map((m) => m.attachments.map((a) => a.size))).toEqual([[1000]]);
  });

  it("sends the guild's limit as the interaction's attachment_size_limit", async () => {
    const first = await h.client.interact({ guildId, channelId, userId: memberId, kind: 'command', name: 'ping' });
    expect(first.payload.attachment_size_limit).toBe(10 * MiB);
    await control('PUT', `/guilds/${guildId}/premium-tier`, { tier: 3 });
    const second = await h.client.interact({ guildId, channelId, userId: memberId, kind: 'command', name: 'ping' });
    expect(second.payload.attachment_size_limit).toBe(100 * MiB);
  });
});

describe('attachment URLs: signed and expiring like Discord CDN', () => {
  it('signs with ex, is and hm, serves the file, and answers 404 to a tampered or unsigned URL', async () => {
    const { attachments } = await upload(5, 'a.txt');
    const url = new URL(attachments[0]!.url);
    expect(url.pathname).toMatch(/^\/attachments\/\d+\/\d+\/a\.txt$/);
    const ex = parseInt(url.searchParams.get('ex') ?? '', 16);
    const is = parseInt(url.searchParams.get('is') ?? '', 16);
    expect(url.searchParams.get('hm')).toMatch(/^[0-9a-f]{64}$/);
    // 24 h by default, in hex seconds as Discord writes them.
    expect(ex - is).toBe(24 * 60 * 60);
    expect(Math.abs(is - Date.now() / 1000)).toBeLessThan(3600);
    expect(await (await fetch(url)).text()).toBe('aaaaa');

    const tampered = new URL(url);
    tampered.searchParams.set('ex', (ex + 3600).toString(16));
    expect((await fetch(tampered)).status).toBe(404);
    const otherHm = new URL(url);
    otherHm.searchParams.set('hm', '0'.repeat(64));
    expect((await fetch(otherHm)).status).toBe(404);
    expect((await fetch(`${url.origin}${url.pathname}`)).status).toBe(404);
    // The signature covers the path: another file's name with this signature is refused.
    expect((await fetch(`${url.origin}${url.pathname.replace('a.txt', 'b.txt')}${url.search}`)).status).toBe(404);
  });

  it('answers 404 once the URL has expired (clock moved past ex)', async () => {
    const { attachments } = await upload(5, 'a.txt');
    expect((await fetch(attachments[0]!.url)).status).toBe(200);
    const realNow = h.emu.state.uploads.now;
    h.emu.state.uploads.now = () => realNow() + 24 * 60 * 60_000 + 1000;
    expect((await fetch(attachments[0]!.url)).status).toBe(404);
  });

  it('takes a shorter lifetime from the control API (and the emulator option), reset restores it', async () => {
    expect(await control('GET', '/attachments/settings')).toEqual({ status: 200, body: { ttlMs: 24 * 60 * 60_000 } });
    expect(await control('PUT', '/attachments/settings', { ttlMs: 0 })).toEqual({ status: 200, body: { ttlMs: 0 } });
    const { attachments } = await upload(5, 'a.txt');
    expect((await fetch(attachments[0]!.url)).status).toBe(404);
    expect((await control('PUT', '/attachments/settings', { ttlMs: -1 })).status).toBe(400);
    await h.client.reset();
    expect((await control('GET', '/attachments/settings')).body.ttlMs).toBe(24 * 60 * 60_000);

    const short = await startEmulator({ rateLimits: false, attachmentUrlTtlMs: 60_000 });
    try {
      const g = await short.client.seedGuild({ name: 'G', channels: [{ name: 'general' }] });
      const posted = (await short.rest.post(`/channels/${g.channels[0]!.id}/messages`, {
        body: { content: 'x' },
        files: [{ name: 'a.txt', data: Buffer.from('hi') }],
      })) as { attachments: { url: string }[] };
      const u = new URL(posted.attachments[0]!.url);
      expect(parseInt(u.searchParams.get('ex')!, 16) - parseInt(u.searchParams.get('is')!, 16)).toBe(60);
    } finally {
      await short.close();
    }
  });
});

describe('bulk messages (control API)', () => {
  it('adds thousands of messages at once, newest last, readable page by page', async () => {
    await h.client.setApplicationFlags(1 << 18);
    const res = await control('POST', `/channels/${channelId}/messages/bulk`, { userId: memberId, count: 2500, content: 'line {i}' });
    expect(res.status).toBe(201);
    const page = (await h.rest.get(`/channels/${channelId}/messages`, { query: new URLSearchParams({ limit: '100' }) })) as { content: string }[];
    expect(page[0]!.content).toBe('line 2500');
    expect(page[99]!.content).toBe('line 2401');
    expect((await h.client.messages(channelId)).length).toBe(2500);
    expect((await control('POST', `/channels/${channelId}/messages/bulk`, { userId: memberId, count: 0, content: 'x' })).status).toBe(400);
  });
});
