import { Op, QueryTypes } from 'sequelize';
import { ConfigLimits, type ConfigJob, type MoveReply, type ReopenReply, type ReserveReply, type TicketRecord } from '@promton/shared/contracts';
import { abandonedBefore, cooldownRefusal, dayKey, limitRefusal } from '../domain/reserve-rules.js';
import type { TicketRow } from './models.js';
import type { Repository } from './repository.js';

export type TicketUpdate = ConfigJob<'ticket.update'>['set'];

/** The statuses that hold a place in a member's limit. */
export const ACTIVE = ['opening', 'open'] as const;

export function toRecord(row: TicketRow): TicketRecord {
  return {
    id: row.id,
    guildId: row.guildId,
    number: row.number,
    typeName: row.typeName,
    creatorId: row.creatorId ?? null,
    channelId: row.channelId ?? null,
    status: row.status,
    claimedBy: row.claimedBy ?? null,
    createdAt: new Date(row.createdAt).toISOString(),
    closedAt: row.closedAt ? new Date(row.closedAt).toISOString() : null,
    closedBy: row.closedBy ?? null,
    closeReason: row.closeReason ?? null,
    welcomeMessageId: row.welcomeMessageId ?? null,
    openingInteractionId: row.openingInteractionId ?? null,
    priority: row.priority ?? 'normal',
    firstReplyAt: row.firstReplyAt ? new Date(row.firstReplyAt).toISOString() : null,
    thread: row.isThread ?? false,
    archivedAt: row.archivedAt ? new Date(row.archivedAt).toISOString() : null,
    reopenedAt: row.reopenedAt ? new Date(row.reopenedAt).toISOString() : null,
  };
}

/** Tickets: numbers reserved, saga progress, moves and closes; each write under the guild's writer. */
export class TicketStore {
  constructor(private readonly db: Repository) {}

  async getTicket(guildId: string, by: { number?: number | undefined; channelId?: string | undefined }): Promise<TicketRecord | null> {
    if (by.number === undefined && by.channelId === undefined) return null;
    const where = by.number !== undefined ? { guildId, number: by.number } : { guildId, channelId: by.channelId! };
    // A channel id could only repeat after a reused id; prefer the newest ticket.
    const row = await this.db.models.TicketRow.findOne({ where, order: [['id', 'DESC']] });
    return row ? toRecord(row) : null;
  }

  /** A guild's open tickets (of the given types; all when null), by number. */
  async openTickets(guildId: string, typeNames: readonly string[] | null): Promise<TicketRecord[]> {
    const rows = await this.db.models.TicketRow.findAll({
      where: { guildId, status: 'open', ...(typeNames ? { typeName: [...typeNames] } : {}) },
      order: [['number', 'ASC']],
    });
    return rows.map(toRecord);
  }

  /**
   * Open tickets whose type closes them after some quiet hours: the auto-close checks that must
   * exist, each from when the ticket was opened or, when staff reopened it since, reopened.
   */
  async autoCloseTickets(): Promise<{ guildId: string; number: number; createdAt: Date; hours: number }[]> {
    const rows = await this.db.sequelize.query<{ guild_id: string; number: number; created_at: string | Date; hours: number }>(
      `SELECT t.guild_id, t.number, COALESCE(t.reopened_at, t.created_at) AS created_at, y.auto_close_hours AS hours
         FROM tickets t JOIN ticket_types y ON y.guild_id = t.guild_id AND y.name = t.type_name
        WHERE t.status = 'open' AND t.channel_id IS NOT NULL AND y.auto_close_hours IS NOT NULL`,
      { type: QueryTypes.SELECT },
    );
    return rows.map((row) => ({ guildId: row.guild_id, number: Number(row.number), createdAt: new Date(row.created_at), hours: Number(row.hours) }));
  }

  /** Closed tickets whose channel is archived: the deletions that must be scheduled, with the days of their type (the default when it is gone). */
  async archivedTickets(): Promise<{ guildId: string; number: number; archivedAt: Date; days: number }[]> {
    const rows = await this.db.sequelize.query<{ guild_id: string; number: number; archived_at: string | Date; days: number | null }>(
      `SELECT t.guild_id, t.number, t.archived_at, y.archive_days AS days
         FROM tickets t LEFT JOIN ticket_types y ON y.guild_id = t.guild_id AND y.name = t.type_name
        WHERE t.status = 'closed' AND t.archived_at IS NOT NULL AND t.channel_id IS NOT NULL`,
      { type: QueryTypes.SELECT },
    );
    return rows.map((row) => ({
      guildId: row.guild_id,
      number: Number(row.number),
      archivedAt: new Date(row.archived_at),
      days: row.days === null ? ConfigLimits.archiveDaysDefault : Number(row.days),
    }));
  }

