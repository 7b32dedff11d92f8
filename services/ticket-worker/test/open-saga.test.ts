import { Job } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BOT_PERMISSIONS, channelMention, customId, msg, render, ticketChannelName } from '@promton/shared/domain';
import { GuildPace } from '@promton/shared/runtime';
import type { FaultSpec } from '@promton/discord-emulator';
import { hasComponent, startSagaHarness, type SagaHarness } from './support.js';

/**
 * The open saga (handlers/open-ticket.ts) in-process: reserve (its one request to
 * config-service) → create channel → record it in the job's progress → post the welcome →
 * record it → one `ticket.open-result` event → answer → log. Every branch a retried
 * attempt can take is reached here by making one step fail once, and each test checks
 * what a member and an admin would see: exactly one channel, exactly one welcome, the
 * right answer, and a record that says what Discord holds.
 */
describe('ticket-worker open saga', () => {
  let h: SagaHarness;
  beforeEach(async () => {
    h = await startSagaHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const CHANNEL_POST: Pick<FaultSpec, 'method' | 'path'> = { method: 'POST', path: '^/guilds/\\d+/channels$' };
  const MESSAGE_POST: Pick<FaultSpec, 'method' | 'path'> = { method: 'POST', path: '^/channels/\\d+/messages$' };
  const ANSWER_EDIT: Pick<FaultSpec, 'method' | 'path'> = { method: 'PATCH', path: '^/webhooks/\\d+/[^/]+/messages/(@|%40)original$' };

  async function open(): Promise<{ ctx: Awaited<ReturnType<SagaHarness['interaction']>>; run: Awaited<ReturnType<SagaHarness['run']>> }> {
    const ctx = await h.interaction();
    const run = await h.run('ticket.open', { v: 1, ctx, typeName: 'support', answers: [] });
    return { ctx, run };
  }

  /** Exactly one channel, one welcome with the ticket's Close button, the record says so, the member was told where, one "opened" log. */
  async function expectOneOpenTicket(ctx: Awaited<ReturnType<SagaHarness['interaction']>>, ticketNumber = 1): Promise<string> {
    const channels = h.channelsNamed(ticketChannelName(ticketNumber));
    expect(channels).toHaveLength(1);
    const channel = channels[0]!;
    const welcomes = (await h.messagesOf(channel.id)).filter(
      (m) => m.author.id === h.emulator.state.botUser.id && hasComponent(m, customId('close', ticketNumber)),
    );
    expect(welcomes).toHaveLength(1);
    const records = h.configService.tickets.filter((t) => t.number === ticketNumber);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'open', channelId: channel.id, welcomeMessageId: welcomes[0]!.id, creatorId: ctx.member.userId });
    const answer = await h.answerOf(ctx);
    expect(answer).toMatch(/^✅ /);
    expect(answer).toContain(channelMention(channel.id));
    const opened = (await h.logEvents()).filter((e) => e.kind === 'ticket.opened' && e.ticketNumber === ticketNumber);
    expect(opened).toHaveLength(1);
    return channel.id;
  }

  it('opens one ticket when nothing fails, with one request to config-service (reserve) and one event', async () => {
    await h.setTypes([{ name: 'support' }]);
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 1 });
    const channelId = await expectOneOpenTicket(ctx);
    expect(h.configService.requests.map((r) => r.name)).toEqual(['ticket.reserve', 'ticket.open-result']);
    expect(h.configService.made('ticket.open-result')).toEqual([expect.objectContaining({ status: 'open', channelId, thread: false })]);
  });

  it('applies the result once config-service takes it on the retry of the event (the open itself is not retried)', async () => {
    await h.setTypes([{ name: 'support' }]);
    h.configService.failNext('ticket.open-result');
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 1 });
    await expectOneOpenTicket(ctx);
    expect(h.configService.made('ticket.open-result')).toHaveLength(2);
    expect(h.configService.made('ticket.reserve')).toHaveLength(1);
  });

  it('reserves again after the reserve failed once, and numbers the ticket once', async () => {
    await h.setTypes([{ name: 'support' }]);
    h.configService.failNext('ticket.reserve');
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    expect(h.configService.made('ticket.reserve')).toHaveLength(2);
    await expectOneOpenTicket(ctx);
  });

  it('creates the channel once more when Discord refused the first create (nothing was created)', async () => {
    await h.setTypes([{ name: 'support' }]);
    h.emulator.faults.add({ ...CHANNEL_POST, kind: 'status', status: 500, count: 1 });
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    await expectOneOpenTicket(ctx);
  });

  it('finds the channel by its name when the create was applied but its answer was lost', async () => {
    await h.setTypes([{ name: 'support' }]);
    // Discord creates the channel, then the connection drops before the answer arrives.
    h.emulator.faults.add({ ...CHANNEL_POST, kind: 'timeout', delayMs: 100, count: 1 });
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    await expectOneOpenTicket(ctx);
    expect(h.emulator.log.query({ method: 'POST' }).filter((e) => /^\/guilds\/\d+\/channels$/.test(e.path))).toHaveLength(1);
  });

  it('finds the channel by its name when recording it in the job failed once', async () => {
    await h.setTypes([{ name: 'support' }]);
    h.failStepRecordOnce('channel');
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    const channelId = await expectOneOpenTicket(ctx);
    // The first attempt created it; the retry found that same channel and made none.
    expect(h.emulator.log.query({ method: 'POST' }).filter((e) => /^\/guilds\/\d+\/channels$/.test(e.path))).toHaveLength(1);
    expect(h.configService.made('ticket.open-result')).toEqual([expect.objectContaining({ channelId })]);
  });

  it('posts the welcome once more when Discord refused the first post', async () => {
    await h.setTypes([{ name: 'support' }]);
    h.emulator.faults.add({ ...MESSAGE_POST, kind: 'status', status: 500, count: 1 });
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    await expectOneOpenTicket(ctx);
  });

  it("finds the welcome by its Close button's custom id when the post was applied but its answer was lost", async () => {
    await h.setTypes([{ name: 'support' }]);
    h.emulator.faults.add({ ...MESSAGE_POST, kind: 'timeout', delayMs: 100, count: 1 });
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    await expectOneOpenTicket(ctx);
  });

  it('finds the welcome by its custom id when recording it in the job failed once', async () => {
    await h.setTypes([{ name: 'support' }]);
    h.failStepRecordOnce('welcome');
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    await expectOneOpenTicket(ctx);
  });

  it('answers the member on the retry when the answer failed once, without a second channel or welcome', async () => {
    await h.setTypes([{ name: 'support' }]);
    h.emulator.faults.add({ ...ANSWER_EDIT, kind: 'status', status: 500, count: 1 });
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    await expectOneOpenTicket(ctx);
  });

  it('opens the ticket outside a full category (Discord allows 50 channels in one)', async () => {
    const full = Array.from({ length: 50 }, (_, i) => ({ name: `old-${i}`, parent: 'Tickets' }));
    await h.close();
    h = await startSagaHarness({ channels: [{ name: 'Tickets', type: 4 }, ...full] });
    const category = h.guild.channels.find((c) => c.name === 'Tickets')!;
    await h.setTypes([{ name: 'support', categoryId: category.id }]);
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 1 });
    const channelId = await expectOneOpenTicket(ctx);
    expect(h.emulator.state.channels.get(channelId)?.parent_id).toBeNull();
    expect(h.guild.channels.filter((c) => c.parentId === category.id)).toHaveLength(50);
  });

  it('opens the ticket inside its category while the category has room', async () => {
    await h.close();
    h = await startSagaHarness({ channels: [{ name: 'Tickets', type: 4 }] });
    const category = h.guild.channels.find((c) => c.name === 'Tickets')!;
    await h.setTypes([{ name: 'support', categoryId: category.id }]);
    const { ctx } = await open();
    const channelId = await expectOneOpenTicket(ctx);
    expect(h.emulator.state.channels.get(channelId)?.parent_id).toBe(category.id);
  });

  it('finishes the open without failing the job when the interaction token has expired', async () => {
    await h.setTypes([{ name: 'support' }]);
    const ctx = await h.interaction();
    // The job runs after the token's 15 minutes (e.g. after an outage).
    h.emulator.state.interactions.get(ctx.interactionId)!.createdAt -= 16 * 60_000;
    const run = await h.run('ticket.open', { v: 1, ctx, typeName: 'support', answers: [] });
    expect(run).toMatchObject({ state: 'completed', attempts: 1 });
    const channels = h.channelsNamed(ticketChannelName(1));
    expect(channels).toHaveLength(1);
    expect(h.configService.tickets).toEqual([expect.objectContaining({ status: 'open', channelId: channels[0]!.id })]);
    // Nobody could be answered: the deferred answer is still "thinking".
    expect(await h.answerOf(ctx)).toBeNull();
  });

  /** Every request that carried the interaction's token after the gateway's deferral (answers, followups). */
  const tokenRequests = (ctx: { token: string }) => h.emulator.log.query({}).filter((e) => e.path.startsWith('/webhooks/') && e.path.includes(ctx.token));

  it('does not start an open whose interaction is older than 15 minutes: nothing reserved or created, no request with the token', async () => {
    await h.setTypes([{ name: 'support' }]);
    const ctx = await h.interaction();
    // The job first runs 16 minutes after the click (a backlog after an outage): the job's own timestamp says so.
    const late = { ...ctx, receivedAt: new Date(Date.now() - 16 * 60_000).toISOString() };
    h.emulator.state.interactions.get(ctx.interactionId)!.createdAt -= 16 * 60_000;
    const run = await h.run('ticket.open', { v: 1, ctx: late, typeName: 'support', answers: [] });
    expect(run).toMatchObject({ state: 'completed', attempts: 1 });
    expect(h.configService.made('ticket.reserve')).toHaveLength(0);
    expect(h.configService.tickets).toHaveLength(0);
    expect(h.channelsNamed(ticketChannelName(1))).toHaveLength(0);
    expect(tokenRequests(ctx)).toHaveLength(0);
    expect(h.emulator.invalid.snapshot().total).toBe(0);
    expect(await h.answerOf(ctx)).toBeNull();
  });

  it("tells the member to try again, and creates nothing, when the guild's turn would come after the token's 15 minutes", async () => {
    await h.setTypes([{ name: 'support' }]);
    // Another worker's flood has booked the guild's next 60 turns (10 at once, then one a second).
    const pace = new GuildPace(h.redis, h.prefix);
    for (let i = 0; i < 60; i++) await pace.book(h.guild.id, `flood-${i}`, 3_600_000);
    const ctx = await h.interaction();
    // Clicked 14 min 20 s ago (the job's own timestamp): 30 s of the token are left, the turn is ≈ 50 s away.
    const late = { ...ctx, receivedAt: new Date(Date.now() - (14 * 60 + 20) * 1_000).toISOString() };
    const run = await h.run('ticket.open', { v: 1, ctx: late, typeName: 'support', answers: [] });
    expect(run).toMatchObject({ state: 'completed', attempts: 1 });
    expect(h.configService.made('ticket.reserve')).toHaveLength(0);
    expect(h.channelsNamed(ticketChannelName(1))).toHaveLength(0);
    expect(await h.answerOf(ctx)).toBe(`❌ ${render('en-US', msg('open.busy'))}`);
    expect(h.emulator.invalid.snapshot().total).toBe(0);
  });

  it('finishes, without answering, an open that began in time and whose token expired before its retry', async () => {
    await h.setTypes([{ name: 'support' }]);
    const ctx = await h.interaction();
    const data = { v: 1 as const, ctx, typeName: 'support', answers: [] };
    // The first attempt creates the channel, then recording it fails; before the retry, the
    // job's timestamp moves 16 minutes back (the retry runs as if after a long outage).
    h.failStepRecordOnce('channel', async () => {
      const job = await Job.fromId(h.tickets, `int-${ctx.interactionId}`);
      await job!.updateData({ ...data, ctx: { ...ctx, receivedAt: new Date(Date.now() - 16 * 60_000).toISOString() } });
      h.emulator.state.interactions.get(ctx.interactionId)!.createdAt -= 16 * 60_000;
    });
    const run = await h.run('ticket.open', data);
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    // Nothing half-written: one channel, one welcome, the record open, the "opened" log.
    const channels = h.channelsNamed(ticketChannelName(1));
    expect(channels).toHaveLength(1);
    const welcomes = (await h.messagesOf(channels[0]!.id)).filter((m) => hasComponent(m, customId('close', 1)));
    expect(welcomes).toHaveLength(1);
    expect(h.configService.tickets).toEqual([expect.objectContaining({ status: 'open', channelId: channels[0]!.id, welcomeMessageId: welcomes[0]!.id })]);
    expect((await h.logEvents()).filter((e) => e.kind === 'ticket.opened')).toHaveLength(1);
    // And no request with the spent token.
    expect(tokenRequests(ctx)).toHaveLength(0);
    expect(h.emulator.invalid.snapshot().total).toBe(0);
    expect(await h.answerOf(ctx)).toBeNull();
  });

  it('deletes the channel when the ticket record was purged while the ticket opened (config-service finds no record for the result)', async () => {
    await h.setTypes([{ name: 'support' }]);
    h.configService.purgeBefore('ticket.open-result');
    const { run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 1 });
    expect(h.configService.tickets).toHaveLength(0);
    const [result] = h.configService.made('ticket.open-result');
    // config-service's answer to a result without a record: ticket-worker deletes the channel.
    await vi.waitFor(() => expect(h.channelsNamed(ticketChannelName(1))).toHaveLength(0), { timeout: 30_000, interval: 50 });
    expect(h.emulator.log.query({ method: 'DELETE' }).filter((e) => e.path === `/channels/${result!.channelId}`)).toHaveLength(1);
  });

  it('deletes the thread too when a thread ticket was purged while it opened', async () => {
    await h.close();
    h = await startSagaHarness({ botPermissions: BOT_PERMISSIONS.toString(), channels: [{ name: 'help-desk' }] });
    const threadChannelId = h.guild.channels.find((c) => c.name === 'help-desk')!.id;
    await h.setTypes([{ name: 'support', threadChannelId }]);
    h.configService.purgeBefore('ticket.open-result');
    const { run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 1 });
    expect(h.configService.made('ticket.open-result')).toEqual([expect.objectContaining({ thread: true })]);
    await vi.waitFor(() => expect(h.channelsNamed(ticketChannelName(1))).toHaveLength(0), { timeout: 30_000, interval: 50 });
  });

  it('gives the number back and says why when Discord refuses for good (missing Manage Channels)', async () => {
    await h.close();
    // View Channel, Send Messages, Embed Links only.
    h = await startSagaHarness({ botPermissions: ((1n << 10n) | (1n << 11n) | (1n << 14n)).toString() });
    await h.setTypes([{ name: 'support' }]);
    const { ctx, run } = await open();
    expect(run).toMatchObject({ state: 'completed', attempts: 1 });
    expect(h.channelsNamed(ticketChannelName(1))).toHaveLength(0);
    expect(h.configService.tickets).toEqual([expect.objectContaining({ status: 'closed', channelId: null, closeReason: expect.stringContaining('50013') })]);
    expect(await h.answerOf(ctx)).toMatch(/^❌ .*Manage Channels/);
    expect((await h.logEvents()).filter((e) => e.kind === 'ticket.opened')).toHaveLength(0);

    // A later job of the same interaction (a redelivery the dedupe window missed) finds its ticket closed and opens nothing.
    const again = await h.run('ticket.open', { v: 1, ctx, typeName: 'support', answers: [] }, 'redelivered');
    expect(again).toMatchObject({ state: 'completed', attempts: 1 });
    expect(h.channelsNamed(ticketChannelName(1))).toHaveLength(0);
    expect(h.configService.tickets).toHaveLength(1);
    expect(await h.answerOf(ctx)).toMatch(/^❌ .*#0001/);
  });
});
