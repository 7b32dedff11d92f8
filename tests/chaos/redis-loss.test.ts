import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionKey } from '@promton/shared/contracts';
import { dumpDatabase } from '../support/database.js';
import { configureDemoGuild, seedDemoGuild, waitFor } from '../../scripts/stack/demo.js';
import { Stack } from '../../scripts/stack/stack.js';
import {
  FULL,
  RestartableRedis,
  fireOpens,
  settle,
  setupGuilds,
  sized,
  sleep,
  summary,
  unansweredTrail,
  verifyOpens,
  type ChaosGuild,
} from './support/chaos.js';

const GRACE_SECONDS = 20;

/**
 * Redis loses its data while opens come in: FLUSHALL, then a SIGKILL with appendfsync
 * everysec. The database is the truth: projections, pending purges and auto-close checks
 * come back from it, later opens succeed, a departed guild is still purged on time, and
 * nothing is opened twice.
 */
// Long (about 4 minutes even at the short size: flushed jobs are waited for to the end): `make chaos` only.
describe.runIf(FULL)('chaos: Redis loses its data mid-burst', () => {
  let redis: RestartableRedis;
  let stack: Stack;
  let guilds: ChaosGuild[];
  const total = sized(40, 400);
  const perSecond = 10;

  beforeAll(async () => {
    redis = await RestartableRedis.start();
    stack = await Stack.start({
      redisUrl: redis.url,
      env: { GUILD_PURGE_GRACE_HOURS: String(GRACE_SECONDS / 3600), RECONCILE_SECONDS: '5', OPEN_COOLDOWN_SECONDS: '0' },
    });
    guilds = await setupGuilds(stack.emulator, sized(3, 8));
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.close();
  });

  /** After the loss: one more open per guild (fresh members), all of which must open. */
  async function everyGuildOpens(label: string): Promise<void> {
    const after = await fireOpens(stack.emulator, guilds, guilds.length * 2, perSecond);
    const states = await settle(
      stack.emulator,
      after.map((o) => o.id),
      120_000,
    );
    const outcome = await verifyOpens(stack, guilds, after, states);
    console.log(`[chaos redis-loss ${label}] after: ${summary(outcome)}`);
    expect(outcome, unansweredTrail(stack, after, states)).toMatchObject({ opened: after.length, refused: 0, unanswered: 0, lost: 0 });
  }

  async function departingGuild(name: string): Promise<{ id: string; leftAt: number }> {
    const leaving = await seedDemoGuild(stack.emulator, name);
    await configureDemoGuild(stack.emulator, leaving);
    await stack.emulator.removeGuild(leaving.guild.id);
    const leftAt = Date.now();
    return { id: leaving.guild.id, leftAt };
  }

  it(`FLUSHALL during ${total} opens: projections and the pending purge come back, later opens succeed, nothing doubled`, async () => {
    const leaving = await departingGuild('Leaving before the flush');
    const admin = new Redis(redis.url);
    let flushedAt = 0;
    try {
      const opens = await fireOpens(stack.emulator, guilds, total, perSecond, async (sent) => {
        if (sent === Math.floor(total / 2)) {
          flushedAt = Date.now();
          await admin.flushall();
        }
      });
      expect(flushedAt).toBeGreaterThan(0);
      // config-service notices the loss and rewrites every projection from the database.
      await waitFor(async () => (await admin.exists(projectionKey(stack.prefix, guilds[0]!.guild.id))) === 1, 'the projections to come back', 30_000);
      const states = await settle(
        stack.emulator,
        opens.map((o) => o.id),
        FULL ? 300_000 : 120_000,
      );
      const outcome = await verifyOpens(stack, guilds, opens, states);
      // Jobs in Redis at the flush are gone with it; what the database knows is kept.
      console.log(`[chaos redis-loss flushall] ${summary(outcome)}`);
      expect(outcome).toMatchObject({ lost: 0, duplicateChannels: 0, duplicateNumbers: 0, duplicateWelcomes: 0 });
      // A missing projection is asked of config-service, never taken for a removed type.
      expect(Object.keys(outcome.refusals).filter((refusal) => refusal.includes('no longer exists'))).toEqual([]);
      await everyGuildOpens('flushall');
    } finally {
      admin.disconnect();
    }
    // The purge job was flushed; it is derived again from left_at and runs after the grace period.
    await waitFor(async () => !(await dumpDatabase(stack.databaseUrl)).includes(leaving.id), 'the departed guild to be purged', (GRACE_SECONDS + 60) * 1000);
    expect(Date.now()).toBeGreaterThanOrEqual(leaving.leftAt + GRACE_SECONDS * 1000);
  }, 900_000);

  it(`Redis SIGKILLed (appendfsync everysec) during ${total} opens: later opens succeed, a departed guild is purged on time, nothing doubled`, async () => {
    const leaving = await departingGuild('Leaving before the crash');
    const downMs = sized(1_500, 3_000);
    let killedAt = 0;
    const opens = await fireOpens(stack.emulator, guilds, total, perSecond, async (sent) => {
      if (sent === Math.floor(total / 2)) {
        killedAt = Date.now();
        void (async () => {
          await redis.down('SIGKILL');
          await sleep(downMs);
          await redis.up();
        })();
      }
    });
    expect(killedAt).toBeGreaterThan(0);
    const states = await settle(
      stack.emulator,
      opens.map((o) => o.id),
      FULL ? 300_000 : 120_000,
    );
    const outcome = await verifyOpens(stack, guilds, opens, states);
    console.log(`[chaos redis-loss sigkill] down=${downMs}ms ${summary(outcome)}`);
    expect(outcome).toMatchObject({ lost: 0, duplicateChannels: 0, duplicateNumbers: 0, duplicateWelcomes: 0 });
    expect(Object.keys(outcome.refusals).filter((refusal) => refusal.includes('no longer exists'))).toEqual([]);
    await everyGuildOpens('sigkill');
    // Whether or not the crash lost the purge job, it happens after the grace period.
    expect(await dumpDatabase(stack.databaseUrl)).toContain(guilds[0]!.guild.id);
    await waitFor(async () => !(await dumpDatabase(stack.databaseUrl)).includes(leaving.id), 'the departed guild to be purged', (GRACE_SECONDS + 60) * 1000);
    expect(Date.now()).toBeGreaterThanOrEqual(leaving.leftAt + GRACE_SECONDS * 1000);
  }, 900_000);
});
