import { Op, type Transaction } from 'sequelize';
import {
  ConfigLimits,
  guildConfigSchema,
  type Blocklist,
  type EmbedCustomization,
  type GuildConfig,
  type Tag,
  type TicketType,
} from '@promton/shared/contracts';
import type { ConfigExport } from '../domain/import-config.js';
import type { BlockRow, GuildSettings, TicketTypeRow } from './models.js';
import type { Repository } from './repository.js';

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
    threadChannelId: row.threadChannelId ?? null,
    closeMode: row.closeMode === 'archive' ? 'archive' : 'delete',
    archiveCategoryId: row.archiveCategoryId ?? null,
    archiveDays: row.archiveDays ?? ConfigLimits.archiveDaysDefault,
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

/** A server's configuration (settings, ticket types, tags, blocklist) and its presence: joined, left, purged. */
export class GuildStore {
  constructor(private readonly db: Repository) {}

  async loadConfig(guildId: string): Promise<GuildConfig> {
    const [settings, types, tags, blocked] = await Promise.all([
      this.db.models.GuildSettings.findByPk(guildId),
      this.db.models.TicketTypeRow.findAll({ where: { guildId }, order: [['position', 'ASC']] }),
      this.db.models.TagRow.findAll({ where: { guildId }, order: [['position', 'ASC']] }),
      this.db.models.BlockRow.findAll({ where: { guildId }, order: [['id', 'ASC']] }),
    ]);
    return guildConfigSchema.parse({
      v: 1,
      guildId,
      logChannelId: settings?.logChannelId ?? null,
      logChannelProblem: settings?.logChannelProblem ?? null,
      transcripts: settings?.transcripts ?? false,
      feedback: settings?.feedback ?? false,
      transcriptDm: settings?.transcriptDm ?? false,
      language: settings?.language ?? null,
      embed: embedOf(settings),
      types: types.map(toType),
      tags: tags.map((row) => ({ name: row.name, content: row.content })),
      blocklist: blocklistOf(blocked),
      updatedAt: (settings?.updatedAt ? new Date(settings.updatedAt) : new Date()).toISOString(),
    });
  }

  async guildIds(): Promise<string[]> {
    const rows = await this.db.models.GuildSettings.findAll({ attributes: ['guildId'] });
    return rows.map((row) => row.guildId);
  }

  /** Guilds the bot left (their purge is pending), with when. */
  async leftGuilds(): Promise<{ guildId: string; leftAt: Date }[]> {
    const rows = await this.db.models.GuildSettings.findAll({ attributes: ['guildId', 'leftAt'], where: { leftAt: { [Op.not]: null } } });
    return rows.map((row) => ({ guildId: row.guildId, leftAt: new Date(row.leftAt!) }));
  }

  // ── guild lifecycle ────────────────────────────────────────────────────

  guildJoined(guildId: string, memberCount: number): Promise<void> {
    return this.db.writeGuild(guildId, async () => {
      const settings = await this.db.ensureGuild(guildId);
      await settings.update({ memberCount, leftAt: null });
    });
  }

  guildLeft(guildId: string, now = new Date()): Promise<void> {
    return this.db.writeGuild(guildId, async () => {
      const settings = await this.db.ensureGuild(guildId);
      await settings.update({ leftAt: now });
    });
  }

  /** Deletes every row of a guild the bot is still out of; false when it came back. */
  purgeGuild(guildId: string): Promise<boolean> {
    return this.db.writeGuild(guildId, async () => {
      const settings = await this.db.models.GuildSettings.findByPk(guildId);
      if (!settings || settings.leftAt === null) return false;
      await this.db.sequelize.transaction(async (transaction) => {
        await this.db.models.TicketRow.destroy({ where: { guildId }, transaction });
        await this.db.models.FeedbackCount.destroy({ where: { guildId }, transaction });
        await this.db.models.TicketTypeRow.destroy({ where: { guildId }, transaction });
        await this.db.models.TagRow.destroy({ where: { guildId }, transaction });
        await this.db.models.BlockRow.destroy({ where: { guildId }, transaction });
        await this.db.models.GuildSettings.destroy({ where: { guildId }, transaction });
      });
      return true;
    });
  }

