import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { QueueName } from '@promton/shared/contracts';
import { act, command, configureDemoGuild, panelMessage, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import { queryRows } from '../support/database.js';
import { Stack } from '../../scripts/stack/stack.js';

const VIEW = 1n << 10n;
const MEMBER_ALLOW = (1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 15n) | (1n << 14n); // view, send, history, attach, embed

describe('a ticket opened end to end, every service its own process', () => {
  let stack: Stack;
  let demo: DemoGuild;

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl'), env: { OPEN_COOLDOWN_SECONDS: '600' } });
    demo = await seedDemoGuild(stack.emulator);
    await configureDemoGuild(stack.emulator, demo);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('registers the command tree at start', async () => {
    const { global } = await stack.emulator.commands();
    expect(global.map((c) => c.name).sort()).toEqual(['config', 'panel', 'privacy', 'stats', 'tag', 'ticket']);
  });

  it("posts a panel with the type's button in the guild's style", async () => {
    const panel = await panelMessage(stack.emulator, demo.panelChannel.id);
    expect(JSON.stringify(panel.components)).toContain('pt:v1:open:support');
    expect(panel.embeds[0]).toMatchObject({ title: 'Need help?', color: 0x2f9e44, footer: { text: 'PROMTON demo server' } });
  });

  it('opens ticket-0001 with the exact channel, overwrites, welcome, answer, row and log line', async () => {
    const panel = await panelMessage(stack.emulator, demo.panelChannel.id);
    const { id } = await stack.emulator.interact({
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.member.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
      messageId: panel.id,
    });

    const first = await stack.emulator.waitForResponse(id);
    expect(first.response).toMatchObject({ type: 5, data: { flags: 64 } });
    // Over HTTP the deferral was the receiver's reply to Discord's signed POST.
    if (stack.interactionsMode === 'http') expect(first.delivery).toEqual({ status: 200 });
    else expect(first.delivery).toBeUndefined();

    const state = await stack.emulator.waitForOriginal(id, 20_000);
    const channelId = /^✅ .*<#(\d+)>/.exec(state.original?.content ?? '')?.[1];
    expect(channelId, state.original?.content).toBeDefined();

    const channel = (await stack.emulator.channel(channelId!))!;
    expect(channel).toMatchObject({ name: 'ticket-0001', type: 0, parent_id: demo.category.id });
    const overwrites = new Map(channel.permission_overwrites.map((o) => [o.id, o]));
    expect(overwrites.get(demo.guild.id)).toMatchObject({ type: 0, allow: '0', deny: VIEW.toString() });
    expect(overwrites.get(demo.member.id)).toMatchObject({ type: 1, allow: MEMBER_ALLOW.toString(), deny: '0' });
    expect(overwrites.get(demo.staffRole.id)).toMatchObject({ type: 0, allow: MEMBER_ALLOW.toString(), deny: '0' });
    const bot = overwrites.get(demo.guild.botUserId);
    expect(bot?.type).toBe(1);
    expect(BigInt(bot!.allow) & (VIEW | (1n << 11n) | (1n << 4n))).toBe(VIEW | (1n << 11n) | (1n << 4n));
    expect(channel.permission_overwrites).toHaveLength(4);

    const [welcome] = await stack.emulator.messages(channelId!);
    expect(welcome?.author.id).toBe(demo.guild.botUserId);
    expect(welcome?.content).toContain(`<@${demo.member.id}>`);
    expect(welcome?.embeds[0]).toMatchObject({
      title: 'Ticket #0001 · Support',
      description: 'Welcome! Tell us what you need and staff will answer here.',
      color: 0x2f9e44,
      footer: { text: 'PROMTON demo server' },
    });
    expect(JSON.stringify(welcome?.components)).toContain('pt:v1:close:1');

    // The open's result reaches config-service as an event, applied on its own time.
    const rows = await waitFor(async () => {
      const found = await queryRows<Record<string, unknown>>(stack.databaseUrl, 'SELECT * FROM tickets WHERE guild_id = ?', [demo.guild.id]);
      return found[0]?.status === 'open' ? found : undefined;
    }, 'the ticket recorded open');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ number: 1, type_name: 'support', creator_id: demo.member.id, channel_id: channelId, status: 'open' });
    expect(Date.parse(String(rows[0]!.created_at))).not.toBeNaN();
    // One request to config-service (reserve, waited for) and one event (the result): the open's only config jobs.
    const redis = new Redis(inject('redisUrl'));
    const config = new Queue(QueueName.config, { connection: redis, prefix: stack.prefix });
    try {
      const jobs = await config.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed']);
      expect(
        jobs
          .map((j) => j.name)
          .filter((name) => name.startsWith('ticket.'))
          .sort(),
      ).toEqual(['ticket.open-result', 'ticket.reserve']);
    } finally {
      await config.close();
      redis.disconnect();
    }

    const log = await waitFor(
      async () => (await stack.emulator.messages(demo.logChannel.id)).flatMap((m) => m.embeds).find((e) => e.title === 'Ticket opened'),
      'the "ticket opened" log line',
    );
    expect(JSON.stringify(log)).toContain('#0001');
    expect(JSON.stringify(log)).toContain(`<#${channelId}>`);
    expect(JSON.stringify(log)).toContain(`<@${demo.member.id}>`);
  });

  it("refuses a second open beyond the type's limit, naming the open ticket", async () => {
    const state = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.member.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
    });
    expect(state.original?.content).toMatch(/^❌ You already have #0001 open: <#\d+>/);
  });

  it('answers a click on a removed type clearly', async () => {
    const state = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.staff.id,
      kind: 'button',
      customId: 'pt:v1:open:gone',
    });
    expect(state.response?.type).toBe(4);
    expect(state.original?.content).toMatch(/^❌ The ticket type "gone" no longer exists/);
  });

  it("answers a modal submit carrying a panel button's id with ❌, never with a modal Discord refuses", async () => {
    expect(
      await command(stack.emulator, demo, ['config', 'type', 'add'], {
        name: 'forms',
        label: 'Forms',
        category: demo.category.id,
        'staff-role': demo.staffRole.id,
      }),
    ).toMatch(/^✅/);
    expect(await command(stack.emulator, demo, ['config', 'type', 'question-add'], { name: 'forms', question: 'What happened?' })).toMatch(/^✅/);
    // A click on this type's button opens its form; a modal submit with the same id must not.
    const { id } = await stack.emulator.interact({
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.staff.id,
      kind: 'modal',
      customId: 'pt:v1:open:forms',
      fields: {},
    });
    const state = await stack.emulator.waitForResponse(id);
    expect(state.response?.type).toBe(4);
    expect((state.response as { data?: { content?: string } }).data?.content).toMatch(/^❌ /);
    expect(await command(stack.emulator, demo, ['config', 'type', 'remove'], { name: 'forms' })).toMatch(/^✅/);
  });

  it('still answers at once with ticket-worker stopped, and opens the ticket when it starts', async () => {
    await stack.stopService('ticket-worker');
    const { id } = await stack.emulator.interact({
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.staff.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
    });
    // The emulator refuses (10062) an initial response later than Discord's 3 s, so a recorded response is one in time.
    const first = await stack.emulator.waitForResponse(id);
    expect(first.response).toMatchObject({ type: 5, data: { flags: 64 } });
    // Over HTTP the deferral was the receiver's reply to Discord's signed POST.
    if (stack.interactionsMode === 'http') expect(first.delivery).toEqual({ status: 200 });
    else expect(first.delivery).toBeUndefined();
    expect((await stack.emulator.interaction(id)).original?.content ?? '').toBe('');

    await stack.startService('ticket-worker');
    const done = await stack.emulator.waitForOriginal(id, 30_000);
    expect(done.original?.content).toMatch(/^✅ Your ticket #0002 is open: <#\d+>/);
  });

  it('opens one channel when the same interaction is delivered twice', async () => {
    const newcomer = await stack.emulator.addMember(demo.guild.id, { username: 'dup-dana' });
    const before = (await stack.emulator.guild(demo.guild.id)).channels.length;
    const { id } = await stack.emulator.interact({
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: newcomer.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
    });
    await stack.emulator.redeliver(id);
    await stack.emulator.redeliver(id);
    const state = await stack.emulator.waitForOriginal(id, 20_000);
    expect(state.original?.content).toMatch(/^✅ Your ticket #\d+ is open/);
    // Barrier: a later member's open, through the same gateway and queue, is answered and
    // then the tickets queue is idle; a duplicate job of the redeliveries would have run by now.
    const later = await stack.emulator.addMember(demo.guild.id, { username: 'dup-later' });
    const laterOpen = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: later.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
    });
    expect(laterOpen.original?.content).toMatch(/^✅ /);
    await stack.waitUntilIdle(['tickets']);
    const channels = (await stack.emulator.guild(demo.guild.id)).channels;
    expect(channels.length).toBe(before + 2);
    const creates = await stack.emulator.requests({ method: 'POST', path: `/guilds/${demo.guild.id}/channels` });
    expect(creates.filter((r) => JSON.stringify(r.body).includes(newcomer.id))).toHaveLength(1);
  });

  it('holds an open cooldown per member, checked after the limit', async () => {
    expect(await command(stack.emulator, demo, ['config', 'type', 'edit'], { name: 'support', limit: 3 })).toMatch(/^✅/);
    const state = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.member.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
    });
    expect(state.original?.content).toMatch(/^❌ You opened a ticket a moment ago; please wait \d+ s before opening another\.$/);
  });

  it("writes no token to any service's log, even when an answer fails", async () => {
    // The failure paths are where a token could leak: @discordjs/rest's errors carry the
    // webhook URL, which holds the interaction token. A command's answer is refused once
    // (404: config-service gives up and logs it) and an open's answer fails once (500:
    // ticket-worker logs the failed attempt and retries), so both services log a failure
    // of a request whose URL holds a token.
    await stack.emulator.addFault({ method: 'PATCH', path: '^/webhooks/', kind: 'status', status: 404, count: 1 });
    const configShow = await stack.emulator.interact({
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.admin.id,
      kind: 'command',
      path: ['config', 'show'],
    });
    await waitFor(async () => stack.logOf('config-service').includes('could not answer the interaction'), "config-service's failed answer");

    await stack.emulator.addFault({ method: 'PATCH', path: '^/webhooks/', kind: 'status', status: 500, count: 1 });
    const opener = await stack.emulator.addMember(demo.guild.id, { username: 'token-tess' });
    const open = await stack.emulator.interact({
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: opener.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
    });
    // The retry answers the member after the failed first answer.
    expect((await stack.emulator.waitForOriginal(open.id, 30_000)).original?.content).toMatch(/^✅ /);
    expect(stack.logOf('ticket-worker')).toContain('ticket job failed');

    const logs = (['gateway', 'interactions', 'ticket-worker', 'log-worker', 'config-service'] as const).map((name) => stack.logOf(name)).join('\n');
    for (const token of [configShow.token, open.token]) expect(logs).not.toContain(token);
    expect(logs).not.toContain('emulator.bot.token');
  });

  it('a non-admin cannot configure', async () => {
    const text = await command(stack.emulator, demo, ['config', 'show'], {}, demo.member.id);
    expect(text).toMatch(/^❌ .*Manage Server/);
  });
});
