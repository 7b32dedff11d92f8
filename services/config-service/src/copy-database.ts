/**
 * Copies config-service's SQLite database into a new Postgres database:
 *
 *   npm run copy-database -w services/config-service -- <from DATABASE_URL> <to DATABASE_URL>
 *
 * Stop config-service first (the copy is of the file as it is when it starts).
 */
import { copyDatabase } from './db/copy.js';
import { createSequelize } from './db/sequelize.js';

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('usage: copy-database <from DATABASE_URL (sqlite:…)> <to DATABASE_URL (postgres://…)>');
  process.exit(2);
}
const source = createSequelize(from);
const target = createSequelize(to);
try {
  const report = await copyDatabase(source, target);
  console.log(
    `copied ${Object.entries(report.rows)
      .map(([table, n]) => `${table}: ${n}`)
      .join(', ')}`,
  );
} catch (error) {
  console.error(`❌ copy failed, no row written: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await Promise.allSettled([source.close(), target.close()]);
}
