import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { startHarness, type Harness } from './support.js';

// SQLite only (the postgres project leaves out *.sqlite.test.ts).
describe('config-service on SQLite', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('opens SQLite in WAL mode with the pragmas on every connection', async () => {
    const sequelize = h.app.repo.sequelize;
    const [mode] = await sequelize.query<{ journal_mode: string }>('PRAGMA journal_mode', { type: QueryTypes.SELECT });
    expect(mode?.journal_mode).toBe('wal');
    // A transaction gets a new connection from Sequelize's sqlite dialect: the pragmas hold there too.
    await sequelize.transaction(async (transaction) => {
      const [timeout] = await sequelize.query<{ timeout: number }>('PRAGMA busy_timeout', { type: QueryTypes.SELECT, transaction });
      const [keys] = await sequelize.query<{ foreign_keys: number }>('PRAGMA foreign_keys', { type: QueryTypes.SELECT, transaction });
      const [sync] = await sequelize.query<{ synchronous: number }>('PRAGMA synchronous', { type: QueryTypes.SELECT, transaction });
      expect(timeout?.timeout).toBe(5000);
      expect(keys?.foreign_keys).toBe(1);
      expect(sync?.synchronous).toBe(1); // NORMAL
    });
  });
});
