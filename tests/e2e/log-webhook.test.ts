import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EMULATOR_BOT_TOKEN } from '@promton/shared/contracts';
import { Redis } from 'ioredis';
import { act, configureDemoGuild, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import type { MessageObject } from '@promton/discord-emulator';
import { keysContaining } from '../support/redis-scan.js';
import { Stack } from '../../scripts/stack/stack.js';

/** Log lines go through a webhook of the log channel, so a ticket open costs the bot's token only its channel and its welcome. */
describe('log lines through the log channel webhook', () => {
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

  const seq = async () => (await stack.emulator.stats()).requests;

  /** Opens a ticket as a new member and waits for its "Ticket opened" line in the log channel. */
  async function openAndLog(): Promise<{ channelId: string; log: MessageObject }> {
    const member = await stack.emulator.addMember(demo.guild.id, { username: `member-${Date.now().toString(36)}` });
    const state = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: member.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
    });
    const channelId = /^✅ .*<#(\d+)>/.exec(state.original?.content ?? '')?.[1];
    expect(channelId, state.original?.content).toBeDefined();
    const log = await waitFor(
      async () =>
        (await stack.emulator.messages(demo.logChannel.id)).find((m) =>
          m.embeds.some((e) => e.title === 'Ticket opened' && JSON.stringify(e).includes(`<#${channelId}>`)),
        ),
      'the "ticket opened" log line',
    );
    return { channelId: channelId!, log };
  }

  it('opens a ticket with exactly two requests on the bot token: the channel and the welcome', async () => {
    // The first log line finds or makes the channel's webhook (two bot requests, once per channel per process).
    await openAndLog();
    const since = await seq();
    const { channelId, log } = await openAndLog();

    const asBot = await stack.emulator.requests({ since, auth: 'bot' });
    expect(asBot.map((e) => `${e.route} ${e.status}`)).toEqual(['POST /guilds/:guild_id/channels 201', 'POST /channels/:channel_id/messages 200']);
    expect(asBot[1]!.path).toBe(`/channels/${channelId}/messages`);

    // The log line was the webhook's, executed without the bot's token.
    const [webhook] = await stack.emulator.webhooks(demo.logChannel.id);
    expect(webhook).toMatchObject({ name: 'PROMTON-TICKETS log', application_id: demo.guild.botUserId });
    expect(log).toMatchObject({ webhook_id: webhook!.id, author: { id: webhook!.id, username: 'PROMTON-TICKETS log' } });
    const executions = await stack.emulator.requests({ since, method: 'POST', path: `/webhooks/${webhook!.id}/` });
    expect(executions.map((e) => [e.auth, e.status])).toEqual([['none', 200]]);
  });

  it("keeps the webhook's token out of Redis and out of every service's log", async () => {
    const [webhook] = await stack.emulator.webhooks(demo.logChannel.id);
    expect(webhook?.token.length).toBeGreaterThan(20);
    const redis = new Redis(inject('redisUrl'));
    try {
      expect(await keysContaining(redis, stack.prefix, webhook!.token)).toEqual([]);
    } finally {
      redis.disconnect();
    }
    const logs = (['gateway', 'ticket-worker', 'log-worker', 'config-service'] as const).map((name) => stack.logOf(name)).join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(webhook!.token);
  });

  it('recreates a deleted webhook once and still posts the line', async () => {
    const [old] = await stack.emulator.webhooks(demo.logChannel.id);
    expect(old).toBeDefined();
    await stack.emulator.deleteWebhook(old!.id);
    const since = await seq();
    const { log } = await openAndLog();

    const hooks = await stack.emulator.webhooks(demo.logChannel.id);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.id).not.toBe(old!.id);
    expect(log.webhook_id).toBe(hooks[0]!.id);
    const requests = await stack.emulator.requests({ since });
    // One refused execution of the deleted webhook, then one look and one creation as the bot, then the post.
    expect(requests.filter((e) => e.path.startsWith(`/webhooks/${old!.id}/`)).map((e) => e.status)).toEqual([404]);
    expect(requests.filter((e) => e.path === `/channels/${demo.logChannel.id}/webhooks`).map((e) => `${e.method} ${e.auth} ${e.status}`)).toEqual([
      'GET bot 200',
      'POST bot 200',
    ]);
    expect(requests.filter((e) => e.path.startsWith(`/webhooks/${hooks[0]!.id}/`)).map((e) => e.status)).toEqual([200]);
    expect(requests.filter((e) => e.auth === 'bot')).toHaveLength(4);
  });

  it('drops the line and tells the admin through /config show when the bot may no longer manage webhooks there', async () => {
    const [hook] = await stack.emulator.webhooks(demo.logChannel.id);
    await stack.emulator.deleteWebhook(hook!.id);
    // Manage Webhooks taken from everyone in the log channel, the bot included (set here over REST).
    const denied = await fetch(`${stack.emulatorUrl}/api/v10/channels/${demo.logChannel.id}/permissions/${demo.guild.id}`, {
      method: 'PUT',
      headers: { authorization: `Bot ${EMULATOR_BOT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 0, allow: '0', deny: (1n << 29n).toString() }),
    });
    expect(denied.status).toBe(204);
    const before = (await stack.emulator.messages(demo.logChannel.id)).length;
    const since = await seq();
    const { channelId } = await openWithoutLog();
    const shown = await waitFor(async () => {
      const state = await act(stack.emulator, {
        guildId: demo.guild.id,
        channelId: demo.panelChannel.id,
        userId: demo.admin.id,
        kind: 'command',
        path: ['config', 'show'],
      });
      const text = JSON.stringify(state.original?.embeds ?? []);
      return text.includes('the bot lacks Manage Webhooks in the log channel') ? text : null;
    }, '/config show naming Manage Webhooks');
    expect(shown).toContain(`<#${demo.logChannel.id}>`);
    // The ticket is open all the same; nothing reached the log channel, no webhook was made.
    expect(await stack.emulator.channel(channelId)).not.toBeNull();
    expect((await stack.emulator.messages(demo.logChannel.id)).length).toBe(before);
    expect(await stack.emulator.webhooks(demo.logChannel.id)).toEqual([]);
    const refused = await stack.emulator.requests({ since, path: `/channels/${demo.logChannel.id}/webhooks` });
    expect(refused.map((e) => `${e.method} ${e.status}`)).toEqual(['GET 403']);
  });

  async function openWithoutLog(): Promise<{ channelId: string }> {
    const member = await stack.emulator.addMember(demo.guild.id, { username: `member-${Date.now().toString(36)}` });
    const state = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: member.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
    });
    const channelId = /^✅ .*<#(\d+)>/.exec(state.original?.content ?? '')?.[1];
    expect(channelId, state.original?.content).toBeDefined();
    return { channelId: channelId! };
  }
});
