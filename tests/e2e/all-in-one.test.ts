import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { act, configureDemoGuild, seedDemoGuild, type DemoGuild } from '../../scripts/stack/demo.js';
import { Stack } from '../../scripts/stack/stack.js';

/** The bot's four services in one process (services/all-in-one), as the compose profile `single` runs them. */
describe('all-in-one: the four bot services in one process', () => {
  let stack: Stack;
  let demo: DemoGuild;

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl'), mode: 'single' });
    demo = await seedDemoGuild(stack.emulator);
    await configureDemoGuild(stack.emulator, demo);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is one process, whose /healthz names every service’s dependencies, all up', async () => {
    expect([...stack.processes.keys()].sort()).toEqual(['all-in-one', 'discord-emulator']);
    const res = await fetch(`http://127.0.0.1:${stack.portOf('all-in-one')}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      dependencies: Object.fromEntries(
        [
          'config-service.database',
          'config-service.redis',
          'config-service.worker',
          'ticket-worker.redis',
          'ticket-worker.worker',
          'log-worker.redis',
          'log-worker.worker',
          'gateway.redis',
          'gateway.discord',
        ].map((name) => [name, 'up']),
      ),
    });
  });

  it('opens a ticket through the same queues: the answer, the channel and the log line', async () => {
    const state = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.member.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
    });
    const channelId = /^✅ .*<#(\d+)>/.exec(state.original?.content ?? '')?.[1];
    expect(channelId, state.original?.content).toBeDefined();
    expect(await stack.emulator.channel(channelId!)).toMatchObject({ name: 'ticket-0001' });
  });

  it('SIGTERM closes every service and the process exits 0 by itself, inside its grace period', async () => {
    const pid = stack.processes.get('all-in-one')!.child.pid!;
    // runMain's stopOnce exits 0 only when every close resolved; 1 when one failed or the grace period ran out.
    expect(await stack.stopService('all-in-one', 'SIGTERM')).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(stack.logOf('all-in-one')).toMatch(/config-service closed/);
  });
});
