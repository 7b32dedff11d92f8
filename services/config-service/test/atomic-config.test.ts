import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionKey } from '@promton/shared/contracts';
import { createRedis } from '@promton/shared/runtime';
import { GUILD, readProjection, startHarness, type Harness } from './support.js';

const roleId = (i: number) => `62000000000000${String(1000 + i)}`;

describe('atomic configuration: load → change → write → publish under one lock', () => {
  let h: Harness;
  beforeAll(async () => {
    // The default concurrency (8) lets several /config jobs of one guild run at once.
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('loses none of 50 concurrent /config edits of one guild', async () => {
    expect(await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support' })).toMatch(/^✅ /);
    const roles = Array.from({ length: 50 }, (_, i) => roleId(i));
    const answers = await Promise.all(
      roles.map((role) => h.command(['config', 'type', 'role-add'], { name: 'support', role }, { resolved: { roles: { [role]: { name: `r${role}` } } } })),
    );
    expect(answers.filter((a) => a.startsWith('✅'))).toHaveLength(50);
    const stored = (await h.app.repo.guilds.loadConfig(GUILD)).types[0]!.staffRoleIds;
    expect([...stored].sort()).toEqual([...roles].sort());
    // The projection is the last write's, not an older read that finished later.
    expect([...(await readProjection(h))!.types[0]!.staffRoleIds].sort()).toEqual([...roles].sort());
  });

  it('republishes the projection when a job that already wrote is retried', async () => {
    expect(await h.command(['config', 'type', 'add'], { name: 'billing', label: 'Billing' })).toMatch(/^✅ /);
    // A crash between the database commit and the projection write: Redis still holds
    // the configuration from before the command.
    const before = (await readProjection(h))!;
    const stale = { ...before, types: before.types.filter((t) => t.name !== 'billing') };
    const redis = createRedis(h.config.redisUrl, { role: 'worker' });
    try {
      await redis.set(projectionKey(h.config.queuePrefix, GUILD), JSON.stringify(stale));
    } finally {
      redis.disconnect();
    }
    expect((await readProjection(h))!.types.map((t) => t.name)).not.toContain('billing');
    // The retry finds its change already made and says so; the projection is written again.
    expect(await h.command(['config', 'type', 'add'], { name: 'billing', label: 'Billing' })).toMatch(/^❌ A ticket type named billing already exists/);
    expect((await readProjection(h))!.types.map((t) => t.name)).toContain('billing');
  });
});
