import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../../tests/support/database.js';
import { ROOT } from '../../../scripts/stack/stack.js';
import { createPostgresDatabase, type TestDatabase } from '../../../scripts/stack/test-database.js';
import { GUILD, MEMBER, startHarness, type Harness } from './support.js';
import { readOffer } from '../src/domain/feedback-offer.js';

// Postgres only: the operator's move from SQLite to Postgres, through the real command.
const run = promisify(execFile);
const copyCommand = (from: string, to: string) =>
  // What `npm run copy-database -w services/config-service` runs, without npm's start-up.
  run(process.execPath, [join(ROOT, 'services/config-service/dist/copy-database.js'), from, to], { cwd: ROOT }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

// Two config-service starts and an npm run each: longer than the default on a busy machine.
describe('copy-database: SQLite into Postgres', { timeout: 300_000 }, () => {
  let dir: string;
  let sqliteUrl: string;
  let target: TestDatabase;
  let h: Harness;
  let open = false;
  const start = async (databaseUrl: string) => {
    h = await startHarness({ DATABASE_URL: databaseUrl });
    open = true;
  };
  const stop = async () => {
    if (open) await h.close();
    open = false;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'promton-copy-'));
    sqliteUrl = `sqlite:${join(dir, 'old.sqlite')}`;
    target = await createPostgresDatabase();
  });
  afterEach(async () => {
    await stop();
    await target.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies every row, and config-service goes on from it with the next number', async () => {
    // A SQLite database with a configuration, tickets in every state, stats and a member count.
    await start(sqliteUrl);
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support', limit: 3, description: 'Ask us' });
    await h.command(['config', 'type', 'question-add'], { name: 'support', question: 'What happened?' });
    await h.command(['config', 'transcripts', 'on']);
    await h.command(['config', 'feedback', 'on']);
    await h.command(['config', 'type', 'hours'], { name: 'support', timezone: 'Europe/Berlin', schedule: 'mon-fri 09:00-17:00', mode: 'refuse' });
    await h.command(['config', 'embed', 'set'], { color: '#2f9e44', footer: 'Demo' });
    await h.command(['config', 'tag', 'add'], { name: 'hours', content: 'We answer from 9 to 17.' });
    await h.command(['config', 'blocklist', 'add'], { target: '300000000000000055' }, { resolved: { users: { '300000000000000055': { bot: false } } } });
    await h.deliver('guild.joined', { v: 1, guildId: GUILD, memberCount: 42 });
    const reserve = (creatorId: string, interactionId: string) =>
      h.client.request('ticket.reserve', { v: 1, guildId: GUILD, typeName: 'support', creatorId, interactionId });
    const tickets = [];
    for (let i = 0; i < 3; i += 1) {
      const reply = await reserve(MEMBER, `71000000000000000${i}`);
      if (!reply.ok) throw new Error(JSON.stringify(reply));
      tickets.push(reply.ticket);
    }
    await h.client.request('ticket.update', { v: 1, guildId: GUILD, ticketId: tickets[0]!.id, set: { channelId: '610000000000000001', status: 'open' } });
    await h.client.request('ticket.update', { v: 1, guildId: GUILD, ticketId: tickets[1]!.id, set: { channelId: '610000000000000002', status: 'open' } });
    await h.client.request('ticket.update', {
      v: 1,
      guildId: GUILD,
      ticketId: tickets[1]!.id,
      set: { status: 'closed', closedBy: MEMBER, closeReason: 'done', firstReplyAt: new Date().toISOString() },
    });
    // A rating given for the closed ticket: its count is copied, and offers signed before the copy stay valid after it.
    const offer = await h.client.request('feedback.offer', { v: 1, guildId: GUILD, ticketNumber: tickets[1]!.number });
    if (!offer) throw new Error('no feedback offer');
    await h.app.repo.stats.countRating(GUILD, tickets[1]!.number, 4);
    const ratings = await h.app.repo.stats.ratings(GUILD);
    const config = await h.app.repo.guilds.loadConfig(GUILD);
    const stats = await h.app.repo.stats.botStats(new Date());
    const rows = (await h.app.repo.models.TicketRow.findAll({ order: [['id', 'ASC']] })).map((row) => row.get({ plain: true }));
    await stop();

    const copied = await copyCommand(sqliteUrl, target.url);
    expect(copied.stderr).toBe('');
    expect(copied.stdout).toContain(
      'copied guild_settings: 1, ticket_types: 1, tickets: 3, daily_stats: 1, tags: 1, blocklist: 1, feedback_counts: 1, app_secrets: 2',
    );

    // config-service on Postgres sees the same configuration, tickets and stats, and numbers on.
    await start(target.url);
    expect(await h.app.repo.guilds.loadConfig(GUILD)).toEqual(config);
    expect(await h.app.repo.stats.botStats(new Date())).toEqual(stats);
    expect(await h.app.repo.stats.ratings(GUILD)).toEqual(ratings);
    expect(await h.app.repo.feedbackKey()).toBeTruthy();
    expect(readOffer(await h.app.repo.feedbackKey(), offer.offer, new Date())).toMatchObject({ ok: true });
    expect((await h.app.repo.models.TicketRow.findAll({ order: [['id', 'ASC']] })).map((row) => row.get({ plain: true }))).toEqual(rows);
    const next = await reserve('300000000000000077', '710000000000000009');
    expect(next).toMatchObject({ ok: true, ticket: { number: 4, id: tickets[2]!.id + 1 } });
  });

  it('refuses a target that already has rows, and writes none', async () => {
    await start(sqliteUrl);
    await h.deliver('guild.joined', { v: 1, guildId: GUILD, memberCount: 5 });
    await stop();
    expect((await copyCommand(sqliteUrl, target.url)).code).toBe(0);

    const again = await copyCommand(sqliteUrl, target.url);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('❌ copy failed, no row written: the target database is not empty (guild_settings has rows)');
    expect(await queryRows(target.url, 'SELECT guild_id FROM guild_settings')).toEqual([{ guild_id: GUILD }]);
  });
});
