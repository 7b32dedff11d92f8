import { describe, expect, it } from 'vitest';
import { percentile, ratingSummary, serverStats, statsFields, type StatsTicket } from './server-stats.js';

const now = new Date('2026-06-30T12:00:00Z');
const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const ticket = (t: Partial<StatsTicket>): StatsTicket => ({
  typeName: 'support',
  creatorId: '100000000000000001',
  createdAt: ago(1),
  closedAt: null,
  firstReplyAt: null,
  claimedBy: null,
  closedBy: null,
  ...t,
});
const STAFF = '200000000000000001';
const OTHER = '200000000000000002';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([7], 90)).toBe(7);
    expect(() => percentile([], 50)).toThrow(new RangeError('percentile of no values'));
  });
});

describe('serverStats', () => {
  it('counts opens and closes in 7 and 30 days and the reply and close times of closed tickets', () => {
    const tickets = [
      // Closed 2 days ago after 10 h; first reply after 1 h.
      ticket({ createdAt: ago(58), closedAt: ago(48), firstReplyAt: ago(57), claimedBy: STAFF, closedBy: STAFF }),
      // Closed 10 days ago after 2 h; first reply after 30 min.
      ticket({ createdAt: ago(242), closedAt: ago(240), firstReplyAt: ago(241.5), closedBy: OTHER }),
      // Open, opened 3 h ago, claimed.
      ticket({ createdAt: ago(3), claimedBy: STAFF }),
      // Closed by its own member without any reply.
      ticket({ createdAt: ago(5), closedAt: ago(4), closedBy: '100000000000000001' }),
      // Older than 30 days on both ends: not counted.
      ticket({ createdAt: ago(800), closedAt: ago(790), closedBy: STAFF }),
      ticket({ typeName: 'gone', createdAt: ago(20), closedAt: ago(19), closedBy: OTHER }),
    ];
    const stats = serverStats(tickets, ['support', 'billing'], now);
    expect(stats.types.map((t) => t.typeName)).toEqual(['support', 'billing', 'gone']);
    const support = stats.types[0]!;
    expect(support).toMatchObject({ opened7: 3, opened30: 4, closed7: 2, closed30: 3 });
    expect(support.firstReply).toEqual({ p50: 1_800_000, p90: 3_600_000, count: 2 });
    expect(support.toClose).toEqual({ p50: 7_200_000, p90: 36_000_000, count: 3 });
    expect(stats.types[1]).toEqual({ typeName: 'billing', opened7: 0, opened30: 0, closed7: 0, closed30: 0, firstReply: null, toClose: null });
    expect(stats.staff).toEqual([
      { userId: STAFF, claimed: 2, closed: 1 },
      { userId: OTHER, claimed: 0, closed: 2 },
    ]);
  });
});

