/**
 * `make capacity`: the per-unit figures docs/capacity.md scales from, measured small:
 *
 * - Redis bytes per guild projection and per queued `ticket.open` job (private redis-server,
 *   `used_memory` before and after);
 * - database bytes per ticket and reserves/s of the single database writer, SQLite and
 *   Postgres (the repository itself, no queue);
 * - PSS and RSS of every service process, and CPU milliseconds per open and per
 *   interaction answered, from /proc of a running stack against the emulator.
 *
 * Knobs (env): CAP_PROJECTIONS (10000), CAP_JOBS (10000), CAP_TICKETS (5000),
 * CAP_GUILDS (10), CAP_OPENS (40), CAP_CLICKS (500), CAPACITY_ONLY (redis,database,stack).
 * Writes bench/results/capacity-<timestamp>.json.
 */
import { mkdirSync, rmSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { guildConfigSchema, parseJob, projectionKey, ticketJobSchemas, QueueName } from '@promton/shared/contracts';
import { migrate } from '../services/config-service/src/db/migrations.js';
import { Repository } from '../services/config-service/src/db/repository.js';
import { createSequelize } from '../services/config-service/src/db/sequelize.js';
import { fireOpens, mapLimit, setupGuilds, sleep } from '../tests/chaos/support/chaos.js';
import { spawnRedis } from '../scripts/stack/redis-server.js';
import { BOT_SERVICES, ROOT, Stack } from '../scripts/stack/stack.js';
import { cpuMs, footprint } from '../scripts/stack/proc.js';
import { createPostgresDatabase, postgresReachable } from '../scripts/stack/test-database.js';

const env = process.env;
const PROJECTIONS = Number(env.CAP_PROJECTIONS ?? 10_000);
const JOBS = Number(env.CAP_JOBS ?? 10_000);
const TICKETS = Number(env.CAP_TICKETS ?? 5_000);
const GUILDS = Number(env.CAP_GUILDS ?? 10);
const OPENS = Number(env.CAP_OPENS ?? 40);
const CLICKS = Number(env.CAP_CLICKS ?? 500);
const ONLY = new Set((env.CAPACITY_ONLY ?? 'redis,database,stack').split(','));
const log = (...args: unknown[]) => console.log(`[capacity ${new Date().toISOString().slice(11, 19)}]`, ...args);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const snowflake = (n: number) => `1${String(n).padStart(18, '0')}`;

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
}

/** A guild's projection as config-service writes it: one type with a staff role, a question, a log channel and an embed look. */
function projection(guildId: string) {
  return guildConfigSchema.parse({
    v: 1,
    guildId,
    logChannelId: snowflake(9),
    logChannelProblem: null,
    transcripts: true,
    embed: { titlePrefix: 'Support', authorName: null, authorIconUrl: null, bannerUrl: null, color: 0x2f9e44, footerText: 'Our server' },
    types: [
      {
        name: 'support',
        label: 'Support',
        description: 'Ask the team',
        emoji: null,
        categoryId: snowflake(7),
        staffRoleIds: [snowflake(8)],
        welcomeMessage: 'Welcome! Tell us what you need.',
        perUserLimit: 1,
        questions: ['What happened?'],
        autoCloseHours: 48,
      },
    ],
    updatedAt: new Date().toISOString(),
  });
}

