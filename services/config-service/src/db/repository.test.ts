import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigLimits, type TicketType } from '@promton/shared/contracts';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createPostgresDatabase, testDatabaseKind, type TestDatabase } from '../../../../scripts/stack/test-database.js';
import { migrate } from './migrations.js';
import { Repository } from './repository.js';
import { createSequelize } from './sequelize.js';

// The repository against a real database, migrated as config-service migrates it: a new
// in-memory SQLite per test, or (the `postgres` project, TEST_DATABASE=postgres) one new
// Postgres database for the run, emptied before each test and dropped after the last, through
// one pool (a new pool's connections cost more than most tests).
const GUILD = '200000000000000001';
const OTHER_GUILD = '200000000000000002';
const THIRD_GUILD = '200000000000000003';
const MEMBER = '300000000000000002';
const OTHER_MEMBER = '300000000000000003';
const STAFF = '300000000000000004';
const NOW = new Date('2026-06-01T12:00:00Z');
const MINUTE = 60_000;

function type(name: string, perUserLimit = 1): TicketType {
  return {
    name,
    label: name,
    description: null,
    emoji: null,
    categoryId: null,
    staffRoleIds: [],
    welcomeMessage: null,
    perUserLimit,
    questions: [],
    autoCloseHours: null,
    hours: null,
    threadChannelId: null,
    closeMode: 'delete',
    archiveCategoryId: null,
    archiveDays: 7,
  };
}

let repo: Repository;
let interactions = 0;

function reserve(creatorId = MEMBER, { guildId = GUILD, typeName = 'support', now = NOW, cooldownMs = 0 } = {}) {
  interactions += 1;
  return repo.tickets.reserve({ v: 1, guildId, typeName, creatorId, interactionId: `interaction-${interactions}` }, now, cooldownMs);
}

async function reserved(creatorId = MEMBER, options: Parameters<typeof reserve>[1] = {}) {
  const reply = await reserve(creatorId, options);
  if (!reply.ok) throw new Error(`reserve refused: ${JSON.stringify(reply)}`);
  return reply.ticket;
}

async function daily(): Promise<{ day: string; opened: number; closed: number }[]> {
  const rows = await repo.models.DailyStat.findAll({ order: [['day', 'ASC']] });
  return rows.map((row) => ({ day: row.day, opened: row.opened, closed: row.closed }));
}

const kind = testDatabaseKind();
let postgres: TestDatabase | undefined;
let shared: Sequelize | undefined;

/** A new connection to the test database: a new, migrated in-memory SQLite, or the run's Postgres. */
async function openSequelize(): Promise<Sequelize> {
  if (postgres) return createSequelize(postgres.url);
  const sequelize = createSequelize('sqlite::memory:');
  await migrate(sequelize);
  return sequelize;
}

/** Empties every table but the migrations' record and the secrets the migrations made. */
async function emptyTables(sequelize: Sequelize): Promise<void> {
  const tables = await sequelize.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT IN ('SequelizeMeta', 'app_secrets')",
    { type: QueryTypes.SELECT },
  );
  // DELETE, not TRUNCATE: on tables this small it is many times faster.
  for (const { name } of tables) await sequelize.query(`DELETE FROM "${name}"`);
}

beforeAll(async () => {
  if (kind !== 'postgres') return;
  postgres = await createPostgresDatabase();
  shared = createSequelize(postgres.url);
  await migrate(shared);
});

afterAll(async () => {
  await shared?.close();
  await postgres?.drop();
});

beforeEach(async () => {
  if (shared) await emptyTables(shared);
  repo = new Repository(shared ?? (await openSequelize()));
  await repo.guilds.replaceTypes(GUILD, [type('support'), type('billing', 2)]);
  await repo.guilds.replaceTypes(OTHER_GUILD, [type('support')]);
});

afterEach(async () => {
  if (!shared) await repo.close();
});