describe('formatting', () => {
  it('summarises ratings, or says nothing without any', () => {
    expect(ratingSummary('en-US', [0, 0, 1, 0, 3])).toBe('4.5/5 on average, 4 in all (1★ 0 · 2★ 0 · 3★ 1 · 4★ 0 · 5★ 3)');
    expect(ratingSummary('de', [0, 0, 1, 0, 3])).toBe('4,5/5 im Schnitt, 4 insgesamt (1★ 0 · 2★ 0 · 3★ 1 · 4★ 0 · 5★ 3)');
    expect(ratingSummary('en-US', [0, 0, 0, 0, 2])).toBe('5.0/5 on average, 2 in all (1★ 0 · 2★ 0 · 3★ 0 · 4★ 0 · 5★ 2)');
    expect(ratingSummary('en-US', [0, 0, 0, 0, 0])).toBeNull();
    expect(ratingSummary('en-US', undefined)).toBeNull();
  });

  it('renders one field per type and one for staff', () => {
    const stats = serverStats([ticket({ createdAt: ago(2), closedAt: ago(1), claimedBy: STAFF, closedBy: STAFF, firstReplyAt: ago(1.5) })], ['support'], now);
    const fields = statsFields('en-US', stats, new Map([['support', 'Support']]), new Map([['support', [0, 0, 0, 1, 1]]]));
    expect(fields[0]).toEqual({
      name: 'Support (support)',
      value: [
        'Opened: 1 in 7 days · 1 in 30 days',
        'Closed: 1 in 7 days · 1 in 30 days',
        'First reply: p50 30 min · p90 30 min (tickets: 1)',
        'Time to close: p50 1 h 0 min · p90 1 h 0 min (tickets: 1)',
        'Ratings: 4.5/5 on average, 2 in all (1★ 0 · 2★ 0 · 3★ 0 · 4★ 1 · 5★ 1)',
      ].join('\n'),
    });
    expect(fields[1]).toEqual({ name: 'Staff, last 30 days', value: `<@${STAFF}>: 1 claimed · 1 closed` });
  });

  it("says what is missing, names removed types and writes everything in the admin's language", () => {
    const stats = serverStats([ticket({ typeName: 'old', createdAt: ago(2), closedAt: null, claimedBy: null, closedBy: null, firstReplyAt: null })], [], now);
    const fields = statsFields('de', stats, new Map(), new Map());
    expect(fields[0]).toEqual({
      name: 'old (entfernter Typ)',
      value: [
        'Geöffnet: 1 in 7 Tagen · 1 in 30 Tagen',
        'Geschlossen: 0 in 7 Tagen · 0 in 30 Tagen',
        'Erste Antwort: noch keine Antworten erfasst',
        'Zeit bis zum Schließen: noch keine geschlossenen Tickets',
      ].join('\n'),
    });
    expect(fields[1]).toEqual({ name: 'Team, letzte 30 Tage', value: 'noch keine Tickets vom Team übernommen oder geschlossen' });
  });
});

describe('serverStats, edges', () => {
  const DAY = 24;

  it('counts a ticket opened or closed exactly 7 or 30 days ago, not one a moment older nor one dated after now', () => {
    const ms = 1 / 3_600_000;
    const tickets = [
      ticket({ createdAt: ago(7 * DAY) }),
      ticket({ createdAt: ago(7 * DAY + ms) }),
      ticket({ createdAt: ago(30 * DAY) }),
      ticket({ createdAt: ago(30 * DAY + ms) }),
      ticket({ createdAt: ago(-ms) }),
      ticket({ createdAt: ago(40 * DAY), closedAt: ago(7 * DAY) }),
      ticket({ createdAt: ago(40 * DAY), closedAt: ago(7 * DAY + ms) }),
      ticket({ createdAt: ago(40 * DAY), closedAt: ago(30 * DAY) }),
      ticket({ createdAt: ago(40 * DAY), closedAt: ago(30 * DAY + ms) }),
      ticket({ createdAt: ago(1), closedAt: ago(-ms) }),
      ticket({ createdAt: ago(0), closedAt: ago(0) }),
    ];
    expect(serverStats(tickets, ['support'], now).types[0]).toMatchObject({ opened7: 3, opened30: 5, closed7: 2, closed30: 4 });
  });

  it('lists each removed type once, after the configured ones in their order', () => {
    const tickets = [ticket({ typeName: 'old' }), ticket({ typeName: 'b' }), ticket({ typeName: 'old' }), ticket({ typeName: 'older' })];
    expect(serverStats(tickets, ['b', 'a'], now).types.map((t) => [t.typeName, t.opened7])).toEqual([
      ['b', 1],
      ['a', 0],
      ['old', 2],
      ['older', 1],
    ]);
  });

  it('takes percentiles of numerically sorted times and leaves tickets without a reply out of the reply times', () => {
    const tickets = [9, 10, 100].map((minutes) => ticket({ createdAt: ago(5), closedAt: new Date(ago(5).getTime() + minutes * 60_000) }));
    tickets.push(ticket({ createdAt: ago(5), closedAt: ago(4), firstReplyAt: ago(4.5) }));
    const [support] = serverStats(tickets, ['support'], now).types;
    expect(support!.toClose).toEqual({ p50: 10 * 60_000, p90: 100 * 60_000, count: 4 });
    expect(support!.firstReply).toEqual({ p50: 1_800_000, p90: 1_800_000, count: 1 });
  });

  it('counts claims of tickets opened in 30 days and closes in 30 days, never a member closing their own ticket', () => {
    const tickets = [
      ticket({ createdAt: ago(31 * DAY), claimedBy: STAFF, closedAt: ago(1), closedBy: STAFF }),
      ticket({ createdAt: ago(2), claimedBy: STAFF, closedAt: ago(31 * DAY), closedBy: OTHER }),
      ticket({ createdAt: ago(2), creatorId: OTHER, closedAt: ago(1), closedBy: OTHER }),
      ticket({ createdAt: ago(2), creatorId: null, closedAt: ago(1), closedBy: OTHER }),
    ];
    expect(serverStats(tickets, [], now).staff).toEqual([
      { userId: STAFF, claimed: 1, closed: 1 },
      { userId: OTHER, claimed: 0, closed: 1 },
    ]);
  });

  it('orders staff by claims and closes together, then by id', () => {
    const A = '200000000000000003';
    const tickets = [ticket({ claimedBy: OTHER }), ticket({ claimedBy: A }), ticket({ closedAt: ago(0.5), closedBy: A }), ticket({ claimedBy: STAFF })];
    expect(serverStats(tickets, [], now).staff.map((s) => s.userId)).toEqual([A, STAFF, OTHER]);
  });
});

