/**
 * Online backup of the SQLite database, while config-service keeps running:
 *
 *   docker compose exec -T config-service node services/config-service/dist/backup.js > backup.sqlite
 *
 * SQLite's `VACUUM INTO` writes a consistent copy of the database (WAL included) into a
 * temporary file beside it; the copy goes to standard output and the file is removed.
 * Restoring is copying such a file back as the database (docs/operations.md).
 */
import { createReadStream, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import sqlite3 from 'sqlite3';
import { envSchema } from '@promton/shared/contracts';

function sqlitePath(databaseUrl: string): string {
  const rest = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length).replace(/^\/\//, '') : '';
  if (!rest || rest === ':memory:')
    throw new Error(`DATABASE_URL must name a SQLite file for this backup (it is ${databaseUrl.replace(/\/\/[^@]*@/, '//***@')})`);
  return resolve(rest);
}

function run(db: sqlite3.Database, sql: string, params: unknown[]): Promise<void> {
  return new Promise((ok, fail) => db.run(sql, params, (error) => (error ? fail(error) : ok())));
}

async function main(): Promise<void> {
  // Only DATABASE_URL matters here (the container's own, under `exec`).
  const path = sqlitePath(envSchema.pick({ DATABASE_URL: true }).parse(process.env).DATABASE_URL);
  const copy = join(dirname(path), `.backup-${process.pid}-${Date.now()}.sqlite`);
  const db = await new Promise<sqlite3.Database>((ok, fail) => {
    const opened: sqlite3.Database = new sqlite3.Database(path, sqlite3.OPEN_READONLY, (error) => (error ? fail(error) : ok(opened)));
  });
  try {
    db.configure('busyTimeout', 10_000);
    await run(db, 'VACUUM INTO ?', [copy]);
    await pipeline(createReadStream(copy), process.stdout);
  } finally {
    db.close();
    rmSync(copy, { force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`backup failed: ${error.message}\n`);
  process.exit(1);
});