describe('TicketStore.reserve', () => {
  it('numbers tickets per guild from 1, as opening tickets of their creator', async () => {
    const first = await reserved(MEMBER);
    const second = await reserved(OTHER_MEMBER);
    const elsewhere = await reserved(MEMBER, { guildId: OTHER_GUILD });
    expect([first.number, second.number, elsewhere.number]).toEqual([1, 2, 1]);
    expect(first).toMatchObject({
      guildId: GUILD,
      typeName: 'support',
      creatorId: MEMBER,
      status: 'opening',
      channelId: null,
      claimedBy: null,
      openingInteractionId: `interaction-${interactions - 2}`,
      priority: 'normal',
      thread: false,
      reopenedAt: null,
    });
    expect(first.createdAt).toBe(NOW.toISOString());
  });

  it('answers a retried interaction with the ticket it already reserved', async () => {
    const job = { v: 1 as const, guildId: GUILD, typeName: 'support', creatorId: MEMBER, interactionId: 'same' };
    const first = await repo.tickets.reserve(job, NOW);
    const again = await repo.tickets.reserve(job, NOW);
    expect(again).toEqual(first);
    expect(await repo.models.TicketRow.count()).toBe(1);
  });

  it('refuses a type the guild does not have', async () => {
    expect(await reserve(MEMBER, { typeName: 'sales' })).toEqual({ ok: false, reason: 'unknown-type' });
    expect(await reserve(MEMBER, { guildId: OTHER_GUILD, typeName: 'billing' })).toEqual({ ok: false, reason: 'unknown-type' });
  });

  it('refuses past the per-user limit of the type, naming the open tickets; other members, types and guilds are not counted', async () => {
    const first = await reserved(MEMBER);
    await repo.tickets.updateTicket(GUILD, first.id, { channelId: '500000000000000001', status: 'open' }, NOW);
    expect(await reserve(MEMBER)).toEqual({ ok: false, reason: 'limit', limit: 1, open: [{ number: 1, channelId: '500000000000000001' }] });
    await reserved(OTHER_MEMBER);
    await reserved(MEMBER, { typeName: 'billing' });
    await reserved(MEMBER, { typeName: 'billing' });
    expect(await reserve(MEMBER, { typeName: 'billing' })).toEqual({
      ok: false,
      reason: 'limit',
      limit: 2,
      open: [
        { number: 3, channelId: null },
        { number: 4, channelId: null },
      ],
    });
    await reserved(MEMBER, { guildId: OTHER_GUILD });
  });

  it('names the open tickets of the refused limit by number, whichever was written last', async () => {
    const first = await reserved(MEMBER, { typeName: 'billing' });
    await reserved(MEMBER, { typeName: 'billing' });
    await repo.tickets.updateTicket(GUILD, first.id, { channelId: '500000000000000001', status: 'open' }, NOW);
    expect(await reserve(MEMBER, { typeName: 'billing' })).toEqual({
      ok: false,
      reason: 'limit',
      limit: 2,
      open: [
        { number: 1, channelId: '500000000000000001' },
        { number: 2, channelId: null },
      ],
    });
  });

  it('gives the place back when the ticket closes', async () => {
    const first = await reserved(MEMBER);
    await repo.tickets.updateTicket(GUILD, first.id, { status: 'closed', closedBy: STAFF }, NOW);
    expect((await reserved(MEMBER)).number).toBe(2);
  });

  it('closes an opening ticket without a channel once it is abandoned (30 minutes), and only then', async () => {
    await reserved(MEMBER, { now: new Date(NOW.getTime() - 30 * MINUTE) });
    expect(await reserve(MEMBER, { now: new Date(NOW.getTime() - MINUTE) })).toMatchObject({ ok: false, reason: 'limit' });
    const next = await reserved(MEMBER, { now: new Date(NOW.getTime() + 1) });
    expect(next.number).toBe(2);
    expect(await repo.tickets.getTicket(GUILD, { number: 1 })).toMatchObject({ status: 'closed', closeReason: 'open abandoned' });
  });

  it('keeps an opening ticket that has its channel, however old', async () => {
    const old = await reserved(MEMBER, { now: new Date(NOW.getTime() - 120 * MINUTE) });
    await repo.tickets.updateTicket(GUILD, old.id, { channelId: '500000000000000001' }, NOW);
    expect(await reserve(MEMBER)).toMatchObject({ ok: false, reason: 'limit' });
    expect(await repo.tickets.getTicket(GUILD, { number: 1 })).toMatchObject({ status: 'opening' });
  });

  it('refuses within the cooldown with the wait left, counted from the member’s last open in the guild', async () => {
    const first = await reserved(MEMBER, { cooldownMs: 10 * MINUTE });
    await repo.tickets.updateTicket(GUILD, first.id, { status: 'closed' }, NOW);
    expect(await reserve(MEMBER, { typeName: 'billing', now: new Date(NOW.getTime() + 4 * MINUTE), cooldownMs: 10 * MINUTE })).toEqual({
      ok: false,
      reason: 'cooldown',
      retryAfterMs: 6 * MINUTE,
    });
    await reserved(OTHER_MEMBER, { now: new Date(NOW.getTime() + 4 * MINUTE), cooldownMs: 10 * MINUTE });
    await reserved(MEMBER, { now: new Date(NOW.getTime() + 10 * MINUTE), cooldownMs: 10 * MINUTE });
  });

  it('counts the cooldown from the member’s newest open, not an older one', async () => {
    await reserved(MEMBER, { typeName: 'billing', now: new Date(NOW.getTime() - 60 * MINUTE) });
    await reserved(MEMBER, { typeName: 'billing', now: NOW });
    expect(await reserve(MEMBER, { now: new Date(NOW.getTime() + 4 * MINUTE), cooldownMs: 10 * MINUTE })).toEqual({
      ok: false,
      reason: 'cooldown',
      retryAfterMs: 6 * MINUTE,
    });
  });
});

