import { randomBytes } from 'node:crypto';
import { DataTypes, QueryTypes, type QueryInterface, type Sequelize } from 'sequelize';
import { creatorKey } from '../domain/creator-key.js';
import { SequelizeStorage, Umzug, type RunnableMigration } from 'umzug';

type Migration = RunnableMigration<QueryInterface>;

const snowflake = () => DataTypes.STRING(20);

/**
 * Schema migrations, in code, applied in order and recorded in SequelizeMeta.
 * Never edit a shipped migration: add the next one.
 */
const migrations: Migration[] = [
  {
    name: '0001-initial',
    async up({ context: qi }) {
      await qi.createTable('guild_settings', {
        guild_id: { type: snowflake(), primaryKey: true },
        log_channel_id: { type: snowflake(), allowNull: true },
        log_channel_problem: { type: DataTypes.STRING(512), allowNull: true },
        transcripts: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        title_prefix: { type: DataTypes.STRING(256), allowNull: true },
        author_name: { type: DataTypes.STRING(256), allowNull: true },
        author_icon_url: { type: DataTypes.STRING(2048), allowNull: true },
        banner_url: { type: DataTypes.STRING(2048), allowNull: true },
        color: { type: DataTypes.INTEGER, allowNull: true },
        footer_text: { type: DataTypes.STRING(2048), allowNull: true },
        ticket_counter: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        member_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        left_at: { type: DataTypes.DATE, allowNull: true },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      });
      await qi.createTable('ticket_types', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        guild_id: { type: snowflake(), allowNull: false, references: { model: 'guild_settings', key: 'guild_id' }, onDelete: 'CASCADE' },
        name: { type: DataTypes.STRING(32), allowNull: false },
        label: { type: DataTypes.STRING(80), allowNull: false },
        description: { type: DataTypes.STRING(100), allowNull: true },
        emoji: { type: DataTypes.STRING(100), allowNull: true },
        category_id: { type: snowflake(), allowNull: true },
        staff_role_ids: { type: DataTypes.TEXT, allowNull: false, defaultValue: '[]' },
        welcome_message: { type: DataTypes.TEXT, allowNull: true },
        per_user_limit: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        questions: { type: DataTypes.TEXT, allowNull: false, defaultValue: '[]' },
        auto_close_hours: { type: DataTypes.INTEGER, allowNull: true },
        position: { type: DataTypes.INTEGER, allowNull: false },
      });
      await qi.addIndex('ticket_types', ['guild_id', 'name'], { unique: true, name: 'ticket_types_guild_name' });
      await qi.createTable('tickets', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        guild_id: { type: snowflake(), allowNull: false, references: { model: 'guild_settings', key: 'guild_id' }, onDelete: 'CASCADE' },
        number: { type: DataTypes.INTEGER, allowNull: false },
        type_name: { type: DataTypes.STRING(32), allowNull: false },
        creator_id: { type: snowflake(), allowNull: true },
        channel_id: { type: snowflake(), allowNull: true },
        status: { type: DataTypes.STRING(10), allowNull: false },
        claimed_by: { type: snowflake(), allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        closed_at: { type: DataTypes.DATE, allowNull: true },
        closed_by: { type: snowflake(), allowNull: true },
        close_reason: { type: DataTypes.TEXT, allowNull: true },
        welcome_message_id: { type: snowflake(), allowNull: true },
        opening_interaction_id: { type: DataTypes.STRING(32), allowNull: true, unique: true },
      });
      await qi.addIndex('tickets', ['guild_id', 'number'], { unique: true, name: 'tickets_guild_number' });
      await qi.addIndex('tickets', ['guild_id', 'channel_id'], { name: 'tickets_guild_channel' });
      await qi.addIndex('tickets', ['guild_id', 'type_name', 'creator_id', 'status'], { name: 'tickets_open_per_user' });
      await qi.addIndex('tickets', ['creator_id'], { name: 'tickets_creator' });
      await qi.addIndex('tickets', ['claimed_by'], { name: 'tickets_claimed_by' });
      await qi.addIndex('tickets', ['closed_by'], { name: 'tickets_closed_by' });
      await qi.createTable('daily_stats', {
        day: { type: DataTypes.STRING(10), primaryKey: true },
        opened: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        closed: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      });
    },
    async down({ context: qi }) {
      for (const table of ['daily_stats', 'tickets', 'ticket_types', 'guild_settings']) await qi.dropTable(table);
    },
  },
  {
    // The per-user limit and the cooldown count by a keyed hash of the creator, which
    // /privacy delete leaves in place while it still counts (see Repository.privacyDelete).
    name: '0002-creator-key',
    async up({ context: qi }) {
      await qi.createTable('app_secrets', {
        name: { type: DataTypes.STRING(32), primaryKey: true },
        value: { type: DataTypes.STRING(128), allowNull: false },
      });
      const secret = randomBytes(32).toString('hex');
      await qi.bulkInsert('app_secrets', [{ name: 'creator-key', value: secret }]);
      await qi.addColumn('tickets', 'creator_key', { type: DataTypes.STRING(64), allowNull: true });
      const rows = await qi.sequelize.query<{ guild_id: string; creator_id: string }>(
        'SELECT DISTINCT guild_id, creator_id FROM tickets WHERE creator_id IS NOT NULL',
        { type: QueryTypes.SELECT },
      );
      for (const row of rows) {
        await qi.bulkUpdate(
          'tickets',
          { creator_key: creatorKey(secret, row.guild_id, row.creator_id) },
          { guild_id: row.guild_id, creator_id: row.creator_id },
        );
      }
      await qi.addIndex('tickets', ['guild_id', 'type_name', 'creator_key', 'status'], { name: 'tickets_open_per_key' });
      await qi.addIndex('tickets', ['guild_id', 'creator_key', 'created_at'], { name: 'tickets_last_per_key' });
    },
    async down({ context: qi }) {
      await qi.removeIndex('tickets', 'tickets_last_per_key');
      await qi.removeIndex('tickets', 'tickets_open_per_key');
      await qi.removeColumn('tickets', 'creator_key');
      await qi.dropTable('app_secrets');
    },
  },
  {
    // Staff tools: tags (canned replies), the blocklist (member and role ids that may not
    // open tickets) and a ticket's priority.
    name: '0003-staff-tools',
    async up({ context: qi }) {
      await qi.createTable('tags', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        guild_id: { type: snowflake(), allowNull: false, references: { model: 'guild_settings', key: 'guild_id' }, onDelete: 'CASCADE' },
        name: { type: DataTypes.STRING(32), allowNull: false },
        content: { type: DataTypes.TEXT, allowNull: false },
        position: { type: DataTypes.INTEGER, allowNull: false },
      });
      await qi.addIndex('tags', ['guild_id', 'name'], { unique: true, name: 'tags_guild_name' });
      await qi.createTable('blocklist', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        guild_id: { type: snowflake(), allowNull: false, references: { model: 'guild_settings', key: 'guild_id' }, onDelete: 'CASCADE' },
        target_id: { type: snowflake(), allowNull: false },
        kind: { type: DataTypes.STRING(4), allowNull: false },
      });
      await qi.addIndex('blocklist', ['guild_id', 'target_id'], { unique: true, name: 'blocklist_guild_target' });
      // /privacy export and delete find a member's entries on every server.
      await qi.addIndex('blocklist', ['target_id'], { name: 'blocklist_target' });
      await qi.addColumn('tickets', 'priority', { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'normal' });
    },
    async down({ context: qi }) {
      await qi.removeColumn('tickets', 'priority');
      await qi.dropTable('blocklist');
      await qi.dropTable('tags');
    },
  },
  {
    // Support hours per type, feedback on/off per server, the anonymous rating counts and
    // their signing key, and when a ticket's first reply by someone else than its member came.
    name: '0004-hours-feedback-stats',
    async up({ context: qi }) {
      await qi.addColumn('ticket_types', 'hours_time_zone', { type: DataTypes.STRING(64), allowNull: true });
      await qi.addColumn('ticket_types', 'hours_schedule', { type: DataTypes.STRING(200), allowNull: true });
      await qi.addColumn('ticket_types', 'hours_mode', { type: DataTypes.STRING(8), allowNull: true });
      await qi.addColumn('guild_settings', 'feedback', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
      await qi.addColumn('tickets', 'first_reply_at', { type: DataTypes.DATE, allowNull: true });
      await qi.addIndex('tickets', ['guild_id', 'created_at'], { name: 'tickets_guild_created' });
      await qi.addIndex('tickets', ['guild_id', 'closed_at'], { name: 'tickets_guild_closed' });
      // One row per server, type and rating: a count, nothing about who rated.
      await qi.createTable('feedback_counts', {
        guild_id: { type: snowflake(), primaryKey: true, references: { model: 'guild_settings', key: 'guild_id' }, onDelete: 'CASCADE' },
        type_name: { type: DataTypes.STRING(32), primaryKey: true },
        rating: { type: DataTypes.INTEGER, primaryKey: true },
        count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      });
      await qi.bulkInsert('app_secrets', [{ name: 'feedback-key', value: randomBytes(32).toString('hex') }]);
    },
    async down({ context: qi }) {
      await qi.bulkDelete('app_secrets', { name: 'feedback-key' });
      await qi.dropTable('feedback_counts');
      await qi.removeIndex('tickets', 'tickets_guild_closed');
      await qi.removeIndex('tickets', 'tickets_guild_created');
      await qi.removeColumn('tickets', 'first_reply_at');
      await qi.removeColumn('guild_settings', 'feedback');
      for (const column of ['hours_mode', 'hours_schedule', 'hours_time_zone']) await qi.removeColumn('ticket_types', column);
    },
  },
  {
    // The server language an admin chose with /config language set (a Discord locale); null follows guild_locale.
    name: '0005-guild-language',
    async up({ context: qi }) {
      await qi.addColumn('guild_settings', 'language', { type: DataTypes.STRING(16), allowNull: true });
    },
    async down({ context: qi }) {
      await qi.removeColumn('guild_settings', 'language');
    },
  },
  {
    // Thread tickets: the channel a type opens its private threads in, and whether a ticket is one.
    name: '0006-thread-tickets',
    async up({ context: qi }) {
      await qi.addColumn('ticket_types', 'thread_channel_id', { type: snowflake(), allowNull: true });
      await qi.addColumn('tickets', 'is_thread', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
    },
    async down({ context: qi }) {
      await qi.removeColumn('tickets', 'is_thread');
      await qi.removeColumn('ticket_types', 'thread_channel_id');
    },
  },
  {
    // Close mode per type (delete, or archive into a category for some days), the member's
    // transcript by DM per server, and when a closed ticket's channel was archived.
    name: '0007-archive-on-close',
    async up({ context: qi }) {
      await qi.addColumn('ticket_types', 'close_mode', { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'delete' });
      await qi.addColumn('ticket_types', 'archive_category_id', { type: snowflake(), allowNull: true });
      await qi.addColumn('ticket_types', 'archive_days', { type: DataTypes.INTEGER, allowNull: false, defaultValue: 7 });
      await qi.addColumn('guild_settings', 'transcript_dm', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
      await qi.addColumn('tickets', 'archived_at', { type: DataTypes.DATE, allowNull: true });
    },
    async down({ context: qi }) {
      await qi.removeColumn('tickets', 'archived_at');
      await qi.removeColumn('guild_settings', 'transcript_dm');
      for (const column of ['archive_days', 'archive_category_id', 'close_mode']) await qi.removeColumn('ticket_types', column);
    },
  },
  {
    // When staff last reopened an archived ticket: auto-close counts its quiet hours from then, not from the open.
    name: '0008-ticket-reopened-at',
    async up({ context: qi }) {
      await qi.addColumn('tickets', 'reopened_at', { type: DataTypes.DATE, allowNull: true });
    },
    async down({ context: qi }) {
      await qi.removeColumn('tickets', 'reopened_at');
    },
  },
];

/** Names of the migrations this build knows, in order. */
export const migrationNames = migrations.map((m) => m.name);

/** Advisory lock held while migrating Postgres: replicas starting together migrate once. */
const MIGRATION_LOCK_KEY = '1886549101'; // 0x7072746d, "prtm"

export async function migrate(sequelize: Sequelize): Promise<void> {
  const umzug = new Umzug({
    migrations,
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize }),
    logger: undefined,
  });
  if (sequelize.getDialect() !== 'postgres') {
    await umzug.up();
    return;
  }
  await sequelize.transaction(async (transaction) => {
    await sequelize.query('SELECT pg_advisory_xact_lock(CAST(:key AS bigint))', {
      replacements: { key: MIGRATION_LOCK_KEY },
      type: QueryTypes.SELECT,
      transaction,
    });
    await umzug.up();
  });
}

/** Migrations recorded as applied in the database (none when it was never migrated). */
export async function appliedMigrations(sequelize: Sequelize): Promise<string[]> {
  if (!(await sequelize.getQueryInterface().tableExists('SequelizeMeta'))) return [];
  const rows = await sequelize.query<{ name: string }>('SELECT name FROM "SequelizeMeta" ORDER BY name', { type: QueryTypes.SELECT });
  return rows.map((row) => row.name);
}
