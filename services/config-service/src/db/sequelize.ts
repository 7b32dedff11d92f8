import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Sequelize } from 'sequelize';
import { sqliteDialectModule } from './sqlite-dialect.js';

/** Connections per config-service replica. */
export const POSTGRES_POOL_MAX = 26;

/**
 * DATABASE_URL: `sqlite:<path>` (relative to the working directory), `sqlite::memory:`,
 * or a postgres URL passed to Sequelize as is.
 */
export function createSequelize(databaseUrl: string): Sequelize {
  if (databaseUrl.startsWith('sqlite:')) {
    const rest = databaseUrl.slice('sqlite:'.length).replace(/^\/\//, '');
    const storage = rest === ':memory:' || rest === '' ? ':memory:' : resolve(rest);
    if (storage !== ':memory:') mkdirSync(dirname(storage), { recursive: true });
    return new Sequelize({ dialect: 'sqlite', storage, dialectModule: sqliteDialectModule, logging: false });
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    // A job may hold a connection for its guild's configuration lock and one for its write
    // lock while its queries take a third: three per job at the worker's concurrency (8),
    // or the pool could starve.
    return new Sequelize(databaseUrl, { dialect: 'postgres', logging: false, pool: { max: POSTGRES_POOL_MAX, min: 0, idle: 10_000 } });
  }
  throw new Error('DATABASE_URL must start with sqlite: or postgres://');
}