describe('TicketStore.updateTicket', () => {
  it('records saga progress and counts the open and the close once each, on the day they happen', async () => {
    const ticket = await reserved();
    const opened = await repo.tickets.updateTicket(
      GUILD,
      ticket.id,
      { channelId: '500000000000000001', welcomeMessageId: '600000000000000001', status: 'open' },
      NOW,
    );
    expect(opened).toMatchObject({ status: 'open', channelId: '500000000000000001', welcomeMessageId: '600000000000000001', closedAt: null });
    await repo.tickets.updateTicket(GUILD, ticket.id, { status: 'open' }, NOW);
    expect(await daily()).toEqual([{ day: '2026-06-01', opened: 1, closed: 0 }]);
    const later = new Date('2026-06-02T08:00:00Z');
    const closed = await repo.tickets.updateTicket(GUILD, ticket.id, { status: 'closed', closedBy: STAFF, closeReason: 'done' }, later);
    expect(closed).toMatchObject({ status: 'closed', closedBy: STAFF, closeReason: 'done', closedAt: later.toISOString() });
    await repo.tickets.updateTicket(GUILD, ticket.id, { status: 'closed' }, later);
    expect(await daily()).toEqual([
      { day: '2026-06-01', opened: 1, closed: 0 },
      { day: '2026-06-02', opened: 0, closed: 1 },
    ]);
  });

  it('keeps neither the change of status nor its count when the count cannot be written', async () => {
    const ticket = await reserved();
    await repo.tickets.updateTicket(GUILD, ticket.id, { status: 'open' }, NOW);
    const bump = vi.spyOn(repo.stats, 'bump').mockRejectedValueOnce(new Error('the count failed'));
    try {
      await expect(repo.tickets.updateTicket(GUILD, ticket.id, { status: 'closed', closedBy: STAFF }, NOW)).rejects.toThrow('the count failed');
    } finally {
      bump.mockRestore();
    }
    expect(await repo.tickets.getTicket(GUILD, { number: 1 })).toMatchObject({ status: 'open', closedBy: null, closedAt: null });
    expect(await daily()).toEqual([{ day: '2026-06-01', opened: 1, closed: 0 }]);
  });

  it('never reopens a closed ticket on a late "open"', async () => {
    const ticket = await reserved();
    await repo.tickets.updateTicket(GUILD, ticket.id, { status: 'closed' }, NOW);
    expect(await repo.tickets.updateTicket(GUILD, ticket.id, { status: 'open' }, NOW)).toMatchObject({ status: 'closed' });
  });

  it('sets and clears the claim, priority, first reply, thread and archive time; keeps a given close time', async () => {
    const ticket = await reserved();
    const set = await repo.tickets.updateTicket(
      GUILD,
      ticket.id,
      { claimedBy: STAFF, priority: 'urgent', firstReplyAt: '2026-06-01T12:05:00.000Z', thread: true, archivedAt: '2026-06-01T13:00:00.000Z' },
      NOW,
    );
    expect(set).toMatchObject({
      claimedBy: STAFF,
      priority: 'urgent',
      firstReplyAt: '2026-06-01T12:05:00.000Z',
      thread: true,
      archivedAt: '2026-06-01T13:00:00.000Z',
    });
    const cleared = await repo.tickets.updateTicket(
      GUILD,
      ticket.id,
      { claimedBy: null, archivedAt: null, closedAt: '2026-06-01T12:30:00.000Z', status: 'closed' },
      NOW,
    );
    expect(cleared).toMatchObject({ claimedBy: null, archivedAt: null, closedAt: '2026-06-01T12:30:00.000Z', priority: 'urgent', thread: true });
  });

  it('leaves the fields an update does not name as they were', async () => {
    const ticket = await reserved();
    const set = await repo.tickets.updateTicket(
      GUILD,
      ticket.id,
      {
        channelId: '500000000000000001',
        welcomeMessageId: '600000000000000001',
        claimedBy: STAFF,
        closedBy: STAFF,
        closeReason: 'done',
        closedAt: '2026-06-01T12:30:00.000Z',
        priority: 'urgent',
        firstReplyAt: '2026-06-01T12:05:00.000Z',
        thread: true,
        archivedAt: '2026-06-01T13:00:00.000Z',
        status: 'closed',
      },
      NOW,
    );
    expect(await repo.tickets.updateTicket(GUILD, ticket.id, {}, NOW)).toEqual(set);
    expect(await repo.tickets.getTicket(GUILD, { number: 1 })).toEqual(set);
  });

  it('answers null for a ticket of another guild or one that does not exist', async () => {
    const ticket = await reserved();
    expect(await repo.tickets.updateTicket(OTHER_GUILD, ticket.id, { status: 'open' }, NOW)).toBeNull();
    expect(await repo.tickets.updateTicket(GUILD, ticket.id + 1, { status: 'open' }, NOW)).toBeNull();
    expect(await daily()).toEqual([]);
  });
});

