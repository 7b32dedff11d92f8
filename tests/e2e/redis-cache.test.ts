import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectionKey } from '@promton/shared/contracts';
import { createRedis } from '@promton/shared/runtime';
import { act, answerText, configureDemoGuild, panelMessage, seedDemoGuild, type DemoGuild } from '../../scripts/stack/demo.js';
import { Stack } from '../../scripts/stack/stack.js';

/** Redis is a cache: a projection it lost is asked of config-service, not taken as "no such type". */
describe('a missing projection, every service its own process', () => {
  let stack: Stack;
  let demo: DemoGuild;

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl'), env: { OPEN_COOLDOWN_SECONDS: '0' } });
    demo = await seedDemoGuild(stack.emulator);
    await configureDemoGuild(stack.emulator, demo);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("opens a ticket when the guild's projection is gone from Redis", async () => {
    const redis = createRedis(inject('redisUrl'), { role: 'worker' });
    try {
      expect(await redis.del(projectionKey(stack.prefix, demo.guild.id))).toBe(1);
      const panel = await panelMessage(stack.emulator, demo.panelChannel.id);
      const state = await act(stack.emulator, {
        guildId: demo.guild.id,
        channelId: demo.panelChannel.id,
        userId: demo.member.id,
        kind: 'button',
        customId: 'pt:v1:open:support',
        messageId: panel.id,
      });
      expect(answerText(state)).toMatch(/^✅ .*<#\d+>/);
      // config-service published it again from the database.
      expect(await redis.exists(projectionKey(stack.prefix, demo.guild.id))).toBe(1);
    } finally {
      redis.disconnect();
    }
  });
});
