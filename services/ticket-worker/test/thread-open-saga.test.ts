import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelType } from 'discord-api-types/v10';
import { BOT_PERMISSIONS, channelMention, customId, PermissionFlagsBits, ticketChannelName } from '@promton/shared/domain';
import type { FaultSpec } from '@promton/discord-emulator';
import { STAFF_THREAD_ALLOW } from '../src/domain/thread-access.js';
import { hasComponent, startSagaHarness, type SagaHarness } from './support.js';

/**
 * The open saga of a thread ticket (a type with a thread channel): reserve → create the
 * private thread → record it in the job → bring the staff roles and the creator in →
 * welcome → one `ticket.open-result` event (open, thread).
 * Each retry branch is reached by making one step fail once; whatever fails, the member
 * ends up with exactly one thread, in it, with one welcome.
 */
describe('ticket-worker open saga: thread tickets', () => {
  let h: SagaHarness;
  let threadChannelId: string;
  let staffRoleId: string;
  beforeEach(async () => {
    // The bot as invited: the invite asks for the thread permissions too.
    h = await startSagaHarness({ botPermissions: BOT_PERMISSIONS.toString(), channels: [{ name: 'help-desk' }] });
    threadChannelId = h.guild.channels.find((c) => c.name === 'help-desk')!.id;
    staffRoleId = h.guild.roles.find((r) => r.name === 'Support Staff')!.id;
    await h.setTypes([{ name: 'support', threadChannelId, staffRoleIds: [staffRoleId] }]);
  });
  afterEach(async () => {
    await h.close();
  });

  const THREAD_POST: Pick<FaultSpec, 'method' | 'path'> = { method: 'POST', path: '^/channels/\\d+/threads$' };
  const MEMBER_PUT: Pick<FaultSpec, 'method' | 'path'> = { method: 'PUT', path: '^/channels/\\d+/thread-members/\\d+$' };

  async function open() {
    const ctx = await h.interaction();
    const run = await h.run('ticket.open', { v: 1, ctx, typeName: 'support', answers: [] });
    return { ctx, run };
  }

  /** One private, non-invitable thread in the thread channel, the creator in it, staff let in, one welcome, the record says thread. */
  async function expectOneThreadTicket(ctx: Awaited<ReturnType<SagaHarness['interaction']>>): Promise<string> {
    const threads = h.channelsNamed(ticketChannelName(1));
    expect(threads).toHaveLength(1);
    const thread = threads[0]!;
    expect(thread).toMatchObject({ type: ChannelType.PrivateThread, parent_id: threadChannelId, thread_metadata: { invitable: false, archived: false } });
    expect(await h.control.threadMembers(thread.id)).toContain(ctx.member.userId);
    const staffOverwrite = h.emulator.state.channels.get(threadChannelId)!.permission_overwrites.find((o) => o.id === staffRoleId);
    expect(BigInt(staffOverwrite?.allow ?? '0') & STAFF_THREAD_ALLOW).toBe(STAFF_THREAD_ALLOW);
    const welcomes = (await h.messagesOf(thread.id)).filter((m) => m.author.id === h.emulator.state.botUser.id && hasComponent(m, customId('close', 1)));
    expect(welcomes).toHaveLength(1);
    const records = h.configService.tickets.filter((t) => t.number === 1);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'open', channelId: thread.id, thread: true, welcomeMessageId: welcomes[0]!.id });
    // No channel of the ticket's name besides the thread.
    expect(h.emulator.state.channelsOf(h.emulator.state.guilds.get(h.guild.id)!).some((c) => c.name === ticketChannelName(1))).toBe(false);
    const answer = await h.answerOf(ctx);
    expect(answer).toMatch(/^✅ /);
    expect(answer).toContain(channelMention(thread.id));
    return thread.id;
  }

  it('opens one private thread when nothing fails; a staff member sees it, another member does not', async () => {
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 1 });
    const threadId = await expectOneThreadTicket(ctx);
    const staff = h.guild.members.find((m) => m.username === 'staff')!;
    const other = h.guild.members.find((m) => m.username === 'other-staff')!;
    await h.control.addMember(h.guild.id, { id: staff.id, roles: [staffRoleId] });
    expect((await h.control.permissions(threadId, staff.id)).view).toBe(true);
    expect((await h.control.permissions(threadId, other.id)).view).toBe(false);
    expect((await h.control.permissions(threadId, ctx.member.userId)).view).toBe(true);
  });

  it('finds the thread by its name when the create was applied but its answer was lost (one thread, not two)', async () => {
    h.emulator.faults.add({ ...THREAD_POST, kind: 'timeout', delayMs: 100, count: 1 });
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    await expectOneThreadTicket(ctx);
  });

  it('finds the thread by its name when recording it in the job failed once', async () => {
    h.failStepRecordOnce('channel');
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    const threadId = await expectOneThreadTicket(ctx);
    expect(h.emulator.log.query({ method: 'POST' }).filter((e) => /^\/channels\/\d+\/threads$/.test(e.path))).toHaveLength(1);
    expect(h.configService.made('ticket.open-result')).toEqual([expect.objectContaining({ channelId: threadId, thread: true })]);
  });

  it('adds the creator on the retry when adding them failed once', async () => {
    h.emulator.faults.add({ ...MEMBER_PUT, kind: 'status', status: 500, count: 1 });
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    await expectOneThreadTicket(ctx);
  });

  it('gives the number back and names the permission when the bot may not create private threads there', async () => {
    await h.control.setOverwrite(threadChannelId, h.guild.botRoleId, { type: 0, deny: PermissionFlagsBits.CreatePrivateThreads.toString() });
    const { ctx, run } = await open();
    expect(run.state).toBe('completed');
    expect(await h.answerOf(ctx)).toMatch(/^❌ .*Create Private Threads/);
    expect(h.configService.tickets[0]).toMatchObject({ status: 'closed', channelId: null });
    expect(h.channelsNamed(ticketChannelName(1))).toHaveLength(0);
  });
});
