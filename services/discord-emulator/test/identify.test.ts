import { WebSocketManager, WebSocketShardEvents, type SessionInfo } from '@discordjs/ws';
import type { REST } from '@discordjs/rest';
import { EMULATOR_BOT_TOKEN } from '@promton/shared/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startEmulator, type Harness } from './helpers.js';

let h: Harness | undefined;
const managers: WebSocketManager[] = [];

afterEach(async () => {
  for (const m of managers.splice(0)) await m.destroy();
  await h?.close();
  h = undefined;
});

interface GatewayBot {
  shards: number;
  session_start_limit: { total: number; remaining: number; reset_after: number; max_concurrency: number };
}

/** One process's gateway: its own identify throttler (built from GET /gateway/bot) and session store. */
function shardManager(
  rest: REST,
  shardIds: number[],
  shardCount: number,
): { manager: WebSocketManager; ready: Promise<number[]>; invalidSessions: () => number } {
  const sessions = new Map<number, SessionInfo>();
  const manager = new WebSocketManager({
    token: EMULATOR_BOT_TOKEN,
    intents: 1,
    rest,
    shardCount,
    shardIds,
    retrieveSessionInfo: (id) => sessions.get(id) ?? null,
    updateSessionInfo: (id, info) => {
      if (info) sessions.set(id, info);
      else sessions.delete(id);
    },
  });
  managers.push(manager);
  let invalid = 0;
  manager.on(WebSocketShardEvents.Debug, (message: string) => {
    if (message.includes('Invalid session; will attempt to resume')) invalid += 1;
  });
  const readyShards: number[] = [];
  const ready = new Promise<number[]>((resolve) => {
    manager.on(WebSocketShardEvents.Ready, (_data: unknown, shardId: number) => {
      readyShards.push(shardId);
      if (readyShards.length === shardIds.length) resolve([...readyShards].sort());
    });
  });
  return { manager, ready, invalidSessions: () => invalid };
}

describe('identify: max_concurrency buckets and session_start_limit', () => {
  it('GET /gateway/bot reports max_concurrency, and remaining decreases with every session started', async () => {
    h = await startEmulator({ rateLimits: false, shardCount: 2, maxConcurrency: 2 });
    const before = (await h.rest.get('/gateway/bot')) as GatewayBot;
    expect(before.session_start_limit).toMatchObject({ total: 1000, remaining: 1000, max_concurrency: 2 });
    expect(before.session_start_limit.reset_after).toBeGreaterThan(0);
    const { manager, ready, invalidSessions } = shardManager(h.rest, [0, 1], 2);
    await manager.connect();
    // Shards 0 and 1 are in buckets 0 and 1 (shard_id % 2): @discordjs/ws starts both at once and neither is refused.
    expect(await ready).toEqual([0, 1]);
    expect(invalidSessions()).toBe(0);
    const after = (await h.rest.get('/gateway/bot')) as GatewayBot;
    expect(after.session_start_limit.remaining).toBe(998);
    const gateway = await h.client.gatewaySessions();
    expect(gateway.identifyRefusals).toBe(0);
    expect(gateway.sessionStartLimit).toMatchObject({ remaining: 998, max_concurrency: 2 });
  });

  it('two processes identifying in the same bucket within 5 s: the second gets op 9, then starts after waiting', async () => {
    h = await startEmulator({ rateLimits: false, shardCount: 2 });
    // max_concurrency 1: shards 0 and 1 share bucket 0. Two gateway processes (one shard each) do not share a throttler.
    const a = shardManager(h.rest, [0], 2);
    const b = shardManager(h.rest, [1], 2);
    await Promise.all([a.manager.connect(), b.manager.connect()]);
    await Promise.all([a.ready, b.ready]);
    const gateway = await h.client.gatewaySessions();
    expect(gateway.identifyRefusals).toBeGreaterThanOrEqual(1);
    expect(a.invalidSessions() + b.invalidSessions()).toBe(gateway.identifyRefusals);
    expect(
      gateway.sessions
        .filter((s) => s.connected && !s.invalid)
        .map((s) => s.shard[0])
        .sort(),
    ).toEqual([0, 1]);
    // Only accepted identifies start sessions.
    expect(gateway.sessionStartLimit.remaining).toBe(998);
  });

  it('max_concurrency set through the control API puts the same two processes in separate buckets', async () => {
    h = await startEmulator({ rateLimits: false, shardCount: 2 });
    expect(await h.client.setIdentifyLimits({ maxConcurrency: 2 })).toMatchObject({ max_concurrency: 2 });
    const a = shardManager(h.rest, [0], 2);
    const b = shardManager(h.rest, [1], 2);
    await Promise.all([a.manager.connect(), b.manager.connect()]);
    await Promise.all([a.ready, b.ready]);
    expect((await h.client.gatewaySessions()).identifyRefusals).toBe(0);
    expect(a.invalidSessions() + b.invalidSessions()).toBe(0);
  });

  it('no session starts left: IDENTIFY closes with 4004 and running sessions end', async () => {
    h = await startEmulator({ rateLimits: false });
    const url = `${h.emu.url.replace('http', 'ws')}/gateway?v=10&encoding=json`;
    /** A bare client: identifies on HELLO, reports READY and the close code. */
    const rawIdentify = () => {
      const socket = new WebSocket(url);
      const ready = new Promise<void>((resolve) =>
        socket.on('message', (raw) => {
          const payload = JSON.parse(String(raw)) as { op: number; t?: string };
          if (payload.op === 10) socket.send(JSON.stringify({ op: 2, d: { token: EMULATOR_BOT_TOKEN, intents: 1, properties: {} } }));
          if (payload.t === 'READY') resolve();
        }),
      );
      const closed = new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
      return { ready, closed };
    };
    const running = rawIdentify();
    await running.ready;
    expect(await h.client.setIdentifyLimits({ remaining: 0, windowMs: 0 })).toMatchObject({ remaining: 0 });
    const refused = rawIdentify();
    expect(await refused.closed).toBe(4004);
    expect(await running.closed).toBe(4004);
    expect((await h.client.gatewaySessions()).sessions.every((s) => !s.connected)).toBe(true);
  });

  it('rejects nonsense limits', async () => {
    h = await startEmulator({ rateLimits: false });
    await expect(h.client.setIdentifyLimits({ maxConcurrency: 0 })).rejects.toThrow(/maxConcurrency/);
    await expect(h.client.setIdentifyLimits({ remaining: 1001 })).rejects.toThrow(/remaining/);
  });
});
