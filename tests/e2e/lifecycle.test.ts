import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { act, command, configureDemoGuild, openFromPanel, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import { queryRows, runStatement } from '../support/database.js';
import { Stack } from '../../scripts/stack/stack.js';
import { t } from '@promton/shared/domain';
import { adminCommands, commandDefinitions } from '@promton/shared/commands';
import { ApplicationCommandOptionType } from 'discord-api-types/v10';

const MESSAGE_CONTENT_NEEDED = t('en-US', 'check.message-content');

/**
 * Every subcommand of the Manage Server commands (/config, /panel) as Discord would send it,
 * taken from the registered definitions (a new subcommand joins the permission matrix by
 * itself): required options filled with a valid value of their type.
 */
function adminInvocations(values: {
  channel: string;
  category: string;
  role: string;
  member: string;
}): { path: string[]; args: Record<string, string | number | boolean>; attachments?: { filename: string; content: string }[] }[] {
  type Option = {
    type: number;
    name: string;
    required?: boolean;
    options?: Option[];
    choices?: { value: string | number }[];
    min_value?: number;
    channel_types?: number[];
  };
  const value = (option: Option): string | number | boolean => {
    if (option.choices?.length) return option.choices[0]!.value;
    switch (option.type) {
      case ApplicationCommandOptionType.Integer:
      case ApplicationCommandOptionType.Number:
        return option.min_value ?? 1;
      case ApplicationCommandOptionType.Boolean:
        return true;
      case ApplicationCommandOptionType.Channel:
        return option.channel_types?.includes(4) ? values.category : values.channel;
      case ApplicationCommandOptionType.Role:
        return values.role;
      case ApplicationCommandOptionType.User:
      case ApplicationCommandOptionType.Mentionable:
        return values.member;
      case ApplicationCommandOptionType.Attachment:
        return 'config.json';
      default:
        return 'x';
    }
  };
  const invocation = (path: string[], options: Option[] = []) => {
    const required = options.filter((o) => o.required);
    const args = Object.fromEntries(required.map((o) => [o.name, value(o)]));
    const attachments = required.some((o) => o.type === ApplicationCommandOptionType.Attachment) ? [{ filename: 'config.json', content: '{}' }] : undefined;
    return { path, args, ...(attachments ? { attachments } : {}) };
  };
  return commandDefinitions
    .filter((definition) => adminCommands.has(definition.name))
    .flatMap((definition) =>
      ((definition.options ?? []) as Option[]).flatMap((option) =>
        option.type === ApplicationCommandOptionType.SubcommandGroup
          ? (option.options ?? []).map((sub) => invocation([definition.name, option.name, sub.name], sub.options))
          : [invocation([definition.name, option.name], option.options)],
      ),
    );
}
const MISSING_CONTENT = t('en-US', 'transcript.missing-content');

/** The application flag the developer portal sets when Message Content is enabled (1 << 19 when limited). */
const MESSAGE_CONTENT_FLAG = 1 << 18;

/**
 * What happens after a channel opens: the permission matrix, claim, close with its
 * transcript, concurrency, deletion by hand, log batching and a close whose steps each
 * fail once — all through the real processes, asserted from the emulator's state.
 */
describe('ticket lifecycle through the real pipeline', () => {
  let stack: Stack;
  let demo: DemoGuild;
  let stranger: string;

  const open = (userId: string, typeName = 'support') => openFromPanel(stack.emulator, demo, userId, typeName);
  const ticketCommand = (channelId: string, userId: string, sub: string, args: Record<string, string | number | boolean> = {}) =>
    command(stack.emulator, demo, ['ticket', sub], args, userId, channelId);
  const logEmbeds = async () =>
    (await stack.emulator.messages(demo.logChannel.id)).flatMap((m) => m.embeds as { title?: string; fields?: { name: string; value: string }[] }[]);

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl') });
    demo = await seedDemoGuild(stack.emulator);
    await configureDemoGuild(stack.emulator, demo);
    // A new application has no Message Content intent: Discord would send members' messages without text.
    expect(await command(stack.emulator, demo, ['config', 'transcripts', 'on'])).toBe(`❌ ${MESSAGE_CONTENT_NEEDED}`);
    await stack.emulator.setApplicationFlags(MESSAGE_CONTENT_FLAG);
    expect(await command(stack.emulator, demo, ['config', 'transcripts', 'on'])).toMatch(/^✅/);
    // Raise the limit so one member can hold several tickets in these tests.
    expect(await command(stack.emulator, demo, ['config', 'type', 'edit'], { name: 'support', limit: 10 })).toMatch(/^✅/);
    stranger = (await stack.emulator.addMember(demo.guild.id, { username: 'stan-stranger' })).id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('enforces who may do what (stranger / creator / staff / admin × every action)', async () => {
    const ticket = await open(demo.member.id);
    const creator = demo.member.id;
    const staff = demo.staff.id;
    const admin = demo.admin.id;
    const refused = (text: string) => expect(text).toMatch(/^❌ /);
    const allowed = (text: string) => expect(text).toMatch(/^✅ /);

    for (const who of [stranger, creator]) {
      refused(await ticketCommand(ticket.channelId, who, 'claim'));
      refused(await ticketCommand(ticket.channelId, who, 'add', { user: stranger }));
      refused(await ticketCommand(ticket.channelId, who, 'remove', { user: stranger }));
      refused(await ticketCommand(ticket.channelId, who, 'rename', { name: 'nope' }));
      refused(await ticketCommand(ticket.channelId, who, 'close-request'));
      refused(await ticketCommand(ticket.channelId, who, 'move', { type: 'support' }));
      refused(await ticketCommand(ticket.channelId, who, 'topic', { text: 'mine now' }));
      refused(await ticketCommand(ticket.channelId, who, 'priority', { level: 'urgent' }));
      refused(await ticketCommand(ticket.channelId, who, 'transfer', { member: staff }));
      refused(await ticketCommand(demo.panelChannel.id, who, 'list'));
      refused(await command(stack.emulator, demo, ['tag'], { name: 'greeting' }, who, ticket.channelId));
    }
    refused(await ticketCommand(ticket.channelId, stranger, 'close'));
    // The archived ticket's buttons are staff's; on an open ticket even staff are told it is not archived.
    const click = async (who: string, customId: string) =>
      (await act(stack.emulator, { guildId: demo.guild.id, channelId: ticket.channelId, userId: who, kind: 'button', customId })).original?.content ?? '';
    for (const action of ['reopen', 'archive-transcript', 'archive-delete']) {
      for (const who of [stranger, creator]) {
        expect(await click(who, `pt:v1:${action}:${ticket.number}`)).toBe('❌ Only staff of this ticket type can reopen, read or delete an archived ticket.');
      }
      for (const who of [staff, admin]) {
        expect(await click(who, `pt:v1:${action}:${ticket.number}`)).toBe(
          `❌ Ticket #${String(ticket.number).padStart(4, '0')} is not archived, so it cannot be reopened, sent as a transcript or deleted with these buttons.`,
        );
      }
    }
    // Admin commands: every /config and /panel subcommand, as registered, refuses everyone without Manage Server (staff too).
    const invocations = adminInvocations({ channel: demo.panelChannel.id, category: demo.category.id, role: demo.staffRole.id, member: stranger });
    const paths = invocations.map((i) => i.path.join(' '));
    for (const expected of [
      'config type close-mode',
      'config transcript-dm on',
      'config type hours',
      'config feedback on',
      'config stats',
      'config import',
      'panel send',
    ])
      expect(paths).toContain(expected);
    for (const who of [stranger, creator, staff]) {
      for (const { path, args, attachments } of invocations) {
        const state = await act(stack.emulator, {
          guildId: demo.guild.id,
          channelId: demo.panelChannel.id,
          userId: who,
          kind: 'command',
          path,
          args,
          ...(attachments ? { attachments } : {}),
        });
        expect(state.original?.content, `/${path.join(' ')} as ${who}`).toBe(`❌ You need the Manage Server permission to use /${path[0]}.`);
      }
      // /stats is the bot owner's, not a server admin's.
      expect(await command(stack.emulator, demo, ['stats'], {}, who)).toBe('❌ Only the owner of PROMTON-TICKETS can use /stats.');
    }
    // A server admin too: /stats is about every server (the stack runs without OWNER_ID, so nobody here is the owner).
    expect(await command(stack.emulator, demo, ['stats'], {}, admin)).toBe('❌ Only the owner of PROMTON-TICKETS can use /stats.');
    for (const [path, args] of [
      [['config', 'tag', 'add'], { name: 'greeting', content: 'Hello! How can we help?' }],
      [['config', 'tag', 'list'], {}],
      [['config', 'blocklist', 'list'], {}],
    ] as [string[], Record<string, string>][]) {
      allowed(await command(stack.emulator, demo, path, args, admin));
    }
    for (const who of [staff, admin]) {
      allowed(await command(stack.emulator, demo, ['tag'], { name: 'greeting' }, who, ticket.channelId));
      allowed(await ticketCommand(ticket.channelId, who, 'topic', { text: `set by ${who}` }));
      allowed(await ticketCommand(ticket.channelId, who, 'priority', { level: who === staff ? 'high' : 'low' }));
      allowed(await ticketCommand(demo.panelChannel.id, who, 'list'));
    }
    allowed(await ticketCommand(ticket.channelId, staff, 'transfer', { member: staff })); // unclaimed: staff may assign it
    refused(await ticketCommand(ticket.channelId, admin, 'claim')); // claimed by staff now
    allowed(await ticketCommand(ticket.channelId, admin, 'transfer', { member: admin })); // admins may hand over anyone's claim
    allowed(await ticketCommand(ticket.channelId, admin, 'unclaim'));

    allowed(await ticketCommand(ticket.channelId, staff, 'claim'));
    refused(await ticketCommand(ticket.channelId, admin, 'claim')); // already claimed by staff
    refused(await ticketCommand(ticket.channelId, creator, 'unclaim'));
    allowed(await ticketCommand(ticket.channelId, admin, 'unclaim')); // admins may unclaim anyone's claim
    allowed(await ticketCommand(ticket.channelId, admin, 'claim'));
    allowed(await ticketCommand(ticket.channelId, admin, 'unclaim'));

    allowed(await ticketCommand(ticket.channelId, staff, 'add', { user: stranger }));
    let channel = (await stack.emulator.channel(ticket.channelId))!;
    expect(channel.permission_overwrites.some((o) => o.id === stranger && o.type === 1)).toBe(true);
    allowed(await ticketCommand(ticket.channelId, admin, 'remove', { user: stranger }));
    channel = (await stack.emulator.channel(ticket.channelId))!;
    expect(channel.permission_overwrites.some((o) => o.id === stranger)).toBe(false);
    refused(await ticketCommand(ticket.channelId, staff, 'remove', { user: creator }));

    allowed(await ticketCommand(ticket.channelId, staff, 'rename', { name: 'Billing Question' }));
    expect((await stack.emulator.channel(ticket.channelId))!.name).toBe('billing-question');
    allowed(await ticketCommand(ticket.channelId, admin, 'rename', { name: 'billing-2' }));
    // Discord allows 2 renames per 10 minutes; the third is answered, not waited out.
    expect(await ticketCommand(ticket.channelId, staff, 'rename', { name: 'third' })).toMatch(/^❌ Discord allows 2 renames/);

    allowed(await ticketCommand(ticket.channelId, staff, 'close-request', { reason: 'answered' }));
    allowed(await ticketCommand(ticket.channelId, creator, 'close'));
    expect(await stack.emulator.channel(ticket.channelId)).toBeNull();

    for (const closer of [staff, admin]) {
      const next = await open(demo.member.id);
      allowed(await ticketCommand(next.channelId, closer, 'close'));
      expect(await stack.emulator.channel(next.channelId)).toBeNull();
    }
  });

  it('closes when the creator accepts a close request from staff', async () => {
    const ticket = await open(demo.member.id);
    expect(await ticketCommand(ticket.channelId, demo.staff.id, 'close-request', { reason: 'solved' })).toMatch(/^✅/);
    const request = (await stack.emulator.messages(ticket.channelId)).find((m) =>
      JSON.stringify(m.components).includes(`pt:v1:close-request-accept:${ticket.number}`),
    );
    expect(request?.content).toContain(`<@${demo.member.id}>`);
    expect(request?.content).toContain('solved');
    const accepted = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: ticket.channelId,
      userId: demo.member.id,
      kind: 'button',
      customId: `pt:v1:close-request-accept:${ticket.number}`,
      messageId: request!.id,
    });
    expect(accepted.original?.content).toMatch(/^✅ Ticket #\d+ is closed/);
    expect(await stack.emulator.channel(ticket.channelId)).toBeNull();
  });

  it('shows the claimer on the welcome message', async () => {
    const ticket = await open(demo.member.id);
    const state = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: ticket.channelId,
      userId: demo.staff.id,
      kind: 'button',
      customId: `pt:v1:claim:${ticket.number}`,
    });
    expect(state.original?.content).toMatch(/^✅ You claimed ticket/);
    const [welcome] = await stack.emulator.messages(ticket.channelId);
    expect(JSON.stringify(welcome?.embeds)).toContain(`<@${demo.staff.id}>`);
    expect(JSON.stringify(welcome?.components)).toContain(`pt:v1:unclaim:${ticket.number}`);
  });

  it('closes through the confirmation, with an escaped transcript of 250+ messages in the close log', async () => {
    const ticket = await open(demo.member.id);
    await stack.emulator.sendMessage({ channelId: ticket.channelId, userId: demo.member.id, content: '<script>alert("pwned")</script> & <b>bold</b>' });
    for (let i = 1; i <= 255; i++)
      await stack.emulator.sendMessage({ channelId: ticket.channelId, userId: i % 2 ? demo.member.id : demo.staff.id, content: `message ${i}` });

    const confirm = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: ticket.channelId,
      userId: demo.member.id,
      kind: 'button',
      customId: `pt:v1:close:${ticket.number}`,
    });
    expect(confirm.response?.type).toBe(4);
    expect(JSON.stringify(confirm.original?.components)).toContain(`pt:v1:close-confirm:${ticket.number}`);
    await stack.emulator.interact({
      guildId: demo.guild.id,
      channelId: ticket.channelId,
      userId: demo.member.id,
      kind: 'button',
      customId: `pt:v1:close-confirm:${ticket.number}`,
    });

    await waitFor(async () => (await stack.emulator.channel(ticket.channelId)) === null, 'the channel to be deleted');
    const filename = `transcript-${String(ticket.number).padStart(4, '0')}.html`;
    const transcript = await waitFor(async () => {
      const messages = await stack.emulator.messages(demo.logChannel.id);
      return messages.find((m) => m.attachments.some((a) => a.filename === filename));
    }, 'the transcript in the log channel');
    // The bot posted the file itself; the close log names it by file name and size and links the message.
    expect(transcript.author.id).toBe(demo.guild.botUserId);
    const closeField = await waitFor(
      async () =>
        (await logEmbeds())
          .find((e) => e.title === 'Ticket closed' && e.fields?.some((f) => f.name === 'Ticket' && f.value === `#${String(ticket.number).padStart(4, '0')}`))
          ?.fields?.find((f) => f.name === 'Transcript'),
      'the close log naming the transcript',
    );
    expect(closeField.value).toContain(`${filename} (`);
    expect(closeField.value).toContain(`/${demo.logChannel.id}/${transcript.id}`);
    const html = await (await fetch(transcript.attachments[0]!.url)).text();
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(html).not.toContain('<script>');
    for (const i of [1, 100, 200, 255]) expect(html).toContain(`message ${i}<`);
    expect((html.match(/<article class="message"/g) ?? []).length).toBe(257); // welcome + 256
  });

  it('identifies with the Guilds intent only (the one a feature uses)', async () => {
    const sessions = await stack.emulator.waitForGateway(1);
    expect(sessions.map((session) => session.intents)).toEqual(sessions.map(() => 1));
  });

  it('marks messages whose text Discord withheld when the Message Content intent is taken away', async () => {
    const ticket = await open(demo.member.id);
    await stack.emulator.sendMessage({ channelId: ticket.channelId, userId: demo.member.id, content: 'my order number is 42' });
    await stack.emulator.setApplicationFlags(0);
    try {
      expect(await ticketCommand(ticket.channelId, demo.staff.id, 'close')).toMatch(/^✅/);
      const closeLog = await waitFor(async () => {
        const messages = await stack.emulator.messages(demo.logChannel.id);
        return messages.find((m) => m.attachments.some((a) => a.filename === `transcript-${String(ticket.number).padStart(4, '0')}.html`));
      }, 'the transcript in the log channel');
      const html = await (await fetch(closeLog.attachments[0]!.url)).text();
      expect(html).not.toContain('my order number is 42');
      expect(html).toContain(MISSING_CONTENT);
      // The bot's own welcome message keeps its embed and is not marked.
      expect(html.split(MISSING_CONTENT)).toHaveLength(2);
    } finally {
      await stack.emulator.setApplicationFlags(MESSAGE_CONTENT_FLAG);
    }
  });

  it('gives two members clicking at the same instant distinct numbers, and holds the limit for one member', async () => {
    const a = (await stack.emulator.addMember(demo.guild.id, { username: 'amy' })).id;
    const b = (await stack.emulator.addMember(demo.guild.id, { username: 'bob' })).id;
    const [ta, tb] = await Promise.all([open(a), open(b)]);
    expect(ta.number).not.toBe(tb.number);
    expect(ta.channelId).not.toBe(tb.channelId);

    expect(await command(stack.emulator, demo, ['config', 'type', 'edit'], { name: 'support', limit: 1 })).toMatch(/^✅/);
    const c = (await stack.emulator.addMember(demo.guild.id, { username: 'cat' })).id;
    const answers = await Promise.all(
      [0, 1, 2].map(() =>
        act(stack.emulator, { guildId: demo.guild.id, channelId: demo.panelChannel.id, userId: c, kind: 'button', customId: 'pt:v1:open:support' }),
      ),
    );
    const texts = answers.map((s) => s.original?.content ?? '');
    expect(texts.filter((t) => t.startsWith('✅'))).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('❌ You already have'))).toHaveLength(2);
    expect(await command(stack.emulator, demo, ['config', 'type', 'edit'], { name: 'support', limit: 10 })).toMatch(/^✅/);
  });

  it('marks a ticket closed and logs it when its channel is deleted by hand', async () => {
    const ticket = await open(demo.member.id);
    await stack.emulator.deleteChannel(ticket.channelId);
    const log = await waitFor(
      async () =>
        (await logEmbeds()).find(
          (e) => e.title === 'Ticket channel deleted by hand' && JSON.stringify(e).includes(`#${String(ticket.number).padStart(4, '0')}`),
        ),
      'the deleted-by-hand log',
    );
    expect(log).toBeDefined();
    // A command in the gone channel no longer finds an open ticket.
    const again = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.staff.id,
      kind: 'button',
      customId: `pt:v1:claim:${ticket.number}`,
    });
    expect(again.original?.content).toMatch(/^❌ Ticket #\d+ is already closed/);
  });

  it('batches waiting log events for one channel into messages of up to 10 embeds', async () => {
    await stack.stopService('log-worker');
    const before = (await stack.emulator.messages(demo.logChannel.id)).length;
    const members = await Promise.all(Array.from({ length: 12 }, (_, i) => stack.emulator.addMember(demo.guild.id, { username: `batch-${i}` })));
    await Promise.all(members.map((m) => open(m.id)));
    await stack.startService('log-worker');
    const posted = await waitFor(async () => {
      const fresh = (await stack.emulator.messages(demo.logChannel.id)).slice(before);
      return fresh.flatMap((m) => m.embeds).length >= 12 ? fresh : null;
    }, '12 log embeds');
    expect(posted.flatMap((m) => m.embeds)).toHaveLength(12);
    expect(posted.length).toBeLessThanOrEqual(3);
    expect(Math.max(...posted.map((m) => m.embeds.length))).toBeLessThanOrEqual(10);
  });

  it('closes with each step failing once: nothing lost, nothing posted twice', async () => {
    const ticket = await open(demo.member.id);
    const channel = `^/channels/${ticket.channelId}`;
    await stack.emulator.addFault({ method: 'PUT', path: `${channel}/permissions/`, kind: 'status', status: 500, count: 1 });
    // Log lines go through the log channel's webhook (made by the first log post).
    const webhook = await waitFor(async () => (await stack.emulator.webhooks(demo.logChannel.id))[0] ?? null, 'the log channel webhook');
    await stack.emulator.addFault({ method: 'POST', path: `^/webhooks/${webhook.id}/`, kind: 'status', status: 502, count: 1 });
    await stack.emulator.addFault({ method: 'DELETE', path: `${channel}$`, kind: 'status', status: 500, count: 1 });
    try {
      const state = await act(
        stack.emulator,
        { guildId: demo.guild.id, channelId: ticket.channelId, userId: demo.staff.id, kind: 'command', path: ['ticket', 'close'], args: { reason: 'done' } },
        60_000,
      );
      expect(state.original?.content).toMatch(/^✅ Ticket #\d+ is closed/);
    } finally {
      await stack.emulator.clearFaults();
    }
    expect(await stack.emulator.channel(ticket.channelId)).toBeNull();
    const tag = `#${String(ticket.number).padStart(4, '0')}`;
    const closes = await waitFor(async () => {
      const found = (await logEmbeds()).filter((e) => e.title === 'Ticket closed' && JSON.stringify(e).includes(tag));
      return found.length > 0 ? found : null;
    }, 'the close log');
    // Every log job (the failed post's retry included) has finished: a second post would be there now.
    await stack.waitUntilIdle(['logs']);
    expect((await logEmbeds()).filter((e) => e.title === 'Ticket closed' && JSON.stringify(e).includes(tag))).toHaveLength(closes.length);
    expect(closes).toHaveLength(1);
    expect(JSON.stringify(closes[0])).toContain('done');
  });

  it("overflows a category at Discord's 50-channel limit instead of failing", async () => {
    const guild = await stack.emulator.seedGuild({
      name: 'Full category',
      roles: [{ name: 'Admin', permissions: (1n << 3n).toString() }],
      members: [{ username: 'admin', roles: ['Admin'] }, { username: 'member' }],
      channels: [
        { name: 'Full', type: 4 },
        { name: 'panel', type: 0 },
        ...Array.from({ length: 50 }, (_, i) => ({ name: `old-${i}`, type: 0, parent: 'Full' })),
      ],
    });
    const admin = guild.members.find((m) => m.username === 'admin')!.id;
    const member = guild.members.find((m) => m.username === 'member')!.id;
    const full = guild.channels.find((c) => c.name === 'Full')!.id;
    const panel = guild.channels.find((c) => c.name === 'panel')!.id;
    const added = await act(stack.emulator, {
      guildId: guild.id,
      channelId: panel,
      userId: admin,
      kind: 'command',
      path: ['config', 'type', 'add'],
      args: { name: 'support', label: 'Support', category: full },
    });
    expect(added.original?.content).toMatch(/^✅/);
    const state = await act(stack.emulator, { guildId: guild.id, channelId: panel, userId: member, kind: 'button', customId: 'pt:v1:open:support' });
    const channelId = /<#(\d+)>/.exec(state.original?.content ?? '')?.[1];
    expect(state.original?.content).toMatch(/^✅/);
    expect(await stack.emulator.channel(channelId!)).toMatchObject({ name: 'ticket-0001', parent_id: null });
  });

  it("tells the member clearly when the server is at Discord's 500-channel limit", async () => {
    const guild = await stack.emulator.seedGuild({
      name: 'Crowded',
      roles: [{ name: 'Admin', permissions: (1n << 3n).toString() }],
      members: [{ username: 'admin', roles: ['Admin'] }, { username: 'member' }],
      channels: [{ name: 'panel', type: 0 }, ...Array.from({ length: 499 }, (_, i) => ({ name: `c-${i}`, type: 0 }))],
    });
    const admin = guild.members.find((m) => m.username === 'admin')!.id;
    const member = guild.members.find((m) => m.username === 'member')!.id;
    const panel = guild.channels.find((c) => c.name === 'panel')!.id;
    expect(
      (
        await act(stack.emulator, {
          guildId: guild.id,
          channelId: panel,
          userId: admin,
          kind: 'command',
          path: ['config', 'type', 'add'],
          args: { name: 'support', label: 'Support' },
        })
      ).original?.content,
    ).toMatch(/^✅/);
    const state = await act(stack.emulator, { guildId: guild.id, channelId: panel, userId: member, kind: 'button', customId: 'pt:v1:open:support' });
    expect(state.original?.content).toMatch(/^❌ .*limit of 500 channels/);
    // The refused open does not hold the member's place.
    const again = await act(stack.emulator, { guildId: guild.id, channelId: panel, userId: member, kind: 'button', customId: 'pt:v1:open:support' });
    expect(again.original?.content).toMatch(/^❌ .*limit of 500 channels/);
  });

  it('refuses a close the bot lacks a permission for at once, naming it, without asking Discord (app_permissions)', async () => {
    const { channelId } = await open(demo.member.id);
    // An admin takes Manage Roles from the bot's role in this ticket channel.
    await stack.emulator.setOverwrite(channelId, demo.guild.botRoleId, { type: 0, deny: (1n << 28n).toString() });
    const since = (await stack.emulator.requests()).at(-1)?.seq ?? 0;
    const closed = await ticketCommand(channelId, demo.staff.id, 'close');
    expect(closed).toBe('❌ I could not close the ticket: I lack Manage Roles in this channel; ask an admin to give my role what is missing.');
    // Discord was not asked (no 403 counted towards its invalid-request limit).
    const refused = (await stack.emulator.requests({ since })).filter((r) => r.path.includes(channelId) && r.status >= 400);
    expect(refused).toEqual([]);
    // The channel is still there, untouched, and the ticket still open.
    expect(await stack.emulator.channel(channelId)).not.toBeNull();
    expect(await ticketCommand(channelId, demo.staff.id, 'claim')).toMatch(/^✅/);
  });

  it('auto-closes a quiet ticket from a delayed job that survives a ticket-worker crash', async () => {
    expect(await command(stack.emulator, demo, ['config', 'type', 'auto-close'], { name: 'support', hours: 1 })).toMatch(/^✅/);
    const ticket = await open(demo.member.id);
    const queue = new Queue('tickets', { connection: { url: inject('redisUrl') }, prefix: stack.prefix });
    try {
      const pending = async () =>
        (await queue.getDelayed()).find((job) => job.name === 'ticket.auto-close' && (job.data as { ticketNumber: number }).ticketNumber === ticket.number);
      expect(await pending()).toBeDefined();
      await stack.stopService('ticket-worker', 'SIGKILL');
      await stack.startService('ticket-worker');
      const job = await pending();
      expect(job).toBeDefined();

      // The member saw ✅ once the open's result was queued for config-service, and the
      // SIGKILL can catch that write in progress: it is redone when its lock expires (10–15 s),
      // long before an hour could pass. So wait for the open record, as an hour would.
      await waitFor(
        async () =>
          (
            await queryRows<{ status: string }>(stack.databaseUrl, 'SELECT status FROM tickets WHERE guild_id = ? AND number = ?', [
              demo.guild.id,
              ticket.number,
            ])
          )[0]?.status === 'open',
        'the open record',
        90_000,
      );
      // An hour passes with only the bot's welcome in the channel: move the open back (in Sequelize's SQLite date format), then let the check run now.
      await runStatement(stack.databaseUrl, 'UPDATE tickets SET created_at = ? WHERE guild_id = ? AND number = ?', [
        new Date(Date.now() - 2 * 3_600_000).toISOString().replace('T', ' ').replace('Z', ' +00:00'),
        demo.guild.id,
        ticket.number,
      ]);
      await job!.promote();
      // The check runs in a process just restarted (in the single-process project, all four
      // services at once): wait as long as a busy machine needs, and on a failure say where
      // the job is and what the process logged, so a missed job and a slow one can be told apart.
      await waitFor(async () => (await stack.emulator.channel(ticket.channelId)) === null, 'the auto-close', 90_000).catch(async (error: Error) => {
        const state = await queue
          .getJob(job!.id!)
          .then(async (now) => (now ? `${await now.getState()}, ${now.attemptsMade} attempts, ${now.failedReason ?? 'no failure'}` : 'gone'));
        throw new Error(`${error.message}; the auto-close job: ${state}; ticket-worker's log:\n${stack.logOf('ticket-worker').slice(-3000)}`);
      });
      const log = await waitFor(
        async () =>
          (await logEmbeds()).find((e) => e.title === 'Ticket auto-closed' && JSON.stringify(e).includes(`#${String(ticket.number).padStart(4, '0')}`)),
        'the auto-close log',
      );
      expect(JSON.stringify(log)).toContain('no messages for 1 h');
    } finally {
      await queue.close();
      expect(await command(stack.emulator, demo, ['config', 'type', 'auto-close'], { name: 'support', hours: 0 })).toMatch(/^✅/);
    }
  });
});
