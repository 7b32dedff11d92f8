import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueueName, type ConfigJob } from '@promton/shared/contracts';
import { addJob } from '@promton/shared/runtime';
import { ADMIN, GUILD, MANAGE_GUILD, MEMBER, context, logEvents, readAnalytics, readProjection, startHarness, type Harness } from './support.js';

describe('config-service tickets', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const reserve = (creatorId: string, interactionId: string, typeName = 'support') =>
    h.client.request('ticket.reserve', { v: 1, guildId: GUILD, typeName, creatorId, interactionId });

  it('adds a type with /config type add and writes the projection', async () => {
    const answer = await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support', limit: 2 });
    expect(answer).toMatch(/^✅ /);
    const projection = await readProjection(h);
    expect(projection?.types).toEqual([expect.objectContaining({ name: 'support', label: 'Support', perUserLimit: 2 })]);
    expect((await logEvents(h)).map((e) => e.kind)).toEqual(['config.changed']);
  });

  it('numbers concurrent reserves distinctly, holds the per-user limit and is idempotent', async () => {
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support', limit: 2 });
    const members = Array.from({ length: 6 }, (_, i) => `30000000000000010${i}`);
    const replies = await Promise.all(members.map((m, i) => reserve(m, `70000000000000000${i}`)));
    const numbers = replies.map((r) => (r.ok ? r.ticket.number : -1));
    expect(new Set(numbers).size).toBe(6);
    expect([...numbers].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);

    // The same interaction again returns the same ticket.
    const again = await reserve(members[0]!, '700000000000000000');
    expect(again).toEqual(replies[0]);

    // Limit 2: a second ticket is fine, a third is refused with the open ones.
    const second = await reserve(members[0]!, '700000000000000100');
    expect(second.ok).toBe(true);
    const third = await reserve(members[0]!, '700000000000000101');
    expect(third).toMatchObject({ ok: false, reason: 'limit', limit: 2, open: [{ number: expect.any(Number) }, { number: expect.any(Number) }] });

    expect(await reserve(MEMBER, '700000000000000200', 'nope')).toEqual({ ok: false, reason: 'unknown-type' });
  });

  it("reopens an archived ticket within its member's limit, as an open counts it, checking without writing when asked", async () => {
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support', limit: 1 });
    const first = await reserve(MEMBER, '700000000000000300');
    if (!first.ok) throw new Error('reserve refused');
    const archivedAt = new Date().toISOString();
    await h.client.request('ticket.update', {
      v: 1,
      guildId: GUILD,
      ticketId: first.ticket.id,
      set: { channelId: '400000000000000300', status: 'closed', closedAt: archivedAt, archivedAt },
    });
    const reopen = (check: boolean) => h.client.request('ticket.reopen-record', { v: 1, guildId: GUILD, ticketId: first.ticket.id, check });
    const second = await reserve(MEMBER, '700000000000000301');
    expect(second.ok).toBe(true);
    // The member holds their one open ticket: refused both ways, naming it.
    for (const check of [true, false]) {
      expect(await reopen(check)).toEqual({ ok: false, reason: 'limit', limit: 1, open: [{ number: second.ok ? second.ticket.number : 0, channelId: null }] });
    }
    if (second.ok) await h.client.request('ticket.update', { v: 1, guildId: GUILD, ticketId: second.ticket.id, set: { status: 'closed' } });
    // A check writes nothing; the reopen opens it and keeps when.
    expect(await reopen(true)).toMatchObject({ ok: true, ticket: { status: 'closed', reopenedAt: null } });
    const reopened = await reopen(false);
    expect(reopened).toMatchObject({ ok: true, ticket: { status: 'open', archivedAt: null, closedAt: null, reopenedAt: expect.any(String) } });
    // Retried: the open ticket as it is; a ticket never archived is refused.
    expect(await reopen(false)).toEqual(reopened);
    if (second.ok) {
      expect(await h.client.request('ticket.reopen-record', { v: 1, guildId: GUILD, ticketId: second.ticket.id, check: false })).toEqual({
        ok: false,
        reason: 'not-archived',
      });
    }
  });

  it('numbers each guild from 1 on its own counter, however the opens interleave', async () => {
    const OTHER_GUILD = '200000000000000002';
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support', limit: 5 });
    // The same command in the other guild (the harness's helper speaks for GUILD only).
    const before = h.discord.answers().length;
    const ctx = { ...context(ADMIN, MANAGE_GUILD), guildId: OTHER_GUILD };
    await h.deliver('config.command', {
      v: 1,
      ctx,
      command: { path: ['config', 'type', 'add'], options: { name: 'support', label: 'Support', limit: 5 }, resolved: {} },
    });
    expect((await h.discord.waitForAnswers(before + 1))[before]).toMatch(/^✅ /);

    const numbers: Record<string, number[]> = { [GUILD]: [], [OTHER_GUILD]: [] };
    for (const [i, guildId] of [GUILD, OTHER_GUILD, OTHER_GUILD, GUILD, OTHER_GUILD].entries()) {
      const reply = await h.client.request('ticket.reserve', {
        v: 1,
        guildId,
        typeName: 'support',
        creatorId: `30000000000000030${i}`,
        interactionId: `70000000000000030${i}`,
      });
      expect(reply).toMatchObject({ ok: true, ticket: { guildId } });
      numbers[guildId]!.push((reply as { ticket: { number: number } }).ticket.number);
    }
    expect(numbers).toEqual({ [GUILD]: [1, 2], [OTHER_GUILD]: [1, 2, 3] });
  });

  it('holds the open cooldown per member after the limit, and repeats of the same interaction pass', async () => {
    await h.close();
    h = await startHarness({ OPEN_COOLDOWN_SECONDS: '60' });
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support', limit: 3 });
    const first = await reserve(MEMBER, '700000000000000500');
    expect(first.ok).toBe(true);
    expect(await reserve(MEMBER, '700000000000000500')).toEqual(first);
    const second = await reserve(MEMBER, '700000000000000501');
    expect(second).toMatchObject({ ok: false, reason: 'cooldown', retryAfterMs: expect.any(Number) });
    expect((second as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(50_000);
    // Another member is not held back.
    expect((await reserve('300000000000000077', '700000000000000502')).ok).toBe(true);
  });

  it('releases an opening ticket abandoned for over 30 minutes without a channel, and only that one', async () => {
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support', limit: 1 });
    const age = (ticketId: number, minutes: number) =>
      h.app.repo.models.TicketRow.update({ createdAt: new Date(Date.now() - minutes * 60_000) }, { where: { id: ticketId } });
    const get = (number: number) => h.client.request('ticket.get', { v: 1, guildId: GUILD, number });

    const first = await reserve(MEMBER, '700000000000000400');
    if (!first.ok) throw new Error('reserve refused');
    // Still opening and recent: it holds the member's place.
    await age(first.ticket.id, 29);
    expect(await reserve(MEMBER, '700000000000000401')).toMatchObject({ ok: false, reason: 'limit' });

    // Its open job gave up long ago: it is closed as abandoned and no longer counts.
    await age(first.ticket.id, 31);
    const second = await reserve(MEMBER, '700000000000000402');
    expect(second.ok).toBe(true);
    expect(await get(first.ticket.number)).toMatchObject({ status: 'closed', closeReason: 'open abandoned', closedBy: null, closedAt: expect.any(String) });
    // Never opened, so not counted as a close in the owner's daily counts either.
    await h.app.flushAnalytics();
    expect(JSON.parse((await readAnalytics(h)).raw!).days.at(-1)).toMatchObject({ opened: 0, closed: 0 });
    // The same interaction retried later gets its (closed) record back, not a new ticket.
    expect(await reserve(MEMBER, '700000000000000400')).toMatchObject({ ok: true, ticket: { id: first.ticket.id, status: 'closed' } });

    // An old opening ticket that has a channel is mid-saga, not abandoned: it still counts.
    if (!second.ok) throw new Error('reserve refused');
    await h.client.request('ticket.update', { v: 1, guildId: GUILD, ticketId: second.ticket.id, set: { channelId: '800000000000000400' } });
    await age(second.ticket.id, 120);
    expect(await reserve(MEMBER, '700000000000000403')).toMatchObject({ ok: false, reason: 'limit' });
    expect(await get(second.ticket.number)).toMatchObject({ status: 'opening', closeReason: null });

    // Another member's abandoned open is not touched by this member's reserve.
    const other = await reserve('300000000000000077', '700000000000000404');
    if (!other.ok) throw new Error('reserve refused');
    await age(other.ticket.id, 31);
    expect((await reserve(MEMBER, '700000000000000405')).ok).toBe(false);
    expect(await get(other.ticket.number)).toMatchObject({ status: 'opening' });
  });

  it('records saga progress, finds tickets and closes a channel deleted by hand', async () => {
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support' });
    const reply = await reserve(MEMBER, '700000000000000300');
    if (!reply.ok) throw new Error('reserve refused');
    const channelId = '800000000000000001';
    const opened = await h.client.request('ticket.update', {
      v: 1,
      guildId: GUILD,
      ticketId: reply.ticket.id,
      set: { channelId, welcomeMessageId: '800000000000000002', status: 'open' },
    });
    expect(opened).toMatchObject({ status: 'open', channelId, welcomeMessageId: '800000000000000002', creatorId: MEMBER });
    const found = await h.client.request('ticket.get', { v: 1, guildId: GUILD, channelId });
    expect(found?.number).toBe(reply.ticket.number);
    expect(await h.client.request('ticket.get', { v: 1, guildId: GUILD, number: 999 })).toBeNull();

    // At the limit (1) while open.
    expect((await reserve(MEMBER, '700000000000000301')).ok).toBe(false);
    await h.deliver('ticket.channel-deleted', { v: 1, guildId: GUILD, channelId });
    const closed = await h.client.request('ticket.get', { v: 1, guildId: GUILD, number: reply.ticket.number });
    expect(closed).toMatchObject({ status: 'closed', closedBy: null, closeReason: 'channel deleted by hand' });
    expect((await logEvents(h)).at(-1)).toMatchObject({ kind: 'ticket.deleted-by-hand', ticketNumber: reply.ticket.number, channelId });
    expect((await reserve(MEMBER, '700000000000000302')).ok).toBe(true);
  });

  it("applies an open's result event: open once however often it comes, a refused open closed, a purged ticket's channel sent back for deletion", async () => {
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support' });
    const result = async (data: ConfigJob<'ticket.open-result'>, jobId?: string) => {
      const job = await addJob(h.client.queue, 'ticket.open-result', data, jobId ? { jobId } : {});
      await job.waitUntilFinished(h.client.events, 30_000);
    };
    const reply = await reserve(MEMBER, '700000000000000500');
    if (!reply.ok) throw new Error('reserve refused');
    const opened = {
      v: 1,
      guildId: GUILD,
      ticketId: reply.ticket.id,
      status: 'open',
      channelId: '800000000000000501',
      welcomeMessageId: '800000000000000502',
      thread: false,
    } as const;
    await result(opened);
    const get = () => h.client.request('ticket.get', { v: 1, guildId: GUILD, number: reply.ticket.number });
    expect(await get()).toMatchObject({ status: 'open', channelId: opened.channelId, welcomeMessageId: opened.welcomeMessageId, thread: false });
    // The same result again (a producer's retried step past its job id's hour) changes nothing.
    await result(opened, 'again');
    expect(await get()).toMatchObject({ status: 'open', channelId: opened.channelId, welcomeMessageId: opened.welcomeMessageId });
    // Closed meanwhile (the channel deleted by hand): a late result does not open it again.
    await h.deliver('ticket.channel-deleted', { v: 1, guildId: GUILD, channelId: opened.channelId });
    await result(opened, 'late');
    expect(await get()).toMatchObject({ status: 'closed', closeReason: 'channel deleted by hand' });

    // Discord refused the open: closed, the member's place in the limit given back.
    const refused = await reserve(MEMBER, '700000000000000503');
    if (!refused.ok) throw new Error('reserve refused');
    const closedAt = new Date().toISOString();
    await result({
      v: 1,
      guildId: GUILD,
      ticketId: refused.ticket.id,
      status: 'closed',
      channelId: null,
      thread: false,
      closedAt,
      closeReason: 'open failed: Discord error 50013',
    });
    expect(await h.client.request('ticket.get', { v: 1, guildId: GUILD, number: refused.ticket.number })).toMatchObject({
      status: 'closed',
      channelId: null,
      closeReason: 'open failed: Discord error 50013',
    });
    expect((await reserve(MEMBER, '700000000000000504')).ok).toBe(true);

    // No record (purged while the ticket opened): ticket-worker is asked to delete the channel; without a channel, nothing is asked.
    const tickets = new Queue(QueueName.tickets, { connection: h.client.queue.opts.connection, prefix: h.config.queuePrefix });
    try {
      await result({ ...opened, ticketId: 999_999, channelId: '800000000000000509' });
      await result({
        v: 1,
        guildId: GUILD,
        ticketId: 999_998,
        status: 'closed',
        channelId: null,
        thread: false,
        closedAt,
        closeReason: 'open failed: Discord error 50013',
      });
      const jobs = await tickets.getJobs(['waiting', 'delayed', 'prioritized']);
      expect(jobs.map((j) => [j.name, j.data])).toEqual([['ticket.discard-channel', { v: 1, guildId: GUILD, channelId: '800000000000000509' }]]);
    } finally {
      await tickets.close();
    }
  });
});
