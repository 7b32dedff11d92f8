import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BOT_PERMISSIONS, PermissionFlagsBits, t } from '@promton/shared/domain';
import { adminAct, command, configureDemoGuild, openFromPanel, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import { runStatement } from '../support/database.js';
import { Stack } from '../../scripts/stack/stack.js';

/** The application flag the developer portal sets when Message Content is enabled. */
const MESSAGE_CONTENT_FLAG = 1 << 18;

/**
 * Thread tickets through the real processes: a type whose tickets are private threads in a
 * chosen channel — configured by /config, opened from the panel, seen only by its member
 * and staff, claimed, members added and removed, renamed, closed into an archived and
 * locked thread with its transcript in the log, and auto-closed — asserted from the
 * emulator's state (which follows Discord's documented thread rules).
 */
describe('thread tickets through the real pipeline', () => {
  let stack: Stack;
  let demo: DemoGuild;
  let stranger: string;
  let threadChannel: string;

  const open = async (userId: string) => {
    const { number, channelId } = await openFromPanel(stack.emulator, demo, userId, 'private');
    return { number, threadId: channelId };
  };
  const ticketCommand = (threadId: string, userId: string, sub: string, args: Record<string, string | number | boolean> = {}) =>
    command(stack.emulator, demo, ['ticket', sub], args, userId, threadId);
  const sees = async (threadId: string, userId: string) => (await stack.emulator.permissions(threadId, userId)).view;
  const metadata = async (threadId: string) => (await stack.emulator.channel(threadId))?.thread_metadata as { archived: boolean; locked: boolean } | undefined;
  /** The bot's message in the log channel with the ticket's transcript, and the close log (posted apart, through the webhook) naming it. */
  const closeLogOf = async (ticketNumber: number) => {
    const number = String(ticketNumber).padStart(4, '0');
    const transcript = await waitFor(async () => {
      const messages = await stack.emulator.messages(demo.logChannel.id);
      return messages.find((m) => m.attachments.some((a) => a.filename === `transcript-${number}.html`));
    }, 'the transcript in the log channel');
    const embed = await waitFor(
      async () =>
        (await stack.emulator.messages(demo.logChannel.id))
          .flatMap((m) => m.embeds as { title?: string; fields?: { name: string; value: string }[] }[])
          .find((e) => e.title === 'Ticket closed' && e.fields?.some((f) => f.name === 'Ticket' && f.value === `#${number}`)),
      'the close log naming the transcript',
    );
    return { transcript, embed };
  };

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl') });
    // The bot as its invite asks for it (thread permissions included).
    demo = await seedDemoGuild(stack.emulator, 'PROMTON threads', { botPermissions: BOT_PERMISSIONS.toString() });
    await configureDemoGuild(stack.emulator, demo);
    await stack.emulator.setApplicationFlags(MESSAGE_CONTENT_FLAG);
    expect(await command(stack.emulator, demo, ['config', 'transcripts', 'on'])).toMatch(/^✅/);
    stranger = (await stack.emulator.addMember(demo.guild.id, { username: 'stan-stranger' })).id;
    threadChannel = demo.panelChannel.id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('configures a thread type: refused without a channel or where the bot lacks a thread permission, shown in /config show and the export', async () => {
    expect(await command(stack.emulator, demo, ['config', 'type', 'add'], { name: 'private', label: 'Private', tickets: 'threads' })).toBe(
      `❌ ${t('en-US', 'type.threads-need-channel')}`,
    );
    // The log channel, where the bot's role is denied Manage Threads by hand.
    await stack.emulator.setOverwrite(demo.logChannel.id, demo.guild.botRoleId, { type: 0, deny: PermissionFlagsBits.ManageThreads.toString() });
    expect(await command(stack.emulator, demo, ['config', 'type', 'add'], { name: 'private', label: 'Private', 'thread-channel': demo.logChannel.id })).toBe(
      `❌ The bot cannot open ticket threads in <#${demo.logChannel.id}>: it lacks Manage Threads there.`,
    );
    expect(
      await command(stack.emulator, demo, ['config', 'type', 'add'], {
        name: 'private',
        label: 'Private',
        'staff-role': demo.staffRole.id,
        'thread-channel': threadChannel,
        limit: 5,
      }),
    ).toMatch(/^✅/);
    const show = await adminAct(stack.emulator, demo, ['config', 'show']);
    expect(JSON.stringify(show.original?.embeds)).toContain(`private threads in <#${threadChannel}>`);
    // Archiving on close is for channel tickets: refused for the thread type, and an archiving type cannot switch to threads.
    const archiveThread = (type: string) => `❌ ${t('en-US', 'type.archive-thread', { type })}`;
    expect(
      await command(stack.emulator, demo, ['config', 'type', 'close-mode'], { name: 'private', mode: 'archive', 'archive-category': demo.category.id }),
    ).toBe(archiveThread('private'));
    expect(
      await command(stack.emulator, demo, ['config', 'type', 'close-mode'], { name: 'support', mode: 'archive', 'archive-category': demo.category.id }),
    ).toMatch(/^✅/);
    expect(await command(stack.emulator, demo, ['config', 'type', 'edit'], { name: 'support', 'thread-channel': threadChannel })).toBe(
      archiveThread('support'),
    );
    expect(await command(stack.emulator, demo, ['config', 'type', 'close-mode'], { name: 'support', mode: 'delete' })).toMatch(/^✅/);
    const exported = await adminAct(stack.emulator, demo, ['config', 'export']);
    const file = JSON.parse(await (await fetch(exported.original!.attachments[0]!.url)).text()) as {
      types: { name: string; threadChannelId: string | null }[];
    };
    expect(file.types.find((type) => type.name === 'private')?.threadChannelId).toBe(threadChannel);
    expect(file.types.find((type) => type.name === 'support')?.threadChannelId).toBeNull();
  });

  it('opens a private thread in the chosen channel with the creator and staff in it; nobody else sees it; no channel is made', async () => {
    const channelsBefore = (await stack.emulator.guild(demo.guild.id)).channels.length;
    const ticket = await open(demo.member.id);
    const thread = (await stack.emulator.channel(ticket.threadId))!;
    expect(thread).toMatchObject({ type: 12, parent_id: threadChannel, name: `ticket-${String(ticket.number).padStart(4, '0')}` });
    expect(thread.thread_metadata).toMatchObject({ invitable: false, archived: false, locked: false });
    expect((await stack.emulator.guild(demo.guild.id)).channels.length).toBe(channelsBefore);
    expect(await stack.emulator.threadMembers(ticket.threadId)).toContain(demo.member.id);
    expect(await sees(ticket.threadId, demo.member.id)).toBe(true);
    expect(await sees(ticket.threadId, demo.staff.id)).toBe(true);
    expect(await sees(ticket.threadId, demo.admin.id)).toBe(true);
    expect(await sees(ticket.threadId, demo.otherMember.id)).toBe(false);
    expect(await sees(ticket.threadId, stranger)).toBe(false);
    const [welcome] = await stack.emulator.messages(ticket.threadId);
    expect(welcome?.content).toContain(`<@${demo.member.id}>`);
    expect(JSON.stringify(welcome?.components)).toContain(`pt:v1:close:${ticket.number}`);
  });

  it('enforces who may do what in a thread ticket (stranger / creator / staff / admin)', async () => {
    const ticket = await open(demo.member.id);
    const refused = (text: string) => expect(text).toMatch(/^❌ /);
    const allowed = (text: string) => expect(text).toMatch(/^✅ /);
    for (const who of [stranger, demo.member.id]) {
      refused(await ticketCommand(ticket.threadId, who, 'claim'));
      refused(await ticketCommand(ticket.threadId, who, 'add', { user: demo.otherMember.id }));
      refused(await ticketCommand(ticket.threadId, who, 'remove', { user: demo.otherMember.id }));
      refused(await ticketCommand(ticket.threadId, who, 'rename', { name: 'nope' }));
      refused(await ticketCommand(ticket.threadId, who, 'close-request'));
      refused(await ticketCommand(ticket.threadId, who, 'priority', { level: 'urgent' }));
    }
    refused(await ticketCommand(ticket.threadId, stranger, 'close'));
    for (const who of [stranger, demo.member.id, demo.staff.id]) {
      expect(await command(stack.emulator, demo, ['config', 'type', 'edit'], { name: 'private', tickets: 'channels' }, who)).toBe(
        '❌ You need the Manage Server permission to use /config.',
      );
    }
    // A thread has no topic: the priority is recorded (and listed) only.
    allowed(await ticketCommand(ticket.threadId, demo.staff.id, 'priority', { level: 'high' }));
    allowed(await ticketCommand(ticket.threadId, demo.admin.id, 'claim'));
    refused(await ticketCommand(ticket.threadId, demo.staff.id, 'claim'));
    allowed(await ticketCommand(ticket.threadId, demo.admin.id, 'unclaim'));
    // The creator may close their own ticket.
    allowed(await ticketCommand(ticket.threadId, demo.member.id, 'close'));
    await waitFor(async () => (await metadata(ticket.threadId))?.locked === true, 'the thread to be locked');
  });

  it('claims, adds and removes a member, renames, refuses the topic; close archives and locks the thread and logs its transcript', async () => {
    const ticket = await open(demo.member.id);
    expect(await ticketCommand(ticket.threadId, demo.member.id, 'claim')).toMatch(/^❌ /);
    expect(await ticketCommand(ticket.threadId, demo.staff.id, 'claim')).toMatch(/^✅ /);
    const [welcome] = await stack.emulator.messages(ticket.threadId);
    expect(JSON.stringify(welcome?.embeds)).toContain(`<@${demo.staff.id}>`);

    expect(await ticketCommand(ticket.threadId, demo.staff.id, 'add', { user: demo.otherMember.id })).toMatch(/^✅ /);
    expect(await stack.emulator.threadMembers(ticket.threadId)).toContain(demo.otherMember.id);
    expect(await sees(ticket.threadId, demo.otherMember.id)).toBe(true);
    expect(await ticketCommand(ticket.threadId, demo.staff.id, 'remove', { user: demo.otherMember.id })).toMatch(/^✅ /);
    expect(await stack.emulator.threadMembers(ticket.threadId)).not.toContain(demo.otherMember.id);
    expect(await sees(ticket.threadId, demo.otherMember.id)).toBe(false);

    expect(await ticketCommand(ticket.threadId, demo.staff.id, 'rename', { name: 'VIP help' })).toMatch(/^✅ /);
    expect((await stack.emulator.channel(ticket.threadId))?.name).toBe('vip-help');
    expect(await ticketCommand(ticket.threadId, demo.staff.id, 'topic', { text: 'refund' })).toBe(
      `❌ ${t('en-US', 'topic.thread', { ticket: `#${String(ticket.number).padStart(4, '0')}` })}`,
    );
    expect(await ticketCommand(ticket.threadId, demo.staff.id, 'move', { type: 'support' })).toMatch(/^❌ .*private thread/);

    await stack.emulator.sendMessage({ channelId: ticket.threadId, userId: demo.member.id, content: 'my order 42 never came' });
    expect(await ticketCommand(ticket.threadId, demo.staff.id, 'close', { reason: 'shipped' })).toMatch(/^✅ /);
    const closeLog = await closeLogOf(ticket.number);
    expect(closeLog.embed.fields?.find((f) => f.name === 'Transcript')?.value).toContain(`/${closeLog.transcript.id}`);
    const html = await (await fetch(closeLog.transcript.attachments[0]!.url)).text();
    expect(html).toContain('my order 42 never came');
    await waitFor(async () => (await metadata(ticket.threadId))?.archived === true, 'the thread to be archived');
    // Kept, not deleted: archived and locked, its member still reads it.
    expect(await metadata(ticket.threadId)).toMatchObject({ archived: true, locked: true });
    expect(await sees(ticket.threadId, demo.member.id)).toBe(true);
    expect(await ticketCommand(ticket.threadId, demo.staff.id, 'claim')).toMatch(/^❌ /);
  });

  it('auto-closes a quiet thread ticket into an archived, locked thread', async () => {
    expect(await command(stack.emulator, demo, ['config', 'type', 'auto-close'], { name: 'private', hours: 1 })).toMatch(/^✅/);
    const ticket = await open(demo.otherMember.id);
    const queue = new Queue('tickets', { connection: { url: inject('redisUrl') }, prefix: stack.prefix });
    try {
      const job = await waitFor(
        async () =>
          (await queue.getDelayed()).find((j) => j.name === 'ticket.auto-close' && (j.data as { ticketNumber: number }).ticketNumber === ticket.number),
        'the auto-close check',
      );
      // An hour passes with only the bot's welcome in the thread.
      await runStatement(stack.databaseUrl, 'UPDATE tickets SET created_at = ? WHERE guild_id = ? AND number = ?', [
        new Date(Date.now() - 2 * 3_600_000).toISOString().replace('T', ' ').replace('Z', ' +00:00'),
        demo.guild.id,
        ticket.number,
      ]);
      await job.promote();
      await waitFor(async () => (await metadata(ticket.threadId))?.archived === true, 'the auto-close', 30_000);
      expect(await metadata(ticket.threadId)).toMatchObject({ archived: true, locked: true });
      const log = await waitFor(
        async () =>
          (await stack.emulator.messages(demo.logChannel.id))
            .flatMap((m) => m.embeds as { title?: string }[])
            .find((e) => e.title === 'Ticket auto-closed' && JSON.stringify(e).includes(`#${String(ticket.number).padStart(4, '0')}`)),
        'the auto-close log',
      );
      expect(JSON.stringify(log)).toContain('no messages for 1 h');
    } finally {
      await queue.close();
      expect(await command(stack.emulator, demo, ['config', 'type', 'auto-close'], { name: 'private', hours: 0 })).toMatch(/^✅/);
    }
  });

  it('opens exactly one thread with one welcome when ticket-worker is SIGKILLed mid-open', async () => {
    const since = (await stack.emulator.requests()).at(-1)?.seq ?? 0;
    // The thread's creation is held 3 s and applied then, as Discord would: the worker dies before it learns the thread's id,
    // so the retry must find the thread by its name rather than make a second one.
    const fault = await stack.emulator.addFault({ method: 'POST', path: '^/channels/\\d+/threads$', kind: 'delay', delayMs: 3_000, count: 1 });
    const { id } = await stack.emulator.interact({
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.staff.id,
      kind: 'button',
      customId: 'pt:v1:open:private',
    });
    await waitFor(async () => {
      const faults = (await (await fetch(`${stack.emulator.baseUrl}/_emulator/faults`)).json()) as { id: string; hits: number }[];
      return faults.find((f) => f.id === fault.id && f.hits > 0);
    }, 'the open to reach its held step');
    await stack.stopService('ticket-worker', 'SIGKILL');
    await stack.startService('ticket-worker');
    const state = await stack.emulator.waitForOriginal(id, 60_000);
    const match = /#(\d{4,}) is open: <#(\d+)>/.exec(state.original?.content ?? '');
    expect(match, state.original?.content).not.toBeNull();
    const threadId = match![2]!;
    const created = (await stack.emulator.requests({ since, method: 'POST', path: `/channels/${threadChannel}/threads` })).filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    expect(await stack.emulator.threadMembers(threadId)).toContain(demo.staff.id);
    const welcomes = (await stack.emulator.messages(threadId)).filter((m) =>
      JSON.stringify(m.components).includes(`pt:v1:close:${match![1]!.replace(/^0+/, '')}`),
    );
    expect(welcomes).toHaveLength(1);
  });

  it('marks a thread ticket closed and logs it when its thread is deleted by hand (THREAD_DELETE)', async () => {
    const ticket = await open(demo.member.id);
    await stack.emulator.deleteChannel(ticket.threadId);
    await waitFor(
      async () =>
        (await stack.emulator.messages(demo.logChannel.id))
          .flatMap((m) => m.embeds as { title?: string }[])
          .find((e) => e.title === 'Ticket channel deleted by hand' && JSON.stringify(e).includes(`#${String(ticket.number).padStart(4, '0')}`)),
      'the deleted-by-hand log',
    );
  });

  it('goes back to a channel per ticket with tickets:channels', async () => {
    expect(await command(stack.emulator, demo, ['config', 'type', 'edit'], { name: 'private', tickets: 'channels' })).toMatch(/^✅/);
    const ticket = await open(demo.member.id);
    expect((await stack.emulator.channel(ticket.threadId))?.type).toBe(0);
  });
});
