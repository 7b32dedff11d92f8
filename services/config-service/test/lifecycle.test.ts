import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, GUILD, MEMBER, answerFile, answerPayload, deleteProjection, logEvents, readProjection, startHarness, type Harness } from './support.js';

describe('config-service lifecycle', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ GUILD_PURGE_GRACE_HOURS: '1' });
  });
  afterEach(async () => {
    await h.close();
  });

  it('has the auto_close_hours column and keeps the value across a restart', async () => {
    const columns = await h.app.repo.sequelize.getQueryInterface().describeTable('ticket_types');
    expect(Object.keys(columns)).toContain('auto_close_hours');
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support' });
    await h.command(['config', 'type', 'auto-close'], { name: 'support', hours: 24 });
    await h.restart();
    expect((await h.app.repo.guilds.loadConfig(GUILD)).types[0]?.autoCloseHours).toBe(24);
  });

  it('rebuilds a missing projection when it starts', async () => {
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support' });
    await deleteProjection(h);
    expect(await readProjection(h)).toBeNull();
    await h.restart();
    const projection = await readProjection(h);
    expect(projection?.types.map((t) => t.name)).toEqual(['support']);
  });

  it('schedules a purge when the bot leaves and cancels it when it comes back', async () => {
    await h.deliver('guild.joined', { v: 1, guildId: GUILD, memberCount: 42 });
    await h.deliver('guild.left', { v: 1, guildId: GUILD });
    const purge = await h.client.queue.getJob(`purge-${GUILD}`);
    expect(await purge?.getState()).toBe('delayed');
    expect(purge?.opts.delay).toBe(3_600_000);

    await h.deliver('guild.joined', { v: 1, guildId: GUILD, memberCount: 43 });
    expect(await h.client.queue.getJob(`purge-${GUILD}`)).toBeUndefined();
  });

  it('purges a guild that is still gone, rows and projection, and keeps one that came back', async () => {
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support' });
    const reply = await h.client.request('ticket.reserve', {
      v: 1,
      guildId: GUILD,
      typeName: 'support',
      creatorId: MEMBER,
      interactionId: '700000000000000900',
    });
    expect(reply.ok).toBe(true);

    // Came back before the purge ran: nothing is deleted.
    await h.deliver('guild.left', { v: 1, guildId: GUILD });
    await h.deliver('guild.joined', { v: 1, guildId: GUILD, memberCount: 5 });
    expect(await h.deliver('guild.purge', { v: 1, guildId: GUILD })).toEqual({ purged: false });
    expect(await readProjection(h)).not.toBeNull();

    await h.deliver('guild.left', { v: 1, guildId: GUILD });
    expect(await h.deliver('guild.purge', { v: 1, guildId: GUILD })).toEqual({ purged: true });
    expect(await readProjection(h)).toBeNull();
    expect(await h.client.request('ticket.get', { v: 1, guildId: GUILD, number: 1 })).toBeNull();
    expect(await h.app.repo.guilds.guildIds()).toEqual([]);
  });

  it('erases a member id from every ticket on /privacy delete and exports it before', async () => {
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support', limit: 3 });
    const reserve = async (interactionId: string) => {
      const reply = await h.client.request('ticket.reserve', { v: 1, guildId: GUILD, typeName: 'support', creatorId: MEMBER, interactionId });
      if (!reply.ok) throw new Error('refused');
      return reply.ticket;
    };
    const first = await reserve('700000000000000801');
    const second = await reserve('700000000000000802');
    await h.client.request('ticket.update', { v: 1, guildId: GUILD, ticketId: first.id, set: { status: 'open', claimedBy: ADMIN } });
    await h.client.request('ticket.update', { v: 1, guildId: GUILD, ticketId: second.id, set: { status: 'closed', closedBy: MEMBER, closeReason: 'solved' } });

    const exportAnswer = await h.command(['privacy', 'export'], {}, { userId: MEMBER, permissions: '0' });
    expect(exportAnswer).toMatch(/^✅ .*2 ticket records/);
    const exported = JSON.parse(answerFile(h.discord.requests.filter((r) => r.method === 'PATCH').at(-1)!));
    expect(exported.tickets.map((t: { yourRoles: string[] }) => t.yourRoles)).toEqual([['creator'], ['creator', 'closer']]);

    // Without the confirmation button nothing is erased.
    expect(await h.command(['privacy', 'delete'], {}, { userId: MEMBER, permissions: '0' })).toMatch(/^❌ /);
    const answer = await h.command(['privacy', 'delete'], { confirmed: true }, { userId: MEMBER, permissions: '0' });
    expect(answer).toMatch(/^✅ Your user id was erased from 2 ticket record\(s\) and 0 server blocklist\(s\); your 1 open ticket\(s\) stay open/);
    // The confirmation prompt's button goes away with the answer.
    expect(answerPayload(h.discord.requests.filter((r) => r.method === 'PATCH').at(-1)!)).toMatchObject({ components: [] });

    const after = await h.client.request('ticket.get', { v: 1, guildId: GUILD, number: second.number });
    expect(after).toMatchObject({ creatorId: null, closedBy: null, status: 'closed' });
    const open = await h.client.request('ticket.get', { v: 1, guildId: GUILD, number: first.number });
    expect(open).toMatchObject({ creatorId: null, claimedBy: ADMIN, status: 'open' });
    const dump = JSON.stringify(await h.app.repo.models.TicketRow.findAll({ raw: true }));
    expect(dump).not.toContain(MEMBER);

    const kinds = (await logEvents(h)).map((e) => e.kind);
    expect(kinds).toContain('privacy.export');
    expect(kinds).toContain('privacy.delete');
  });

  it('fails an invalid job loudly and keeps it', async () => {
    const job = await h.client.queue.add('ticket.reserve', { v: 1, guildId: 'nope' });
    const state = await new Promise<string>((resolve) => {
      const poll = async () => {
        const s = await job.getState();
        if (s === 'failed') resolve(s);
        else setTimeout(poll, 20);
      };
      void poll();
    });
    expect(state).toBe('failed');
    const failed = await h.client.queue.getJob(job.id!);
    expect(failed?.failedReason).toMatch(/invalid ticket.reserve job/);
  });
});
