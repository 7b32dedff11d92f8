import { Op, type Transaction } from 'sequelize';
import { ACTIVE, toRecord } from './ticket-store.js';
import type { Repository } from './repository.js';

export interface PrivacyErasure {
  tickets: number;
  openTickets: number;
  /** Servers whose blocklist named the member (their projections must be published again). */
  blocklistGuildIds: string[];
}

export interface PrivacyExport {
  userId: string;
  exportedAt: string;
  tickets: {
    guildId: string;
    number: number;
    typeName: string;
    status: string;
    createdAt: string;
    closedAt: string | null;
    closeReason: string | null;
    channelId: string | null;
    /** How the record names you: creator, claimer and/or closer. */
    yourRoles: ('creator' | 'claimer' | 'closer')[];
  }[];
  /** Servers whose blocklist holds your user id (you may not open tickets there). */
  blockedOn: { guildId: string }[];
}

/** A member's data rights: what the records hold about them, and erasing their id from them. */
export class PrivacyStore {
  constructor(private readonly db: Repository) {}

  async privacyExport(userId: string, now = new Date()): Promise<PrivacyExport> {
    const rows = await this.db.models.TicketRow.findAll({
      where: { [Op.or]: [{ creatorId: userId }, { claimedBy: userId }, { closedBy: userId }] },
      order: [
        ['guildId', 'ASC'],
        ['number', 'ASC'],
      ],
    });
    return {
      userId,
      exportedAt: now.toISOString(),
      tickets: rows.map((row) => {
        const record = toRecord(row);
        const yourRoles: PrivacyExport['tickets'][number]['yourRoles'] = [];
        if (record.creatorId === userId) yourRoles.push('creator');
        if (record.claimedBy === userId) yourRoles.push('claimer');
        if (record.closedBy === userId) yourRoles.push('closer');
        return {
          guildId: record.guildId,
          number: record.number,
          typeName: record.typeName,
          status: record.status,
          createdAt: record.createdAt,
          closedAt: record.closedAt,
          closeReason: record.closeReason,
          channelId: record.channelId,
          yourRoles,
        };
      }),
      blockedOn: (
        await this.db.models.BlockRow.findAll({ where: { targetId: userId, kind: 'user' }, order: [['guildId', 'ASC']], attributes: ['guildId'] })
      ).map((row) => ({ guildId: row.guildId })),
    };
  }

  // ── data rights ────────────────────────────────────────────────────────

  /**
   * Erases a member's id from every record that carries it. The creator key (a keyed
   * hash, not the id) stays on the tickets that still count for the per-user limit or the
   * cooldown, so erasing one's id does not reset them; forgetSpentCreatorKeys drops it after.
   */
  privacyDelete(userId: string, now = new Date(), cooldownMs = 0): Promise<PrivacyErasure> {
    return this.db.write(() =>
      this.db.sequelize.transaction(async (transaction) => {
        const { TicketRow } = this.db.models;
        const tickets = await TicketRow.count({ where: { [Op.or]: [{ creatorId: userId }, { claimedBy: userId }, { closedBy: userId }] }, transaction });
        const openTickets = await TicketRow.count({ where: { creatorId: userId, status: [...ACTIVE] }, transaction });
        await TicketRow.update({ creatorId: null }, { where: { creatorId: userId }, transaction });
        await TicketRow.update({ claimedBy: null }, { where: { claimedBy: userId }, transaction });
        await TicketRow.update({ closedBy: null }, { where: { closedBy: userId }, transaction });
        await this.#forgetSpentCreatorKeys(now, cooldownMs, transaction);
        const blocked = await this.db.models.BlockRow.findAll({ where: { targetId: userId, kind: 'user' }, attributes: ['guildId'], transaction });
        await this.db.models.BlockRow.destroy({ where: { targetId: userId, kind: 'user' }, transaction });
        return { tickets, openTickets, blocklistGuildIds: [...new Set(blocked.map((row) => row.guildId))] };
      }),
    );
  }

  async #forgetSpentCreatorKeys(now: Date, cooldownMs: number, transaction?: Transaction): Promise<number> {
    const [count] = await this.db.models.TicketRow.update(
      { creatorKey: null },
      {
        where: { creatorId: { [Op.is]: null }, creatorKey: { [Op.not]: null }, status: 'closed', createdAt: { [Op.lt]: new Date(now.getTime() - cooldownMs) } },
        transaction: transaction ?? null,
      },
    );
    return count;
  }

  /** Drops the creator key of erased members' tickets that no longer count (closed, cooldown over). */
  forgetSpentCreatorKeys(now: Date, cooldownMs: number): Promise<number> {
    return this.db.write(() => this.#forgetSpentCreatorKeys(now, cooldownMs));
  }
}
