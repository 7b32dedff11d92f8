import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectionKey } from '@promton/shared/contracts';
import { act, command, configureDemoGuild, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import { Queue } from 'bullmq';
import { dumpDatabase, queryRows } from '../support/database.js';
import { Stack } from '../../scripts/stack/stack.js';

const OWNER_ID = '1100000000000000777';

/** The privacy policy's promises (§1, §4, §6) as behaviour, through the real pipeline. */
describe('privacy rights, guild removal and owner statistics', () => {
  let stack: Stack;
  let demo: DemoGuild;
  let redis: Redis;
  let configQueue: Queue;
  const leftAt = async (guildId: string) =>
    (await queryRows<{ left_at: string | null }>(stack.databaseUrl, 'SELECT left_at FROM guild_settings WHERE guild_id = ?', [guildId]))[0]?.left_at ?? null;
  const typeNames = async (guildId: string) =>
    (await queryRows<{ name: string }>(stack.databaseUrl, 'SELECT name FROM ticket_types WHERE guild_id = ? ORDER BY name', [guildId])).map((r) => r.name);

  beforeAll(async () => {
    // An 8-second grace period stands in for the default 24 hours: short enough to watch a
    // purge happen, long enough that a rejoin is processed well within it on a busy machine.
    stack = await Stack.start({ redisUrl: inject('redisUrl'), env: { OWNER_ID, GUILD_PURGE_GRACE_HOURS: String(8 / 3600) } });
    demo = await seedDemoGuild(stack.emulator);
    await configureDemoGuild(stack.emulator, demo);
    redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
    configQueue = new Queue('config', { connection: redis, prefix: stack.prefix });
  });
  afterAll(async () => {
    await configQueue?.close();
    redis?.disconnect();
    await stack?.close();
  });

  it("exports everything stored with the member's id, then erases it after a confirmation (§6)", async () => {
    const opened = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.member.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
    });
    const channelId = /<#(\d+)>/.exec(opened.original?.content ?? '')![1]!;
    expect(await command(stack.emulator, demo, ['ticket', 'claim'], {}, demo.staff.id, channelId)).toMatch(/^✅/);
    await stack.emulator.sendMessage({ channelId, userId: demo.member.id, content: 'my order 4417 never arrived' });
    const stored = await dumpDatabase(stack.databaseUrl);
    expect(stored).toContain(demo.member.id);
    // §1: ids only — no usernames, no message content.
    expect(stored).not.toContain(demo.member.username);
    expect(stored).not.toContain('never arrived');

    const exported = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.member.id,
      kind: 'command',
      path: ['privacy', 'export'],
    });
    expect(exported.original?.content).toMatch(/^✅/);
    expect(exported.original?.flags ?? 0).toBe(64);
    const data = JSON.parse(await (await fetch(exported.original!.attachments[0]!.url)).text()) as { tickets: { yourRoles: string[]; channelId: string }[] };
    expect(data.tickets).toEqual([expect.objectContaining({ channelId, yourRoles: ['creator'], status: 'open', typeName: 'support' })]);

    const prompt = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.member.id,
      kind: 'command',
      path: ['privacy', 'delete'],
    });
    expect(prompt.original?.content).toMatch(/open stay open/);
    expect(await dumpDatabase(stack.databaseUrl)).toContain(demo.member.id); // nothing erased before the confirmation

    const confirmed = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.member.id,
      kind: 'button',
      customId: 'pt:v1:privacy-delete-confirm:',
      messageId: prompt.original!.id,
    });
    expect(confirmed.original?.content).toMatch(/^✅ Your user id was erased from 1 ticket record/);
    expect(await dumpDatabase(stack.databaseUrl)).not.toContain(demo.member.id);

    const log = await waitFor(
      async () => (await stack.emulator.messages(demo.logChannel.id)).flatMap((m) => m.embeds).find((e) => e.title === 'Member erased their data'),
      'the privacy log',
    );
    expect(JSON.stringify(log)).not.toContain(demo.member.id);

    // The ticket stays workable for staff: it is open, no longer linked to anyone.
    expect(await command(stack.emulator, demo, ['ticket', 'close'], {}, demo.staff.id, channelId)).toMatch(/^✅/);
  });

  it('answers /stats to the owner only, with aggregated counts (§1)', async () => {
    expect(await command(stack.emulator, demo, ['stats'], {}, demo.admin.id)).toMatch(/^❌ Only the owner/);
    await stack.emulator.addMember(demo.guild.id, { id: OWNER_ID, username: 'owner' });
    const stats = await act(stack.emulator, { guildId: demo.guild.id, channelId: demo.panelChannel.id, userId: OWNER_ID, kind: 'command', path: ['stats'] });
    expect(stats.original?.content).toMatch(/^✅ PROMTON-TICKETS is on 1 servers with 42 members/);
    // The dashboard's copy is written a moment after the change (writes are coalesced).
    const analytics = await waitFor(async () => {
      const value = JSON.parse((await redis.get(`${stack.prefix}:analytics`)) ?? '{}') as { servers?: number; members?: number; ticketTypes?: number };
      return value.servers === 1 ? value : null;
    }, 'the analytics key');
    expect(analytics).toMatchObject({ servers: 1, members: 42, ticketTypes: 1 });
    expect(JSON.stringify(analytics)).not.toMatch(/\d{17,}/);
  });

  it('purges nothing on an outage, and everything after the bot is removed and the grace period passes (§4)', async () => {
    const other = await seedDemoGuild(stack.emulator, 'Leaving soon');
    await configureDemoGuild(stack.emulator, other);
    await act(stack.emulator, {
      guildId: other.guild.id,
      channelId: other.panelChannel.id,
      userId: other.member.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
    });
    expect(await dumpDatabase(stack.databaseUrl)).toContain(other.guild.id);

    await stack.emulator.removeGuild(other.guild.id, { unavailable: true });
    // Barrier instead of a sleep: the gateway handles a shard's events in order, so once a
    // later command on the same shard is answered and the config queue has nothing left to
    // run, a removal wrongly taken from the outage would have been recorded (left_at) and
    // its purge scheduled.
    expect(await command(stack.emulator, demo, ['config', 'show'], {})).toMatch(/^✅/);
    await stack.waitUntilIdle(['config'], { delayed: false });
    expect(await leftAt(other.guild.id)).toBeNull();
    expect(await configQueue.getJob(`purge-${other.guild.id}`)).toBeUndefined();
    expect(await dumpDatabase(stack.databaseUrl)).toContain(other.guild.id);
    expect(await redis.exists(projectionKey(stack.prefix, other.guild.id))).toBe(1);
    await stack.emulator.restoreGuild(other.guild.id);

    await stack.emulator.removeGuild(other.guild.id);
    await waitFor(async () => !(await dumpDatabase(stack.databaseUrl)).includes(other.guild.id), 'the purge', 30_000);
    expect(await redis.exists(projectionKey(stack.prefix, other.guild.id))).toBe(0);
    expect(await dumpDatabase(stack.databaseUrl)).toContain(demo.guild.id); // other servers untouched
  });

  it('cancels the purge when the bot rejoins within the grace period', async () => {
    const back = await seedDemoGuild(stack.emulator, 'Coming back');
    await configureDemoGuild(stack.emulator, back);
    const typesBefore = await typeNames(back.guild.id);
    expect(typesBefore).toContain('support');
    await stack.emulator.removeGuild(back.guild.id);
    // The removal was recorded and its purge scheduled (due after the grace period).
    const purge = await waitFor(async () => ((await configQueue.getJob(`purge-${back.guild.id}`)) ? true : null), 'the scheduled purge');
    expect(purge).toBe(true);
    await stack.emulator.seedGuild({ id: back.guild.id, name: 'Coming back', memberCount: 42 });
    // The purge job leaves the queue either way: cancelled by the rejoin, or run when due.
    await waitFor(async () => ((await configQueue.getJob(`purge-${back.guild.id}`)) ? null : true), 'the purge job to leave the queue', 30_000);
    await stack.waitUntilIdle(['config'], { delayed: false });
    // A rejoin re-creates the guild's row, so only what a purge deletes and a rejoin does
    // not bring back tells them apart: the configured ticket types, and the ticket.
    expect(await typeNames(back.guild.id)).toEqual(typesBefore);
    expect(await leftAt(back.guild.id)).toBeNull();
  });
});