describe('TicketStore reads', () => {
  it('finds a ticket by number or channel in its own guild only, the newest for a reused channel', async () => {
    const first = await reserved(MEMBER);
    await repo.tickets.updateTicket(GUILD, first.id, { channelId: '500000000000000001', status: 'closed' }, NOW);
    const second = await reserved(OTHER_MEMBER);
    await repo.tickets.updateTicket(GUILD, second.id, { channelId: '500000000000000001', status: 'open' }, NOW);
    expect(await repo.tickets.getTicket(GUILD, { number: 1 })).toMatchObject({ id: first.id });
    expect(await repo.tickets.getTicket(GUILD, { channelId: '500000000000000001' })).toMatchObject({ id: second.id });
    expect(await repo.tickets.getTicket(OTHER_GUILD, { number: 1 })).toBeNull();
    expect(await repo.tickets.getTicket(OTHER_GUILD, { channelId: '500000000000000001' })).toBeNull();
    expect(await repo.tickets.getTicket(GUILD, { channelId: '500000000000000009' })).toBeNull();
    expect(await repo.tickets.getTicket(GUILD, {})).toBeNull();
  });

  it('lists a guild’s open tickets by number, of the given types', async () => {
    for (const [creator, typeName] of [
      [MEMBER, 'billing'],
      [OTHER_MEMBER, 'support'],
      [MEMBER, 'support'],
    ] as const) {
      const ticket = await reserved(creator, { typeName });
      await repo.tickets.updateTicket(GUILD, ticket.id, { status: 'open' }, NOW);
    }
    await reserved(STAFF);
    const other = await reserved(MEMBER, { guildId: OTHER_GUILD });
    await repo.tickets.updateTicket(OTHER_GUILD, other.id, { status: 'open' }, NOW);
    expect((await repo.tickets.openTickets(GUILD, null)).map((ticket) => ticket.number)).toEqual([1, 2, 3]);
    expect((await repo.tickets.openTickets(GUILD, ['support'])).map((ticket) => ticket.number)).toEqual([2, 3]);
  });
});

describe('TicketStore.changeType', () => {
  it('moves an open ticket, releasing its claim; the creator’s limit of the new type holds unless forced', async () => {
    const billing = await reserved(MEMBER, { typeName: 'billing' });
    await repo.tickets.updateTicket(GUILD, billing.id, { status: 'open', claimedBy: STAFF }, NOW);
    const support = await reserved(MEMBER);
    await repo.tickets.updateTicket(GUILD, support.id, { status: 'open', channelId: '500000000000000002' }, NOW);
    expect(await repo.tickets.changeType(GUILD, billing.id, 'support', false)).toEqual({
      ok: false,
      reason: 'limit',
      limit: 1,
      open: [{ number: 2, channelId: '500000000000000002' }],
    });
    expect(await repo.tickets.changeType(GUILD, billing.id, 'support', true)).toMatchObject({ ok: true, ticket: { typeName: 'support', claimedBy: null } });
    // Its own place is not counted against it: moving back to billing (limit 2) is allowed.
    expect(await repo.tickets.changeType(GUILD, support.id, 'billing', false)).toMatchObject({ ok: true, ticket: { typeName: 'billing' } });
  });

  it('names the open tickets of the refused type by number, whichever was written last', async () => {
    const billing = [];
    for (const n of [1, 2]) {
      billing.push(await reserved(MEMBER, { typeName: 'billing', now: new Date(NOW.getTime() + n * MINUTE) }));
      await repo.tickets.updateTicket(GUILD, billing.at(-1)!.id, { status: 'open' }, NOW);
    }
    const support = await reserved(MEMBER);
    await repo.tickets.updateTicket(GUILD, support.id, { status: 'open' }, NOW);
    await repo.tickets.updateTicket(GUILD, billing[0]!.id, { channelId: '500000000000000001' }, NOW);
    expect(await repo.tickets.changeType(GUILD, support.id, 'billing', false)).toEqual({
      ok: false,
      reason: 'limit',
      limit: 2,
      open: [
        { number: 1, channelId: '500000000000000001' },
        { number: 2, channelId: null },
      ],
    });
  });

  it('does not count the ticket’s own place, nor limit a ticket whose member’s data was deleted', async () => {
    const ticket = await reserved();
    await repo.tickets.updateTicket(GUILD, ticket.id, { status: 'open' }, NOW);
    expect(await repo.tickets.changeType(GUILD, ticket.id, 'support', false)).toMatchObject({ ok: true, ticket: { typeName: 'support' } });
    const erased = await reserved(OTHER_MEMBER, { typeName: 'billing' });
    await repo.tickets.updateTicket(GUILD, erased.id, { status: 'open' }, NOW);
    const other = await reserved(OTHER_MEMBER, { now: new Date(NOW.getTime() + MINUTE) });
    await repo.tickets.updateTicket(GUILD, other.id, { status: 'open' }, NOW);
    await repo.privacy.privacyDelete(OTHER_MEMBER, NOW);
    await repo.privacy.forgetSpentCreatorKeys(NOW, 0);
    // Their open tickets keep their key (they still count): a move is limited by it…
    expect(await repo.tickets.changeType(GUILD, erased.id, 'support', false)).toMatchObject({ ok: false, reason: 'limit' });
    // …until the key is gone, as it is for a closed one once its cooldown is over.
    await repo.models.TicketRow.update({ creatorKey: null }, { where: { id: [erased.id, other.id] } });
    expect(await repo.tickets.changeType(GUILD, erased.id, 'support', false)).toMatchObject({ ok: true, ticket: { typeName: 'support', creatorId: null } });
  });

  it('refuses a ticket that is not open and a type that does not exist', async () => {
    const ticket = await reserved();
    expect(await repo.tickets.changeType(GUILD, ticket.id, 'billing', false)).toEqual({ ok: false, reason: 'gone' });
    await repo.tickets.updateTicket(GUILD, ticket.id, { status: 'open' }, NOW);
    expect(await repo.tickets.changeType(GUILD, ticket.id, 'sales', false)).toEqual({ ok: false, reason: 'unknown-type' });
    expect(await repo.tickets.changeType(OTHER_GUILD, ticket.id, 'support', false)).toEqual({ ok: false, reason: 'gone' });
  });
});

