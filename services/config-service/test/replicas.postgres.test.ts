import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReserveReply } from '@promton/shared/contracts';
import { freePort } from '../../../scripts/stack/redis-server.js';
import { ROOT } from '../../../scripts/stack/stack.js';
import { ticketType } from '../../../tests/support/ticket-type.js';
import { startHarness, type Harness } from './support.js';

// Postgres only: config-service as three replicas on one database and one queue.
const GUILDS = Array.from({ length: 20 }, (_, i) => `2100000000000000${String(i).padStart(2, '0')}`);
const OPENS = 500;

interface Replica {
  child: ChildProcess;
  exited: Promise<unknown>;
  output: string[];
}

/** Another config-service process on the harness's database, Redis prefix and fake Discord. */
async function startReplica(h: Harness): Promise<Replica> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawn(process.execPath, [join(ROOT, 'services/config-service/dist/main.js')], {
    env: {
      PATH: process.env.PATH,
      REDIS_URL: h.config.redisUrl,
      QUEUE_PREFIX: h.config.queuePrefix,
      DATABASE_URL: h.config.databaseUrl,
      DISCORD_API_URL: `${h.discord.url}/api`,
      HEALTH_PORT: String(port),
      OPEN_COOLDOWN_SECONDS: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise((done) => child.once('exit', done));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`replica exited at start:\n${output.join('')}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, exited, output };
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('config-service replicas on Postgres', () => {
  let h: Harness;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    h = await startHarness();
    replicas.push(await startReplica(h), await startReplica(h));
    for (const guild of GUILDS) await h.app.repo.guilds.replaceTypes(guild, [ticketType('support')]);
  });
  afterAll(async () => {
    for (const replica of replicas) {
      replica.child.kill('SIGTERM');
      await replica.exited;
    }
    await h?.close();
  });

  it(`numbers ${OPENS} concurrent opens across ${GUILDS.length} guilds exactly once, with 3 replicas`, async () => {
    const opens = Array.from({ length: OPENS }, (_, i) => ({
      guildId: GUILDS[i % GUILDS.length]!,
      creatorId: `3100000000000${String(i).padStart(6, '0')}`,
      interactionId: `4100000000000${String(i).padStart(6, '0')}`,
    }));
    // Every open twice, under different job ids (a retried job, a redelivered interaction): still one ticket each.
    const sent = [...opens, ...opens].map((open, n) => ({ open, jobId: `reserve-${n}` }));
    // Added as ConfigClient.request adds them, all at once; the replies are read from the
    // finished jobs (kept until the harness closes) once every one has finished.
    await Promise.all(
      sent.map(({ open, jobId }) =>
        h.client.queue.add('ticket.reserve', { v: 1, typeName: 'support', ...open }, { jobId, attempts: 3, backoff: { type: 'exponential', delay: 200 } }),
      ),
    );
    for (;;) {
      const counts = await h.client.queue.getJobCounts('completed', 'failed');
      if ((counts.completed ?? 0) + (counts.failed ?? 0) === sent.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const jobs = await Promise.all(sent.map(({ jobId }) => h.client.queue.getJob(jobId)));
    expect(jobs.map((job) => job?.failedReason).filter(Boolean)).toEqual([]);
    const replies = jobs.map((job) => job!.returnvalue as ReserveReply);

    const byInteraction = new Map<string, number>();
    for (const [n, reply] of replies.entries()) {
      expect(reply.ok, JSON.stringify(reply)).toBe(true);
      if (!reply.ok) continue;
      const open = sent[n]!.open;
      expect(reply.ticket).toMatchObject({ guildId: open.guildId, creatorId: open.creatorId, openingInteractionId: open.interactionId });
      const seen = byInteraction.get(open.interactionId);
      if (seen !== undefined) expect(reply.ticket.id).toBe(seen); // the repeat got the same ticket
      byInteraction.set(open.interactionId, reply.ticket.id);
    }
    expect(byInteraction.size).toBe(OPENS);

    // The database: one row per open, numbers 1..25 in every guild, no gap, no repeat.
    const rows = await h.app.repo.models.TicketRow.findAll({ attributes: ['guildId', 'number', 'openingInteractionId'] });
    expect(rows).toHaveLength(OPENS);
    for (const guild of GUILDS) {
      const numbers = rows
        .filter((row) => row.guildId === guild)
        .map((row) => row.number)
        .sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: OPENS / GUILDS.length }, (_, i) => i + 1));
    }
    const settings = await h.app.repo.models.GuildSettings.findAll();
    expect(settings.map((s) => s.ticketCounter)).toEqual(GUILDS.map(() => OPENS / GUILDS.length));

    // All three replicas took part.
    const workers = new Set(jobs.map((job) => job?.processedBy));
    expect(workers.size, [...workers].join(', ')).toBe(3);
  }, 600_000); // 1,000 requests through three processes on a shared 2-core machine
});