  /**
   * Reopens an archived ticket: open again, its close and its archiving forgotten, the reopen
   * time kept (auto-close counts from it). Refused, as an open would be, when its member
   * already has their type's limit of active tickets (counted by creator key, so a ticket of
   * a member whose data was deleted is not limited; a type removed since sets no limit).
   * An open ticket is returned as it is (a retried reopen). `check` writes nothing.
   */
  reopen(guildId: string, ticketId: number, { check = false, now = new Date() }: { check?: boolean; now?: Date } = {}): Promise<ReopenReply> {
    return this.db.writeGuild(guildId, async () => {
      const { TicketRow, TicketTypeRow } = this.db.models;
      const row = await TicketRow.findOne({ where: { id: ticketId, guildId } });
      if (!row) return { ok: false, reason: 'not-archived' };
      if (row.status === 'open') return { ok: true, ticket: toRecord(row) };
      if (row.status !== 'closed' || !row.archivedAt) return { ok: false, reason: 'not-archived' };
      const type = await TicketTypeRow.findOne({ where: { guildId, name: row.typeName } });
      if (type && row.creatorKey) {
        const open = await TicketRow.findAll({
          where: { guildId, typeName: row.typeName, creatorKey: row.creatorKey, status: [...ACTIVE] },
          order: [['number', 'ASC']],
        });
        const refusal = limitRefusal(type.perUserLimit, open);
        if (refusal) return refusal;
      }
      if (check) return { ok: true, ticket: toRecord(row) };
      row.status = 'open';
      row.closedAt = null;
      row.closedBy = null;
      row.closeReason = null;
      row.archivedAt = null;
      row.reopenedAt = now;
      await row.save();
      return { ok: true, ticket: toRecord(row) };
    });
  }

  /** Idempotent on interactionId; numbers come from the guild's counter under the write mutex. */
  reserve(job: ConfigJob<'ticket.reserve'>, now = new Date(), cooldownMs = 0): Promise<ReserveReply> {
    return this.db.writeGuild(job.guildId, async () => {
      const { TicketRow, TicketTypeRow, GuildSettings } = this.db.models;
      const existing = await TicketRow.findOne({ where: { openingInteractionId: job.interactionId } });
      if (existing) return { ok: true, ticket: toRecord(existing) };
      const type = await TicketTypeRow.findOne({ where: { guildId: job.guildId, name: job.typeName } });
      if (!type) return { ok: false, reason: 'unknown-type' };
      // Counted by the creator key, not the id: /privacy delete blanks the id but not the count.
      const key = await this.db.creatorKey(job.guildId, job.creatorId);
      // An open whose job gave up before creating a channel would hold a place in the limit
      // forever. Not counted in the daily stats: it was never opened, so it is not a close either.
      await TicketRow.update(
        { status: 'closed', closedAt: now, closeReason: 'open abandoned' },
        {
          where: {
            guildId: job.guildId,
            typeName: job.typeName,
            creatorKey: key,
            status: 'opening',
            channelId: { [Op.is]: null },
            createdAt: { [Op.lt]: abandonedBefore(now) },
          },
        },
      );
      const open = await TicketRow.findAll({
        where: { guildId: job.guildId, typeName: job.typeName, creatorKey: key, status: [...ACTIVE] },
        order: [['number', 'ASC']],
      });
      const refusal = limitRefusal(type.perUserLimit, open);
      if (refusal) return refusal;
      // Checked after the limit, so a member at the limit hears about the ticket they have.
      const last = await TicketRow.findOne({ where: { guildId: job.guildId, creatorKey: key }, order: [['createdAt', 'DESC']] });
      const wait = cooldownRefusal(last?.createdAt ?? null, cooldownMs, now);
      if (wait) return wait;
      const row = await this.db.sequelize.transaction(async (transaction) => {
        await GuildSettings.increment('ticketCounter', { by: 1, where: { guildId: job.guildId }, transaction });
        const settings = await GuildSettings.findByPk(job.guildId, { transaction });
        return TicketRow.create(
          {
            guildId: job.guildId,
            number: settings!.ticketCounter,
            typeName: type.name,
            creatorId: job.creatorId,
            creatorKey: key,
            status: 'opening',
            createdAt: now,
            openingInteractionId: job.interactionId,
          },
          { transaction },
        );
      });
      return { ok: true, ticket: toRecord(row) };
    });
  }

