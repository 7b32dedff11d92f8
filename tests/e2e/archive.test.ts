import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { act, adminAct, command, configureDemoGuild, openFromPanel, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import { runStatement } from '../support/database.js';
import type { MessageObject } from '@promton/discord-emulator';
import { Stack } from '../../scripts/stack/stack.js';

const DAY_MS = 86_400_000;
const VIEW_CHANNEL = 1n << 10n;
/** The application flag the developer portal sets when Message Content is enabled. */
const MESSAGE_CONTENT_FLAG = 1 << 18;

type Embed = { title?: string; fields?: { name: string; value: string }[] };
type Overwrite = { id: string; type: number; allow: string; deny: string };

/**
 * Close modes through the real processes: a type that archives on close (the member loses
 * access, the channel moves to the archive category, staff get Reopen, Transcript and
 * Delete), the auto-delete after the admin's days (time driven through the record and the
 * delayed job, re-derived after Redis loses it), the transcript by DM (and a member who
 * accepts no DMs), and the refusals at Discord's 50 channels per category.
 */
describe('close, archive, reopen', () => {
  let stack: Stack;
  let demo: DemoGuild;
  let queue: Queue;
  let redis: Redis;
  let archive: string;
  let full: string;
  let helper: string;

  const ticketCommand = (channelId: string, userId: string, sub: string, args: Record<string, string | number | boolean> = {}) =>
    command(stack.emulator, demo, ['ticket', sub], args, userId, channelId);
  const admin = (path: string[], args: Record<string, string | number | boolean> = {}) => command(stack.emulator, demo, ['config', ...path], args);
  const open = (userId: string) => openFromPanel(stack.emulator, demo, userId);
  const click = (channelId: string, userId: string, customId: string) =>
    act(stack.emulator, { guildId: demo.guild.id, channelId, userId, kind: 'button', customId });
  const logEmbeds = async () => (await stack.emulator.messages(demo.logChannel.id)).flatMap((m) => m.embeds as Embed[]);
  const logged = (title: string, ticketNumber: number) =>
    waitFor(
      async () => (await logEmbeds()).find((e) => e.title === title && JSON.stringify(e).includes(`#${String(ticketNumber).padStart(4, '0')}`)),
      `the log "${title}"`,
    );
  const overwriteOf = async (channelId: string, id: string) =>
    ((await stack.emulator.channel(channelId))?.permission_overwrites as Overwrite[] | undefined)?.find((o) => o.id === id);
  const buttonsOf = (message: MessageObject) =>
    (message.components as { components?: { custom_id?: string; label?: string }[] }[]).flatMap((row) => row.components ?? []).map((c) => c.custom_id);
  const archiveMessages = async (channelId: string) =>
    (await stack.emulator.messages(channelId)).filter((m) => buttonsOf(m).some((id) => id?.startsWith('pt:v1:reopen:')));
  const deleteJob = async (ticketNumber: number): Promise<Job | undefined> =>
    (await queue.getDelayed()).find((job) => job.name === 'ticket.archive-delete' && (job.data as { ticketNumber: number }).ticketNumber === ticketNumber);

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl') });
    demo = await seedDemoGuild(stack.emulator, 'Archive demo', {
      extraChannels: [
        { name: 'Archive', type: 4 },
        { name: 'Full', type: 4 },
        ...Array.from({ length: 50 }, (_, i) => ({ name: `old-${i}`, type: 0, parent: 'Full' })),
      ],
    });
    archive = demo.guild.channels.find((c) => c.name === 'Archive')!.id;
    full = demo.guild.channels.find((c) => c.name === 'Full')!.id;
    await configureDemoGuild(stack.emulator, demo);
    await stack.emulator.setApplicationFlags(MESSAGE_CONTENT_FLAG);
    expect(await admin(['transcripts', 'on'])).toMatch(/^✅/);
    expect(await admin(['type', 'edit'], { name: 'support', limit: 10 })).toMatch(/^✅/);
    helper = (await stack.emulator.addMember(demo.guild.id, { username: 'hal-helper' })).id;
    queue = new Queue('tickets', { connection: { url: inject('redisUrl') }, prefix: stack.prefix });
    redis = new Redis(inject('redisUrl'));
  });
  afterAll(async () => {
    await queue?.close();
    redis?.disconnect();
    await stack?.close();
  });

  it('refuses an archive mode without a category, days out of range, and a category where the bot cannot move channels', async () => {
    expect(await admin(['type', 'close-mode'], { name: 'support', mode: 'archive' })).toBe(
      '❌ Archiving needs a category for the archived channels: give archive-category.',
    );
    expect(await admin(['type', 'close-mode'], { name: 'support', mode: 'archive', 'archive-category': archive, days: 0 })).toBe(
      '❌ The days must be between 1 and 90.',
    );
    await stack.emulator.setOverwrite(archive, demo.guild.botRoleId, { type: 0, deny: (1n << 4n).toString() });
    expect(await admin(['type', 'close-mode'], { name: 'support', mode: 'archive', 'archive-category': archive })).toBe(
      `❌ I am missing Manage Channels in the category <#${archive}>; give my role these permissions there before archiving into it.`,
    );
    await stack.emulator.setOverwrite(archive, demo.guild.botRoleId, { type: 0, deny: '0' });
    const show = await adminAct(stack.emulator, demo, ['config', 'show']);
    expect(JSON.stringify(show.original?.embeds)).not.toContain('archived on close');
  });

  it('archives on close: the member loses access, the channel moves to the archive category, staff get Reopen, Transcript and Delete', async () => {
    expect(await admin(['type', 'close-mode'], { name: 'support', mode: 'archive', 'archive-category': archive, days: 3 })).toBe(
      `✅ Closing a ticket of support archives its channel in <#${archive}> for 3 days; staff can reopen it, get its transcript or delete it there.`,
    );
    const show = await adminAct(stack.emulator, demo, ['config', 'show']);
    expect(JSON.stringify(show.original?.embeds)).toContain(`archived on close for 3 days in <#${archive}>`);

    const ticket = await open(demo.member.id);
    await stack.emulator.sendMessage({ channelId: ticket.channelId, userId: demo.member.id, content: 'my printer is on fire' });
    expect(await ticketCommand(ticket.channelId, demo.staff.id, 'add', { user: helper })).toMatch(/^✅/);
    // The close button's confirmation says what closing does now.
    const confirm = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: ticket.channelId,
      userId: demo.member.id,
      kind: 'button',
      customId: `pt:v1:close:${ticket.number}`,
    });
    expect(confirm.original?.content).toBe(
      `Close ticket #${String(ticket.number).padStart(4, '0')}? Its member loses access and the channel is archived for 3 days.`,
    );

    const before = Date.now();
    expect(await ticketCommand(ticket.channelId, demo.staff.id, 'close', { reason: 'solved' })).toBe(
      `✅ Ticket #${String(ticket.number).padStart(4, '0')} is closed and its channel archived for 3 days.`,
    );
    const channel = (await stack.emulator.channel(ticket.channelId))!;
    expect(channel.parent_id).toBe(archive);
    const member = (await overwriteOf(ticket.channelId, demo.member.id))!;
    expect(BigInt(member.allow) & VIEW_CHANNEL).toBe(0n);
    expect(BigInt(member.deny) & VIEW_CHANNEL).toBe(VIEW_CHANNEL);
    const [controls] = await archiveMessages(ticket.channelId);
    expect(buttonsOf(controls!)).toEqual([
      `pt:v1:reopen:${ticket.number}`,
      `pt:v1:archive-transcript:${ticket.number}`,
      `pt:v1:archive-delete:${ticket.number}`,
    ]);
    expect(controls!.content).toMatch(
      /^🔒 Ticket #\d{4} is closed: its member no longer sees this channel\. It is deleted <t:\d+:R> unless staff reopen it\.$/,
    );
    const closedLog = await logged('Ticket closed', ticket.number);
    expect(JSON.stringify(closedLog)).toContain(`transcript-${String(ticket.number).padStart(4, '0')}.html`);
    // Its deletion waits three days in a delayed job.
    const job = (await deleteJob(ticket.number))!;
    expect(job.timestamp + job.delay).toBeGreaterThanOrEqual(before + 3 * DAY_MS - 60_000);
    expect(job.timestamp + job.delay).toBeLessThanOrEqual(Date.now() + 3 * DAY_MS);

    // Staff only: someone added to the ticket still sees it but may not use the buttons.
    for (const id of ['reopen', 'archive-transcript', 'archive-delete']) {
      expect((await click(ticket.channelId, helper, `pt:v1:${id}:${ticket.number}`)).original?.content).toBe(
        '❌ Only staff of this ticket type can reopen, read or delete an archived ticket.',
      );
    }
    // An archived ticket is closed: the open-ticket actions refuse it.
    expect(await ticketCommand(ticket.channelId, demo.staff.id, 'claim')).toMatch(/^❌ .*closed/);

    // Transcript: on demand, as a file on the staff member's own answer.
    const transcript = await click(ticket.channelId, demo.staff.id, `pt:v1:archive-transcript:${ticket.number}`);
    expect(transcript.original?.content).toBe(`✅ The transcript of ticket #${String(ticket.number).padStart(4, '0')} is attached.`);
    expect(transcript.original!.flags & 64).toBe(64);
    const file = transcript.original!.attachments[0]!;
    expect(file.filename).toBe(`transcript-${String(ticket.number).padStart(4, '0')}.html`);
    expect(await (await fetch(file.url)).text()).toContain('my printer is on fire');

    // Reopen: back in the type's category, the member in again, the buttons off, logged.
    const reopened = await click(ticket.channelId, demo.admin.id, `pt:v1:reopen:${ticket.number}`);
    expect(reopened.original?.content).toBe(`✅ Ticket #${String(ticket.number).padStart(4, '0')} is open again: <#${ticket.channelId}>.`);
    expect((await stack.emulator.channel(ticket.channelId))!.parent_id).toBe(demo.category.id);
    const back = (await overwriteOf(ticket.channelId, demo.member.id))!;
    expect(BigInt(back.allow) & VIEW_CHANNEL).toBe(VIEW_CHANNEL);
    expect(BigInt(back.deny)).toBe(0n);
    const messages = await stack.emulator.messages(ticket.channelId);
    expect(messages.filter((m) => buttonsOf(m).some((id) => id?.startsWith('pt:v1:reopen:')))).toEqual([]);
    expect(
      messages.some((m) => m.content === `<@${demo.member.id}>, ticket #${String(ticket.number).padStart(4, '0')} was reopened by <@${demo.admin.id}>.`),
    ).toBe(true);
    await logged('Ticket reopened', ticket.number);
    expect(await ticketCommand(ticket.channelId, demo.staff.id, 'claim')).toMatch(/^✅/);
    // The old deletion finds the ticket open and does nothing.
    await (await deleteJob(ticket.number))!.promote();
    await stack.waitUntilIdle(['tickets'], { delayed: false });
    expect(await stack.emulator.channel(ticket.channelId)).not.toBeNull();

    // Closed again: archived again, with a new archive message; Delete removes the channel now.
    expect(await ticketCommand(ticket.channelId, demo.staff.id, 'close')).toMatch(/^✅ .*archived for 3 days\.$/);
    // A close of its own: logged again, with a transcript of its own.
    await waitFor(
      async () =>
        (await logEmbeds()).filter(
          (e) => e.title === 'Ticket closed' && JSON.stringify(e).includes(`transcript-${String(ticket.number).padStart(4, '0')}.html`),
        ).length === 2,
      'the second close log',
    );
    expect(await archiveMessages(ticket.channelId)).toHaveLength(1);
    const deleted = await click(ticket.channelId, demo.staff.id, `pt:v1:archive-delete:${ticket.number}`);
    expect(deleted.original?.content).toBe(`✅ The channel of ticket #${String(ticket.number).padStart(4, '0')} is deleted.`);
    await waitFor(async () => (await stack.emulator.channel(ticket.channelId)) === null, 'the deletion');
    await logged('Archived ticket deleted', ticket.number);
  });

  it('refuses a reopen into a full category with the limit named, leaving the ticket archived', async () => {
    const ticket = await open(demo.member.id);
    expect(await ticketCommand(ticket.channelId, demo.staff.id, 'close')).toMatch(/^✅/);
    expect(await admin(['type', 'edit'], { name: 'support', category: full })).toMatch(/^✅/);
    try {
      const refused = await click(ticket.channelId, demo.staff.id, `pt:v1:reopen:${ticket.number}`);
      expect(refused.original?.content).toBe(
        `❌ I could not reopen ticket #${String(ticket.number).padStart(4, '0')}: its category <#${full}> is full (Discord allows 50 channels in a category); make room there or change the category of Support.`,
      );
      expect((await stack.emulator.channel(ticket.channelId))!.parent_id).toBe(archive);
      expect(BigInt((await overwriteOf(ticket.channelId, demo.member.id))!.deny) & VIEW_CHANNEL).toBe(VIEW_CHANNEL);
      expect(await archiveMessages(ticket.channelId)).toHaveLength(1);
    } finally {
      expect(await admin(['type', 'edit'], { name: 'support', category: demo.category.id })).toMatch(/^✅/);
    }
    expect((await click(ticket.channelId, demo.staff.id, `pt:v1:reopen:${ticket.number}`)).original?.content).toMatch(/^✅ .* is open again/);
  });

  it('refuses a reopen past the member’s open-ticket limit, naming it, and counts auto-close from the reopen', async () => {
    const sqliteDate = (at: number) => new Date(at).toISOString().replace('T', ' ').replace('Z', ' +00:00');
    const autoCloseJobs = async (ticketNumber: number) =>
      (await queue.getDelayed()).filter((job) => job.name === 'ticket.auto-close' && (job.data as { ticketNumber: number }).ticketNumber === ticketNumber);
    const member = (await stack.emulator.addMember(demo.guild.id, { username: 'lim-limit' })).id;
    expect(await admin(['type', 'edit'], { name: 'support', limit: 1 })).toMatch(/^✅/);
    try {
      const first = await open(member);
      expect(await ticketCommand(first.channelId, demo.staff.id, 'close')).toMatch(/^✅ .*archived/);
      const second = await open(member);
      // The member holds their one open ticket of Support: Reopen refuses, and nothing moves.
      const refused = await click(first.channelId, demo.staff.id, `pt:v1:reopen:${first.number}`);
      expect(refused.original?.content).toBe(
        `❌ I could not reopen ticket #${String(first.number).padStart(4, '0')}: <@${member}> already has the most open tickets Support allows (1 at a time); one of them must close first.`,
      );
      expect((await stack.emulator.channel(first.channelId))!.parent_id).toBe(archive);
      expect(BigInt((await overwriteOf(first.channelId, member))!.deny) & VIEW_CHANNEL).toBe(VIEW_CHANNEL);
      expect(await archiveMessages(first.channelId)).toHaveLength(1);

      // Once the other one closes, the reopen goes ahead; auto-close (1 h) counts from the reopen, not the open two days ago.
      expect(await ticketCommand(second.channelId, demo.staff.id, 'close')).toMatch(/^✅/);
      expect(await admin(['type', 'auto-close'], { name: 'support', hours: 1 })).toMatch(/^✅/);
      await runStatement(stack.databaseUrl, 'UPDATE tickets SET created_at = ? WHERE guild_id = ? AND number = ?', [
        sqliteDate(Date.now() - 2 * DAY_MS),
        demo.guild.id,
        first.number,
      ]);
      const before = Date.now();
      expect((await click(first.channelId, demo.staff.id, `pt:v1:reopen:${first.number}`)).original?.content).toMatch(/^✅ .* is open again/);
      const check = (await autoCloseJobs(first.number)).find((job) => job.id?.includes('-reopen-'));
      expect(check!.timestamp + check!.delay).toBeGreaterThanOrEqual(before + 3_600_000 - 1_000);
      // The check runs now: quiet for two days since the open, but reopened a moment ago, so it stays open and checks again later.
      await check!.promote();
      await stack.waitUntilIdle(['tickets'], { delayed: false });
      expect(await stack.emulator.channel(first.channelId)).not.toBeNull();
      expect((await stack.emulator.channel(first.channelId))!.parent_id).toBe(demo.category.id);
      const later = (await autoCloseJobs(first.number)).find((job) => job.id?.endsWith('-open-retry'));
      expect(later!.timestamp + later!.delay).toBeGreaterThan(Date.now() + 3_600_000 - 60_000);
      // An hour after the reopen with no one writing, the next check closes it.
      await runStatement(stack.databaseUrl, 'UPDATE tickets SET reopened_at = ? WHERE guild_id = ? AND number = ?', [
        sqliteDate(Date.now() - 3_600_000 - 60_000),
        demo.guild.id,
        first.number,
      ]);
      await later!.promote();
      await logged('Ticket auto-closed', first.number);
    } finally {
      expect(await admin(['type', 'auto-close'], { name: 'support', hours: 0 })).toMatch(/^✅/);
      expect(await admin(['type', 'edit'], { name: 'support', limit: 10 })).toMatch(/^✅/);
    }
  });

  it('deletes an archived channel after the admin’s days, from a delayed job re-derived from the database after Redis loses it', async () => {
    const ticket = await open(demo.member.id);
    expect(await ticketCommand(ticket.channelId, demo.staff.id, 'close')).toMatch(/^✅/);
    // Redis loses the job: config-service's reconciliation re-adds it from the record.
    await (await deleteJob(ticket.number))!.remove();
    await redis.del(`${stack.prefix}:reconciled`);
    const job = await waitFor(() => deleteJob(ticket.number), 'the re-derived deletion', 30_000);
    expect(job.delay).toBeGreaterThan(2 * DAY_MS);
    // Three days pass: the archiving moves back in the record (Sequelize's SQLite date format), then the job runs now.
    await runStatement(stack.databaseUrl, 'UPDATE tickets SET archived_at = ? WHERE guild_id = ? AND number = ?', [
      new Date(Date.now() - 3 * DAY_MS - 60_000).toISOString().replace('T', ' ').replace('Z', ' +00:00'),
      demo.guild.id,
      ticket.number,
    ]);
    await job.promote();
    await waitFor(async () => (await stack.emulator.channel(ticket.channelId)) === null, 'the auto-delete', 30_000);
    await logged('Archived ticket deleted after its days', ticket.number);
    // Nothing is left to schedule for it.
    await redis.del(`${stack.prefix}:reconciled`);
    await waitFor(async () => (await redis.exists(`${stack.prefix}:reconciled`)) === 1, 'the next reconciliation', 30_000);
    expect(await deleteJob(ticket.number)).toBeUndefined();
  });

  it('sends the member the transcript by DM once, and closes quietly for a member who accepts no DMs', async () => {
    expect(await admin(['transcript-dm', 'on'])).toBe('✅ When a ticket closes, its member gets the transcript by DM (members who accept no DMs are skipped).');
    const ticket = await open(demo.member.id);
    await stack.emulator.sendMessage({ channelId: ticket.channelId, userId: demo.member.id, content: 'please send me a copy' });
    expect(await ticketCommand(ticket.channelId, demo.staff.id, 'close')).toMatch(/^✅/);
    const dm = await waitFor(async () => {
      const channel = await stack.emulator.dm(demo.member.id);
      return channel?.messages.find((m) => m.attachments.some((a) => a.filename === `transcript-${String(ticket.number).padStart(4, '0')}.html`));
    }, 'the transcript DM');
    expect(dm.content).toBe(`Your ticket #${String(ticket.number).padStart(4, '0')} (Support) on Archive demo was closed; its transcript is attached.`);
    expect(await (await fetch(dm.attachments[0]!.url)).text()).toContain('please send me a copy');

    await stack.emulator.setAcceptsDms(demo.otherMember.id, false);
    try {
      const refused = await open(demo.otherMember.id);
      expect(await ticketCommand(refused.channelId, demo.staff.id, 'close')).toMatch(/^✅/);
      await waitFor(async () => stack.logOf('ticket-worker').includes('the member accepts no DMs; no transcript sent, not retried'), 'the quiet skip');
      const channel = (await stack.emulator.dm(demo.otherMember.id))!;
      expect(channel.messages).toEqual([]);
      // Discord said no once (403, 50007); nothing retried it.
      await stack.waitUntilIdle(['tickets'], { delayed: false });
      const attempts = await stack.emulator.requests({ method: 'POST', path: `/channels/${channel.id}/messages` });
      expect(attempts.map((r) => [r.status])).toEqual([[403]]);
    } finally {
      await stack.emulator.setAcceptsDms(demo.otherMember.id, true);
    }
    // One DM per close: the member got exactly one for their ticket.
    const mine = (await stack.emulator.dm(demo.member.id))!.messages.filter((m) => m.attachments.some((a) => a.filename.startsWith('transcript-')));
    expect(mine).toHaveLength(1);
    expect(await admin(['transcript-dm', 'off'])).toMatch(/^✅/);
  });

  it('refuses /ticket move into a full category with the limit named, and moves nothing', async () => {
    expect(await admin(['type', 'add'], { name: 'overflow', label: 'Overflow', category: full, 'staff-role': demo.staffRole.id })).toMatch(/^✅/);
    expect(await admin(['type', 'close-mode'], { name: 'support', mode: 'delete' })).toBe('✅ Closing a ticket of support deletes its channel.');
    const ticket = await open(demo.member.id);
    const before = (await stack.emulator.channel(ticket.channelId))!;
    const refused = await ticketCommand(ticket.channelId, demo.staff.id, 'move', { type: 'overflow' });
    expect(refused).toBe(
      `❌ Ticket #${String(ticket.number).padStart(4, '0')} cannot move to Overflow: its category <#${full}> is full (Discord allows 50 channels in a category); nothing was moved. Make room there or change the category of Overflow.`,
    );
    const after = (await stack.emulator.channel(ticket.channelId))!;
    expect(after.parent_id).toBe(demo.category.id);
    expect(after.permission_overwrites).toEqual(before.permission_overwrites);
    // The record was moved back too: the ticket is still a Support ticket.
    expect(await ticketCommand(ticket.channelId, demo.staff.id, 'move', { type: 'support' })).toBe(
      `❌ Ticket #${String(ticket.number).padStart(4, '0')} is already a Support ticket.`,
    );
    await stack.waitUntilIdle(['logs'], { delayed: false });
    expect((await logEmbeds()).some((e) => e.title === 'Ticket moved' && JSON.stringify(e).includes(`#${String(ticket.number).padStart(4, '0')}`))).toBe(false);
    // Closing now deletes the channel, as before the archive mode.
    expect(await ticketCommand(ticket.channelId, demo.staff.id, 'close')).toBe(`✅ Ticket #${String(ticket.number).padStart(4, '0')} is closed.`);
    expect(await stack.emulator.channel(ticket.channelId)).toBeNull();
  });
});