async function measureRedis() {
  const server = await spawnRedis();
  const redis = new Redis(server.url);
  try {
    const before = await usedMemory(redis);
    for (let i = 0; i < PROJECTIONS; i += 500) {
      const pipeline = redis.pipeline();
      for (let j = i; j < Math.min(i + 500, PROJECTIONS); j++)
        pipeline.set(projectionKey('promton', snowflake(1_000_000 + j)), JSON.stringify(projection(snowflake(1_000_000 + j))));
      await pipeline.exec();
    }
    const afterProjections = await usedMemory(redis);
    const queue = new Queue(QueueName.tickets, { connection: redis, prefix: 'promton' });
    const token = 'a'.repeat(200); // interaction tokens are ~200 characters
    for (let i = 0; i < JOBS; i += 500) {
      await queue.addBulk(
        Array.from({ length: Math.min(500, JOBS - i) }, (_, k) => {
          const n = i + k;
          const data = parseJob(ticketJobSchemas, 'ticket.open', {
            v: 1,
            ctx: {
              applicationId: snowflake(1),
              interactionId: snowflake(2_000_000 + n),
              token,
              guildId: snowflake(1_000_000 + (n % 1000)),
              channelId: snowflake(3),
              receivedAt: new Date().toISOString(),
              member: { userId: snowflake(4_000_000 + n), roles: [snowflake(5)], permissions: '2248473465835073' },
            },
            typeName: 'support',
            answers: [],
          });
          return { name: 'ticket.open', data, opts: { jobId: `int-${snowflake(2_000_000 + n)}`, attempts: 5, removeOnComplete: { age: 900 } } };
        }),
      );
    }
    const afterJobs = await usedMemory(redis);
    await queue.close();
    const result = {
      projections: PROJECTIONS,
      bytesPerProjection: round((afterProjections - before) / PROJECTIONS, 0),
      projectionJsonBytes: JSON.stringify(projection(snowflake(1))).length,
      queuedJobs: JOBS,
      bytesPerQueuedJob: round((afterJobs - afterProjections) / JOBS, 0),
    };
    log('redis', result);
    return result;
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

/** TICKETS reserves over 100 guilds, 16 at a time, each then opened; every other one closed. */
async function fillDatabase(repo: Repository) {
  const guilds = Array.from({ length: 100 }, (_, i) => snowflake(6_000_000 + i));
  for (const guildId of guilds) {
    await repo.guilds.guildJoined(guildId, 1000);
    await repo.guilds.replaceTypes(guildId, [projection(guildId).types[0]!]);
  }
  const started = performance.now();
  await mapLimit(
    Array.from({ length: TICKETS }, (_, i) => i),
    16,
    async (i) => {
      const reply = await repo.tickets.reserve({
        v: 1,
        guildId: guilds[i % guilds.length]!,
        typeName: 'support',
        creatorId: snowflake(7_000_000 + i),
        interactionId: snowflake(8_000_000 + i),
      });
      if (!reply.ok) throw new Error(JSON.stringify(reply));
      return reply;
    },
  );
  const reserveSeconds = (performance.now() - started) / 1000;
  const tickets = await repo.models.TicketRow.findAll();
  await mapLimit(tickets, 16, async (ticket) => {
    await repo.tickets.updateTicket(ticket.guildId, ticket.id, {
      channelId: snowflake(9_000_000 + ticket.id),
      welcomeMessageId: snowflake(9_500_000 + ticket.id),
      status: 'open',
    });
    if (ticket.id % 2 === 0)
      await repo.tickets.updateTicket(ticket.guildId, ticket.id, {
        status: 'closed',
        closedBy: snowflake(8),
        closeReason: 'solved, thanks',
        closedAt: new Date().toISOString(),
      });
  });
  return { tickets: TICKETS, reservesPerSecond: round(TICKETS / reserveSeconds) };
}

async function measureDatabase() {
  const results: Record<string, unknown> = {};
  const dir = mkdtempSync(join(tmpdir(), 'promton-capacity-'));
  try {
    const file = join(dir, 'capacity.sqlite');
    const sqlite = createSequelize(`sqlite:${file}`);
    await migrate(sqlite);
    const emptyBytes = statSync(file).size;
    const repo = new Repository(sqlite);
    const filled = await fillDatabase(repo);
    await sqlite.query('PRAGMA wal_checkpoint(TRUNCATE)');
    await sqlite.query('VACUUM');
    results.sqlite = { ...filled, bytesPerTicket: round((statSync(file).size - emptyBytes) / TICKETS, 0) };
    log('sqlite', results.sqlite);
    await repo.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!(await postgresReachable())) {
    results.postgres = 'skipped: no server';
    return results;
  }
  const database = await createPostgresDatabase();
  try {
    const pg = createSequelize(database.url);
    await migrate(pg);
    const repo = new Repository(pg);
    const filled = await fillDatabase(repo);
    await pg.query('VACUUM ANALYZE tickets');
    const [size] = await pg.query<{ bytes: string }>("SELECT pg_total_relation_size('tickets') AS bytes", { type: 'SELECT' as never });
    results.postgres = { ...filled, bytesPerTicket: round(Number(size!.bytes) / TICKETS, 0) };
    log('postgres', results.postgres);
    await repo.close();
  } finally {
    await database.drop();
  }
  return results;
}

async function measureStack() {
  const server = await spawnRedis();
  const stack = await Stack.start({
    redisUrl: server.url,
    env: { LOG_LEVEL: 'warn', NODE_OPTIONS: '--max-semi-space-size=1 --max-old-space-size=96 --v8-pool-size=1' } as Record<string, string>,
  });
  try {
    const guilds = await setupGuilds(stack.emulator, GUILDS);
    const pids = Object.fromEntries(BOT_SERVICES.map((name) => [name, stack.processes.get(name)!.child.pid!]));
    const cpu = () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));

    // Opens: 2 per second (Discord allows 10 channel creates per 10 s per guild), all answered.
    const beforeOpens = cpu();
    const opens = await fireOpens(stack.emulator, guilds, OPENS, 2);
    for (const open of opens) await stack.emulator.waitForOriginal(open.id, 120_000);
    await sleep(2_000); // log posts trail the answer; their CPU belongs to the open
    const afterOpens = cpu();

    // Interactions: claim clicks on a ticket that does not exist (answered ❌ by ticket-worker).
    const clicks: string[] = [];
    for (let i = 0; i < CLICKS; i++) {
      const guild = guilds[i % guilds.length]!;
      clicks.push(
        (
          await stack.emulator.interact({
            guildId: guild.guild.id,
            channelId: guild.panelChannel.id,
            userId: guild.member.id,
            kind: 'button',
            customId: 'pt:v1:claim:999999',
            messageId: guild.panelId,
          })
        ).id,
      );
    }
    for (const id of clicks) await stack.emulator.waitForOriginal(id, 120_000);
    const afterClicks = cpu();

    const perOpen = Object.fromEntries(Object.keys(pids).map((name) => [name, round((afterOpens[name]! - beforeOpens[name]!) / OPENS)]));
    const perClick = Object.fromEntries(Object.keys(pids).map((name) => [name, round((afterClicks[name]! - afterOpens[name]!) / CLICKS, 2)]));
    const memory = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, footprint(pid)]));
    const result = { guilds: GUILDS, opens: OPENS, clicks: CLICKS, cpuMsPerOpen: perOpen, cpuMsPerInteraction: perClick, memory };
    log('stack', JSON.stringify(result));
    return result;
  } finally {
    await stack.close();
    await server.stop();
  }
}

const results: Record<string, unknown> = { at: new Date().toISOString() };
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
const file = join(ROOT, 'bench/results', `capacity-${results.at as string}.json`.replaceAll(':', '-'));
// Written after each part, so a run cut short keeps what it measured.
const save = () => writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
if (ONLY.has('redis')) {
  results.redis = await measureRedis();
  save();
}
if (ONLY.has('database')) {
  results.database = await measureDatabase();
  save();
}
if (ONLY.has('stack')) {
  results.stack = await measureStack();
  save();
}
log('written', file);
process.exit(0);
