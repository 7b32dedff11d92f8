import type { TicketPriority } from '@promton/shared/contracts';
import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

// The tables are created by migrations.ts; these definitions only map them. The classes
// are row types; each Sequelize instance defines its own models (tests run several).

export class GuildSettings extends Model<InferAttributes<GuildSettings>, InferCreationAttributes<GuildSettings>> {
  declare guildId: string;
  declare logChannelId: CreationOptional<string | null>;
  declare logChannelProblem: CreationOptional<string | null>;
  declare transcripts: CreationOptional<boolean>;
  declare feedback: CreationOptional<boolean>;
  declare transcriptDm: CreationOptional<boolean>;
  declare language: CreationOptional<string | null>;
  declare titlePrefix: CreationOptional<string | null>;
  declare authorName: CreationOptional<string | null>;
  declare authorIconUrl: CreationOptional<string | null>;
  declare bannerUrl: CreationOptional<string | null>;
  declare color: CreationOptional<number | null>;
  declare footerText: CreationOptional<string | null>;
  declare ticketCounter: CreationOptional<number>;
  declare memberCount: CreationOptional<number>;
  declare leftAt: CreationOptional<Date | null>;
  declare updatedAt: Date;
}

export class TicketTypeRow extends Model<InferAttributes<TicketTypeRow>, InferCreationAttributes<TicketTypeRow>> {
  declare id: CreationOptional<number>;
  declare guildId: string;
  declare name: string;
  declare label: string;
  declare description: string | null;
  declare emoji: string | null;
  declare categoryId: string | null;
  /** JSON array of role ids. */
  declare staffRoleIds: string;
  declare welcomeMessage: string | null;
  declare perUserLimit: number;
  /** JSON array of questions. */
  declare questions: string;
  declare autoCloseHours: number | null;
  declare hoursTimeZone: string | null;
  declare hoursSchedule: string | null;
  declare hoursMode: string | null;
  declare threadChannelId: CreationOptional<string | null>;
  declare closeMode: CreationOptional<string>;
  declare archiveCategoryId: CreationOptional<string | null>;
  declare archiveDays: CreationOptional<number>;
  declare position: number;
}

export class TicketRow extends Model<InferAttributes<TicketRow>, InferCreationAttributes<TicketRow>> {
  declare id: CreationOptional<number>;
  declare guildId: string;
  declare number: number;
  declare typeName: string;
  declare creatorId: string | null;
  /** Keyed hash of guild and creator: what the per-user limit and the cooldown count by. */
  declare creatorKey: CreationOptional<string | null>;
  declare channelId: CreationOptional<string | null>;
  declare status: 'opening' | 'open' | 'closed';
  declare claimedBy: CreationOptional<string | null>;
  declare createdAt: Date;
  declare closedAt: CreationOptional<Date | null>;
  declare closedBy: CreationOptional<string | null>;
  declare closeReason: CreationOptional<string | null>;
  declare welcomeMessageId: CreationOptional<string | null>;
  declare openingInteractionId: string | null;
  declare priority: CreationOptional<TicketPriority>;
  /** When someone other than the member and the bot first wrote in the channel (measured at close). */
  declare firstReplyAt: CreationOptional<Date | null>;
  declare isThread: CreationOptional<boolean>;
  declare archivedAt: CreationOptional<Date | null>;
  declare reopenedAt: CreationOptional<Date | null>;
}

export class TagRow extends Model<InferAttributes<TagRow>, InferCreationAttributes<TagRow>> {
  declare id: CreationOptional<number>;
  declare guildId: string;
  declare name: string;
  declare content: string;
  declare position: number;
}

/** One blocked member (`user`) or role (`role`) of a guild. */
export class BlockRow extends Model<InferAttributes<BlockRow>, InferCreationAttributes<BlockRow>> {
  declare id: CreationOptional<number>;
  declare guildId: string;
  declare targetId: string;
  declare kind: 'user' | 'role';
}

export class FeedbackCount extends Model<InferAttributes<FeedbackCount>, InferCreationAttributes<FeedbackCount>> {
  declare guildId: string;
  declare typeName: string;
  declare rating: number;
  declare count: number;
}

export class DailyStat extends Model<InferAttributes<DailyStat>, InferCreationAttributes<DailyStat>> {
  declare day: string;
  declare opened: CreationOptional<number>;
  declare closed: CreationOptional<number>;
}

export interface Models {
  GuildSettings: ModelStatic<GuildSettings>;
  TicketTypeRow: ModelStatic<TicketTypeRow>;
  TicketRow: ModelStatic<TicketRow>;
  DailyStat: ModelStatic<DailyStat>;
  TagRow: ModelStatic<TagRow>;
  BlockRow: ModelStatic<BlockRow>;
  FeedbackCount: ModelStatic<FeedbackCount>;
}

const common = { underscored: true, timestamps: false, freezeTableName: true } as const;

