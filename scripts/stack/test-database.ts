import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';

/**
 * The database engine a test run uses: `TEST_DATABASE=postgres` (set by the `postgres`
 * vitest project) or SQLite. Each test database is new and is dropped by whoever made it.
 */
export type DatabaseKind = 'sqlite' | 'postgres';

export function testDatabaseKind(): DatabaseKind {
  return process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
}

/** A server where the postgres user may create databases (trust auth on these machines). */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  kind: DatabaseKind;
  /** A DATABASE_URL for config-service. */
  url: string;
  /** Drops it (Postgres); SQLite files go with their folder. */
  drop(): Promise<void>;
}

async function admin<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Whether the Postgres server answers (the test summary says "skipped" when not). */
export async function postgresReachable(): Promise<boolean> {
  try {
    await admin((client) => client.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

/** A new, empty Postgres database with a name no other run shares. */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `promton_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    url: url.toString(),
    // FORCE: a process killed by a test may still hold a connection.
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** The run's database: a new Postgres database, or a SQLite file in `folder`. */
export async function createTestDatabase(folder: string, kind = testDatabaseKind()): Promise<TestDatabase> {
  if (kind === 'postgres') return createPostgresDatabase();
  return { kind, url: `sqlite:${join(folder, 'promton-tickets.sqlite')}`, drop: async () => undefined };
}