describe('percentile, edges', () => {
  it('takes the first value for the lowest ranks and the last for the 100th', () => {
    expect(percentile([3, 4], 0)).toBe(3);
    expect(percentile([3, 4], 50)).toBe(3);
    expect(percentile([3, 4], 51)).toBe(4);
    expect(percentile([3, 4], 100)).toBe(4);
  });
});

describe('formatting, edges', () => {
  it('rounds the average rating to one decimal', () => {
    expect(ratingSummary('en-US', [1, 0, 0, 0, 2])).toBe('3.7/5 on average, 3 in all (1★ 1 · 2★ 0 · 3★ 0 · 4★ 0 · 5★ 2)');
    expect(ratingSummary('en-US', [1, 0, 0, 0, 0])).toBe('1.0/5 on average, 1 in all (1★ 1 · 2★ 0 · 3★ 0 · 4★ 0 · 5★ 0)');
    expect(ratingSummary('en-US', [0, 1234, 0, 0, 0])).toBe('2.0/5 on average, 1,234 in all (1★ 0 · 2★ 1,234 · 3★ 0 · 4★ 0 · 5★ 0)');
  });

  it('shows 15 staff lines and counts the others', () => {
    const staff = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ userId: `2000000000000001${String(i).padStart(2, '0')}`, claimed: 1, closed: 0 }));
    const field = (count: number) => statsFields('en-US', { types: [], staff: staff(count) }, new Map(), new Map()).at(-1)!;
    expect(field(15).value.split('\n')).toHaveLength(15);
    expect(field(15).value.split('\n')[14]).toBe('<@200000000000000114>: 1 claimed · 0 closed');
    expect(field(17).value.split('\n')).toHaveLength(16);
    expect(field(17).value.split('\n')[15]).toBe('… and 2 more');
    expect(statsFields('en-US', { types: [], staff: [] }, new Map(), new Map())).toEqual([
      { name: 'Staff, last 30 days', value: 'no tickets claimed or closed by staff yet' },
    ]);
  });

  it('leaves the ratings line out of a type without ratings', () => {
    const stats = serverStats([ticket({})], ['support'], now);
    const [field] = statsFields('en-US', stats, new Map([['support', 'Support']]), new Map([['support', [0, 0, 0, 0, 0]]]));
    expect(field!.value.split('\n')).toHaveLength(4);
    expect(field!.value).not.toMatch(/Ratings/);
  });
});
