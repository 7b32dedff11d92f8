import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedis } from '@promton/shared/runtime';
import { analyticsKey } from '../src/analytics.js';
import { ADMIN, GUILD, MEMBER, readAnalytics, startHarness, waitForAnalytics, type Harness } from './support.js';

const OTHER_GUILD = '200000000000000002';
const CATEGORY = '610000000000000001';

describe('config-service owner analytics', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({}, [], { analyticsDebounceMs: 200 });
  });
  afterEach(async () => {
    await h.close();
  });

  it('is written on start: zeros, 30 days ending today, no expiry', async () => {
    const { raw, ttl } = await readAnalytics(h);
    expect(ttl).toBe(-1);
    const analytics = JSON.parse(raw!);
    expect(Object.keys(analytics).sort()).toEqual(['days', 'members', 'ratings', 'servers', 'ticketTypes', 'updatedAt']);
    expect(analytics).toMatchObject({ servers: 0, members: 0, ticketTypes: 0, ratings: [0, 0, 0, 0, 0] });
    expect(analytics.days).toHaveLength(30);
    const days = analytics.days.map((d: { day: string }) => d.day);
    expect([...days].sort()).toEqual(days);
    expect(new Set(days).size).toBe(30);
    expect(analytics.days.at(-1).day).toBe(analytics.updatedAt.slice(0, 10));
    expect(analytics.days.every((d: { opened: number; closed: number }) => d.opened === 0 && d.closed === 0)).toBe(true);
  });

  it('follows guilds, members, types and ticket status changes, with counts only', async () => {
    await h.deliver('guild.joined', { v: 1, guildId: GUILD, memberCount: 120 });
    await h.deliver('guild.joined', { v: 1, guildId: OTHER_GUILD, memberCount: 30 });
    await waitForAnalytics(h, (a) => a.servers === 2 && a.members === 150);

    // A member count change arrives as another guild.joined (GUILD_CREATE on reconnect).
    await h.deliver('guild.joined', { v: 1, guildId: GUILD, memberCount: 125 });
    await waitForAnalytics(h, (a) => a.members === 155);

    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support' });
    await h.command(['config', 'type', 'add'], { name: 'billing', label: 'Billing' });
    await waitForAnalytics(h, (a) => a.ticketTypes === 2);

    const reply = await h.client.request('ticket.reserve', {
      v: 1,
      guildId: GUILD,
      typeName: 'support',
      creatorId: MEMBER,
      interactionId: '700000000000001000',
    });
    if (!reply.ok) throw new Error('reserve refused');
    const update = (set: Record<string, string>) => h.client.request('ticket.update', { v: 1, guildId: GUILD, ticketId: reply.ticket.id, set });
    await update({ channelId: '800000000000001000', status: 'open' });
    await waitForAnalytics(h, (a) => a.days.at(-1)?.opened === 1 && a.days.at(-1)?.closed === 0);
    await update({ status: 'closed', closedBy: ADMIN });
    let analytics = await waitForAnalytics(h, (a) => a.days.at(-1)?.closed === 1);
    expect(analytics.days.at(-1)?.opened).toBe(1);

    // The other guild leaves: its server and members no longer count.
    await h.deliver('guild.left', { v: 1, guildId: OTHER_GUILD });
    analytics = await waitForAnalytics(h, (a) => a.servers === 1);
    expect(analytics).toMatchObject({ servers: 1, members: 125, ticketTypes: 2 });

    // A guild that left keeps its rows until the purge but its types stop counting.
    await h.command(['config', 'type', 'remove'], { name: 'billing' });
    await waitForAnalytics(h, (a) => a.ticketTypes === 1);
    await h.deliver('guild.left', { v: 1, guildId: GUILD });
    analytics = await waitForAnalytics(h, (a) => a.servers === 0);
    expect(analytics).toMatchObject({ servers: 0, members: 0, ticketTypes: 0 });
    expect(await h.deliver('guild.purge', { v: 1, guildId: GUILD })).toEqual({ purged: true });

    // Aggregated and anonymous: no id of a guild, channel or member anywhere in the value.
    const { raw } = await readAnalytics(h);
    expect(raw).not.toMatch(/\d{17,}/);
  });

  it('counts imported types and ends correct after a burst of changes', async () => {
    h.discord.channels.set(CATEGORY, { type: 4, guild_id: GUILD });
    await h.deliver('guild.joined', { v: 1, guildId: GUILD, memberCount: 1 });
    const file = { v: 1, types: ['a', 'b', 'c'].map((name) => ({ name, label: name, categoryId: CATEGORY, autoCloseHours: 12 })) };
    h.discord.files.set('import.json', JSON.stringify(file));
    const answer = await h.command(
      ['config', 'import'],
      { file: '900000000000000001' },
      {
        resolved: { attachments: { '900000000000000001': { url: `${h.discord.url}/files/import.json`, filename: 'import.json', size: 100 } } },
      },
    );
    expect(answer).toBe('✅ The configuration was imported (3 ticket types, 0 tags, 0 blocked).');
    await waitForAnalytics(h, (a) => a.ticketTypes === 3);

    // Many guilds join at once (writes coalesce); the key settles on the final counts.
    const guilds = Array.from({ length: 20 }, (_, i) => `21000000000000${String(i).padStart(4, '0')}`);
    await Promise.all(guilds.map((guildId, i) => h.deliver('guild.joined', { v: 1, guildId, memberCount: i + 1 })));
    const analytics = await waitForAnalytics(h, (a) => a.servers === 21);
    expect(analytics).toMatchObject({ servers: 21, members: 1 + (20 * 21) / 2, ticketTypes: 3 });
  });

  it('is rewritten after a privacy delete and stays correct across a restart', async () => {
    await h.deliver('guild.joined', { v: 1, guildId: GUILD, memberCount: 7 });
    const before = await waitForAnalytics(h, (a) => a.servers === 1);
    await h.command(['privacy', 'delete'], { confirmed: true }, { userId: MEMBER, permissions: '0' });
    const after = await waitForAnalytics(h, (a) => a.updatedAt > before.updatedAt);
    expect(after).toMatchObject({ servers: 1, members: 7 });

    // Written again on start, even when the key was lost meanwhile.
    await h.app.close();
    const redis = createRedis(h.config.redisUrl, { role: 'worker' });
    await redis.del(analyticsKey(h.config.queuePrefix));
    redis.disconnect();
    await h.restart();
    expect(JSON.parse((await readAnalytics(h)).raw!)).toMatchObject({ servers: 1, members: 7, ticketTypes: 0 });
  });
});
