import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { logPauseKey } from '@promton/shared/contracts';
import {
  act,
  adminAct,
  answerText,
  command,
  configureDemoGuild,
  openDemoTicket,
  panelMessage,
  seedDemoGuild,
  waitFor,
  type DemoGuild,
} from '../../scripts/stack/demo.js';
import type { EmulatorClient } from '@promton/discord-emulator';
import { Stack } from '../../scripts/stack/stack.js';
import { ackFailedByDiscord } from '../chaos/support/chaos.js';

const MANAGE_ROLES = 1n << 28n;
const MANAGE_CHANNELS = 1n << 4n;
const VIEW = 1n << 10n;
const MANAGE_WEBHOOKS = 1n << 29n;

/** The newest request the emulator recorded, so a test can read only what came after. */
async function lastSeq(emulator: EmulatorClient): Promise<number> {
  const all = await emulator.requests();
  return all.at(-1)?.seq ?? 0;
}

/** What Discord refused since `since`: what counts towards its invalid-request ban. */
async function refusedSince(emulator: EmulatorClient, since: number): Promise<string[]> {
  return (await emulator.requests({ since })).filter((r) => r.status >= 400).map((r) => `${r.status} ${r.method} ${r.path}`);
}

/** The bot checks before Discord refuses: its permissions where an interaction comes from. */
describe("the bot's permissions, checked before Discord refuses", () => {
  let stack: Stack;
  let demo: DemoGuild;
  let botRole: bigint;

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl') });
    demo = await seedDemoGuild(stack.emulator);
    await configureDemoGuild(stack.emulator, demo);
    botRole = BigInt(demo.guild.roles.find((r) => r.id === demo.guild.botRoleId)!.permissions);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("the bot's role loses Manage Roles: a panel click and /ticket add are answered at once naming it, and Discord is asked nothing", async () => {
    const { channel } = await openDemoTicket(stack.emulator, demo);
    await stack.emulator.setRolePermissions(demo.guild.id, demo.guild.botRoleId, botRole & ~MANAGE_ROLES);
    try {
      const since = await lastSeq(stack.emulator);
      const panel = await panelMessage(stack.emulator, demo.panelChannel.id);
      const click = await act(stack.emulator, {
        guildId: demo.guild.id,
        channelId: demo.panelChannel.id,
        userId: demo.otherMember.id,
        kind: 'button',
        customId: 'pt:v1:open:support',
        messageId: panel.id,
      });
      // Answered in the initial response itself (type 4), not by a worker after a deferral.
      expect(click.response?.type).toBe(4);
      expect(answerText(click)).toBe('❌ I could not open your ticket: I lack Manage Roles in this channel; ask an admin to give my role what is missing.');

      const add = await act(stack.emulator, {
        guildId: demo.guild.id,
        channelId: channel.id,
        userId: demo.staff.id,
        kind: 'command',
        path: ['ticket', 'add'],
        args: { user: demo.otherMember.id },
      });
      expect(add.response?.type).toBe(4);
      expect(answerText(add)).toMatch(/^❌ I could not add the member: I lack Manage Roles in this channel/);

      await stack.waitUntilIdle(['tickets', 'logs'], { delayed: false });
      expect(await refusedSince(stack.emulator, since)).toEqual([]);
      const made = await stack.emulator.requests({ since, auth: 'bot' });
      expect(made.filter((r) => r.method !== 'GET')).toEqual([]);
    } finally {
      await stack.emulator.setRolePermissions(demo.guild.id, demo.guild.botRoleId, botRole);
    }
  });

  it('a category the bot cannot manage: /config type add|edit and /config import refuse, naming what it lacks there; a ticket opened there anyway is refused once, unretried', async () => {
    // An admin denies the bot's role Manage Channels in the ticket category, after it was configured.
    await stack.emulator.setOverwrite(demo.category.id, demo.guild.botRoleId, { type: 0, deny: MANAGE_CHANNELS.toString() });
    try {
      const lacks = `❌ Tickets cannot open in the category <#${demo.category.id}>: the bot lacks Manage Channels there.`;
      expect(await command(stack.emulator, demo, ['config', 'type', 'edit'], { name: 'support', category: demo.category.id })).toBe(lacks);
      expect(await command(stack.emulator, demo, ['config', 'type', 'add'], { name: 'billing', label: 'Billing', category: demo.category.id })).toBe(lacks);
      const types = await command(stack.emulator, demo, ['config', 'type', 'list']);
      expect(types).toContain('support');
      expect(types).not.toContain('billing');

      const exported = await adminAct(stack.emulator, demo, ['config', 'export']);
      const file = exported.original?.attachments?.[0];
      expect(file).toBeDefined();
      const json = await (await fetch(file!.url)).text();
      const imported = await adminAct(stack.emulator, demo, ['config', 'import'], {
        args: { file: 'config.json' },
        attachments: [{ filename: 'config.json', content: json, contentType: 'application/json' }],
      });
      expect(answerText(imported)).toBe(lacks);

      // The panel channel still lets the bot manage channels, so the click goes through to
      // ticket-worker; Discord refuses the channel in the category once, and it is not asked again.
      const since = await lastSeq(stack.emulator);
      const click = await act(stack.emulator, {
        guildId: demo.guild.id,
        channelId: demo.panelChannel.id,
        userId: demo.owner.id,
        kind: 'button',
        customId: 'pt:v1:open:support',
      });
      expect(answerText(click)).toBe('❌ I could not open your ticket: I am missing the Manage Channels permission here; ask an admin to give it to my role.');
      await stack.waitUntilIdle(['tickets'], { delayed: false });
      expect(await refusedSince(stack.emulator, since)).toEqual([`403 POST /guilds/${demo.guild.id}/channels`]);
    } finally {
      await stack.emulator.setOverwrite(demo.category.id, demo.guild.botRoleId, { type: 0 });
    }
    expect(await command(stack.emulator, demo, ['config', 'type', 'edit'], { name: 'support', category: demo.category.id })).toMatch(/^✅/);
  });

  it('a pick in a select panel resets the panel, so the same type can be picked again', async () => {
    expect(await command(stack.emulator, demo, ['panel', 'send'], { channel: demo.panelChannel.id, style: 'select', title: 'Pick one' })).toMatch(/^✅/);
    const panel = (await stack.emulator.messages(demo.panelChannel.id)).reverse().find((m) => JSON.stringify(m.components).includes('pt:v1:open-select'))!;
    const pick = async () => {
      const since = await lastSeq(stack.emulator);
      const state = await act(stack.emulator, {
        guildId: demo.guild.id,
        channelId: demo.panelChannel.id,
        userId: demo.admin.id,
        kind: 'select',
        customId: 'pt:v1:open-select:',
        values: ['support'],
        messageId: panel.id,
      });
      const edit = await waitFor(
        async () =>
          (await stack.emulator.requests({ since, method: 'PATCH' })).find((r) => r.path === `/channels/${demo.panelChannel.id}/messages/${panel.id}`),
        'the edit that resets the panel',
      );
      return { state, edit };
    };
    const first = await pick();
    expect(answerText(first.state)).toMatch(/^✅ Your ticket #\d+ is open/);
    expect(first.edit.status).toBe(200);
    // The panel is unchanged apart from the edit: same components, nothing else sent.
    const after = (await stack.emulator.messages(demo.panelChannel.id)).find((m) => m.id === panel.id)!;
    expect(after.components).toEqual(panel.components);
    expect(after.embeds).toEqual(panel.embeds);
    // The same type picked again reaches the bot (here: the member's limit answers), and the panel is reset again.
    const second = await pick();
    expect(answerText(second.state)).toMatch(/^❌ You already have #\d+ open/);
    expect(second.edit.status).toBe(200);
  });

  it("Discord fails every try of an initial response with a 500: the gateway gives up after 4 tries, the ticket opens all the same, and the chaos check names it as Discord's failure", async () => {
    const member = await stack.emulator.addMember(demo.guild.id, { username: 'una-unanswered' });
    const { id: fault } = await stack.emulator.addFault({ method: 'POST', path: '^/interactions/', kind: 'status', status: 500 });
    let click: { id: string };
    try {
      click = await stack.emulator.interact({
        guildId: demo.guild.id,
        channelId: demo.panelChannel.id,
        userId: member.id,
        kind: 'button',
        customId: 'pt:v1:open:support',
      });
      // The job was published all the same: the ticket opens, and its answer meets Discord's 10015 (no response, no webhook).
      await waitFor(
        async () =>
          stack
            .logOf('ticket-worker')
            .split('\n')
            .some((line) => line.includes(click.id) && line.includes('the member was not answered')),
        "ticket-worker's unanswered open",
      );
    } finally {
      await stack.emulator.removeFault(fault);
    }
    const attempts = await stack.emulator.requests({ method: 'POST', path: `^/interactions/${click.id}/` });
    expect(attempts.map((a) => a.status)).toEqual(attempts.map(() => 500));
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(attempts.length).toBeLessThanOrEqual(4);
    const state = await stack.emulator.interaction(click.id);
    expect(state.response).toBeFalsy();
    const channels = (await stack.emulator.guild(demo.guild.id)).channels.filter((c) => c.permission_overwrites?.some((o) => o.id === member.id));
    expect(channels).toHaveLength(1);
    const open = { id: click.id, guildId: demo.guild.id, userId: member.id, sentAt: 0 };
    expect(await ackFailedByDiscord(stack.emulator, [open], new Map([[click.id, state]]))).toEqual(new Set([click.id]));
    // An open Discord answered is not counted so.
    const other = await stack.emulator.addMember(demo.guild.id, { username: 'ann-answered' });
    const answered = await stack.emulator.interact({
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: other.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
    });
    const answeredState = await stack.emulator.waitForOriginal(answered.id, 20_000);
    expect(answerText(answeredState)).toMatch(/^✅ /);
    expect(await ackFailedByDiscord(stack.emulator, [{ ...open, id: answered.id }], new Map([[answered.id, answeredState]]))).toEqual(new Set());
  });

  describe('a log channel Discord refuses', () => {
    let other: DemoGuild;
    let redis: Redis;
    beforeAll(async () => {
      other = await seedDemoGuild(stack.emulator, 'Second server');
      await configureDemoGuild(stack.emulator, other);
      redis = new Redis(inject('redisUrl'));
    });
    afterAll(() => {
      redis?.disconnect();
    });

    /** Something every log channel hears about: an admin changing the look. */
    const logSomething = async (color: string) => {
      expect(await command(stack.emulator, other, ['config', 'embed', 'set'], { color })).toMatch(/^✅/);
      await stack.waitUntilIdle(['config', 'logs'], { delayed: false });
    };
    /** Requests to the log channel or a webhook (answers to interactions go through the application's own webhook and are left out). */
    const touching = async (since: number) => {
      const { id: applicationId } = await stack.emulator.application();
      return (await stack.emulator.requests({ since })).filter(
        (r) => r.path.includes(other.logChannel.id) || (r.path.startsWith('/webhooks/') && !r.path.startsWith(`/webhooks/${applicationId}/`)),
      );
    };
    /** What /config show shows: its answer and its embed's fields. */
    const show = async () => {
      const state = await act(stack.emulator, {
        guildId: other.guild.id,
        channelId: other.panelChannel.id,
        userId: other.admin.id,
        kind: 'command',
        path: ['config', 'show'],
      });
      const fields = (state.original?.embeds ?? []).flatMap((e) => (e as { fields?: { name: string; value: string }[] }).fields ?? []);
      return [answerText(state), ...fields.map((f) => `${f.name}: ${f.value}`)].join('\n');
    };
    const posted = async () => (await stack.emulator.messages(other.logChannel.id)).length;
    /** The hour of rest is over (what the key's expiry does). */
    const hourPasses = () => redis.del(logPauseKey(stack.prefix, other.guild.id));
    const breakChannel = async () => {
      // An admin takes View Channel and Manage Webhooks from the bot there and deletes its webhook.
      await stack.emulator.setOverwrite(other.logChannel.id, other.guild.botRoleId, { type: 0, deny: (VIEW | MANAGE_WEBHOOKS).toString() });
      for (const hook of await stack.emulator.webhooks(other.logChannel.id)) await stack.emulator.deleteWebhook(hook.id);
    };
    const fixChannel = () => stack.emulator.setOverwrite(other.logChannel.id, other.guild.botRoleId, { type: 0 });

    it('is not posted to again after a 403/404 until an admin sets it again; /config show says why', async () => {
      await breakChannel();
      const since = await lastSeq(stack.emulator);
      await logSomething('#111111');
      const first = await touching(since);
      expect(first.filter((r) => r.status >= 400).length).toBeGreaterThan(0);
      expect(await show()).toContain('⚠️ the bot cannot see the log channel');

      // Three more events: not one request to the channel or its webhook.
      const after = await lastSeq(stack.emulator);
      for (const color of ['#222222', '#333333', '#444444']) await logSomething(color);
      expect(await touching(after)).toEqual([]);

      // The admin fixes the permission and sets the channel again: it is posted to at once.
      await fixChannel();
      const before = await posted();
      expect(await command(stack.emulator, other, ['config', 'log-channel', 'set'], { channel: other.logChannel.id })).toMatch(/^✅/);
      await stack.waitUntilIdle(['config', 'logs'], { delayed: false });
      await waitFor(async () => (await posted()) > before, 'the log line after the admin set the channel again');
      expect(await show()).not.toContain('⚠️');
    });

    it('the check once the hour is over is one GET of the channel, shared by all replicas; when it succeeds, posting resumes', async () => {
      await breakChannel();
      await logSomething('#555555');
      expect(await show()).toContain('⚠️');

      await hourPasses();
      let since = await lastSeq(stack.emulator);
      await logSomething('#666666');
      await logSomething('#777777');
      // One check for both events (the second finds the channel paused again): a GET, refused.
      expect((await touching(since)).map((r) => `${r.method} ${r.status}`)).toEqual(['GET 403']);

      await fixChannel();
      await hourPasses();
      since = await lastSeq(stack.emulator);
      const before = await posted();
      await logSomething('#888888');
      const made = await touching(since);
      expect(made[0]).toMatchObject({ method: 'GET', path: `/channels/${other.logChannel.id}`, status: 200 });
      expect(made.filter((r) => r.status >= 400)).toEqual([]);
      await waitFor(async () => (await posted()) > before, 'the log line after the check succeeded');
      await waitFor(async () => !(await show()).includes('⚠️'), '/config show without the problem');
    });

    it('CHANNEL_DELETE of the log channel clears it at once and /config show says so', async () => {
      await stack.emulator.deleteChannel(other.logChannel.id);
      const shown = await waitFor(async () => {
        const text = await show();
        return text.includes('the log channel was deleted') ? text : null;
      }, '/config show naming the deleted log channel');
      expect(shown).toContain('not set (nothing is logged)');
      expect(shown).toContain('⚠️ the log channel was deleted, so nothing is logged; set a new one with /config log-channel set');
      const since = await lastSeq(stack.emulator);
      await logSomething('#999999');
      expect(await touching(since)).toEqual([]);
    });
  });
});
