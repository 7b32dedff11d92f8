/**
 * `/config stats`: a server's own ticket statistics, computed from the ticket records
 * it owns. Pure: the repository hands in the records of the last 30 days.
 */

import { formatDuration, t, type SupportedLocale } from '@promton/shared/domain';

const DAY_MS = 86_400_000;

/** What the statistics read of a ticket record. */
export interface StatsTicket {
  typeName: string;
  creatorId: string | null;
  createdAt: Date;
  closedAt: Date | null;
  firstReplyAt: Date | null;
  claimedBy: string | null;
  closedBy: string | null;
}

export interface Percentiles {
  p50: number;
  p90: number;
  /** How many tickets the percentiles are of. */
  count: number;
}

export interface TypeStats {
  typeName: string;
  opened7: number;
  opened30: number;
  closed7: number;
  closed30: number;
  /** From opening to the first message by someone other than the member, of tickets closed in 30 days. */
  firstReply: Percentiles | null;
  /** From opening to closing, of tickets closed in 30 days. */
  toClose: Percentiles | null;
}

export interface StaffStats {
  userId: string;
  /** Tickets opened in the last 30 days that they hold the claim of. */
  claimed: number;
  /** Tickets they closed in the last 30 days (a member closing their own ticket is not counted). */
  closed: number;
}

export interface ServerStats {
  types: TypeStats[];
  staff: StaffStats[];
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no values');
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

function percentiles(values: number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), count: sorted.length };
}

/** Per type (configured types first, in order, then types removed since), and per staff member. */
export function serverStats(tickets: readonly StatsTicket[], typeNames: readonly string[], now: Date): ServerStats {
  const since7 = now.getTime() - 7 * DAY_MS;
  const since30 = now.getTime() - 30 * DAY_MS;
  const within = (date: Date | null, since: number) => date !== null && date.getTime() >= since && date.getTime() <= now.getTime();
  const names = [...typeNames, ...new Set(tickets.map((t) => t.typeName).filter((name) => !typeNames.includes(name)))];
  const types = names.map((typeName): TypeStats => {
    const mine = tickets.filter((t) => t.typeName === typeName);
    const closed30 = mine.filter((t) => within(t.closedAt, since30));
    return {
      typeName,
      opened7: mine.filter((t) => within(t.createdAt, since7)).length,
      opened30: mine.filter((t) => within(t.createdAt, since30)).length,
      closed7: mine.filter((t) => within(t.closedAt, since7)).length,
      closed30: closed30.length,
      firstReply: percentiles(closed30.filter((t) => t.firstReplyAt !== null).map((t) => t.firstReplyAt!.getTime() - t.createdAt.getTime())),
      toClose: percentiles(closed30.map((t) => t.closedAt!.getTime() - t.createdAt.getTime())),
    };
  });
  const staff = new Map<string, StaffStats>();
  const entry = (userId: string) => staff.get(userId) ?? staff.set(userId, { userId, claimed: 0, closed: 0 }).get(userId)!;
  for (const t of tickets) {
    if (t.claimedBy && within(t.createdAt, since30)) entry(t.claimedBy).claimed += 1;
    if (t.closedBy && t.closedBy !== t.creatorId && within(t.closedAt, since30)) entry(t.closedBy).closed += 1;
  }
  const byActivity = [...staff.values()].sort((a, b) => b.claimed + b.closed - (a.claimed + a.closed) || a.userId.localeCompare(b.userId));
  return { types, staff: byActivity };
}

/** Average and count of a type's ratings (counts[0] = ones … counts[4] = fives), or null without any. */
export function ratingSummary(locale: SupportedLocale, counts: readonly number[] | undefined): string | null {
  const total = (counts ?? []).reduce((sum, n) => sum + n, 0);
  if (!counts || total === 0) return null;
  const average = Math.round((counts.reduce((sum, n, i) => sum + n * (i + 1), 0) / total) * 10) / 10;
  const each = counts.map((n, i) => `${i + 1}★ ${n.toLocaleString(locale)}`).join(' · ');
  return t(locale, 'rating.summary', {
    average: average.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    count: total,
    counts: each,
  });
}

const MAX_STAFF_LINES = 15;

/** The embed fields of `/config stats`, in the admin's language. */
export function statsFields(
  locale: SupportedLocale,
  stats: ServerStats,
  labels: ReadonlyMap<string, string>,
  ratings: ReadonlyMap<string, readonly number[]>,
): { name: string; value: string; inline?: boolean }[] {
  const times = (p: Percentiles) => t(locale, 'server-stats.times', { p50: formatDuration(p.p50, locale), p90: formatDuration(p.p90, locale), count: p.count });
  const fields = stats.types.map((s) => {
    const label = labels.get(s.typeName);
    const lines = [
      t(locale, 'server-stats.opened', { week: s.opened7, month: s.opened30 }),
      t(locale, 'server-stats.closed', { week: s.closed7, month: s.closed30 }),
      t(locale, 'server-stats.first-reply', { times: s.firstReply ? times(s.firstReply) : t(locale, 'server-stats.no-replies') }),
      t(locale, 'server-stats.to-close', { times: s.toClose ? times(s.toClose) : t(locale, 'server-stats.no-closed') }),
    ];
    const rating = ratingSummary(locale, ratings.get(s.typeName));
    if (rating) lines.push(t(locale, 'server-stats.ratings', { summary: rating }));
    const name = label ? t(locale, 'server-stats.type', { label, type: s.typeName }) : t(locale, 'show.removed-type', { type: s.typeName });
    return { name, value: lines.join('\n') };
  });
  const staffLines = stats.staff
    .slice(0, MAX_STAFF_LINES)
    .map((s) => t(locale, 'server-stats.staff-line', { user: `<@${s.userId}>`, claimed: s.claimed, closed: s.closed }));
  if (stats.staff.length > MAX_STAFF_LINES) staffLines.push(t(locale, 'server-stats.more', { count: stats.staff.length - MAX_STAFF_LINES }));
  fields.push({
    name: t(locale, 'server-stats.staff'),
    value: staffLines.length ? staffLines.join('\n') : t(locale, 'server-stats.no-staff'),
  });
  return fields;
}
