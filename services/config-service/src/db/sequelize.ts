import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Sequelize } from 'sequelize';
import { sqliteDialectModule } from './sqlite-dialect.js';

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
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return new Sequelize(databaseUrl, { dialect: 'postgres', logging: false });
  throw new Error('DATABASE_URL must start with sqlite: or postgres://');
}
