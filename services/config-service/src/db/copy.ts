import { QueryTypes, type ModelStatic, type Model, type Sequelize } from 'sequelize';
import { appliedMigrations, migrate, migrationNames } from './migrations.js';
import { initModels } from './models.js';

export interface CopyReport {
  /** Rows copied per table, in copy order. */
  rows: Record<string, number>;
}

/** Rows read and written at a time. */
const BATCH = 1_000;

/**
 * Copies every row of a migrated database (the SQLite file config-service used) into an
 * empty one (Postgres), in one transaction on the target: the target ends up with all of
 * it or none of it. Auto-increment sequences are moved past the copied ids. The source is
 * only read.
 */
export async function copyDatabase(source: Sequelize, target: Sequelize): Promise<CopyReport> {
  const applied = await appliedMigrations(source);
  if (applied.join() !== migrationNames.join()) {
    throw new Error(
      `the source database has migrations [${applied.join(', ') || 'none'}] but this build has [${migrationNames.join(', ')}]: start config-service on it once (it migrates at start), then copy`,
    );
  }
  await migrate(target);
  const from = initModels(source);
  const to = initModels(target);
  // Parents before children (foreign keys).
  const tables: [string, ModelStatic<Model>, ModelStatic<Model>, string[]][] = [
    ['guild_settings', from.GuildSettings, to.GuildSettings, ['guildId']],
    ['ticket_types', from.TicketTypeRow, to.TicketTypeRow, ['id']],
    ['tickets', from.TicketRow, to.TicketRow, ['id']],
    ['daily_stats', from.DailyStat, to.DailyStat, ['day']],
    ['tags', from.TagRow, to.TagRow, ['id']],
    ['blocklist', from.BlockRow, to.BlockRow, ['id']],
    ['feedback_counts', from.FeedbackCount, to.FeedbackCount, ['guildId', 'typeName', 'rating']],
  ];
  for (const [table, , model] of tables) {
    if ((await model.count()) > 0) throw new Error(`the target database is not empty (${table} has rows): copy only into a new database`);
  }
  const rows: Record<string, number> = {};
  await target.transaction(async (transaction) => {
    for (const [table, read, write, keys] of tables) {
      rows[table] = 0;
      for (let offset = 0; ; offset += BATCH) {
        const batch = await read.findAll({ order: keys.map((key): [string, string] => [key, 'ASC']), limit: BATCH, offset });
        if (batch.length === 0) break;
        await write.bulkCreate(
          batch.map((row) => row.get({ plain: true })),
          { transaction },
        );
        rows[table] += batch.length;
      }
    }
    // The creator-key secret (keys stored on tickets were made with the source's one) and the feedback key (offers already sent stay valid).
    const secrets = await source.query<{ name: string; value: string }>('SELECT name, value FROM app_secrets', { type: QueryTypes.SELECT });
    await target.query('DELETE FROM app_secrets', { transaction });
    if (secrets.length) await target.getQueryInterface().bulkInsert('app_secrets', secrets, { transaction });
    rows.app_secrets = secrets.length;
    if (target.getDialect() === 'postgres') {
      for (const table of ['ticket_types', 'tickets', 'tags', 'blocklist']) {
        await target.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE((SELECT MAX(id) FROM ${table}), 0) + 1, false)`, {
          type: QueryTypes.SELECT,
          transaction,
        });
      }
    }
  });
  for (const [table, read, write] of tables) {
    const [had, has] = await Promise.all([read.count(), write.count()]);
    if (had !== has) throw new Error(`${table}: ${had} rows in the source but ${has} in the target after the copy`);
  }
  return { rows };
}
