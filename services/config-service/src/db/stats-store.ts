import { Op, QueryTypes, type Transaction } from 'sequelize';
import { ANALYTICS_DAYS, type AnalyticsSnapshot } from '../analytics.js';
import { dayKey, lastDays } from '../domain/reserve-rules.js';
import type { StatsTicket } from '../domain/server-stats.js';
import type { Repository } from './repository.js';

export interface BotStats {
  servers: number;
  members: number;
  ticketTypes: number;
  openedToday: number;
  closedToday: number;
  openedTotal: number;
  closedTotal: number;
}

/** Counts: tickets opened and closed per day, ratings per type, the bot's totals. Nothing about who. */
export class StatsStore {
  constructor(private readonly db: Repository) {}

  /** Counts opens and closes of a day (inside the caller's transaction). */
  async bump(day: string, opened: number, closed: number, transaction?: Transaction): Promise<void> {
    if (opened === 0 && closed === 0) return;
    await this.db.sequelize.query(
      'INSERT INTO daily_stats (day, opened, closed) VALUES (:day, :opened, :closed) ON CONFLICT (day) DO UPDATE SET opened = daily_stats.opened + excluded.opened, closed = daily_stats.closed + excluded.closed',
      { replacements: { day, opened, closed }, type: QueryTypes.INSERT, transaction: transaction ?? null },
    );
  }

  /** Servers the bot is on (no left_at), their members and their ticket types. */
  async #totals(): Promise<Pick<BotStats, 'servers' | 'members' | 'ticketTypes'>> {
    const [totals] = await this.db.sequelize.query<{ servers: number | string; members: number | string | null; ticket_types: number | string }>(
      `SELECT COUNT(*) AS servers, SUM(member_count) AS members,
              (SELECT COUNT(*) FROM ticket_types t JOIN guild_settings g ON g.guild_id = t.guild_id WHERE g.left_at IS NULL) AS ticket_types
         FROM guild_settings WHERE left_at IS NULL`,
      { type: QueryTypes.SELECT },
    );
    return { servers: Number(totals?.servers ?? 0), members: Number(totals?.members ?? 0), ticketTypes: Number(totals?.ticket_types ?? 0) };
  }

  /** The owner's anonymous analytics: totals and the daily counts of the last ANALYTICS_DAYS days. */
  async analytics(now = new Date()): Promise<AnalyticsSnapshot> {
    const days = lastDays(now, ANALYTICS_DAYS);
    const rows = await this.db.models.DailyStat.findAll({ where: { day: { [Op.gte]: days[0]! } } });
    const byDay = new Map(rows.map((row) => [row.day, row]));
    return {
      ...(await this.#totals()),
      days: days.map((day) => ({ day, opened: byDay.get(day)?.opened ?? 0, closed: byDay.get(day)?.closed ?? 0 })),
      ratings: await this.ratingTotals(),
      updatedAt: now.toISOString(),
    };
  }

  async botStats(now = new Date()): Promise<BotStats> {
    const { DailyStat } = this.db.models;
    const { servers, members, ticketTypes } = await this.#totals();
    const today = await DailyStat.findByPk(dayKey(now));
    const openedTotal = ((await DailyStat.sum('opened')) as number | null) ?? 0;
    const closedTotal = ((await DailyStat.sum('closed')) as number | null) ?? 0;
    return { servers, members, ticketTypes, openedToday: today?.opened ?? 0, closedToday: today?.closed ?? 0, openedTotal, closedTotal };
  }

  // ── feedback and server statistics ─────────────────────────────────────

  /** Counts one rating for the ticket's type; false when the ticket no longer exists. Nothing about who rated is kept. */
  countRating(guildId: string, ticketNumber: number, rating: number): Promise<{ typeName: string } | null> {
    return this.db.writeGuild(guildId, async () => {
      const ticket = await this.db.models.TicketRow.findOne({ where: { guildId, number: ticketNumber }, attributes: ['typeName'] });
      if (!ticket) return null;
      await this.db.sequelize.query(
        'INSERT INTO feedback_counts (guild_id, type_name, rating, count) VALUES (:guildId, :typeName, :rating, 1) ON CONFLICT (guild_id, type_name, rating) DO UPDATE SET count = feedback_counts.count + 1',
        { replacements: { guildId, typeName: ticket.typeName, rating }, type: QueryTypes.INSERT },
      );
      return { typeName: ticket.typeName };
    });
  }

  /** A server's rating counts per type: counts[0] is the number of 1s, counts[4] of 5s. */
  async ratings(guildId: string): Promise<Map<string, number[]>> {
    const rows = await this.db.models.FeedbackCount.findAll({ where: { guildId } });
    const byType = new Map<string, number[]>();
    for (const row of rows) {
      const counts = byType.get(row.typeName) ?? [0, 0, 0, 0, 0];
      if (row.rating >= 1 && row.rating <= 5) counts[row.rating - 1]! += Number(row.count);
      byType.set(row.typeName, counts);
    }
    return byType;
  }

  /** Every server's ratings added up (the owner's anonymous analytics). */
  async ratingTotals(): Promise<number[]> {
    const rows = await this.db.sequelize.query<{ rating: number; total: number | string }>(
      'SELECT rating, SUM(count) AS total FROM feedback_counts GROUP BY rating',
      { type: QueryTypes.SELECT },
    );
    const totals = [0, 0, 0, 0, 0];
    for (const row of rows) if (row.rating >= 1 && row.rating <= 5) totals[row.rating - 1] = Number(row.total);
    return totals;
  }

  /** The guild's tickets opened or closed since `since`: what /config stats computes from. */
  async ticketsSince(guildId: string, since: Date): Promise<StatsTicket[]> {
    const rows = await this.db.models.TicketRow.findAll({
      // A ticket that never opened (abandoned, refused by Discord) has no welcome message.
      where: {
        guildId,
        welcomeMessageId: { [Op.not]: null },
        [Op.or]: [{ createdAt: { [Op.gte]: since } }, { closedAt: { [Op.gte]: since } }],
      },
      attributes: ['typeName', 'creatorId', 'createdAt', 'closedAt', 'firstReplyAt', 'claimedBy', 'closedBy'],
    });
    return rows.map((row) => ({
      typeName: row.typeName,
      creatorId: row.creatorId ?? null,
      createdAt: new Date(row.createdAt),
      closedAt: row.closedAt ? new Date(row.closedAt) : null,
      firstReplyAt: row.firstReplyAt ? new Date(row.firstReplyAt) : null,
      claimedBy: row.claimedBy ?? null,
      closedBy: row.closedBy ?? null,
    }));
  }
}
