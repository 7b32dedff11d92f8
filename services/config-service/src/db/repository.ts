import { Op, QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import {
  guildConfigSchema,
  type Blocklist,
  type ConfigJob,
  type MoveReply,
  type Tag,
  type EmbedCustomization,
  type GuildConfig,
  type ReserveReply,
  type TicketRecord,
  type TicketType,
} from '@promton/shared/contracts';
import { ANALYTICS_DAYS, type AnalyticsSnapshot } from '../analytics.js';
import type { StatsTicket } from '../domain/server-stats.js';
import type { ConfigExport } from '../domain/import-config.js';
import { creatorKey } from '../domain/creator-key.js';
import { abandonedBefore, cooldownRefusal, dayKey, lastDays, limitRefusal } from '../domain/reserve-rules.js';
import { KeyedMutex, Mutex } from '../mutex.js';
import { initModels, type BlockRow, type GuildSettings, type Models, type TicketRow, type TicketTypeRow } from './models.js';

export type TicketUpdate = ConfigJob<'ticket.update'>['set'];

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

export interface BotStats {
  servers: number;
  members: number;
  ticketTypes: number;
  openedToday: number;
  closedToday: number;
  openedTotal: number;
  closedTotal: number;
}

const ACTIVE = ['opening', 'open'] as const;

/** Advisory lock of writes that span guilds (no snowflake is 0). */
const GLOBAL_LOCK_KEY = '0';

function toRecord(row: TicketRow): TicketRecord {
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
  };
}

function blocklistOf(rows: readonly BlockRow[]): Blocklist {
  return {
    userIds: rows.filter((row) => row.kind === 'user').map((row) => row.targetId),
    roleIds: rows.filter((row) => row.kind === 'role').map((row) => row.targetId),
  };
}

function toType(row: TicketTypeRow): TicketType {
  return {
    name: row.name,
    label: row.label,
    description: row.description,
    emoji: row.emoji,
    categoryId: row.categoryId,
    staffRoleIds: JSON.parse(row.staffRoleIds) as string[],
    welcomeMessage: row.welcomeMessage,
    perUserLimit: row.perUserLimit,
    questions: JSON.parse(row.questions) as string[],
    autoCloseHours: row.autoCloseHours,
    hours:
      row.hoursTimeZone && row.hoursSchedule && (row.hoursMode === 'notice' || row.hoursMode === 'refuse')
        ? { timeZone: row.hoursTimeZone, schedule: row.hoursSchedule, mode: row.hoursMode }
        : null,
  };
}

function embedOf(settings: GuildSettings | null): EmbedCustomization {
  return {
    titlePrefix: settings?.titlePrefix ?? null,
    authorName: settings?.authorName ?? null,
    authorIconUrl: settings?.authorIconUrl ?? null,
    bannerUrl: settings?.bannerUrl ?? null,
    color: settings?.color ?? null,
    footerText: settings?.footerText ?? null,
  };
}

/**
 * Every read and write of the database.
 *
 * SQLite: writes go through one in-process mutex (SQLite has a single writer, and
 * Sequelize's sqlite dialect hangs under concurrent write transactions); one
 * config-service process owns the file.
 *
 * Postgres: several config-service replicas share the database, so a write section holds
 * a transaction-scoped advisory lock keyed by its guild id (a snowflake fits Postgres's
 * bigint) for as long as it runs: a guild's reserves, ticket updates and configuration
 * writes run one at a time across every replica, other guilds' in parallel. The unique
 * indexes on (guild_id, number) and opening_interaction_id stand behind the lock.
 */
export class Repository {
  readonly models: Models;
  readonly #writes = new Mutex();
  readonly #configLocks = new KeyedMutex();
  readonly #secrets = new Map<string, Promise<string>>();
  readonly #shared: boolean;

  constructor(readonly sequelize: Sequelize) {
    this.models = initModels(sequelize);
    this.#shared = sequelize.getDialect() === 'postgres';
  }

  /**
   * Runs `section` as the only writer of the database (SQLite); with Postgres, as the only
   * one of the sections that span guilds (each guild's writers still run).
   */
  write<T>(section: () => Promise<T>): Promise<T> {
    return this.#locked(GLOBAL_LOCK_KEY, section);
  }