  // ── configuration writes ───────────────────────────────────────────────

  async #writeTypes(guildId: string, types: readonly TicketType[], transaction: Transaction): Promise<void> {
    await this.db.models.TicketTypeRow.destroy({ where: { guildId }, transaction });
    await this.db.models.TicketTypeRow.bulkCreate(
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
        threadChannelId: type.threadChannelId,
        closeMode: type.closeMode,
        archiveCategoryId: type.archiveCategoryId,
        archiveDays: type.archiveDays,
        position,
      })),
      { transaction },
    );
  }

  /** Replaces the guild's types (at most 5 rows) in one transaction. */
  replaceTypes(guildId: string, types: readonly TicketType[], now = new Date()): Promise<void> {
    return this.db.writeGuild(guildId, () =>
      this.db.sequelize.transaction(async (transaction) => {
        const settings = await this.db.ensureGuild(guildId, transaction);
        await this.#writeTypes(guildId, types, transaction);
        await settings.update({ updatedAt: now }, { transaction });
      }),
    );
  }

  async #writeTags(guildId: string, tags: readonly Tag[], transaction: Transaction): Promise<void> {
    await this.db.models.TagRow.destroy({ where: { guildId }, transaction });
    await this.db.models.TagRow.bulkCreate(
      tags.map((tag, position) => ({ guildId, name: tag.name, content: tag.content, position })),
      { transaction },
    );
  }

  async #writeBlocklist(guildId: string, blocklist: Blocklist, transaction: Transaction): Promise<void> {
    await this.db.models.BlockRow.destroy({ where: { guildId }, transaction });
    await this.db.models.BlockRow.bulkCreate(
      [
        ...blocklist.userIds.map((targetId) => ({ guildId, targetId, kind: 'user' as const })),
        ...blocklist.roleIds.map((targetId) => ({ guildId, targetId, kind: 'role' as const })),
      ],
      { transaction },
    );
  }

  /** Replaces the guild's tags (at most 50 rows) in one transaction. */
  replaceTags(guildId: string, tags: readonly Tag[], now = new Date()): Promise<void> {
    return this.db.writeGuild(guildId, () =>
      this.db.sequelize.transaction(async (transaction) => {
        const settings = await this.db.ensureGuild(guildId, transaction);
        await this.#writeTags(guildId, tags, transaction);
        await settings.update({ updatedAt: now }, { transaction });
      }),
    );
  }

  /** Replaces the guild's blocklist in one transaction. */
  replaceBlocklist(guildId: string, blocklist: Blocklist, now = new Date()): Promise<void> {
    return this.db.writeGuild(guildId, () =>
      this.db.sequelize.transaction(async (transaction) => {
        const settings = await this.db.ensureGuild(guildId, transaction);
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
        | 'transcriptDm'
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
    return this.db.writeGuild(guildId, async () => {
      const settings = await this.db.ensureGuild(guildId);
      await settings.update({ ...fields, updatedAt: now });
    });
  }

  setEmbed(guildId: string, embed: EmbedCustomization, now = new Date()): Promise<void> {
    return this.updateSettings(guildId, { ...embed }, now);
  }

  /** Replaces the whole configuration atomically (ticket counter and member count are kept). */
  importConfig(guildId: string, data: ConfigExport, now = new Date()): Promise<void> {
    return this.db.writeGuild(guildId, () =>
      this.db.sequelize.transaction(async (transaction) => {
        const settings = await this.db.ensureGuild(guildId, transaction);
        await settings.update(
          {
            logChannelId: data.logChannelId,
            logChannelProblem: null,
            transcripts: data.transcripts,
            feedback: data.feedback,
            transcriptDm: data.transcriptDm,
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
}
