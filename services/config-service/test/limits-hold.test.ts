import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import type { TicketRecord } from '@promton/shared/contracts';
import { GUILD, MEMBER, startHarness, type Harness } from './support.js';

/** Limits that hold: erasing one's id must not reset the per-user limit nor the cooldown. */
describe('per-user limit and cooldown after /privacy delete', () => {
  let h: Harness;
  let interaction = 0;
  beforeEach(async () => {
    h = await startHarness({ OPEN_COOLDOWN_SECONDS: '3600' });
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support', limit: 1 });
  });
  afterEach(async () => {
    await h.close();
  });

  const reserve = (creatorId = MEMBER) => {
    interaction += 1;
    return h.client.request('ticket.reserve', {
      v: 1,
      guildId: GUILD,
      typeName: 'support',
      creatorId,
      interactionId: `7100000000000${String(interaction).padStart(5, '0')}`,
    });
  };
  const erase = () => h.command(['privacy', 'delete'], { confirmed: true }, { userId: MEMBER, permissions: '0' });
  const close = (ticket: TicketRecord) =>
    h.client.request('ticket.update', {
      v: 1,
      guildId: GUILD,
      ticketId: ticket.id,
      set: { channelId: '650000000000000001', status: 'closed', closedAt: new Date().toISOString() },
    });

  it('keeps the limit of 1 through five /privacy delete in a row', async () => {
    const first = await reserve();
    expect(first.ok).toBe(true);
    for (let i = 0; i < 5; i += 1) {
      expect(await erase()).toMatch(/^✅ Your user id was erased/);
      expect(await reserve()).toMatchObject({ ok: false, reason: 'limit', limit: 1 });
    }
    // The erasure itself held: no ticket carries the member's id.
    const [row] = await h.app.repo.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM tickets WHERE creator_id = :id', {
      replacements: { id: MEMBER },
      type: QueryTypes.SELECT,
    });
    expect(Number(row?.n)).toBe(0);
    // Another member is not affected.
    expect((await reserve('300000000000000077')).ok).toBe(true);
  });

  it('keeps the cooldown after the member closes their ticket and erases their id', async () => {
    const first = await reserve();
    if (!first.ok) throw new Error('first open refused');
    await close(first.ticket);
    expect(await erase()).toMatch(/^✅ /);
    expect(await reserve()).toMatchObject({ ok: false, reason: 'cooldown' });
  });

  it('drops the key of an erased member once it no longer counts', async () => {
    const first = await reserve();
    if (!first.ok) throw new Error('first open refused');
    await close(first.ticket);
    await erase();
    const keys = () =>
      h.app.repo.sequelize
        .query<{ n: number }>('SELECT COUNT(*) AS n FROM tickets WHERE creator_key IS NOT NULL', { type: QueryTypes.SELECT })
        .then(([r]) => Number(r?.n));
    expect(await keys()).toBe(1);
    // Still inside the cooldown: kept.
    expect(await h.app.repo.privacy.forgetSpentCreatorKeys(new Date(), 3_600_000)).toBe(0);
    // After it: gone.
    expect(await h.app.repo.privacy.forgetSpentCreatorKeys(new Date(Date.now() + 3_600_001), 3_600_000)).toBe(1);
    expect(await keys()).toBe(0);
  });
});