  /** Runs `section` as the only writer of the guild's rows (of the database, with SQLite). */
  writeGuild<T>(guildId: string, section: () => Promise<T>): Promise<T> {
    return this.#locked(guildId, section);
  }

  /**
   * The guild's configuration lock, held around load → change → write → publish (it
   * contains write sections, so it is a different lock): in-process with SQLite, an
   * advisory lock on a hash of the guild id with Postgres, so replicas take turns too.
   */
  readonly configLock = {
    run: <T>(guildId: string, section: () => Promise<T>): Promise<T> =>
      this.#shared ? this.#advisory(`hashtextextended('promton:config:' || :key, 0)`, guildId, section) : this.#configLocks.run(guildId, section),
  };

  #locked<T>(key: string, section: () => Promise<T>): Promise<T> {
    if (!this.#shared) return this.#writes.run(section);
    return this.#advisory('CAST(:key AS bigint)', key, section);
  }

  /** Runs `section` while a transaction holds the advisory lock `lockKey` (SQL of :key). */
  #advisory<T>(lockKey: string, key: string, section: () => Promise<T>): Promise<T> {
    return this.sequelize.transaction(async (transaction) => {
      await this.sequelize.query(`SELECT pg_advisory_xact_lock(${lockKey})`, { replacements: { key }, type: QueryTypes.SELECT, transaction });
      return section();
    });
  }

  /** A secret of app_secrets, read once from the database. */
  #secret(name: 'creator-key' | 'feedback-key'): Promise<string> {
    let secret = this.#secrets.get(name);
    if (!secret) {
      secret = this.sequelize
        .query<{ value: string }>('SELECT value FROM app_secrets WHERE name = :name', { replacements: { name }, type: QueryTypes.SELECT })
        .then(([row]) => {
          if (!row) throw new Error(`the ${name} secret is missing from app_secrets`);
          return row.value;
        });
      secret.catch(() => this.#secrets.delete(name));
      this.#secrets.set(name, secret);
    }
    return secret;
  }

  /** The creator key of a member in a guild. */
  async creatorKey(guildId: string, userId: string): Promise<string> {
    return creatorKey(await this.#secret('creator-key'), guildId, userId);
  }

  /** The key that signs feedback offers (see domain/feedback-token.ts). */
  feedbackKey(): Promise<string> {
    return this.#secret('feedback-key');
  }

  async #ensureGuild(guildId: string, transaction?: Transaction): Promise<GuildSettings> {
    const existing = await this.models.GuildSettings.findByPk(guildId, { transaction: transaction ?? null });
    if (existing) return existing;
    return this.models.GuildSettings.create({ guildId, updatedAt: new Date() }, { transaction: transaction ?? null });
  }

  async #bumpStats(day: string, opened: number, closed: number, transaction?: Transaction): Promise<void> {
    if (opened === 0 && closed === 0) return;
    await this.sequelize.query(
      'INSERT INTO daily_stats (day, opened, closed) VALUES (:day, :opened, :closed) ON CONFLICT (day) DO UPDATE SET opened = daily_stats.opened + excluded.opened, closed = daily_stats.closed + excluded.closed',
      { replacements: { day, opened, closed }, type: QueryTypes.INSERT, transaction: transaction ?? null },
    );
  }

  // ── reads ──────────────────────────────────────────────────────────────

  async loadConfig(guildId: string): Promise<GuildConfig> {
    const [settings, types, tags, blocked] = await Promise.all([
      this.models.GuildSettings.findByPk(guildId),
      this.models.TicketTypeRow.findAll({ where: { guildId }, order: [['position', 'ASC']] }),
      this.models.TagRow.findAll({ where: { guildId }, order: [['position', 'ASC']] }),
      this.models.BlockRow.findAll({ where: { guildId }, order: [['id', 'ASC']] }),
    ]);
    return guildConfigSchema.parse({
      v: 1,
      guildId,
      logChannelId: settings?.logChannelId ?? null,
      logChannelProblem: settings?.logChannelProblem ?? null,
      transcripts: settings?.transcripts ?? false,
      feedback: settings?.feedback ?? false,
      language: settings?.language ?? null,
      embed: embedOf(settings),
      types: types.map(toType),
      tags: tags.map((row) => ({ name: row.name, content: row.content })),
      blocklist: blocklistOf(blocked),
      updatedAt: (settings?.updatedAt ? new Date(settings.updatedAt) : new Date()).toISOString(),
    });
  }

  async guildIds(): Promise<string[]> {
    const rows = await this.models.GuildSettings.findAll({ attributes: ['guildId'] });
    return rows.map((row) => row.guildId);
  }

  /** Guilds the bot left (their purge is pending), with when. */
  async leftGuilds(): Promise<{ guildId: string; leftAt: Date }[]> {
    const rows = await this.models.GuildSettings.findAll({ attributes: ['guildId', 'leftAt'], where: { leftAt: { [Op.not]: null } } });
    return rows.map((row) => ({ guildId: row.guildId, leftAt: new Date(row.leftAt!) }));
  }

  /** Open tickets whose type closes them after some quiet hours: the auto-close checks that must exist. */
  async autoCloseTickets(): Promise<{ guildId: string; number: number; createdAt: Date; hours: number }[]> {
    const rows = await this.sequelize.query<{ guild_id: string; number: number; created_at: string | Date; hours: number }>(
      `SELECT t.guild_id, t.number, t.created_at, y.auto_close_hours AS hours
         FROM tickets t JOIN ticket_types y ON y.guild_id = t.guild_id AND y.name = t.type_name
        WHERE t.status = 'open' AND t.channel_id IS NOT NULL AND y.auto_close_hours IS NOT NULL`,
      { type: QueryTypes.SELECT },
    );
    return rows.map((row) => ({ guildId: row.guild_id, number: Number(row.number), createdAt: new Date(row.created_at), hours: Number(row.hours) }));
  }

  async getTicket(guildId: string, by: { number?: number | undefined; channelId?: string | undefined }): Promise<TicketRecord | null> {
    if (by.number === undefined && by.channelId === undefined) return null;
    const where = by.number !== undefined ? { guildId, number: by.number } : { guildId, channelId: by.channelId! };
    // A channel id could only repeat after a reused id; prefer the newest ticket.
    const row = await this.models.TicketRow.findOne({ where, order: [['id', 'DESC']] });
    return row ? toRecord(row) : null;
  }

  /** Servers the bot is on (no left_at), their members and their ticket types. */
  async #totals(): Promise<Pick<BotStats, 'servers' | 'members' | 'ticketTypes'>> {
    const [totals] = await this.sequelize.query<{ servers: number | string; members: number | string | null; ticket_types: number | string }>(
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
    const rows = await this.models.DailyStat.findAll({ where: { day: { [Op.gte]: days[0]! } } });
    const byDay = new Map(rows.map((row) => [row.day, row]));
    return {
      ...(await this.#totals()),
      days: days.map((day) => ({ day, opened: byDay.get(day)?.opened ?? 0, closed: byDay.get(day)?.closed ?? 0 })),
      ratings: await this.ratingTotals(),
      updatedAt: now.toISOString(),
    };
  }

  async stats(now = new Date()): Promise<BotStats> {
    const { DailyStat } = this.models;
    const { servers, members, ticketTypes } = await this.#totals();
    const today = await DailyStat.findByPk(dayKey(now));
    const openedTotal = ((await DailyStat.sum('opened')) as number | null) ?? 0;
    const closedTotal = ((await DailyStat.sum('closed')) as number | null) ?? 0;
    return { servers, members, ticketTypes, openedToday: today?.opened ?? 0, closedToday: today?.closed ?? 0, openedTotal, closedTotal };
  }

  async privacyExport(userId: string, now = new Date()): Promise<PrivacyExport> {
    const rows = await this.models.TicketRow.findAll({
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
      blockedOn: (await this.models.BlockRow.findAll({ where: { targetId: userId, kind: 'user' }, order: [['guildId', 'ASC']], attributes: ['guildId'] })).map(
        (row) => ({ guildId: row.guildId }),
      ),
    };
  }

  /** A guild's open tickets (of the given types; all when null), by number. */
  async openTickets(guildId: string, typeNames: readonly string[] | null): Promise<TicketRecord[]> {
    const rows = await this.models.TicketRow.findAll({
      where: { guildId, status: 'open', ...(typeNames ? { typeName: [...typeNames] } : {}) },
      order: [['number', 'ASC']],
    });
    return rows.map(toRecord);
  }

  // ── ticket writes ──────────────────────────────────────────────────────

  /** Idempotent on interactionId; numbers come from the guild's counter under the write mutex. */
  reserve(job: ConfigJob<'ticket.reserve'>, now = new Date(), cooldownMs = 0): Promise<ReserveReply> {
    return this.writeGuild(job.guildId, async () => {
      const { TicketRow, TicketTypeRow, GuildSettings } = this.models;
      const existing = await TicketRow.findOne({ where: { openingInteractionId: job.interactionId } });
      if (existing) return { ok: true, ticket: toRecord(existing), type: { name: existing.typeName } };
      const type = await TicketTypeRow.findOne({ where: { guildId: job.guildId, name: job.typeName } });
      if (!type) return { ok: false, reason: 'unknown-type' };
      // Counted by the creator key, not the id: /privacy delete blanks the id but not the count.
      const key = await this.creatorKey(job.guildId, job.creatorId);
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
      const row = await this.sequelize.transaction(async (transaction) => {
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
      return { ok: true, ticket: toRecord(row), type: { name: type.name } };
    });
  }

  /** Applies saga progress; counts an open or a close once, when the status changes. */
  updateTicket(guildId: string, ticketId: number, set: TicketUpdate, now = new Date()): Promise<TicketRecord | null> {
    return this.writeGuild(guildId, async () => {
      const row = await this.models.TicketRow.findOne({ where: { id: ticketId, guildId } });
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
      if (set.status !== undefined && set.status !== previous) {
        // A closed ticket stays closed: a late "open" from a retried saga step must not reopen it.
        if (!(previous === 'closed' && set.status === 'open')) row.status = set.status;
      }
      if (row.status === 'closed' && !row.closedAt) row.closedAt = now;
      await this.sequelize.transaction(async (transaction) => {
        await row.save({ transaction });
        if (row.status !== previous) {
          await this.#bumpStats(dayKey(now), row.status === 'open' ? 1 : 0, row.status === 'closed' ? 1 : 0, transaction);
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
    return this.writeGuild(guildId, async () => {
      const { TicketRow, TicketTypeRow } = this.models;
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
    return this.writeGuild(guildId, async () => {
      const row = await this.models.TicketRow.findOne({ where: { guildId, channelId, status: [...ACTIVE] } });
      if (!row) return null;
      row.status = 'closed';
      row.closedAt = now;
      row.closedBy = null;
      row.closeReason = 'channel deleted by hand';
      await this.sequelize.transaction(async (transaction) => {
        await row.save({ transaction });
        await this.#bumpStats(dayKey(now), 0, 1, transaction);
      });
      return toRecord(row);
    });
  }

  // ── guild lifecycle ────────────────────────────────────────────────────

  guildJoined(guildId: string, memberCount: number): Promise<void> {
    return this.writeGuild(guildId, async () => {
      const settings = await this.#ensureGuild(guildId);
      await settings.update({ memberCount, leftAt: null });
    });
  }

  guildLeft(guildId: string, now = new Date()): Promise<void> {
    return this.writeGuild(guildId, async () => {
      const settings = await this.#ensureGuild(guildId);
      await settings.update({ leftAt: now });
    });
  }

  /** Deletes every row of a guild the bot is still out of; false when it came back. */
  purgeGuild(guildId: string): Promise<boolean> {
    return this.writeGuild(guildId, async () => {
      const settings = await this.models.GuildSettings.findByPk(guildId);
      if (!settings || settings.leftAt === null) return false;
      await this.sequelize.transaction(async (transaction) => {
        await this.models.TicketRow.destroy({ where: { guildId }, transaction });
        await this.models.FeedbackCount.destroy({ where: { guildId }, transaction });
        await this.models.TicketTypeRow.destroy({ where: { guildId }, transaction });
        await this.models.TagRow.destroy({ where: { guildId }, transaction });
        await this.models.BlockRow.destroy({ where: { guildId }, transaction });
        await this.models.GuildSettings.destroy({ where: { guildId }, transaction });
      });
      return true;
    });
  }

  // ── configuration writes ───────────────────────────────────────────────

  async #writeTypes(guildId: string, types: readonly TicketType[], transaction: Transaction): Promise<void> {
    await this.models.TicketTypeRow.destroy({ where: { guildId }, transaction });
    await this.models.TicketTypeRow.bulkCreate(
      types.map((type, position) => ({
        guildId,
        name: type.name,
        label: type.label,
        description: type.description,
        emoji: type.emoji,
        categoryId: type.categoryId,
        staffRoleIds: JSON.stringify(type.staffRoleIds),
        welcomeMessage: type.welcomeMessage,
        perUserLimit: type.perUserLimit,
        questions: JSON.stringify(type.questions),
        autoCloseHours: type.autoCloseHours,
        hoursTimeZone: type.hours?.timeZone ?? null,
        hoursSchedule: type.hours?.schedule ?? null,
        hoursMode: type.hours?.mode ?? null,
        position,
      })),
      { transaction },
    );
  }

  /** Replaces the guild's types (at most 5 rows) in one transaction. */
  replaceTypes(guildId: string, types: readonly TicketType[], now = new Date()): Promise<void> {
    return this.writeGuild(guildId, () =>
      this.sequelize.transaction(async (transaction) => {
        const settings = await this.#ensureGuild(guildId, transaction);
        await this.#writeTypes(guildId, types, transaction);
        await settings.update({ updatedAt: now }, { transaction });
      }),
    );
  }

  async #writeTags(guildId: string, tags: readonly Tag[], transaction: Transaction): Promise<void> {
    await this.models.TagRow.destroy({ where: { guildId }, transaction });
    await this.models.TagRow.bulkCreate(
      tags.map((tag, position) => ({ guildId, name: tag.name, content: tag.content, position })),
      { transaction },
    );
  }

  async #writeBlocklist(guildId: string, blocklist: Blocklist, transaction: Transaction): Promise<void> {
    await this.models.BlockRow.destroy({ where: { guildId }, transaction });
    await this.models.BlockRow.bulkCreate(
      [
        ...blocklist.userIds.map((targetId) => ({ guildId, targetId, kind: 'user' as const })),
        ...blocklist.roleIds.map((targetId) => ({ guildId, targetId, kind: 'role' as const })),
      ],
      { transaction },
    );
  }

  /** Replaces the guild's tags (at most 50 rows) in one transaction. */
  replaceTags(guildId: string, tags: readonly Tag[], now = new Date()): Promise<void> {
    return this.writeGuild(guildId, () =>
      this.sequelize.transaction(async (transaction) => {
        const settings = await this.#ensureGuild(guildId, transaction);
        await this.#writeTags(guildId, tags, transaction);
        await settings.update({ updatedAt: now }, { transaction });
      }),
    );
  }

  /** Replaces the guild's blocklist in one transaction. */
  replaceBlocklist(guildId: string, blocklist: Blocklist, now = new Date()): Promise<void> {
    return this.writeGuild(guildId, () =>
      this.sequelize.transaction(async (transaction) => {
        const settings = await this.#ensureGuild(guildId, transaction);
        await this.#writeBlocklist(guildId, blocklist, transaction);
        await settings.update({ updatedAt: now }, { transaction });
      }),
    );
  }

  /** Updates guild settings fields in one statement. */
  updateSettings(
    guildId: string,
    fields: Partial<
      Pick<
        GuildSettings,
        | 'logChannelId'
        | 'logChannelProblem'
        | 'transcripts'
        | 'feedback'
        | 'language'
        | 'titlePrefix'
        | 'authorName'
        | 'authorIconUrl'
        | 'bannerUrl'
        | 'color'
        | 'footerText'
      >
    >,
    now = new Date(),
  ): Promise<void> {
    return this.writeGuild(guildId, async () => {
      const settings = await this.#ensureGuild(guildId);
      await settings.update({ ...fields, updatedAt: now });
    });
  }

  setEmbed(guildId: string, embed: EmbedCustomization, now = new Date()): Promise<void> {
    return this.updateSettings(guildId, { ...embed }, now);
  }

  /** Replaces the whole configuration atomically (ticket counter and member count are kept). */
  importConfig(guildId: string, data: ConfigExport, now = new Date()): Promise<void> {
    return this.writeGuild(guildId, () =>
      this.sequelize.transaction(async (transaction) => {
        const settings = await this.#ensureGuild(guildId, transaction);
        await settings.update(
          {
            logChannelId: data.logChannelId,
            logChannelProblem: null,
            transcripts: data.transcripts,
            feedback: data.feedback,
            language: data.language,
            ...data.embed,
            updatedAt: now,
          },
          { transaction },
        );
        await this.#writeTypes(guildId, data.types, transaction);
        await this.#writeTags(guildId, data.tags, transaction);
        await this.#writeBlocklist(guildId, data.blocklist, transaction);
      }),
    );
  }

  // ── feedback and server statistics ─────────────────────────────────────

  /** Counts one rating for the ticket's type; false when the ticket no longer exists. Nothing about who rated is kept. */
  countRating(guildId: string, ticketNumber: number, rating: number): Promise<{ typeName: string } | null> {
    return this.writeGuild(guildId, async () => {
      const ticket = await this.models.TicketRow.findOne({ where: { guildId, number: ticketNumber }, attributes: ['typeName'] });
      if (!ticket) return null;
      await this.sequelize.query(
        'INSERT INTO feedback_counts (guild_id, type_name, rating, count) VALUES (:guildId, :typeName, :rating, 1) ON CONFLICT (guild_id, type_name, rating) DO UPDATE SET count = feedback_counts.count + 1',
        { replacements: { guildId, typeName: ticket.typeName, rating }, type: QueryTypes.INSERT },
      );
      return { typeName: ticket.typeName };
    });
  }

  /** A server's rating counts per type: counts[0] is the number of 1s, counts[4] of 5s. */
  async ratings(guildId: string): Promise<Map<string, number[]>> {
    const rows = await this.models.FeedbackCount.findAll({ where: { guildId } });
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
    const rows = await this.sequelize.query<{ rating: number; total: number | string }>(
      'SELECT rating, SUM(count) AS total FROM feedback_counts GROUP BY rating',
      { type: QueryTypes.SELECT },
    );
    const totals = [0, 0, 0, 0, 0];
    for (const row of rows) if (row.rating >= 1 && row.rating <= 5) totals[row.rating - 1] = Number(row.total);
    return totals;
  }

  /** The guild's tickets opened or closed since `since`: what /config stats computes from. */
  async ticketsSince(guildId: string, since: Date): Promise<StatsTicket[]> {
    const rows = await this.models.TicketRow.findAll({
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

  // ── data rights ────────────────────────────────────────────────────────

  /**
   * Erases a member's id from every record that carries it. The creator key (a keyed
   * hash, not the id) stays on the tickets that still count for the per-user limit or the
   * cooldown, so erasing one's id does not reset them; forgetSpentCreatorKeys drops it after.
   */
  privacyDelete(userId: string, now = new Date(), cooldownMs = 0): Promise<PrivacyErasure> {
    return this.write(() =>
      this.sequelize.transaction(async (transaction) => {
        const { TicketRow } = this.models;
        const tickets = await TicketRow.count({ where: { [Op.or]: [{ creatorId: userId }, { claimedBy: userId }, { closedBy: userId }] }, transaction });
        const openTickets = await TicketRow.count({ where: { creatorId: userId, status: [...ACTIVE] }, transaction });
        await TicketRow.update({ creatorId: null }, { where: { creatorId: userId }, transaction });
        await TicketRow.update({ claimedBy: null }, { where: { claimedBy: userId }, transaction });
        await TicketRow.update({ closedBy: null }, { where: { closedBy: userId }, transaction });
        await this.#forgetSpentCreatorKeys(now, cooldownMs, transaction);
        const blocked = await this.models.BlockRow.findAll({ where: { targetId: userId, kind: 'user' }, attributes: ['guildId'], transaction });
        await this.models.BlockRow.destroy({ where: { targetId: userId, kind: 'user' }, transaction });
        return { tickets, openTickets, blocklistGuildIds: [...new Set(blocked.map((row) => row.guildId))] };
      }),
    );
  }

  async #forgetSpentCreatorKeys(now: Date, cooldownMs: number, transaction?: Transaction): Promise<number> {
    const [count] = await this.models.TicketRow.update(
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
    return this.write(() => this.#forgetSpentCreatorKeys(now, cooldownMs));
  }

  async close(): Promise<void> {
    // Let a write in progress finish before the connections go.
    await this.write(async () => undefined);
    await this.sequelize.close();
  }
}