describe('TicketStore.closeByChannel and reopen', () => {
  it('closes the active ticket of a channel deleted by hand and counts the close', async () => {
    const ticket = await reserved();
    // A staff close under way (its closer recorded) when the channel went: the hand deletion is the close.
    await repo.tickets.updateTicket(GUILD, ticket.id, { channelId: '500000000000000001', status: 'open', closedBy: STAFF }, NOW);
    const closed = await repo.tickets.closeByChannel(GUILD, '500000000000000001', NOW);
    expect(closed).toMatchObject({ status: 'closed', closedBy: null, closeReason: 'channel deleted by hand', closedAt: NOW.toISOString() });
    expect(await daily()).toEqual([{ day: '2026-06-01', opened: 1, closed: 1 }]);
    expect(await repo.tickets.closeByChannel(GUILD, '500000000000000001', NOW)).toBeNull();
  });

  it('forgets the archiving of a closed ticket whose archived channel is deleted by hand', async () => {
    const ticket = await reserved();
    await repo.tickets.updateTicket(GUILD, ticket.id, { channelId: '500000000000000001', status: 'closed', archivedAt: NOW.toISOString() }, NOW);
    const kept = await reserved(OTHER_MEMBER);
    await repo.tickets.updateTicket(GUILD, kept.id, { channelId: '500000000000000002', status: 'closed', archivedAt: NOW.toISOString() }, NOW);
    expect(await repo.tickets.archivedTickets()).toHaveLength(2);
    expect(await repo.tickets.closeByChannel(GUILD, '500000000000000001', NOW)).toBeNull();
    expect(await repo.tickets.getTicket(GUILD, { number: 1 })).toMatchObject({ status: 'closed', archivedAt: null });
    // Only that channel's ticket: another archived channel is still to be deleted.
    expect(await repo.tickets.archivedTickets()).toEqual([{ guildId: GUILD, number: 2, archivedAt: NOW, days: 7 }]);
  });

  it('reopens an archived ticket, forgetting its close; an open one comes back as it is; others are refused', async () => {
    const ticket = await reserved();
    const later = new Date(NOW.getTime() + 60 * MINUTE);
    expect(await repo.tickets.reopen(GUILD, ticket.id, { now: later })).toEqual({ ok: false, reason: 'not-archived' });
    // Only a closed ticket is reopened, whatever archive time an opening one carries.
    await repo.tickets.updateTicket(GUILD, ticket.id, { archivedAt: NOW.toISOString() }, NOW);
    expect(await repo.tickets.reopen(GUILD, ticket.id, { now: later })).toEqual({ ok: false, reason: 'not-archived' });
    await repo.tickets.updateTicket(GUILD, ticket.id, { archivedAt: null }, NOW);
    await repo.tickets.updateTicket(GUILD, ticket.id, { status: 'closed', closedBy: STAFF, closeReason: 'done' }, NOW);
    expect(await repo.tickets.reopen(GUILD, ticket.id, { now: later })).toEqual({ ok: false, reason: 'not-archived' });
    await repo.tickets.updateTicket(GUILD, ticket.id, { archivedAt: NOW.toISOString() }, NOW);
    expect(await repo.tickets.reopen(OTHER_GUILD, ticket.id, { now: later })).toEqual({ ok: false, reason: 'not-archived' });
    expect(await repo.tickets.reopen(GUILD, ticket.id, { check: true, now: later })).toMatchObject({ ok: true, ticket: { status: 'closed' } });
    const reopened = await repo.tickets.reopen(GUILD, ticket.id, { now: later });
    expect(reopened).toMatchObject({
      ok: true,
      ticket: { status: 'open', closedAt: null, closedBy: null, closeReason: null, archivedAt: null, reopenedAt: later.toISOString() },
    });
    expect(await repo.tickets.reopen(GUILD, ticket.id, { now: later })).toEqual(reopened);
  });

  it('refuses to reopen past the member’s limit of the type', async () => {
    const archived = await reserved();
    await repo.tickets.updateTicket(GUILD, archived.id, { status: 'closed', archivedAt: NOW.toISOString() }, NOW);
    const open = await reserved(MEMBER, { now: new Date(NOW.getTime() + MINUTE) });
    await repo.tickets.updateTicket(GUILD, open.id, { status: 'open', channelId: '500000000000000002' }, NOW);
    expect(await repo.tickets.reopen(GUILD, archived.id)).toEqual({
      ok: false,
      reason: 'limit',
      limit: 1,
      open: [{ number: 2, channelId: '500000000000000002' }],
    });
    expect(await repo.tickets.getTicket(GUILD, { number: 1 })).toMatchObject({ status: 'closed' });
  });

  it('sets no limit on a reopen when the type was removed since, or the member’s key is gone', async () => {
    const archived = await reserved(MEMBER, { typeName: 'billing' });
    await repo.tickets.updateTicket(GUILD, archived.id, { status: 'closed', archivedAt: NOW.toISOString() }, NOW);
    const open = [];
    for (const n of [1, 2]) {
      open.push(await reserved(MEMBER, { typeName: 'billing', now: new Date(NOW.getTime() + n * MINUTE) }));
      await repo.tickets.updateTicket(GUILD, open.at(-1)!.id, { status: 'open' }, NOW);
    }
    // Ticket 2 written last (Postgres then keeps its row after ticket 3's): still listed by number.
    await repo.tickets.updateTicket(GUILD, open[0]!.id, { channelId: '500000000000000002' }, NOW);
    expect(await repo.tickets.reopen(GUILD, archived.id, { check: true })).toEqual({
      ok: false,
      reason: 'limit',
      limit: 2,
      open: [
        { number: 2, channelId: '500000000000000002' },
        { number: 3, channelId: null },
      ],
    });
    await repo.guilds.replaceTypes(GUILD, [type('support')]);
    expect(await repo.tickets.reopen(GUILD, archived.id, { check: true })).toMatchObject({ ok: true });

    // Erased, closed and past its cooldown: its key is forgotten.
    const erased = await reserved(OTHER_MEMBER, { now: new Date(NOW.getTime() - MINUTE) });
    await repo.tickets.updateTicket(GUILD, erased.id, { status: 'closed', archivedAt: NOW.toISOString() }, NOW);
    const other = await reserved(STAFF);
    await repo.tickets.updateTicket(GUILD, other.id, { status: 'open' }, NOW);
    await repo.privacy.privacyDelete(OTHER_MEMBER, NOW);
    await repo.privacy.privacyDelete(STAFF, NOW);
    expect(await repo.models.TicketRow.findByPk(erased.id)).toMatchObject({ creatorKey: null });
    await repo.models.TicketRow.update({ creatorKey: null }, { where: { id: other.id } });
    // Another erased member's open ticket (no key either) does not count against this one.
    expect(await repo.tickets.reopen(GUILD, erased.id, { now: NOW })).toMatchObject({ ok: true, ticket: { status: 'open', creatorId: null } });
  });
});

