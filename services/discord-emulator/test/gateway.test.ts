import { WebSocketShardEvents } from '@discordjs/ws';
import { afterEach, describe, expect, it } from 'vitest';
import { shardOf } from '../src/gateway.js';
import { newMessage } from '../src/messages.js';
import { collect, gatewayClient, startEmulator, type Harness } from './helpers.js';

let h: Harness | undefined;
const MESSAGE_CONTENT_FLAG = 1 << 18;
/** GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT */
const WITH_CONTENT = 1 | (1 << 9) | (1 << 15);
const managers: { destroy(): unknown }[] = [];

afterEach(async () => {
  for (const m of managers.splice(0)) await m.destroy();
  await h?.close();
  h = undefined;
});

describe('gateway with @discordjs/ws', () => {
  it('IDENTIFY → READY then one GUILD_CREATE per guild with member_count', async () => {
    h = await startEmulator({ rateLimits: false });
    const a = await h.client.seedGuild({ name: 'A', memberCount: 1234, members: [{ username: 'alice' }] });
    const b = await h.client.seedGuild({ name: 'B' });
    const ws = gatewayClient(h.rest);
    managers.push(ws);
    const { events, waitFor } = collect(ws);
    await ws.connect();
    await waitFor((e) => e.filter((x) => x.t === 'GUILD_CREATE').length === 2);
    const ready = events.find((e) => e.t === 'READY')!;
    expect(ready.s).toBe(1);
    expect(ready.d).toMatchObject({ v: 10, user: { id: h.emu.state.botUser.id, bot: true }, shard: [0, 1], application: { id: h.emu.state.applicationId } });
    expect(ready.d.guilds).toEqual(
      expect.arrayContaining([
        { id: a.id, unavailable: true },
        { id: b.id, unavailable: true },
      ]),
    );
    const created = events.filter((e) => e.t === 'GUILD_CREATE').map((e) => e.d);
    const first = created.find((g) => g.id === a.id)!;
    expect(first).toMatchObject({ name: 'A', member_count: 1234, unavailable: false, owner_id: a.ownerId });
    expect((first.members as { user: { id: string } }[]).some((m) => m.user.id === h!.emu.state.botUser.id)).toBe(true);
    expect(first.roles).toEqual(expect.arrayContaining([expect.objectContaining({ id: a.id, name: '@everyone' })]));
  });

  it('dispatches guild events live: GUILD_CREATE, CHANNEL_CREATE, MESSAGE_CREATE, CHANNEL_DELETE, GUILD_DELETE', async () => {
    h = await startEmulator({ rateLimits: false });
    // Message content reaches the gateway only with the app's flag and the MESSAGE_CONTENT intent.
    await h.client.setApplicationFlags(MESSAGE_CONTENT_FLAG);
    const ws = gatewayClient(h.rest, { intents: WITH_CONTENT });
    managers.push(ws);
    const { events, waitFor } = collect(ws);
    await ws.connect();
    await waitFor((e) => e.some((x) => x.t === 'READY'));
    const guild = await h.client.seedGuild({ name: 'Later', members: [{ username: 'bob' }], channels: [{ name: 'general' }] });
    await waitFor((e) => e.some((x) => x.t === 'GUILD_CREATE' && x.d.id === guild.id));
    const channel = (await h.rest.post(`/guilds/${guild.id}/channels`, { body: { name: 'new' } })) as { id: string };
    await h.client.sendMessage({ channelId: channel.id, userId: guild.members.find((m) => m.username === 'bob')!.id, content: 'hello' });
    await h.client.deleteChannel(channel.id);
    await h.client.removeGuild(guild.id, { unavailable: true });
    await waitFor((e) => e.some((x) => x.t === 'GUILD_DELETE'));
    const types = events.map((e) => e.t);
    expect(types).toEqual(['READY', 'GUILD_CREATE', 'CHANNEL_CREATE', 'MESSAGE_CREATE', 'CHANNEL_DELETE', 'GUILD_DELETE']);
    expect(events.find((e) => e.t === 'MESSAGE_CREATE')!.d).toMatchObject({ content: 'hello', guild_id: guild.id });
    expect(events.find((e) => e.t === 'GUILD_DELETE')!.d).toEqual({ id: guild.id, unavailable: true });
    const seqs = events.map((e) => e.s);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('RESUME replays the dispatches missed while disconnected, then RESUMED', async () => {
    h = await startEmulator({ rateLimits: false });
    await h.client.setApplicationFlags(MESSAGE_CONTENT_FLAG);
    const guild = await h.client.seedGuild({ name: 'G', channels: [{ name: 'general' }] });
    const ws = gatewayClient(h.rest, { intents: WITH_CONTENT });
    managers.push(ws);
    const { events, waitFor } = collect(ws);
    let resumed = 0;
    ws.on(WebSocketShardEvents.Resumed, () => {
      resumed += 1;
    });
    await ws.connect();
    await waitFor((e) => e.some((x) => x.t === 'GUILD_CREATE'));
    const sessionBefore = (await h.client.gatewaySessions()).sessions[0]!.id;

    // Close the socket and, before the client can come back, produce an event it must not lose.
    h.emu.gateway.disconnect({ code: 4000 });
    const state = h.emu.state;
    const channelId = guild.channels[0]!.id;
    state.addMessage(newMessage(state, { content: 'while you were away', channelId, guildId: guild.id, author: state.ensureUser(guild.ownerId) }));

    await waitFor((e) => e.some((x) => x.t === 'RESUMED'));
    expect(resumed).toBe(1);
    const missed = events.find((e) => e.t === 'MESSAGE_CREATE')!;
    expect(missed.d.content).toBe('while you were away');
    expect(missed.s).toBe(3);
    expect(events.find((e) => e.t === 'RESUMED')!.s).toBe(4);
    const sessions = (await h.client.gatewaySessions()).sessions;
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ id: sessionBefore, connected: true });
  });

  it('op 7 reconnect resumes, op 9 not resumable re-identifies with a new session', async () => {
    h = await startEmulator({ rateLimits: false });
    await h.client.seedGuild({ name: 'G' });
    const ws = gatewayClient(h.rest);
    managers.push(ws);
    const { events, waitFor } = collect(ws);
    await ws.connect();
    await waitFor((e) => e.some((x) => x.t === 'GUILD_CREATE'));
    await h.client.disconnect({ op: 7 });
    await waitFor((e) => e.some((x) => x.t === 'RESUMED'));
    await h.client.disconnect({ op: 9, resumable: false });
    await waitFor((e) => e.filter((x) => x.t === 'READY').length === 2);
    const ids = events.filter((e) => e.t === 'READY').map((e) => e.d.session_id);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('routes guilds to shards by (guild_id >> 22) % shard_count with 2 shards', async () => {
    h = await startEmulator({ rateLimits: false, shardCount: 2 });
    const { ids } = await h.client.seedGuilds({ count: 12 });
    const info = (await h.rest.get('/gateway/bot')) as { shards: number };
    expect(info.shards).toBe(2);
    const ws = gatewayClient(h.rest);
    managers.push(ws);
    const { events, waitFor } = collect(ws);
    await ws.connect();
    await waitFor((e) => e.filter((x) => x.t === 'GUILD_CREATE').length === 12);
    const created = events.filter((e) => e.t === 'GUILD_CREATE');
    for (const e of created) expect(e.shardId).toBe(shardOf(String(e.d.id), 2));
    expect(new Set(created.map((e) => e.shardId))).toEqual(new Set([0, 1]));
    expect(created.map((e) => e.d.id).sort()).toEqual([...ids].sort());
    // A later guild goes to its own shard only.
    const later = await h.client.seedGuild({ name: 'late' });
    await waitFor((e) => e.some((x) => x.t === 'GUILD_CREATE' && x.d.id === later.id));
    expect(events.filter((e) => e.d?.id === later.id).map((e) => e.shardId)).toEqual([shardOf(later.id, 2)]);
  });

  it('seeds 10,000 guilds and advertises one shard per 1000', async () => {
    h = await startEmulator({ rateLimits: false });
    const { ids, count } = await h.client.seedGuilds({ count: 10_000, channels: 2 });
    expect(count).toBe(10_000);
    expect(new Set(ids).size).toBe(10_000);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^\d{17,19}$/);
    const info = (await h.rest.get('/gateway/bot')) as { shards: number };
    expect(info.shards).toBe(10);
  });

  it('closes with 4004 on a bad token', async () => {
    h = await startEmulator({ rateLimits: false });
    const { WebSocket } = await import('ws');
    const socket = new WebSocket(`${h.emu.url.replace('http', 'ws')}/gateway?v=10&encoding=json`);
    const code = await new Promise<number>((resolve) => {
      socket.on('message', (raw) => {
        const payload = JSON.parse(String(raw)) as { op: number; d: { heartbeat_interval?: number } };
        if (payload.op === 10) {
          expect(payload.d.heartbeat_interval).toBe(41_250);
          socket.send(JSON.stringify({ op: 1, d: null }));
        }
        if (payload.op === 11) socket.send(JSON.stringify({ op: 2, d: { token: 'nope', intents: 1, properties: {} } }));
      });
      socket.on('close', (c) => resolve(c));
    });
    expect(code).toBe(4004);
  });
});
