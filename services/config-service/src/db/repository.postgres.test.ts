import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { createPostgresDatabase, type TestDatabase } from '../../../../scripts/stack/test-database.js';
import { migrate } from './migrations.js';
import { Repository } from './repository.js';
import { createSequelize } from './sequelize.js';

// Postgres only: two config-service replicas (two Repositories, each with its own pool) on one
// new database, taking turns through the advisory locks as the replicas of a deployment do.
const GUILD = '200000000000000001';
const OTHER_GUILD = '200000000000000002';

let database: TestDatabase;
let one: Repository;
let two: Repository;

beforeAll(async () => {
  database = await createPostgresDatabase();
  const sequelize = createSequelize(database.url);
  await migrate(sequelize);
  await sequelize.close();
});

afterAll(async () => {
  await database?.drop();
});

beforeEach(() => {
  one = new Repository(createSequelize(database.url));
  two = new Repository(createSequelize(database.url));
});

afterEach(async () => {
  await Promise.all([one.close(), two.close()]);
});

/** Sessions of this database waiting for an advisory lock another one holds. */
async function lockWaiters(): Promise<number> {
  const [row] = await one.sequelize.query<{ waiting: string }>(
    `SELECT count(*) AS waiting FROM pg_locks
      WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    { type: QueryTypes.SELECT },
  );
  return Number(row!.waiting);
}

type Section = (section: () => Promise<void>) => Promise<void>;

/**
 * `held` (on one replica) enters and stays until released; meanwhile `waits` (on the other)
 * must not start: it is seen waiting for the lock, then runs once `held` is done. `beside`
 * sections (other replica, other locks) run to their end while `held` is still held.
 */
async function expectTurns(held: Section, waits: Section, beside: Section[]): Promise<void> {
  const order: string[] = [];
  let entered!: () => void;
  let release!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const first = held(async () => {
    entered();
    await gate;
    order.push('held');
  });
  // Fails here, not by a timeout, should the section fail to get its lock.
  await Promise.race([inside, first]);
  let settled = false;
  const second = waits(async () => {
    order.push('waited');
  }).finally(() => (settled = true));
  // Until the second section either ends (wrongly) or is seen queued behind the lock.
  let queued = false;
  while (!settled && !queued) queued = (await lockWaiters()) > 0;
  expect({ order, queued }).toEqual({ order: [], queued: true });
  for (const [i, section] of beside.entries()) {
    await section(async () => {
      order.push(`beside ${i + 1}`);
    });
  }
  release();
  await Promise.all([first, second]);
  expect(order).toEqual([...beside.map((_, i) => `beside ${i + 1}`), 'held', 'waited']);
}

describe('Repository locks across replicas (Postgres)', () => {
  it('runs a guild’s write sections one at a time across replicas, other guilds’ and the cross-guild writer beside them', async () => {
    await expectTurns(
      (section) => one.writeGuild(GUILD, section),
      (section) => two.writeGuild(GUILD, section),
      [(section) => two.writeGuild(OTHER_GUILD, section), (section) => two.write(section)],
    );
  });

  it('runs the cross-guild write sections one at a time across replicas, guilds’ writes beside them', async () => {
    await expectTurns(
      (section) => one.write(section),
      (section) => two.write(section),
      [(section) => two.writeGuild(GUILD, section)],
    );
  });

  it('runs a guild’s configuration sections one at a time across replicas; its writes, and other guilds’ configuration, beside them', async () => {
    await expectTurns(
      (section) => one.configLock.run(GUILD, section),
      (section) => two.configLock.run(GUILD, section),
      [(section) => two.configLock.run(OTHER_GUILD, section), (section) => two.writeGuild(GUILD, section), (section) => one.writeGuild(GUILD, section)],
    );
  });

  it('answers each section’s own result, and its error, through the lock', async () => {
    expect(await one.writeGuild(GUILD, async () => 'guild')).toBe('guild');
    expect(await one.write(async () => 'global')).toBe('global');
    expect(await one.configLock.run(GUILD, async () => 'config')).toBe('config');
    await expect(two.configLock.run(GUILD, async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    // The lock went with the failed section's transaction: the next one gets it.
    expect(await two.configLock.run(GUILD, async () => 'next')).toBe('next');
  });
});
