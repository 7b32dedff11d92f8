import pg from 'pg';
import sqlite3 from 'sqlite3';

/** Opens the stack's SQLite file (a `sqlite:` URL) for one callback, then closes it. */
function withSqlite<T>(databaseUrl: string, mode: number, use: (db: sqlite3.Database, done: (error: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(databaseUrl.replace(/^sqlite:/, ''), mode, (openError) => {
      if (openError) return reject(openError);
      use(db, (error, value) => {
        db.close();
        if (error) reject(error);
        else resolve(value as T);
      });
    });
  });
}

const isPostgres = (databaseUrl: string) => /^postgres(ql)?:\/\//.test(databaseUrl);

/** One query on a short-lived Postgres connection; `?` placeholders become `$1`, `$2`… */
async function postgresQuery<T>(databaseUrl: string, sql: string, params: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let n = 0;
    const result = await client.query(
      sql.replace(/\?/g, () => `$${++n}`),
      params,
    );
    return result.rows as T[];
  } finally {
    await client.end();
  }
}

/** Rows of a read-only query, as tests check what config-service stored (SQLite or Postgres). */
export function queryRows<T>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  if (isPostgres(databaseUrl)) return postgresQuery<T>(databaseUrl, sql, params);
  return withSqlite(databaseUrl, sqlite3.OPEN_READONLY, (db, done) => db.all(sql, params, (error, rows) => done(error, rows as T[])));
}

/** One write, for tests that move time (a ticket's open) backwards. */
export async function runStatement(databaseUrl: string, sql: string, params: unknown[] = []): Promise<void> {
  if (isPostgres(databaseUrl)) {
    await postgresQuery(databaseUrl, sql, params);
    return;
  }
  return withSqlite(databaseUrl, sqlite3.OPEN_READWRITE, (db, done) => db.run(sql, params, (error) => done(error)));
}

/** Every row of every table as text, to look for (or rule out) a value anywhere in the database. */
export async function dumpDatabase(databaseUrl: string): Promise<string> {
  const tables = isPostgres(databaseUrl)
    ? await queryRows<{ name: string }>(databaseUrl, "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'")
    : await queryRows<{ name: string }>(databaseUrl, "SELECT name FROM sqlite_master WHERE type = 'table'");
  const parts = await Promise.all(tables.map(({ name }) => queryRows(databaseUrl, `SELECT * FROM "${name}"`)));
  return parts.map((rows) => JSON.stringify(rows)).join('\n');
}
