/**
 * `/config stats`: a server's own ticket statistics, computed from the ticket records
 * it owns. Pure: the repository hands in the records of the last 30 days.
 */

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

/** `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`: two units at most. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** Average and count of a type's ratings (counts[0] = ones … counts[4] = fives), or null without any. */
export function ratingSummary(counts: readonly number[] | undefined): string | null {
  const total = (counts ?? []).reduce((sum, n) => sum + n, 0);
  if (!counts || total === 0) return null;
  const average = counts.reduce((sum, n, i) => sum + n * (i + 1), 0) / total;
  return `${average.toFixed(1)}/5 from ${total} rating${total === 1 ? '' : 's'} (${counts.map((n, i) => `${i + 1}★ ${n}`).join(' · ')})`;
}

const MAX_STAFF_LINES = 15;

/** The embed fields of `/config stats`. */
export function statsFields(
  stats: ServerStats,
  labels: ReadonlyMap<string, string>,
  ratings: ReadonlyMap<string, readonly number[]>,
): { name: string; value: string; inline?: boolean }[] {
  const times = (p: Percentiles | null) =>
    p ? `p50 ${formatDuration(p.p50)} · p90 ${formatDuration(p.p90)} (${p.count} ticket${p.count === 1 ? '' : 's'})` : 'no closed tickets yet';
  const fields = stats.types.map((t) => {
    const label = labels.get(t.typeName);
    const lines = [
      `Opened: ${t.opened7} in 7 days · ${t.opened30} in 30 days`,
      `Closed: ${t.closed7} in 7 days · ${t.closed30} in 30 days`,
      `First reply: ${t.firstReply ? times(t.firstReply) : 'no replies recorded yet'}`,
      `Time to close: ${times(t.toClose)}`,
    ];
    const rating = ratingSummary(ratings.get(t.typeName));
    if (rating) lines.push(`Ratings: ${rating}`);
    return { name: label ? `${label} (${t.typeName})` : `${t.typeName} (removed type)`, value: lines.join('\n') };
  });
  const staffLines = stats.staff.slice(0, MAX_STAFF_LINES).map((s) => `<@${s.userId}>: ${s.claimed} claimed · ${s.closed} closed`);
  if (stats.staff.length > MAX_STAFF_LINES) staffLines.push(`… and ${stats.staff.length - MAX_STAFF_LINES} more`);
  fields.push({ name: 'Staff, last 30 days', value: staffLines.length ? staffLines.join('\n') : 'no tickets claimed or closed by staff yet' });
  return fields;
}