export function initModels(sequelize: Sequelize): Models {
  const id = () => DataTypes.STRING(20);
  const GuildSettingsModel = sequelize.define<GuildSettings>(
    'GuildSettings',
    {
      guildId: { type: id(), primaryKey: true },
      logChannelId: { type: id(), allowNull: true },
      logChannelProblem: { type: DataTypes.STRING(512), allowNull: true },
      transcripts: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      feedback: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      transcriptDm: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      language: { type: DataTypes.STRING(16), allowNull: true },
      titlePrefix: { type: DataTypes.STRING(256), allowNull: true },
      authorName: { type: DataTypes.STRING(256), allowNull: true },
      authorIconUrl: { type: DataTypes.STRING(2048), allowNull: true },
      bannerUrl: { type: DataTypes.STRING(2048), allowNull: true },
      color: { type: DataTypes.INTEGER, allowNull: true },
      footerText: { type: DataTypes.STRING(2048), allowNull: true },
      ticketCounter: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      memberCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      leftAt: { type: DataTypes.DATE, allowNull: true },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'guild_settings', ...common },
  );
  const TicketTypeRowModel = sequelize.define<TicketTypeRow>(
    'TicketTypeRow',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      guildId: { type: id(), allowNull: false },
      name: { type: DataTypes.STRING(32), allowNull: false },
      label: { type: DataTypes.STRING(80), allowNull: false },
      description: { type: DataTypes.STRING(100), allowNull: true },
      emoji: { type: DataTypes.STRING(100), allowNull: true },
      categoryId: { type: id(), allowNull: true },
      staffRoleIds: { type: DataTypes.TEXT, allowNull: false },
      welcomeMessage: { type: DataTypes.TEXT, allowNull: true },
      perUserLimit: { type: DataTypes.INTEGER, allowNull: false },
      questions: { type: DataTypes.TEXT, allowNull: false },
      autoCloseHours: { type: DataTypes.INTEGER, allowNull: true },
      hoursTimeZone: { type: DataTypes.STRING(64), allowNull: true },
      hoursSchedule: { type: DataTypes.STRING(200), allowNull: true },
      hoursMode: { type: DataTypes.STRING(8), allowNull: true },
      threadChannelId: { type: id(), allowNull: true },
      closeMode: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'delete' },
      archiveCategoryId: { type: id(), allowNull: true },
      archiveDays: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 7 },
      position: { type: DataTypes.INTEGER, allowNull: false },
    },
    { tableName: 'ticket_types', ...common },
  );
  const TicketRowModel = sequelize.define<TicketRow>(
    'TicketRow',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      guildId: { type: id(), allowNull: false },
      number: { type: DataTypes.INTEGER, allowNull: false },
      typeName: { type: DataTypes.STRING(32), allowNull: false },
      creatorId: { type: id(), allowNull: true },
      creatorKey: { type: DataTypes.STRING(64), allowNull: true },
      channelId: { type: id(), allowNull: true },
      status: { type: DataTypes.STRING(10), allowNull: false },
      claimedBy: { type: id(), allowNull: true },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      closedAt: { type: DataTypes.DATE, allowNull: true },
      closedBy: { type: id(), allowNull: true },
      closeReason: { type: DataTypes.TEXT, allowNull: true },
      welcomeMessageId: { type: id(), allowNull: true },
      openingInteractionId: { type: DataTypes.STRING(32), allowNull: true },
      priority: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'normal' },
      firstReplyAt: { type: DataTypes.DATE, allowNull: true },
      isThread: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      archivedAt: { type: DataTypes.DATE, allowNull: true },
      reopenedAt: { type: DataTypes.DATE, allowNull: true },
    },
    { tableName: 'tickets', ...common },
  );
  const DailyStatModel = sequelize.define<DailyStat>(
    'DailyStat',
    {
      day: { type: DataTypes.STRING(10), primaryKey: true },
      opened: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      closed: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    { tableName: 'daily_stats', ...common },
  );
  const TagRowModel = sequelize.define<TagRow>(
    'TagRow',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      guildId: { type: id(), allowNull: false },
      name: { type: DataTypes.STRING(32), allowNull: false },
      content: { type: DataTypes.TEXT, allowNull: false },
      position: { type: DataTypes.INTEGER, allowNull: false },
    },
    { tableName: 'tags', ...common },
  );
  const BlockRowModel = sequelize.define<BlockRow>(
    'BlockRow',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      guildId: { type: id(), allowNull: false },
      targetId: { type: id(), allowNull: false },
      kind: { type: DataTypes.STRING(4), allowNull: false },
    },
    { tableName: 'blocklist', ...common },
  );
  const FeedbackCountModel = sequelize.define<FeedbackCount>(
    'FeedbackCount',
    {
      guildId: { type: id(), primaryKey: true },
      typeName: { type: DataTypes.STRING(32), primaryKey: true },
      rating: { type: DataTypes.INTEGER, primaryKey: true },
      count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    { tableName: 'feedback_counts', ...common },
  );
  return {
    GuildSettings: GuildSettingsModel,
    TicketTypeRow: TicketTypeRowModel,
    TicketRow: TicketRowModel,
    DailyStat: DailyStatModel,
    TagRow: TagRowModel,
    BlockRow: BlockRowModel,
    FeedbackCount: FeedbackCountModel,
  };
}
