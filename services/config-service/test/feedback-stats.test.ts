import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_ID, GUILD, MEMBER, answerPayload, logEvents, snowflake, startHarness, waitForAnalytics, type Harness } from './support.js';

const STAFF = '300000000000000077';

/** Feedback counts and /config stats on the database config-service owns (SQLite, and Postgres in its project). */
describe('config-service feedback and server statistics', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    expect(await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support', limit: 10 })).toMatch(/^✅/);
  });
  afterEach(async () => {
    await h.close();
  });

  /** A ticket through its saga: reserved, opened, then (optionally) closed. */
  async function ticket(close?: { firstReplyAt?: string; claimedBy?: string; closedBy?: string }) {
    const reply = await h.client.request('ticket.reserve', { v: 1, guildId: GUILD, typeName: 'support', creatorId: MEMBER, interactionId: snowflake() });
    if (!reply.ok) throw new Error(`reserve refused: ${reply.reason}`);
    const id = reply.ticket.id;
    const set = (s: Record<string, unknown>) => h.client.request('ticket.update', { v: 1, guildId: GUILD, ticketId: id, set: s });
    await set({ channelId: snowflake(), welcomeMessageId: snowflake(), status: 'open' });
    if (close) {
      if (close.claimedBy) await set({ claimedBy: close.claimedBy });
      await set({
        status: 'closed',
        closedAt: new Date().toISOString(),
        ...(close.closedBy ? { closedBy: close.closedBy } : {}),
        ...(close.firstReplyAt ? { firstReplyAt: close.firstReplyAt } : {}),
      });
    }
    return reply.ticket.number;
  }

  const rate = async (offer: string, rating: number, comment?: string) => {
    const before = h.discord.answers().length;
    // Not a request another service waits on (the gateway only adds it), but waiting here orders the test.
    const request = h.client.request.bind(h.client) as (name: string, data: unknown) => Promise<unknown>;
    await request('feedback.rate', {
      v: 1,
      applicationId: APP_ID,
      interactionId: snowflake(),
      token: `token-${snowflake()}`,
      receivedAt: new Date().toISOString(),
      offer,
      rating,
      ...(comment ? { comment } : {}),
    });
    return (await h.discord.waitForAnswers(before + 1))[before]!;
  };

  it('signs one offer per ticket only when feedback is on, and counts each offer once', async () => {
    const number = await ticket({ closedBy: STAFF });
    expect(await h.client.request('feedback.offer', { v: 1, guildId: GUILD, ticketNumber: number })).toBeNull();
    expect(await h.command(['config', 'feedback', 'on'])).toMatch(/^✅/);
    const offer = await h.client.request('feedback.offer', { v: 1, guildId: GUILD, ticketNumber: number });
    expect(offer?.offer).toMatch(new RegExp(`^${GUILD}\\.${number}\\.`));
    // A second close of the same ticket (a retried job) gets no second offer.
    expect(await h.client.request('feedback.offer', { v: 1, guildId: GUILD, ticketNumber: number })).toBeNull();

    expect(await rate(offer!.offer, 5, 'Great help')).toBe(
      `✅ Thank you! You rated ticket #${String(number).padStart(4, '0')} 5/5 and your comment was passed on to the staff.`,
    );
    expect(await rate(offer!.offer, 1)).toBe(`✅ Ticket #${String(number).padStart(4, '0')} was already rated; thank you.`);
    expect(
      await rate(
        offer!.offer.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
        1,
      ),
    ).toBe('❌ This rating button is not valid.');
    expect(answerPayload(h.discord.requests.at(-1)!).components).toEqual([]);

    const feedback = (await logEvents(h)).filter((e) => e.kind === 'ticket.feedback');
    expect(feedback).toEqual([expect.objectContaining({ ticketNumber: number, typeName: 'support', detail: '5/5', reason: 'Great help' })]);
    expect(feedback[0]).not.toHaveProperty('actorId');
    expect(feedback[0]).not.toHaveProperty('subjectId');

    const rows = await h.app.repo.sequelize.query('SELECT * FROM feedback_counts', { type: 'SELECT' });
    expect(rows).toEqual([{ guild_id: GUILD, type_name: 'support', rating: 5, count: 1 }]);
    const analytics = await waitForAnalytics(h, (a) => a.ratings[4] === 1);
    expect(analytics.ratings).toEqual([0, 0, 0, 0, 1]);
  });

  it('computes /config stats from the ticket records, first replies included', async () => {
    const created = Date.now();
    await ticket({ claimedBy: STAFF, closedBy: STAFF, firstReplyAt: new Date(created + 30_000).toISOString() });
    await ticket({ closedBy: MEMBER });
    await ticket(); // still open
    expect(await h.command(['config', 'stats'])).toBe('✅ Here are the ticket statistics of this server (last 7 and 30 days).');
    const embed = answerPayload(h.discord.requests.at(-1)!).embeds?.[0] as { fields: { name: string; value: string }[] };
    const support = embed.fields.find((f) => f.name === 'Support (support)')!.value;
    expect(support).toContain('Opened: 3 in 7 days · 3 in 30 days');
    expect(support).toContain('Closed: 2 in 7 days · 2 in 30 days');
    expect(support).toMatch(/First reply: p50 \d+ s · p90 \d+ s \(tickets: 1\)/);
    // The member closing their own ticket is not a staff close.
    expect(embed.fields.find((f) => f.name === 'Staff, last 30 days')?.value).toBe(`<@${STAFF}>: 1 claimed · 1 closed`);
  });
});