  /** Applies saga progress; counts an open or a close once, when the status changes. */
  updateTicket(guildId: string, ticketId: number, set: TicketUpdate, now = new Date()): Promise<TicketRecord | null> {
    return this.db.writeGuild(guildId, async () => {
      const row = await this.db.models.TicketRow.findOne({ where: { id: ticketId, guildId } });
      if (!row) return null;
      const previous = row.status;
      if (set.channelId !== undefined) row.channelId = set.channelId;
      if (set.welcomeMessageId !== undefined) row.welcomeMessageId = set.welcomeMessageId;
      if (set.claimedBy !== undefined) row.claimedBy = set.claimedBy;
      if (set.closedBy !== undefined) row.closedBy = set.closedBy;
      if (set.closeReason !== undefined) row.closeReason = set.closeReason;
      if (set.closedAt !== undefined) row.closedAt = new Date(set.closedAt);
      if (set.priority !== undefined) row.priority = set.priority;
      if (set.firstReplyAt !== undefined) row.firstReplyAt = new Date(set.firstReplyAt);
      if (set.thread !== undefined) row.isThread = set.thread;
      if (set.archivedAt !== undefined) row.archivedAt = set.archivedAt === null ? null : new Date(set.archivedAt);
      if (set.status !== undefined && set.status !== previous) {
        // A closed ticket stays closed: a late "open" from a retried saga step must not reopen it.
        if (!(previous === 'closed' && set.status === 'open')) row.status = set.status;
      }
      if (row.status === 'closed' && !row.closedAt) row.closedAt = now;
      await this.db.sequelize.transaction(async (transaction) => {
        await row.save({ transaction });
        if (row.status !== previous) {
          await this.db.stats.bump(dayKey(now), row.status === 'open' ? 1 : 0, row.status === 'closed' ? 1 : 0, transaction);
        }
      });
      return toRecord(row);
    });
  }

  /**
   * Moves an open ticket to another type, checking the creator's limit of that type as an
   * open would (by creator key, this ticket not counted); the claim is released so the new
   * type's staff can take it.
   */
  changeType(guildId: string, ticketId: number, typeName: string, force: boolean): Promise<MoveReply> {
    return this.db.writeGuild(guildId, async () => {
      const { TicketRow, TicketTypeRow } = this.db.models;
      const row = await TicketRow.findOne({ where: { id: ticketId, guildId } });
      if (!row || row.status !== 'open') return { ok: false, reason: 'gone' };
      const type = await TicketTypeRow.findOne({ where: { guildId, name: typeName } });
      if (!type) return { ok: false, reason: 'unknown-type' };
      if (!force && row.creatorKey) {
        const open = await TicketRow.findAll({
          where: { guildId, typeName, creatorKey: row.creatorKey, status: [...ACTIVE], id: { [Op.ne]: row.id } },
          order: [['number', 'ASC']],
        });
        const refusal = limitRefusal(type.perUserLimit, open);
        if (refusal) return refusal;
      }
      row.typeName = type.name;
      row.claimedBy = null;
      await row.save();
      return { ok: true, ticket: toRecord(row) };
    });
  }

  /** Closes the active ticket of a channel deleted by hand; null when there is none. */
  closeByChannel(guildId: string, channelId: string, now = new Date()): Promise<TicketRecord | null> {
    return this.db.writeGuild(guildId, async () => {
      const row = await this.db.models.TicketRow.findOne({ where: { guildId, channelId, status: [...ACTIVE] } });
      if (!row) {
        // An archived channel deleted by hand: the closed ticket is simply no longer archived.
        await this.db.models.TicketRow.update({ archivedAt: null }, { where: { guildId, channelId, status: 'closed', archivedAt: { [Op.not]: null } } });
        return null;
      }
      row.status = 'closed';
      row.closedAt = now;
      row.closedBy = null;
      row.closeReason = 'channel deleted by hand';
      await this.db.sequelize.transaction(async (transaction) => {
        await row.save({ transaction });
        await this.db.stats.bump(dayKey(now), 0, 1, transaction);
      });
      return toRecord(row);
    });
  }
}