describe('TicketStore schedules', () => {
  it('lists the auto-close checks: open tickets with a channel of a type that closes them, from their open or their last reopen', async () => {
    await repo.guilds.replaceTypes(GUILD, [{ ...type('support', 5), autoCloseHours: 48 }, type('billing', 5)]);
    const plain = await reserved(MEMBER);
    await repo.tickets.updateTicket(GUILD, plain.id, { status: 'open', channelId: '500000000000000001' }, NOW);
    const reopened = await reserved(MEMBER, { now: new Date(NOW.getTime() - 60 * MINUTE) });
    await repo.tickets.updateTicket(GUILD, reopened.id, { status: 'closed', channelId: '500000000000000002', archivedAt: NOW.toISOString() }, NOW);
    await repo.tickets.reopen(GUILD, reopened.id, { now: new Date(NOW.getTime() + MINUTE) });
    const noChannel = await reserved(MEMBER);
    await repo.tickets.updateTicket(GUILD, noChannel.id, { status: 'open' }, NOW);
    const closed = await reserved(MEMBER);
    await repo.tickets.updateTicket(GUILD, closed.id, { status: 'closed', channelId: '500000000000000003' }, NOW);
    const other = await reserved(MEMBER, { typeName: 'billing' });
    await repo.tickets.updateTicket(GUILD, other.id, { status: 'open', channelId: '500000000000000004' }, NOW);
    const checks = await repo.tickets.autoCloseTickets();
    expect(checks.sort((a, b) => a.number - b.number)).toEqual([
      { guildId: GUILD, number: 1, createdAt: NOW, hours: 48 },
      { guildId: GUILD, number: 2, createdAt: new Date(NOW.getTime() + MINUTE), hours: 48 },
    ]);
  });

  it('lists the archived channels to delete with their type’s days, the default when the type is gone', async () => {
    await repo.guilds.replaceTypes(GUILD, [{ ...type('support'), archiveDays: 3 }, type('billing')]);
    const support = await reserved(MEMBER);
    await repo.tickets.updateTicket(GUILD, support.id, { status: 'closed', channelId: '500000000000000001', archivedAt: NOW.toISOString() }, NOW);
    const billing = await reserved(MEMBER, { typeName: 'billing' });
    await repo.tickets.updateTicket(GUILD, billing.id, { status: 'closed', channelId: '500000000000000002', archivedAt: NOW.toISOString() }, NOW);
    const open = await reserved(OTHER_MEMBER);
    await repo.tickets.updateTicket(GUILD, open.id, { status: 'open', channelId: '500000000000000003', archivedAt: NOW.toISOString() }, NOW);
    await repo.guilds.replaceTypes(GUILD, [{ ...type('support'), archiveDays: 3 }]);
    const archived = await repo.tickets.archivedTickets();
    expect(archived.sort((a, b) => a.number - b.number)).toEqual([
      { guildId: GUILD, number: 1, archivedAt: NOW, days: 3 },
      { guildId: GUILD, number: 2, archivedAt: NOW, days: ConfigLimits.archiveDaysDefault },
    ]);
  });
});

