import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ticketChannelName } from '@promton/shared/domain';
import type { InteractionContext } from '@promton/shared/contracts';
import type { FaultSpec } from '@promton/discord-emulator';
import { startSagaHarness, type SagaHarness } from './support.js';

/**
 * The close saga (handlers/close-ticket.ts) in-process: lock the member out → read the
 * transcript → publish the close log → mark closed → delete the channel → answer. Each
 * step fails once; the retried job must end with the channel gone, the record closed,
 * one close log (with its transcript) and the member told it is closed — never
 * "already closed" for the close they asked for.
 */
describe('ticket-worker close saga', () => {
  let h: SagaHarness;
  let channelId: string;
  let opener: InteractionContext;

  let logChannelId: string;

  beforeEach(async () => {
    h = await startSagaHarness({ channels: [{ name: 'ticket-log' }] });
    logChannelId = h.guild.channels.find((c) => c.name === 'ticket-log')!.id;
    // Message Content (1 << 18): without it Discord returns messages with empty content and transcripts are blank.
    await h.control.setApplicationFlags(1 << 18);
    await h.setTypes([{ name: 'support', staffRoleIds: [h.guild.roles.find((r) => r.name === 'Support Staff')!.id] }], { transcripts: true, logChannelId });
    opener = await h.interaction();
    expect(await h.run('ticket.open', { v: 1, ctx: opener, typeName: 'support', answers: [] })).toMatchObject({ state: 'completed' });
    channelId = h.channelsNamed(ticketChannelName(1))[0]!.id;
    await h.control.sendMessage({ channelId, userId: h.memberId, content: 'my printer is on fire' });
  });
  afterEach(async () => {
    await h.close();
  });

  const path = (method: string, pattern: string): Pick<FaultSpec, 'method' | 'path'> => ({ method, path: pattern });
  const LOCK = path('PUT', '^/channels/\\d+/permissions/\\d+$');
  const READ = path('GET', '^/channels/\\d+/messages');
  const DELETE = path('DELETE', '^/channels/\\d+$');
  const ANSWER = path('PATCH', '^/webhooks/\\d+/[^/]+/messages/(@|%40)original$');
  const POST_TRANSCRIPT = () => path('POST', `^/channels/${logChannelId}/messages$`);

  /** The bot's messages in the log channel that carry this ticket's transcript files. */
  async function transcriptPosts() {
    return (await h.messagesOf(logChannelId)).filter((m) => m.attachments.some((a) => /^transcript-0001(-\d+)?\.html$/.test(a.filename)));
  }

  async function close(ctx?: InteractionContext) {
    const closer = ctx ?? (await h.interaction());
    const run = await h.run('ticket.close', { v: 1, ctx: closer, ticketNumber: 1, reason: 'solved' });
    return { ctx: closer, run };
  }

  /** The channel is gone, the record closed by the closer, one close log carrying the transcript, and the member was told. */
  async function expectClosedOnce(ctx: InteractionContext): Promise<void> {
    expect(h.emulator.state.channels.has(channelId)).toBe(false);
    expect(h.configService.tickets).toEqual([expect.objectContaining({ number: 1, status: 'closed', closedBy: ctx.member.userId, closeReason: 'solved' })]);
    const closes = (await h.logEvents()).filter((e) => e.kind === 'ticket.closed');
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({ ticketNumber: 1, actorId: ctx.member.userId, reason: 'solved' });
    // The log job carries a reference to the transcript, never its content.
    expect(JSON.stringify(closes[0])).not.toContain('my printer is on fire');
    const posts = await transcriptPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.author.id).toBe(h.guild.botUserId);
    expect(closes[0]!.transcript).toEqual({
      channelId: logChannelId,
      messageId: posts[0]!.id,
      files: [{ name: 'transcript-0001.html', size: posts[0]!.attachments[0]!.size }],
      messages: expect.any(Number),
      truncated: false,
    });
    const html = await (await fetch(posts[0]!.attachments[0]!.url)).text();
    expect(html).toContain('my printer is on fire');
    expect(await h.answerOf(ctx)).toMatch(/^✅ .*#0001/);
  }

  it('closes once when nothing fails', async () => {
    const { ctx, run } = await close();
    expect(run).toMatchObject({ state: 'completed', attempts: 1 });
    await expectClosedOnce(ctx);
  });

  for (const [step, fault] of [
    ['locking the member out', LOCK],
    ['reading the transcript', READ],
    ['deleting the channel', DELETE],
  ] as const) {
    it(`finishes the close on the retry when ${step} failed once`, async () => {
      h.emulator.faults.add({ ...fault, kind: 'status', status: 500, count: 1 });
      const { ctx, run } = await close();
      expect(run).toMatchObject({ state: 'completed', attempts: 2 });
      await expectClosedOnce(ctx);
    });
  }

  it('posts the transcript once when Discord saved it but the answer never came (the retry finds it in the log channel)', async () => {
    h.emulator.faults.add({ ...POST_TRANSCRIPT(), kind: 'timeout', delayMs: 200, count: 1 });
    const { ctx, run } = await close();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    await expectClosedOnce(ctx);
  });

  it('posts the transcript once when a later step failed (the job recorded it)', async () => {
    h.emulator.faults.add({ ...DELETE, kind: 'status', status: 500, count: 1 });
    const { ctx, run } = await close();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    await expectClosedOnce(ctx);
    expect((await h.control.requests({ method: 'POST', path: `^/channels/${logChannelId}/messages$` })).length).toBe(1);
  });

  it('still publishes the close log, saying the file is missing, when Discord refuses the transcript as too large (40005)', async () => {
    await h.control.setPremiumTier(h.guild.id, 0, 100);
    const { ctx, run } = await close();
    expect(run).toMatchObject({ state: 'completed', attempts: 1 });
    expect(h.emulator.state.channels.has(channelId)).toBe(false);
    const closes = (await h.logEvents()).filter((e) => e.kind === 'ticket.closed');
    expect(closes).toHaveLength(1);
    expect(closes[0]!.transcript).toMatchObject({ missing: 'too-large', files: [{ name: 'transcript-0001.html' }] });
    expect(closes[0]!.transcript?.messageId).toBeUndefined();
    expect(await transcriptPosts()).toEqual([]);
    const refused = await h.control.requests({ method: 'POST', path: `^/channels/${logChannelId}/messages$` });
    expect(refused.map((r) => r.status)).toEqual([413]);
    expect(await h.answerOf(ctx)).toMatch(/^✅ .*#0001/);
  });

  it('closes and logs when the bot cannot see the log channel, even on a retry (the transcript is marked not attached)', async () => {
    await h.control.setOverwrite(logChannelId, h.guild.botUserId, { type: 1, deny: String(1 << 10) });
    // A failed lock makes the job resume, which first looks for an earlier transcript in the log channel.
    h.emulator.faults.add({ ...LOCK, kind: 'status', status: 500, count: 1 });
    const { ctx, run } = await close();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    expect(h.emulator.state.channels.has(channelId)).toBe(false);
    const closes = (await h.logEvents()).filter((e) => e.kind === 'ticket.closed');
    expect(closes).toHaveLength(1);
    expect(closes[0]!.transcript).toMatchObject({ missing: 'refused', files: [{ name: 'transcript-0001.html' }] });
    expect(await h.answerOf(ctx)).toMatch(/^✅ .*#0001/);
  });

  it('publishes one close log when marking the ticket closed failed once (the log was already published)', async () => {
    h.configService.failNext('ticket.update', (data) => data.set.status === 'closed');
    const { ctx, run } = await close();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    expect(h.configService.made('ticket.update').filter((u) => u.set.status === 'closed')).toHaveLength(2);
    await expectClosedOnce(ctx);
  });

  it('carries on past its own earlier close when only the answer failed (channel already deleted)', async () => {
    h.emulator.faults.add({ ...ANSWER, kind: 'status', status: 500, count: 1 });
    const { ctx, run } = await close();
    expect(run).toMatchObject({ state: 'completed', attempts: 2 });
    await expectClosedOnce(ctx);
  });

  it('closes without failing the job when the interaction token has expired', async () => {
    const ctx = await h.interaction();
    h.emulator.state.interactions.get(ctx.interactionId)!.createdAt -= 16 * 60_000;
    const { run } = await close(ctx);
    expect(run).toMatchObject({ state: 'completed', attempts: 1 });
    expect(h.emulator.state.channels.has(channelId)).toBe(false);
    expect(h.configService.tickets).toEqual([expect.objectContaining({ status: 'closed' })]);
    expect(await h.answerOf(ctx)).toBeNull();
  });

  it('tells a second closer the ticket is already closed, and closes nothing twice', async () => {
    const first = await close();
    await expectClosedOnce(first.ctx);
    const { ctx, run } = await close();
    expect(run).toMatchObject({ state: 'completed', attempts: 1 });
    expect(await h.answerOf(ctx)).toMatch(/^❌ .*#0001/);
    expect((await h.logEvents()).filter((e) => e.kind === 'ticket.closed')).toHaveLength(1);
  });
});
