import { WebSocketShardEvents } from '@discordjs/ws';
import { EMULATOR_BOT_TOKEN } from '@promton/shared/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { collect, gatewayClient, startEmulator, type Harness } from './helpers.js';

let h: Harness | undefined;
const managers: { destroy(): unknown }[] = [];

afterEach(async () => {
  for (const m of managers.splice(0)) await m.destroy();
  await h?.close();
  h = undefined;
});

const GUILDS = 1 << 0;
const GUILD_MEMBERS = 1 << 1;
const GUILD_MESSAGES = 1 << 9;
const MESSAGE_CONTENT = 1 << 15;
const FLAG_MESSAGE_CONTENT = 1 << 18;
const FLAG_MESSAGE_CONTENT_LIMITED = 1 << 19;

interface ApiMessage {
  id: string;
  content: string;
  embeds: unknown[];
  attachments: unknown[];
  components: unknown[];
  author: { id: string };
}

async function seed(harness: Harness) {
  const guild = await harness.client.seedGuild({ name: 'G', members: [{ username: 'alice' }], channels: [{ name: 'general' }] });
  return { guild, channelId: guild.channels[0]!.id, aliceId: guild.members.find((m) => m.username === 'alice')!.id };
}

/** IDENTIFY over a bare socket; resolves with the close code (or 0 once READY arrives). */
function identifyRaw(url: string, intents: number): Promise<number> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/gateway?v=10&encoding=json`);
  return new Promise<number>((resolve) => {
    socket.on('message', (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; t?: string };
      if (payload.op === 10) socket.send(JSON.stringify({ op: 2, d: { token: EMULATOR_BOT_TOKEN, intents, properties: {} } }));
      if (payload.t === 'READY') {
        socket.close();
        resolve(0);
      }
    });
    socket.on('close', (code) => resolve(code));
  });
}

describe('Message Content: off unless the application has the flag', () => {
  it('GET /applications/@me has no Message Content flag by default; the control API toggles it', async () => {
    h = await startEmulator({ rateLimits: false });
    expect(((await h.rest.get('/applications/@me')) as { flags: number }).flags & (FLAG_MESSAGE_CONTENT | FLAG_MESSAGE_CONTENT_LIMITED)).toBe(0);
    await h.client.setApplicationFlags(FLAG_MESSAGE_CONTENT_LIMITED);
    expect(((await h.rest.get('/applications/@me')) as { flags: number }).flags).toBe(FLAG_MESSAGE_CONTENT_LIMITED);
    await expect(h.client.setApplicationFlags(-1)).rejects.toThrow(/flags/);
  });

  it('REST: other users’ messages come with empty content, embeds, attachments; the app’s own and mentioning messages do not', async () => {
    h = await startEmulator({ rateLimits: false });
    const { channelId, aliceId } = await seed(h);
    const secret = await h.client.sendMessage({
      channelId,
      userId: aliceId,
      content: 'my password is hunter2',
      attachments: [{ filename: 'a.txt', content: 'x' }],
    });
    const mention = await h.client.sendMessage({ channelId, userId: aliceId, content: `<@${h.emu.state.botUser.id}> help` });
    const own = (await h.rest.post(`/channels/${channelId}/messages`, { body: { content: 'bot says', embeds: [{ title: 't' }] } })) as ApiMessage;

    const list = (await h.rest.get(`/channels/${channelId}/messages`)) as ApiMessage[];
    const byId = new Map(list.map((m) => [m.id, m]));
    expect(byId.get(secret.id)).toMatchObject({ content: '', embeds: [], attachments: [], components: [], author: { id: aliceId } });
    expect(byId.get(mention.id)!.content).toBe(`<@${h.emu.state.botUser.id}> help`);
    expect(byId.get(own.id)).toMatchObject({ content: 'bot says', embeds: [expect.objectContaining({ title: 't' })] });
    expect(((await h.rest.get(`/channels/${channelId}/messages/${secret.id}`)) as ApiMessage).content).toBe('');
    // The emulator's own record is untouched.
    expect((await h.client.messages(channelId)).find((m) => m.id === secret.id)!.content).toBe('my password is hunter2');

    await h.client.setApplicationFlags(FLAG_MESSAGE_CONTENT);
    const fetched = (await h.rest.get(`/channels/${channelId}/messages/${secret.id}`)) as ApiMessage;
    expect(fetched.content).toBe('my password is hunter2');
    expect(fetched.attachments).toHaveLength(1);
  });

  it('IDENTIFY with MESSAGE_CONTENT (or GUILD_MEMBERS) the app lacks closes with 4014', async () => {
    h = await startEmulator({ rateLimits: false });
    expect(await identifyRaw(h.emu.url, GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT)).toBe(4014);
    expect(await identifyRaw(h.emu.url, GUILDS | GUILD_MEMBERS)).toBe(4014);
    await h.client.setIdentifyLimits({ windowMs: 0 });
    expect(await identifyRaw(h.emu.url, GUILDS | GUILD_MESSAGES)).toBe(0);
    await h.client.setApplicationFlags(FLAG_MESSAGE_CONTENT_LIMITED);
    expect(await identifyRaw(h.emu.url, GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT)).toBe(0);
  });

  it('gateway: MESSAGE_CREATE carries content only to a session with the MESSAGE_CONTENT intent', async () => {
    h = await startEmulator({ rateLimits: false });
    const { channelId, aliceId } = await seed(h);
    const without = gatewayClient(h.rest, { intents: GUILDS | GUILD_MESSAGES });
    managers.push(without);
    const a = collect(without);
    await without.connect();
    await a.waitFor((e) => e.some((x) => x.t === 'GUILD_CREATE'));
    await h.client.sendMessage({ channelId, userId: aliceId, content: 'first' });
    await a.waitFor((e) => e.some((x) => x.t === 'MESSAGE_CREATE'));
    expect(a.events.find((x) => x.t === 'MESSAGE_CREATE')!.d).toMatchObject({ content: '', embeds: [], attachments: [], author: { id: aliceId } });
    await without.destroy();

    await h.client.setApplicationFlags(FLAG_MESSAGE_CONTENT);
    const withContent = gatewayClient(h.rest, { intents: GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT });
    managers.push(withContent);
    const b = collect(withContent);
    await withContent.connect();
    await b.waitFor((e) => e.some((x) => x.t === 'GUILD_CREATE'));
    await h.client.sendMessage({ channelId, userId: aliceId, content: 'second' });
    await b.waitFor((e) => e.some((x) => x.t === 'MESSAGE_CREATE'));
    expect(b.events.find((x) => x.t === 'MESSAGE_CREATE')!.d.content).toBe('second');
  });
});

describe('intents: only the events of the intents asked for', () => {
  it('Guilds only: no MESSAGE_CREATE and no GUILD_MEMBER_ADD; GUILD_MEMBERS is needed for member events', async () => {
    h = await startEmulator({ rateLimits: false });
    const { guild, channelId, aliceId } = await seed(h);
    const ws = gatewayClient(h.rest, { intents: GUILDS });
    managers.push(ws);
    const { events, waitFor } = collect(ws);
    let closed = 0;
    ws.on(WebSocketShardEvents.Closed, () => {
      closed += 1;
    });
    await ws.connect();
    await waitFor((e) => e.some((x) => x.t === 'GUILD_CREATE'));
    await h.client.sendMessage({ channelId, userId: aliceId, content: 'hello' });
    await h.client.addMember(guild.id, { username: 'bob' });
    // A Guilds event after both: when it arrives, the two before it would have arrived too.
    const channel = (await h.rest.post(`/guilds/${guild.id}/channels`, { body: { name: 'after' } })) as { id: string };
    await waitFor((e) => e.some((x) => x.t === 'CHANNEL_CREATE' && x.d.id === channel.id));
    expect(events.map((e) => e.t)).toEqual(['READY', 'GUILD_CREATE', 'CHANNEL_CREATE']);
    expect(closed).toBe(0);
  });
});