describe('PrivacyStore', () => {
  it('exports every ticket that names the member, with the roles it names them in, and the servers that block them', async () => {
    const own = await reserved(MEMBER);
    await repo.tickets.updateTicket(GUILD, own.id, { status: 'closed', closedBy: MEMBER, closeReason: 'solved' }, NOW);
    const claimed = await reserved(OTHER_MEMBER, { guildId: OTHER_GUILD });
    await repo.tickets.updateTicket(OTHER_GUILD, claimed.id, { claimedBy: MEMBER }, NOW);
    await reserved(OTHER_MEMBER);
    const closedBy = await reserved(OTHER_MEMBER, { typeName: 'billing' });
    await repo.tickets.updateTicket(GUILD, closedBy.id, { status: 'closed', closedBy: MEMBER }, NOW);
    await repo.guilds.replaceBlocklist(THIRD_GUILD, { userIds: [MEMBER], roleIds: [] });
    await repo.guilds.replaceBlocklist(OTHER_GUILD, { userIds: [MEMBER], roleIds: [] });
    await repo.guilds.replaceBlocklist(GUILD, { userIds: [OTHER_MEMBER], roleIds: [MEMBER] });
    const exported = await repo.privacy.privacyExport(MEMBER, NOW);
    expect(exported).toEqual({
      userId: MEMBER,
      exportedAt: NOW.toISOString(),
      tickets: [
        {
          guildId: GUILD,
          number: 1,
          typeName: 'support',
          status: 'closed',
          createdAt: NOW.toISOString(),
          closedAt: NOW.toISOString(),
          closeReason: 'solved',
          channelId: null,
          yourRoles: ['creator', 'closer'],
        },
        {
          guildId: GUILD,
          number: 3,
          typeName: 'billing',
          status: 'closed',
          createdAt: NOW.toISOString(),
          closedAt: NOW.toISOString(),
          closeReason: null,
          channelId: null,
          yourRoles: ['closer'],
        },
        {
          guildId: OTHER_GUILD,
          number: 1,
          typeName: 'support',
          status: 'opening',
          createdAt: NOW.toISOString(),
          closedAt: null,
          closeReason: null,
          channelId: null,
          yourRoles: ['claimer'],
        },
      ],
      blockedOn: [{ guildId: OTHER_GUILD }, { guildId: THIRD_GUILD }],
    });
  });

  it('exports a ticket the member only created, and no ticket that does not name them', async () => {
    await reserved(MEMBER);
    await reserved(OTHER_MEMBER);
    const exported = await repo.privacy.privacyExport(MEMBER, NOW);
    expect(exported.tickets.map((ticket) => [ticket.guildId, ticket.number, ticket.yourRoles])).toEqual([[GUILD, 1, ['creator']]]);
  });

  it('erases the member’s id as creator, claimer and closer and from blocklists, leaving other members untouched', async () => {
    const own = await reserved(MEMBER);
    await repo.tickets.updateTicket(GUILD, own.id, { status: 'open' }, NOW);
    const claimed = await reserved(OTHER_MEMBER);
    await repo.tickets.updateTicket(GUILD, claimed.id, { claimedBy: MEMBER }, NOW);
    const closedBy = await reserved(OTHER_MEMBER, { typeName: 'billing' });
    await repo.tickets.updateTicket(GUILD, closedBy.id, { status: 'closed', closedBy: MEMBER }, NOW);
    const untouched = await reserved(OTHER_MEMBER, { guildId: OTHER_GUILD });
    await repo.tickets.updateTicket(OTHER_GUILD, untouched.id, { claimedBy: STAFF, status: 'closed', closedBy: STAFF }, NOW);
    await repo.guilds.replaceBlocklist(OTHER_GUILD, { userIds: [MEMBER, STAFF], roleIds: [] });
    await repo.guilds.replaceBlocklist(GUILD, { userIds: [MEMBER], roleIds: [] });
    // A role that happens to carry the same id is a role, not the member: it stays.
    await repo.guilds.replaceBlocklist(THIRD_GUILD, { userIds: [], roleIds: [MEMBER] });

    const erasure = await repo.privacy.privacyDelete(MEMBER, NOW);
    expect({ ...erasure, blocklistGuildIds: [...erasure.blocklistGuildIds].sort() }).toEqual({
      tickets: 3,
      openTickets: 1,
      blocklistGuildIds: [GUILD, OTHER_GUILD],
    });
    expect((await repo.privacy.privacyExport(MEMBER, NOW)).tickets).toEqual([]);
    expect(await repo.tickets.getTicket(GUILD, { number: 1 })).toMatchObject({ creatorId: null });
    expect(await repo.tickets.getTicket(GUILD, { number: 2 })).toMatchObject({ creatorId: OTHER_MEMBER, claimedBy: null });
    expect(await repo.tickets.getTicket(GUILD, { number: 3 })).toMatchObject({ creatorId: OTHER_MEMBER, closedBy: null });
    expect(await repo.tickets.getTicket(OTHER_GUILD, { number: 1 })).toMatchObject({ creatorId: OTHER_MEMBER, claimedBy: STAFF, closedBy: STAFF });
    const blocks = await repo.models.BlockRow.findAll({ order: [['targetId', 'ASC']] });
    expect(blocks.map((row) => [row.guildId, row.targetId, row.kind])).toEqual([
      [THIRD_GUILD, MEMBER, 'role'],
      [OTHER_GUILD, STAFF, 'user'],
    ]);
  });

  it('keeps the erased member’s limit and cooldown, and forgets their key once a closed ticket’s cooldown is over', async () => {
    const own = await reserved(MEMBER, { cooldownMs: 10 * MINUTE });
    await repo.tickets.updateTicket(GUILD, own.id, { status: 'open' }, NOW);
    await repo.privacy.privacyDelete(MEMBER, NOW, 10 * MINUTE);
    expect(await reserve(MEMBER)).toMatchObject({ ok: false, reason: 'limit' });
    await repo.tickets.updateTicket(GUILD, own.id, { status: 'closed' }, NOW);
    expect(await reserve(MEMBER, { now: new Date(NOW.getTime() + MINUTE), cooldownMs: 10 * MINUTE })).toMatchObject({ ok: false, reason: 'cooldown' });
    expect(await repo.privacy.forgetSpentCreatorKeys(new Date(NOW.getTime() + 5 * MINUTE), 10 * MINUTE)).toBe(0);
    expect(await repo.privacy.forgetSpentCreatorKeys(new Date(NOW.getTime() + 11 * MINUTE), 10 * MINUTE)).toBe(1);
    const row = await repo.models.TicketRow.findByPk(own.id);
    expect(row?.creatorKey).toBeNull();
  });

  it('forgets, in the erasure itself, the key of the member’s closed tickets whose cooldown is over', async () => {
    const own = await reserved(MEMBER);
    await repo.tickets.updateTicket(GUILD, own.id, { status: 'closed' }, NOW);
    const later = new Date(NOW.getTime() + 11 * MINUTE);
    await repo.privacy.privacyDelete(MEMBER, later, 10 * MINUTE);
    const row = await repo.models.TicketRow.findByPk(own.id);
    expect(row).toMatchObject({ creatorId: null, creatorKey: null });
    expect(await repo.privacy.forgetSpentCreatorKeys(later, 10 * MINUTE)).toBe(0);
  });
});

