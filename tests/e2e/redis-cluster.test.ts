import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, configureDemoGuild, openDemoTicket, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import { testPrefix } from '../../scripts/stack/prefix.js';
import { keySlot, keysInSlot, startRedisCluster, type TestCluster } from '../support/redis-cluster.js';
import { Stack } from '../../scripts/stack/stack.js';

/**
 * The product on a Redis Cluster of 3 masters (our own redis-server processes on free
 * ports): queues, the shared request budget's Lua script, the projection and metrics all
 * under a hash-tagged prefix, so each script touches one slot.
 */
describe('open and close on a 3-master Redis Cluster', () => {
  let cluster: TestCluster;
  let stack: Stack;
  let demo: DemoGuild;
  const prefix = `{${testPrefix()}}`;

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    stack = await Stack.start({ redisUrl: cluster.url, prefix });
    demo = await seedDemoGuild(stack.emulator);
    await configureDemoGuild(stack.emulator, demo);
  });
  afterAll(async () => {
    await stack?.close();
    await cluster?.stop();
  });

  it("opens a ticket and closes it through the confirmation, every key in the prefix's slot", async () => {
    const opened = await openDemoTicket(stack.emulator, demo);
    expect(opened.answer).toMatch(/^✅/);
    expect(opened.channel.name).toBe('ticket-0001');
    expect(opened.logLine).toContain('#0001');

    const confirm = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: opened.channel.id,
      userId: demo.member.id,
      kind: 'button',
      customId: 'pt:v1:close:1',
    });
    expect(JSON.stringify(confirm.original?.components)).toContain('pt:v1:close-confirm:1');
    const closed = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: opened.channel.id,
      userId: demo.member.id,
      kind: 'button',
      customId: 'pt:v1:close-confirm:1',
    });
    expect(closed.response?.type).toBeDefined();
    await waitFor(async () => (await stack.emulator.channel(opened.channel.id)) === null, 'the channel to be deleted');
    const closeLog = await waitFor(
      async () => (await stack.emulator.messages(demo.logChannel.id)).flatMap((m) => m.embeds).find((e) => e.title === 'Ticket closed'),
      'the close log',
    );
    expect(JSON.stringify(closeLog)).toContain('#0001');

    // The data lives on the cluster, in the one slot of the hash tag.
    const slot = keySlot(cluster, `${prefix}:tickets:meta`);
    expect(keySlot(cluster, `${prefix}:projection:guild:${demo.guild.id}`)).toBe(slot);
    expect(keysInSlot(cluster, slot)).toBeGreaterThan(0);
  });
});
