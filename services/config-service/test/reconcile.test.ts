import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { QueueName, autoCloseJobId, projectionKey } from '@promton/shared/contracts';
import { createRedis } from '@promton/shared/runtime';
import { GUILD, MEMBER, readProjection, startHarness, type Harness } from './support.js';

const STAYING_AWAY = '200000000000000002';
const GONE_LONG_AGO = '200000000000000003';
const HOUR = 3_600_000;

/** Deletes every key of the harness's prefix: what FLUSHALL does to this deployment (others share the Redis). */
async function loseRedis(h: Harness): Promise<number> {
  const redis = createRedis(h.config.redisUrl, { role: 'worker' });
  try {
    // Every key goes in one DEL, as in a FLUSHALL: deleted batch by batch, the reconciler
    // could notice the lost marker and rebuild a projection before its batch went.
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${h.config.queuePrefix}:*`, 'COUNT', 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys.length ? redis.del(...keys) : 0;
  } finally {
    redis.disconnect();
  }
}

async function waitFor<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} never happened; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Redis is a cache, the database the truth', () => {
  let h: Harness;
  let tickets: Queue;
  beforeEach(async () => {
    h = await startHarness({ GUILD_PURGE_GRACE_HOURS: '1' });
    tickets = new Queue(QueueName.tickets, { connection: h.client.queue.opts.connection as never, prefix: h.config.queuePrefix });
  });
  afterEach(async () => {
    await tickets.obliterate({ force: true }).catch(() => undefined);
    await tickets.close();
    await h.close();
  });

  it('rewrites a projection that is present but wrong', async () => {
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support' });
    const redis = createRedis(h.config.redisUrl, { role: 'worker' });
    try {
      const stale = { ...(await readProjection(h))!, types: [] };
      await redis.set(projectionKey(h.config.queuePrefix, GUILD), JSON.stringify(stale));
    } finally {
      redis.disconnect();
    }
    expect((await readProjection(h))!.types).toEqual([]);
    const report = await h.app.reconcile();
    expect(report.projections).toBeGreaterThanOrEqual(1);
    expect((await readProjection(h))!.types.map((t) => t.name)).toEqual(['support']);
  });

  it('after losing every key, rebuilds projections, pending purges and auto-close checks, and purges a guild past its grace', async () => {
    // A guild with an open ticket that auto-closes after 24 quiet hours.
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support' });
    await h.command(['config', 'type', 'auto-close'], { name: 'support', hours: 24 });
    const reserved = await h.client.request('ticket.reserve', {
      v: 1,
      guildId: GUILD,
      typeName: 'support',
      creatorId: MEMBER,
      interactionId: '720000000000000001',
    });
    if (!reserved.ok) throw new Error('reserve refused');
    await h.client.request('ticket.update', { v: 1, guildId: GUILD, ticketId: reserved.ticket.id, set: { channelId: '650000000000000009', status: 'open' } });
    // A guild that left just now (purge due in an hour) and one that left two hours ago.
    for (const guildId of [STAYING_AWAY, GONE_LONG_AGO]) {
      await h.deliver('guild.joined', { v: 1, guildId, memberCount: 5 });
      await h.deliver('guild.left', { v: 1, guildId });
    }
    await h.app.repo.models.GuildSettings.update({ leftAt: new Date(Date.now() - 2 * HOUR) }, { where: { guildId: GONE_LONG_AGO } });

    expect(await loseRedis(h)).toBeGreaterThan(0);
    expect(await readProjection(h)).toBeNull();

    // config-service notices on its own and derives everything again from the database.
    await waitFor(
      'projection rebuilt',
      () => readProjection(h),
      (p) => p !== null,
    );
    expect((await readProjection(h))!.types.map((t) => t.name)).toEqual(['support']);
    const purge = await waitFor(
      'purge rescheduled',
      () => h.client.queue.getJob(`purge-${STAYING_AWAY}`),
      (job) => job !== undefined,
    );
    expect(await purge!.getState()).toBe('delayed');
    expect(purge!.opts.delay).toBeGreaterThan(HOUR - 60_000);
    expect(purge!.opts.delay).toBeLessThanOrEqual(HOUR);
    await waitFor(
      'guild past its grace purged',
      () => h.app.repo.models.GuildSettings.findByPk(GONE_LONG_AGO),
      (row) => row === null,
    );
    expect(await h.app.repo.models.GuildSettings.findByPk(STAYING_AWAY)).not.toBeNull();
    const autoClose = await waitFor(
      'auto-close check re-added',
      () => tickets.getJob(autoCloseJobId(GUILD, reserved.ticket.number)),
      (job) => job !== undefined,
    );
    expect(autoClose!.name).toBe('ticket.auto-close');
    expect(autoClose!.data).toEqual({ v: 1, guildId: GUILD, ticketNumber: reserved.ticket.number });
    expect(await autoClose!.getState()).toBe('delayed');
    expect(autoClose!.opts.delay).toBeGreaterThan(23 * HOUR);
  });

  it('publishes a missing projection when a reader asks for it', async () => {
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support' });
    const redis = createRedis(h.config.redisUrl, { role: 'worker' });
    try {
      await redis.del(projectionKey(h.config.queuePrefix, GUILD));
    } finally {
      redis.disconnect();
    }
    const answer = await h.client.request('guild.projection', { v: 1, guildId: GUILD });
    expect(answer.types.map((t) => t.name)).toEqual(['support']);
    expect((await readProjection(h))!.types.map((t) => t.name)).toEqual(['support']);
  });
});