describe('Repository secrets', () => {
  it('derives one creator key per member and guild, stable across calls', async () => {
    const key = await repo.creatorKey(GUILD, MEMBER);
    expect(await repo.creatorKey(GUILD, MEMBER)).toBe(key);
    expect(await repo.creatorKey(OTHER_GUILD, MEMBER)).not.toBe(key);
    expect(await repo.creatorKey(GUILD, OTHER_MEMBER)).not.toBe(key);
    expect(await repo.feedbackKey()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('says which secret is missing, and reads it again once it is there', async () => {
    const [row] = await repo.sequelize.query<{ value: string }>("SELECT value FROM app_secrets WHERE name = 'feedback-key'", { type: 'SELECT' as never });
    await repo.sequelize.query("DELETE FROM app_secrets WHERE name = 'feedback-key'");
    await expect(repo.feedbackKey()).rejects.toThrow('the feedback-key secret is missing from app_secrets');
    await repo.sequelize.query("INSERT INTO app_secrets (name, value) VALUES ('feedback-key', :value)", { replacements: { value: row!.value } });
    expect(await repo.feedbackKey()).toBe(row!.value);
  });

  it('reads each secret once: later calls are answered without the table', async () => {
    const key = await repo.feedbackKey();
    const creator = await repo.creatorKey(GUILD, MEMBER);
    const rows = await repo.sequelize.query<{ name: string; value: string }>('SELECT name, value FROM app_secrets', { type: QueryTypes.SELECT });
    await repo.sequelize.query('DELETE FROM app_secrets');
    try {
      expect(await repo.feedbackKey()).toBe(key);
      expect(await repo.creatorKey(GUILD, MEMBER)).toBe(creator);
    } finally {
      for (const row of rows) await repo.sequelize.query('INSERT INTO app_secrets (name, value) VALUES (:name, :value)', { replacements: row });
    }
  });

  it('makes a guild’s settings row once', async () => {
    const made = await repo.ensureGuild('200000000000000009');
    const again = await repo.ensureGuild('200000000000000009');
    expect(again.guildId).toBe(made.guildId);
    expect(await repo.models.GuildSettings.count({ where: { guildId: '200000000000000009' } })).toBe(1);
  });
});

describe('Repository transactions and close', () => {
  it('makes a settings row inside the caller’s transaction, once: rolled back, no row is left', async () => {
    await expect(
      repo.sequelize.transaction(async (transaction) => {
        const made = await repo.ensureGuild('200000000000000009', transaction);
        expect((await repo.ensureGuild('200000000000000009', transaction)).guildId).toBe(made.guildId);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await repo.models.GuildSettings.count({ where: { guildId: '200000000000000009' } })).toBe(0);
  });

  it('runs a guild’s configuration section, with the guild’s write sections inside it, and answers its result', async () => {
    const result = await repo.configLock.run(GUILD, () => repo.writeGuild(GUILD, async () => repo.ensureGuild(GUILD).then((row) => row.guildId)));
    expect(result).toBe(GUILD);
  });

  it('lets a write in progress finish before it closes the database', async () => {
    const own = new Repository(await openSequelize());
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const writing = own.write(async () => {
      entered();
      await gate;
      return own.models.TicketRow.count();
    });
    await inside;
    const closing = own.close();
    release();
    expect(await writing).toBe(0);
    await closing;
    await expect(own.models.TicketRow.count()).rejects.toThrow();
  });
});
