import { createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DiscordAPIError } from '@discordjs/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, gatewayClient, startEmulator, type Harness } from './helpers.js';

let h: Harness | undefined;
let server: Server | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  valid: boolean;
}

/** A bot's endpoint: checks Discord's signature with the verify_key, and answers with `answer`. */
async function endpoint(
  verifyKeyHex: () => string,
  answer: (payload: { type: number }, valid: boolean, res: ServerResponse) => void,
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const key = createPublicKey({
        key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(verifyKeyHex(), 'hex')]),
        format: 'der',
        type: 'spki',
      });
      const signature = String(req.headers['x-signature-ed25519'] ?? '');
      const timestamp = String(req.headers['x-signature-timestamp'] ?? '');
      const valid = signature.length === 128 && verify(null, Buffer.concat([Buffer.from(timestamp), body]), key, Buffer.from(signature, 'hex'));
      received.push({ headers: req.headers, body: body.toString(), valid });
      answer(JSON.parse(body.toString()) as { type: number }, valid, res);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/interactions`, received };
}

const json = (res: ServerResponse, status: number, body: unknown): void =>
  void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

async function setup() {
  h = await startEmulator({ rateLimits: false });
  const guild = await h.client.seedGuild({ name: 'G', members: [{ username: 'alice' }], channels: [{ name: 'general' }] });
  const app = (await h.rest.get('/applications/@me')) as { verify_key: string; interactions_endpoint_url: string | null };
  return { h, guild, alice: guild.members[0]!.id, channel: guild.channels.find((c) => c.name === 'general')!.id, verifyKey: app.verify_key, app };
}

async function patchError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DiscordAPIError) return error;
    throw error;
  }
  throw new Error('expected a DiscordAPIError');
}

describe('interactions endpoint URL', () => {
  it("shows the application's Ed25519 public key and no endpoint at first", async () => {
    const { verifyKey, app } = await setup();
    expect(verifyKey).toMatch(/^[0-9a-f]{64}$/);
    expect(app.interactions_endpoint_url).toBeNull();
  });

  it('saves the URL only after a signed PING got a PONG and a forged one got 401', async () => {
    const { h, verifyKey } = await setup();
    const good = await endpoint(
      () => verifyKey,
      (_p, valid, res) => (valid ? json(res, 200, { type: 1 }) : json(res, 401, { error: 'bad signature' })),
    );
    const saved = (await h.rest.patch('/applications/@me', { body: { interactions_endpoint_url: good.url } })) as { interactions_endpoint_url: string };
    expect(saved.interactions_endpoint_url).toBe(good.url);
    expect(good.received.map((r) => [JSON.parse(r.body).type, r.valid])).toEqual([
      [1, true],
      [1, false],
    ]);
    expect(good.received[0]!.headers['x-signature-timestamp']).toMatch(/^\d{10}$/);
  });

  it('refuses an endpoint that accepts a forged signature, or does not answer PONG', async () => {
    const { h, verifyKey } = await setup();
    const careless = await endpoint(
      () => verifyKey,
      (_p, _valid, res) => json(res, 200, { type: 1 }),
    );
    const error = await patchError(h.rest.patch('/applications/@me', { body: { interactions_endpoint_url: careless.url } }));
    expect(error.status).toBe(400);
    expect(JSON.stringify(error.rawError)).toContain('APPLICATION_INTERACTIONS_ENDPOINT_URL_INVALID');
    expect(JSON.stringify(error.rawError)).toContain('bad signature got 200');
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const silent = await endpoint(
      () => verifyKey,
      (_p, _valid, res) => json(res, 500, {}),
    );
    const second = await patchError(h.rest.patch('/applications/@me', { body: { interactions_endpoint_url: silent.url } }));
    expect(JSON.stringify(second.rawError)).toContain('not a PONG');
    expect(((await h.rest.get('/applications/@me')) as { interactions_endpoint_url: string | null }).interactions_endpoint_url).toBeNull();
  });

  it('POSTs interactions there, signed, instead of INTERACTION_CREATE, and takes the reply as the initial response', async () => {
    const { h, verifyKey, guild, alice, channel } = await setup();
    const target = await endpoint(
      () => verifyKey,
      (payload, valid, res) => {
        if (!valid) return json(res, 401, {});
        json(res, 200, payload.type === 1 ? { type: 1 } : { type: 4, data: { content: 'hello over HTTP', flags: 64 } });
      },
    );
    await h.rest.patch('/applications/@me', { body: { interactions_endpoint_url: target.url } });
    const manager = gatewayClient(h.rest);
    const seen = collect(manager);
    await manager.connect();
    await seen.waitFor((events) => events.some((e) => e.t === 'GUILD_CREATE'));

    const { id } = await h.client.interact({ guildId: guild.id, channelId: channel, userId: alice, kind: 'command', name: 'ping' });
    const state = await h.client.waitForResponse(id);
    expect(state.response).toMatchObject({ type: 4, data: { content: 'hello over HTTP' } });
    expect(state.delivery).toEqual({ status: 200 });
    const delivered = target.received.at(-1)!;
    expect(delivered.valid).toBe(true);
    expect(JSON.parse(delivered.body)).toMatchObject({ id, type: 2, guild_id: guild.id });
    // A gateway event after the interaction arrives, and the interaction never did.
    await h.rest.post(`/guilds/${guild.id}/channels`, { body: { name: 'later', type: 0 } });
    await seen.waitFor((events) => events.some((e) => e.t === 'CHANNEL_CREATE'));
    expect(seen.events.some((e) => e.t === 'INTERACTION_CREATE')).toBe(false);
    await manager.destroy();
  });

  it('counts a late, refused or invalid reply as a failed interaction', async () => {
    // Discord's 3 s: the endpoint below answers well inside it, or (late) well after it.
    h = await startEmulator({ rateLimits: false });
    const guild = await h.client.seedGuild({ name: 'G', members: [{ username: 'alice' }], channels: [{ name: 'general' }] });
    const verifyKey = ((await h.rest.get('/applications/@me')) as { verify_key: string }).verify_key;
    let mode: 'late' | 'error' | 'invalid' = 'late';
    const target = await endpoint(
      () => verifyKey,
      (payload, valid, res) => {
        if (!valid) return json(res, 401, {});
        if (payload.type === 1) return json(res, 200, { type: 1 });
        if (mode === 'late') setTimeout(() => json(res, 200, { type: 5 }), 4_000);
        else if (mode === 'error') json(res, 500, {});
        else json(res, 200, { type: 4, data: {} });
      },
    );
    await h.rest.patch('/applications/@me', { body: { interactions_endpoint_url: target.url } });
    const send = async () => {
      const { id } = await h!.client.interact({
        guildId: guild.id,
        channelId: guild.channels[0]!.id,
        userId: guild.members[0]!.id,
        kind: 'command',
        name: 'ping',
      });
      for (;;) {
        const state = await h!.client.interaction(id);
        if (state.delivery) return state;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const late = await send();
    expect(late.delivery).toMatchObject({ status: null, error: expect.stringContaining('no reply within the window') });
    expect(late.response).toBeNull();
    mode = 'error';
    expect((await send()).delivery).toEqual({ status: 500, error: 'the endpoint answered 500' });
    mode = 'invalid';
    const invalid = await send();
    expect(invalid.delivery?.error).toContain('the reply was refused');
    expect(invalid.response).toBeNull();
  });
});
