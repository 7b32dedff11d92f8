import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, type DemoGuild } from '../../scripts/stack/demo.js';
import type { InteractInput } from '@promton/discord-emulator';
import { Stack } from '../../scripts/stack/stack.js';
import { RestartableRedis, mapLimit, newUserId, setupGuilds, sized, sleep } from './support/chaos.js';

/** With Redis gone, every member still hears back, clearly, inside Discord's 3 s. */
describe('chaos: Redis down', () => {
  let redis: RestartableRedis;
  let stack: Stack;
  let demo: DemoGuild;

  beforeAll(async () => {
    redis = await RestartableRedis.start();
    stack = await Stack.start({ redisUrl: redis.url });
    const [first] = await setupGuilds(stack.emulator, 1);
    demo = first!;
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.close();
  });

  it('answers every click and command with a clear ❌ within 3 s, then works again when Redis is back', async () => {
    await redis.down('SIGKILL');
    await sleep(200);
    const count = sized(30, 300);
    const inputs: InteractInput[] = Array.from({ length: count }, (_, i) => {
      const base = { guildId: demo.guild.id, channelId: demo.panelChannel.id, userId: i % 3 === 2 ? demo.admin.id : newUserId() };
      if (i % 3 === 0) return { ...base, kind: 'button', customId: 'pt:v1:open:support' };
      if (i % 3 === 1) return { ...base, kind: 'command', path: ['privacy', 'export'] };
      return { ...base, kind: 'command', path: ['config', 'show'] };
    });
    const states = await mapLimit(inputs, 20, async (input) => {
      const { id } = await stack.emulator.interact(input);
      return stack.emulator.waitForOriginal(id, 5_000).catch(async () => stack.emulator.interaction(id));
    });
    const late: string[] = [];
    for (const state of states) {
      // A recorded response is one inside the emulator's 3 s window (it refuses later ones with 10062).
      expect(state.response, `interaction ${state.id} (${state.kind}) got no initial response`).not.toBeNull();
      const text = state.original?.content ?? '';
      expect(text, `interaction ${state.id} (${state.kind})`).toMatch(/^❌ .*temporarily unavailable/);
      const answeredAt = Date.parse(state.original?.edited_timestamp ?? state.response!.at);
      if (answeredAt - Date.parse(state.createdAt) > 3_000) late.push(`${state.id}: ${answeredAt - Date.parse(state.createdAt)} ms`);
    }
    console.log(
      `[chaos redis-down] ${count} interactions, all answered ❌; ack p99 ${[...states.map((s) => s.response!.latencyMs)].sort((a, b) => a - b)[Math.ceil(count * 0.99) - 1]} ms; late ${late.length}`,
    );
    expect(late).toEqual([]);

    await redis.up();
    const state = await (async () => {
      // The services reconnect on their own; the first click after may still land in the gap.
      for (let attempt = 0; ; attempt++) {
        const result = await act(
          stack.emulator,
          { guildId: demo.guild.id, channelId: demo.panelChannel.id, userId: newUserId(), kind: 'button', customId: 'pt:v1:open:support' },
          30_000,
        );
        if (!/unavailable/.test(result.original?.content ?? '') || attempt > 20) return result;
        await sleep(500);
      }
    })();
    expect(state.original?.content).toMatch(/^✅ Your ticket #\d+ is open/);
  }, 300_000);
});
