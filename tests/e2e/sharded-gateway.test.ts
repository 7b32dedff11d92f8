import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { configureDemoGuild, openDemoTicket, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import { queryRows } from '../support/database.js';
import type { GatewaySessionInfo } from '@promton/discord-emulator';
import { Stack } from '../../scripts/stack/stack.js';

const SHARDS = 16;
const shardOf = (guildId: string) => Number((BigInt(guildId) >> 22n) % BigInt(SHARDS));

/**
 * The gateway across processes, as a large bot runs it: 16 shards with max_concurrency 4
 * (identify buckets shard_id % 4, one identify per bucket per 5 s) split over two
 * gateway processes of 8 shards. They share the buckets and the shards' sessions through
 * Redis; the process that is SIGKILLed and started again resumes its 8 shards (no
 * identify, no READY, no GUILD_CREATE burst) and gets every event it missed replayed.
 */
describe('two gateway processes of 8 shards each', () => {
  let stack: Stack;
  let demo: DemoGuild;
  /** The process whose shards include the demo guild's: the one that is killed. */
  let killedShards: number[];
  let keptShards: number[];
  const connectedShards = (sessions: GatewaySessionInfo[]) => new Set(sessions.filter((s) => s.connected && !s.invalid).map((s) => s.shard[0]));
  const env = (shards: number[]) => ({ SHARD_IDS: shards.join(','), SHARD_COUNT: String(SHARDS) });

  beforeAll(async () => {
    stack = await Stack.start({
      redisUrl: inject('redisUrl'),
      services: ['config-service', 'ticket-worker', 'log-worker'],
      emulatorEnv: { EMULATOR_SHARD_COUNT: String(SHARDS), EMULATOR_MAX_CONCURRENCY: '4' },
      interactions: 'gateway',
      // 16 identifies in four buckets take at least 3 × 5 s; a busy machine takes longer.
      healthTimeoutMs: 240_000,
    });
    demo = await seedDemoGuild(stack.emulator);
    const home = shardOf(demo.guild.id);
    killedShards = [...Array(SHARDS).keys()].filter((id) => (id - home + SHARDS) % SHARDS < SHARDS / 2);
    keptShards = [...Array(SHARDS).keys()].filter((id) => !killedShards.includes(id));
    // Both at once: their 16 identifies compete for the same four buckets.
    await Promise.all([stack.startService('gateway', env(keptShards), 'gateway-a'), stack.startService('gateway', env(killedShards), 'gateway-b')]);
    await configureDemoGuild(stack.emulator, demo);
  }, 360_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('identifies all 16 shards without breaking a max_concurrency bucket', async () => {
    const state = await stack.emulator.gatewaySessions();
    expect(connectedShards(state.sessions)).toEqual(new Set([...Array(SHARDS).keys()]));
    expect(state.sessions.every((s) => s.shard[1] === SHARDS)).toBe(true);
    expect(state.sessionStartLimit.max_concurrency).toBe(4);
    expect(state.identifyRefusals).toBe(0);
    expect(state.sessionStartLimit.total - state.sessionStartLimit.remaining).toBe(SHARDS);
  });

  it("resumes the SIGKILLed process's shards and replays what it missed", async () => {
    const before = await stack.emulator.gatewaySessions();
    const sessionOf = (sessions: GatewaySessionInfo[], shard: number) => sessions.find((s) => s.shard[0] === shard && !s.invalid);
    const ticket = await openDemoTicket(stack.emulator, demo);

    await stack.stopService('gateway-b', 'SIGKILL');
    await waitFor(async () => {
      const { sessions } = await stack.emulator.gatewaySessions();
      return killedShards.every((id) => !sessionOf(sessions, id)?.connected);
    }, 'the killed shards to drop');

    // While it is down: an admin deletes the ticket channel by hand (CHANNEL_DELETE) and a
    // member clicks the panel (INTERACTION_CREATE); both wait in the sessions' buffers.
    await stack.emulator.deleteChannel(ticket.channel.id);
    const panel = (await stack.emulator.messages(demo.panelChannel.id)).find((m) => JSON.stringify(m.components).includes('pt:v1:open'))!;
    const { id: missedClick } = await stack.emulator.interact({
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.admin.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
      messageId: panel.id,
    });
    const requestsBefore = (await stack.emulator.requests()).at(-1)?.seq ?? 0;

    const logBefore = stack.logOf('gateway-b').length;
    await stack.startService('gateway', env(killedShards), 'gateway-b');
    await waitFor(async () => connectedShards((await stack.emulator.gatewaySessions()).sessions).size === SHARDS, 'all 16 shards connected again');

    const after = await stack.emulator.gatewaySessions();
    for (const shard of [...killedShards, ...keptShards])
      expect(sessionOf(after.sessions, shard)?.id, `shard ${shard}`).toBe(sessionOf(before.sessions, shard)?.id);
    expect(after.sessionStartLimit.remaining).toBe(before.sessionStartLimit.remaining);
    expect(after.identifyRefusals).toBe(0);
    const log = stack.logOf('gateway-b').slice(logBefore);
    expect(log.match(/"msg":"shard resumed"/g)?.length).toBe(killedShards.length);
    expect(log).not.toContain('"msg":"shard identified"');

    // The replayed CHANNEL_DELETE closes the ticket; the replayed click reaches the bot,
    // which answers it (or learns it expired: Discord's 3 s window passed while it was down).
    await waitFor(async () => {
      const rows = await queryRows<{ status: string }>(stack.databaseUrl, 'SELECT status FROM tickets WHERE channel_id = ?', [ticket.channel.id]);
      return rows[0]?.status === 'closed';
    }, 'the ticket whose channel was deleted during the outage to be closed');
    await waitFor(
      async () => (await stack.emulator.requests({ since: requestsBefore, method: 'POST' })).find((r) => r.path.startsWith(`/interactions/${missedClick}/`)),
      'the missed click to reach the bot',
    );

    // And the restarted process serves its shards as before.
    const fresh = await openDemoTicket(stack.emulator, demo);
    expect(fresh.answer).toMatch(/^✅/);
  });
});
