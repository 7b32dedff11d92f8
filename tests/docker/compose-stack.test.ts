/**
 * `make compose-test`: the stack an operator starts with `docker compose up`, for real.
 *
 * Builds the image with compose, starts `--profile demo` (the emulator stands in for
 * Discord), waits for every healthcheck, drives the demo through the emulator's published
 * port, restarts ticket-worker in the middle of 50 opens, stops and starts the stack,
 * scales the workers under a burst, restores an online backup into a fresh volume, records
 * each container's memory in docs/benchmarks.md (whatever an earlier step did), opens and
 * closes a ticket with config-service on PostgreSQL (profile `postgres`) and interactions
 * arriving over HTTP (profile `http-interactions`), and removes every container, network,
 * volume and image it made (also when a step fails).
 *
 * Not part of `make test` (vitest.docker.config.ts); needs a Docker engine (see
 * scripts/ensure-docker.sh) and the base images (scripts/base-images.sh, run here).
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownEnvVars } from '@promton/shared/contracts';
import { fireOpens, settle, setupGuilds, verifyOpens, type ChaosGuild } from '../chaos/support/chaos.js';
import { expectBurstMet, expectEveryOpened } from '../chaos/support/expect-opens.js';
import { queryRows } from '../support/database.js';
import { act, command, configureDemoGuild, openDemoTicket, panelMessage, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import { EmulatorClient } from '@promton/discord-emulator';
import { freePort } from '../../scripts/stack/redis-server.js';

const ROOT = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);
const RUN = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const PROJECT = `promton-ct-${RUN}`;
const TAG = `ct-${RUN}`;
const IMAGE = `promton-tickets:${TAG}`;
const BOT_SERVICES = ['redis', 'gateway', 'ticket-worker', 'log-worker', 'config-service', 'web'];
const ALL_SERVICES = [...BOT_SERVICES, 'discord-emulator'];
const work = mkdtempSync(join(tmpdir(), 'promton-compose-test-'));
chmodSync(work, 0o755);
const emptyEnv = join(work, 'empty.env');
writeFileSync(emptyEnv, '');

let webPort = 0;
let emulatorPort = 0;
let interactionsPort = 0;
/** The profiles compose runs with: the demo, then (last step) also PostgreSQL and the HTTP interactions receiver. */
let profiles = ['demo'];
/** Settings of the last step (the postgres profile's password and DATABASE_URL). */
let stepEnv: Record<string, string> = {};
const ALL_PROFILES = ['demo', 'postgres', 'http-interactions'];
const POSTGRES_PASSWORD = 'compose0test0postgres0password0123456789';
const ownerToken = randomBytes(32).toString('base64url');
let emulator: EmulatorClient;
let baseImagesBuilt: string[] = [];
let imagesBefore = new Set<string>();
const figures: Record<string, string> = {};

async function sh(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  if (options.input !== undefined) {
    // execFile has no stdin input: pipe a file in through spawn.
    return new Promise((ok, fail) => {
      const child = spawn(file, args, { cwd: ROOT, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.on('error', fail);
      child.on('close', (code) => (code === 0 ? ok({ stdout, stderr }) : fail(new Error(`${file} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`))));
      child.stdin.end(readFileSync(options.input!));
    });
  }
  try {
    const { stdout, stderr } = await exec(file, args, {
      cwd: ROOT,
      env: options.env ?? process.env,
      maxBuffer: 256 * 1024 * 1024,
      timeout: options.timeoutMs ?? 900_000,
      encoding: 'buffer',
    });
    return { stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8') };
  } catch (error) {
    const e = error as Error & { stderr?: Buffer; stdout?: Buffer };
    throw new Error(`${file} ${args.join(' ')} failed: ${e.message}\n${e.stderr?.toString('utf8').slice(-3000) ?? ''}`, { cause: error });
  }
}

/** The environment compose substitutes from: no product variable of the caller's shell leaks in. */
function composeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of knownEnvVars) delete env[name];
  return {
    ...env,
    COMPOSE_PROJECT_NAME: PROJECT,
    COMPOSE_PROFILES: 'demo',
    PROMTON_TAG: TAG,
    DISCORD_API_URL: 'http://discord-emulator:8787/api',
    WEB_PUBLISHED_PORT: String(webPort),
    EMULATOR_PUBLISHED_PORT: String(emulatorPort),
    INTERACTIONS_PUBLISHED_PORT: String(interactionsPort),
    OWNER_TOKEN: ownerToken,
    REDIS_PASSWORD: 'compose0test0redis0password0123456789',
    REDIS_WEB_PASSWORD: 'compose0test0web0password0123456789',
    ...stepEnv,
  };
}

function compose(args: string[], options: { input?: string; timeoutMs?: number; profiles?: string[] } = {}) {
  const active = options.profiles ?? profiles;
  return sh('docker-compose', ['--env-file', emptyEnv, '-f', join(ROOT, 'compose.yaml'), '-p', PROJECT, ...active.flatMap((p) => ['--profile', p]), ...args], {
    env: composeEnv(),
    ...options,
  });
}

const docker = (args: string[], timeoutMs?: number) => sh('docker', args, { timeoutMs });
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

interface Inspected {
  Id: string;
  Name: string;
  Config: { User: string; Labels: Record<string, string> };
  State: { Pid: number; StartedAt: string; Health?: { Status: string } };
  HostConfig: {
    ReadonlyRootfs: boolean;
    SecurityOpt: string[] | null;
    CapDrop: string[] | null;
    LogConfig: { Type: string; Config: Record<string, string> };
    RestartPolicy: { Name: string };
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]> | null;
  };
  NetworkSettings: { Networks: Record<string, unknown> };
}

async function containers(): Promise<Inspected[]> {
  const ids = lines((await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${PROJECT}`])).stdout);
  if (ids.length === 0) return [];
  return JSON.parse((await docker(['inspect', ...ids])).stdout) as Inspected[];
}
const serviceOf = (c: Inspected) => c.Config.Labels['com.docker.compose.service']!;

/** Waits until every container of the project is running and its healthcheck says healthy. */
async function waitHealthy(expected: Record<string, number>, timeoutMs = 300_000): Promise<Inspected[]> {
  let last = '';
  try {
    return await waitFor(
      async () => {
        const list = (await containers()).filter((c) => c.State.Pid > 0);
        const counts: Record<string, number> = {};
        for (const c of list) if (c.State.Health?.Status === 'healthy') counts[serviceOf(c)] = (counts[serviceOf(c)] ?? 0) + 1;
        last = JSON.stringify(list.map((c) => `${serviceOf(c)}:${c.State.Health?.Status}`));
        return Object.entries(expected).every(([name, n]) => counts[name] === n) && list.length === Object.values(expected).reduce((a, b) => a + b, 0)
          ? list
          : null;
      },
      'every container to be healthy',
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen ${last}`, { cause: error });
  }
}

const one = Object.fromEntries(ALL_SERVICES.map((name) => [name, 1]));

/** An online backup (services/config-service/dist/backup.js) copied to the host. */
async function backup(name: string): Promise<string> {
  const file = join(work, `${name}.sqlite`);
  const { stdout } = await sh(
    'sh',
    [
      '-c',
      `docker-compose --env-file "$1" -f "$2" -p "$3" --profile demo exec -T config-service node services/config-service/dist/backup.js > "$4"`,
      'sh',
      emptyEnv,
      join(ROOT, 'compose.yaml'),
      PROJECT,
      file,
    ],
    { env: composeEnv() },
  );
  expect(stdout).toBe('');
  chmodSync(file, 0o644);
  return `sqlite:${file}`;
}

interface TicketRow {
  guild_id: string;
  number: number;
  status: string;
  channel_id: string | null;
}
const tickets = (databaseUrl: string) =>
  queryRows<TicketRow>(databaseUrl, 'SELECT guild_id, number, status, channel_id FROM tickets ORDER BY guild_id, number');

/** Memory of each container: docker stats, and PSS/RSS summed over its processes. */
async function memory(): Promise<{ name: string; dockerStats: string; pssMb: number; rssMb: number }[]> {
  const stats = lines((await docker(['stats', '--no-stream', '--format', '{{.Name}}\t{{.MemUsage}}', ...(await containers()).map((c) => c.Id)])).stdout);
  const out = [];
  for (const c of await containers()) {
    const name = c.Name.replace(/^\//, '');
    const pids = lines((await docker(['top', c.Id, '-eo', 'pid'])).stdout)
      .slice(1)
      .map(Number);
    let pss = 0;
    let rss = 0;
    for (const pid of pids) {
      const rollup = existsSync(`/proc/${pid}/smaps_rollup`) ? readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8') : '';
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    }
    out.push({
      // The service, not the container's name (docker-compose 1.29 names it <project>_<service>_1).
      name: serviceOf(c),
      dockerStats: stats.find((l) => l.startsWith(`${name}\t`))?.split('\t')[1] ?? '?',
      pssMb: Math.round(pss / 102.4) / 10,
      rssMb: Math.round(rss / 102.4) / 10,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

async function cleanup(): Promise<void> {
  // Not `--rmi all`: that would also remove a redis:7 that was there before.
  await compose(['down', '--volumes', '--remove-orphans', '--timeout', '30'], { profiles: ALL_PROFILES }).catch((error: Error) => console.error(error.message));
  for (const c of await containers().catch(() => [])) await docker(['rm', '-f', '-v', c.Id]).catch(() => undefined);
  for (const kind of ['volume', 'network'] as const) {
    const names = lines((await docker([kind, 'ls', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`]).catch(() => ({ stdout: '' }))).stdout);
    const prefixed = lines((await docker([kind, 'ls', '--format', '{{.Name}}']).catch(() => ({ stdout: '' }))).stdout).filter((n) =>
      n.startsWith(`${PROJECT}_`),
    );
    for (const name of new Set([...names, ...prefixed])) await docker([kind, 'rm', name]).catch(() => undefined);
  }
  // Every image this run made: the service image, the build stage's layers, the base stand-ins.
  const now = lines((await docker(['images', '-aq', '--no-trunc']).catch(() => ({ stdout: '' }))).stdout);
  const made = [...new Set(now)].filter((id) => !imagesBefore.has(id));
  for (const tag of [IMAGE, ...baseImagesBuilt]) await docker(['rmi', '-f', tag]).catch(() => undefined);
  if (made.length > 0) await docker(['rmi', '-f', ...made]).catch(() => undefined);
}

describe('docker compose, for real', () => {
  let demo: DemoGuild;
  let ticketChannel = '';
  /** The whole /config show answer (its embeds list the types), as text. */
  const configShown = async () =>
    JSON.stringify(
      (await act(emulator, { guildId: demo.guild.id, channelId: demo.panelChannel.id, userId: demo.admin.id, kind: 'command', path: ['config', 'show'] }))
        .original,
    );

  beforeAll(async () => {
    webPort = await freePort();
    emulatorPort = await freePort();
    interactionsPort = await freePort();
    imagesBefore = new Set(lines((await docker(['images', '-aq', '--no-trunc'])).stdout));
    const started = Date.now();
    const { stdout } = await sh(join(ROOT, 'scripts/base-images.sh'), [], { timeoutMs: 1_800_000 });
    baseImagesBuilt = lines(stdout);
    figures.baseImages = baseImagesBuilt.length
      ? `${baseImagesBuilt.join(', ')} built locally in ${Math.round((Date.now() - started) / 1000)} s`
      : 'both pulled or present';
    emulator = new EmulatorClient(`http://127.0.0.1:${emulatorPort}`);
  }, 1_800_000);

  afterAll(async () => {
    await cleanup();
    rmSync(work, { recursive: true, force: true });
  }, 600_000);

  it('builds the image with compose', async () => {
    const started = Date.now();
    // Every service runs the one image (promton-tickets:<tag>): built once, through one of them
    // (docker-compose 1.29 would build it again for each service, sending the context each time).
    await compose(['build', 'gateway'], { timeoutMs: 1_800_000 });
    figures.buildSeconds = String(Math.round((Date.now() - started) / 1000));
    const size = Number((await docker(['image', 'inspect', IMAGE, '--format', '{{.Size}}'])).stdout.trim());
    expect(size).toBeGreaterThan(0);
    figures.imageMb = String(Math.round(size / 1e6));
    const base = Number((await docker(['image', 'inspect', 'node:20-bookworm-slim', '--format', '{{.Size}}'])).stdout.trim());
    figures.baseMb = String(Math.round(base / 1e6));
  }, 1_800_000);

  it('brings up --profile demo with every healthcheck healthy, in the production shape', async () => {
    const started = Date.now();
    await compose(['up', '-d', '--no-build']);
    const list = await waitHealthy(one);
    figures.upSeconds = String(Math.round((Date.now() - started) / 1000));
    expect(list.map(serviceOf).sort()).toEqual([...ALL_SERVICES].sort());

    const networks = JSON.parse((await docker(['network', 'inspect', `${PROJECT}_internal`, `${PROJECT}_egress`])).stdout) as {
      Name: string;
      Internal: boolean;
    }[];
    expect(networks.find((n) => n.Name === `${PROJECT}_internal`)?.Internal).toBe(true);
    expect(networks.find((n) => n.Name === `${PROJECT}_egress`)?.Internal).toBe(false);
    for (const c of list) {
      const name = serviceOf(c);
      // A non-root user, inside the running container too.
      expect(c.Config.User, name).not.toMatch(/^(|0|root)(:|$)/);
      expect((await docker(['exec', c.Id, 'id', '-u'])).stdout.trim(), name).not.toBe('0');
      expect(c.HostConfig.ReadonlyRootfs, name).toBe(true);
      expect(c.HostConfig.SecurityOpt, name).toContain('no-new-privileges:true');
      expect(c.HostConfig.CapDrop, name).toContain('ALL');
      expect(c.HostConfig.LogConfig.Type, name).toBe('json-file');
      expect(c.HostConfig.LogConfig.Config['max-size'], name).toBeTruthy();
      expect(c.HostConfig.RestartPolicy.Name, name).toBe('unless-stopped');
      const published = Object.values(c.HostConfig.PortBindings ?? {}).flat();
      if (name === 'web') expect(published).toEqual([{ HostIp: '127.0.0.1', HostPort: String(webPort) }]);
      else if (name === 'discord-emulator') expect(published).toEqual([{ HostIp: '127.0.0.1', HostPort: String(emulatorPort) }]);
      else expect(published, name).toEqual([]);
      const nets = Object.keys(c.NetworkSettings.Networks);
      if (name === 'redis') expect(nets).toEqual([`${PROJECT}_internal`]);
    }
    // The site answers on its published port; the owner pages want the token.
    const site = await fetch(`http://127.0.0.1:${webPort}/privacy`);
    expect(site.status).toBe(200);
    expect(await site.text()).toContain('Privacy');
    expect((await fetch(`http://127.0.0.1:${webPort}/metrics`)).status).toBe(401);
    const metrics = await fetch(`http://127.0.0.1:${webPort}/metrics`, { headers: { authorization: `Bearer ${ownerToken}` } });
    expect(metrics.status).toBe(200);
  }, 600_000);

  it('drives the demo through the emulator container: configure, panel, open, close', async () => {
    demo = await seedDemoGuild(emulator);
    await configureDemoGuild(emulator, demo);
    const opened = await openDemoTicket(emulator, demo);
    expect(opened.answer).toMatch(/^✅/);
    expect(opened.channel.name).toBe('ticket-0001');
    ticketChannel = opened.channel.id;
    const welcome = (await emulator.messages(ticketChannel)).find((m) => m.author.bot && JSON.stringify(m.components).includes('pt:v1:close:1'));
    expect(`${welcome?.content ?? ''} ${JSON.stringify(welcome?.embeds ?? [])}`).toContain('Welcome!');
    expect(opened.logLine).toMatch(/Ticket opened/);
    const rows = (await tickets(await backup('after-open'))).filter((r) => r.guild_id === demo.guild.id);
    expect(rows).toEqual([{ guild_id: demo.guild.id, number: 1, status: 'open', channel_id: ticketChannel }]);

    const closed = await command(emulator, demo, ['ticket', 'close'], { reason: 'compose test' }, demo.member.id, ticketChannel);
    expect(closed).toMatch(/^✅/);
    await waitFor(async () => (await emulator.channel(ticketChannel)) === null, 'the ticket channel to be deleted', 60_000);
    await waitFor(
      async () => (await emulator.messages(demo.logChannel.id)).some((m) => JSON.stringify(m.embeds).includes('Ticket closed')),
      'the close log line',
      60_000,
    );
    const after = (await tickets(await backup('after-close'))).filter((r) => r.guild_id === demo.guild.id);
    expect(after).toMatchObject([{ number: 1, status: 'closed' }]);
  }, 300_000);

  it('restarts ticket-worker in the middle of 50 opens: 0 lost, 0 duplicated, 0 unanswered, and the worker stopped cleanly', async () => {
    const guilds = await setupGuilds(emulator, 2);
    const [before] = (await containers()).filter((c) => serviceOf(c) === 'ticket-worker');
    const since = Math.floor(Date.now() / 1000) - 1;
    let restart: Promise<Error | undefined> | undefined;
    const opens = await fireOpens(emulator, guilds, 50, 10, (sent) => {
      if (sent === 20)
        restart = compose(['restart', 'ticket-worker']).then(
          () => undefined,
          (error: Error) => error,
        );
    });
    expect(restart).toBeDefined();
    expect(await restart).toBeUndefined();
    const states = await settle(
      emulator,
      opens.map((o) => o.id),
      180_000,
    );
    const outcome = await verifyOpens({ emulator, databaseUrl: await backup('after-restart') }, guilds, opens, states);
    expectEveryOpened(outcome, 50);
    // It was restarted (a new start), and SIGTERM let it exit by itself (0), not killed at the grace period (137).
    const [after] = (await containers()).filter((c) => serviceOf(c) === 'ticket-worker');
    expect(after!.State.StartedAt).not.toBe(before!.State.StartedAt);
    const events = lines(
      (
        await docker([
          'events',
          '--since',
          String(since),
          '--until',
          String(Math.floor(Date.now() / 1000)),
          '--filter',
          `container=${before!.Id}`,
          '--filter',
          'event=die',
          '--format',
          '{{index .Actor.Attributes "exitCode"}}',
        ])
      ).stdout,
    );
    expect(events).toEqual(['0']);
  }, 600_000);

  it('keeps configuration and tickets across stop and up (named volumes for SQLite and the Redis AOF)', async () => {
    const nonce = randomBytes(8).toString('hex');
    await compose(['exec', '-T', 'redis', 'redis-cli', 'SET', 'compose-test:aof', nonce]);
    const rowsBefore = await tickets(await backup('before-stop'));
    // Discord (the emulator) stays up while the operator's stack stops and starts.
    await compose(['stop', ...BOT_SERVICES]);
    expect((await containers()).filter((c) => c.State.Pid > 0).map(serviceOf)).toEqual(['discord-emulator']);
    await compose(['up', '-d', '--no-build']);
    await waitHealthy(one);
    expect((await compose(['exec', '-T', 'redis', 'redis-cli', 'GET', 'compose-test:aof'])).stdout.trim()).toBe(nonce);
    expect(await tickets(await backup('after-up'))).toEqual(rowsBefore);
    expect(await configShown()).toMatch(/support/i);
    const next = await openDemoTicket(emulator, demo);
    expect(next.channel.name).toBe('ticket-0002');
  }, 600_000);

  it('scales to 3 ticket-workers and 2 log-workers: a burst meets 0 429s', async () => {
    await compose(['up', '-d', '--no-build', '--no-recreate', '--scale', 'ticket-worker=3', '--scale', 'log-worker=2']);
    await waitHealthy({ ...one, 'ticket-worker': 3, 'log-worker': 2 });
    const guilds: ChaosGuild[] = await setupGuilds(emulator, 3);
    const opens = await fireOpens(emulator, guilds, 90, 30);
    const states = await settle(
      emulator,
      opens.map((o) => o.id),
      300_000,
    );
    const outcome = await verifyOpens({ emulator, databaseUrl: await backup('after-burst') }, guilds, opens, states);
    // Every log line went out too (the log-workers share the one request budget).
    const stats = await expectBurstMet(emulator, guilds, outcome, 90);
    figures.burst = `90 opens at 30/s over 3 guilds, 3 ticket-workers and 2 log-workers: ${stats.requests} requests to Discord, 0 answered 429; ack p50 ${outcome.ackMs.p50} ms, p99 ${outcome.ackMs.p99} ms`;
  }, 900_000);

  it('restores an online backup into a fresh volume and starts the stack on it', async () => {
    const saved = await backup('online');
    const savedRows = await tickets(saved);
    expect(savedRows.length).toBeGreaterThan(140);
    const file = saved.replace(/^sqlite:/, '');
    // Disaster: the stack and both volumes are gone (Discord, the emulator, stays).
    await compose(['stop', ...BOT_SERVICES]);
    await compose(['rm', '-f', ...BOT_SERVICES]);
    await docker(['volume', 'rm', `${PROJECT}_db-data`, `${PROJECT}_redis-data`]);
    // Restore, as docs/operations.md says: copy the file into a fresh db-data volume.
    await compose(['run', '--rm', '-T', '--no-deps', 'config-service', 'sh', '-c', 'cat > /app/data/promton-tickets.sqlite'], { input: file });
    await compose(['up', '-d', '--no-build', '--scale', 'ticket-worker=1', '--scale', 'log-worker=1']);
    await waitHealthy(one);
    expect(await tickets(await backup('restored'))).toEqual(savedRows);
    expect(await configShown()).toMatch(/support/i);
    // Numbering continues from the restored rows (a fresh Redis: config-service rebuilt the projection).
    const member = (await emulator.addMember(demo.guild.id, { username: 'rita-restored' })).id;
    const panel = (await emulator.messages(demo.panelChannel.id)).find((m) => JSON.stringify(m.components).includes('pt:v1:open'));
    const state = await act(emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: member,
      kind: 'button',
      customId: 'pt:v1:open:support',
      messageId: panel!.id,
    });
    expect(state.original?.content).toMatch(/^✅/);
    const channelId = /<#(\d+)>/.exec(state.original?.content ?? '')?.[1];
    expect((await emulator.channel(channelId!))?.name).toBe('ticket-0003');
  }, 600_000);

  it('records each container’s memory in docs/benchmarks.md (whatever the steps before it did)', async () => {
    // The stack as the steps left it, one container per service; started again if a step before left it down.
    await compose(['up', '-d', '--no-build', '--scale', 'ticket-worker=1', '--scale', 'log-worker=1']);
    await waitHealthy(one);
    const tickets = await queryRows<{ n: number }>(await backup('memory'), 'SELECT COUNT(*) AS n FROM tickets');
    figures.memory = (await memory()).map((m) => `| ${m.name} | ${m.dockerStats} | ${m.pssMb} | ${m.rssMb} |`).join('\n');
    expect(figures.memory).toMatch(/\| redis \|/);
    const section = [
      '<!-- compose-test:start -->',
      `Measured by \`make compose-test\` on ${new Date().toISOString().slice(0, 10)} (2 cores, shared machine). Base images: ${figures.baseImages}.`,
      `Image \`promton-tickets\`: ${figures.imageMb} MB (base ${figures.baseMb} MB), built by compose in ${figures.buildSeconds} s; \`up\` to all healthy in ${figures.upSeconds} s.`,
      `Burst: ${figures.burst ?? 'not measured in this run (its step failed; see the run’s output)'}.`,
      '',
      `Memory of each container once every step before it ran (${Number(tickets[0]?.n ?? 0)} tickets in the database; \`docker stats --no-stream\`, and PSS / RSS summed over the container's processes):`,
      '',
      '| container | docker stats | PSS MB | RSS MB |',
      '|---|---|---|---|',
      figures.memory,
      '<!-- compose-test:end -->',
    ].join('\n');
    const path = join(ROOT, 'docs/benchmarks.md');
    const doc = readFileSync(path, 'utf8');
    const marked = /<!-- compose-test:start -->[\s\S]*<!-- compose-test:end -->/;
    writeFileSync(path, marked.test(doc) ? doc.replace(marked, section) : `${doc.trimEnd()}\n\n## Under docker compose\n\n${section}\n`);
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    writeFileSync(join(ROOT, '.tmp/compose-test-figures.md'), `${section}\n`);
    console.log(section);
    expect(readFileSync(path, 'utf8')).toContain(figures.memory!);
  });

  it('runs on PostgreSQL (profile postgres) with interactions over HTTP (profile http-interactions): a ticket opens and closes', async () => {
    // As docs/operations.md says: the two profiles, POSTGRES_PASSWORD and DATABASE_URL in .env, then up.
    profiles = ALL_PROFILES;
    stepEnv = { POSTGRES_PASSWORD, DATABASE_URL: `postgres://promton:${POSTGRES_PASSWORD}@postgres:5432/promton` };
    await compose(['up', '-d', '--no-build']);
    const list = await waitHealthy({ ...one, postgres: 1, interactions: 1 });
    const postgres = list.find((c) => serviceOf(c) === 'postgres')!;
    expect(Object.keys(postgres.NetworkSettings.Networks)).toEqual([`${PROJECT}_internal`]);
    expect((await docker(['exec', postgres.Id, 'id', '-u'])).stdout.trim()).not.toBe('0');
    // Discord (the emulator) delivers interactions to the receiver's endpoint, checked with a signed PING when set.
    await emulator.setInteractionsEndpoint('http://interactions:8081/interactions');
    const pg = await seedDemoGuild(emulator, 'PROMTON on Postgres');
    await configureDemoGuild(emulator, pg);
    const open = await act(emulator, {
      guildId: pg.guild.id,
      channelId: pg.panelChannel.id,
      userId: pg.member.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
      messageId: (await panelMessage(emulator, pg.panelChannel.id)).id,
    });
    expect(open.original?.content).toMatch(/^✅/);
    const channelId = /<#(\d+)>/.exec(open.original?.content ?? '')![1]!;
    expect((await emulator.channel(channelId))?.name).toBe('ticket-0001');
    const close = await act(emulator, {
      guildId: pg.guild.id,
      channelId,
      userId: pg.member.id,
      kind: 'command',
      path: ['ticket', 'close'],
      args: { reason: 'compose test on postgres' },
    });
    expect(close.original?.content).toMatch(/^✅/);
    // Both answers were the receiver's HTTP replies, not gateway callbacks.
    expect([open.delivery, close.delivery]).toEqual([{ status: 200 }, { status: 200 }]);
    await waitFor(async () => (await emulator.channel(channelId)) === null, 'the ticket channel to be deleted', 60_000);
    // The row lives in Postgres (asked inside its container).
    const rows = await waitFor(
      async () => {
        const { stdout } = await compose([
          'exec',
          '-T',
          'postgres',
          'psql',
          '-U',
          'promton',
          '-d',
          'promton',
          '-tAc',
          `SELECT number || ',' || status || ',' || channel_id FROM tickets WHERE guild_id = '${pg.guild.id}'`,
        ]);
        return lines(stdout).join(' ') === `1,closed,${channelId}` ? lines(stdout) : null;
      },
      'the closed ticket row in Postgres',
      60_000,
    );
    expect(rows).toEqual([`1,closed,${channelId}`]);
    await emulator.setInteractionsEndpoint(null);
  }, 900_000);

  it('removes every container, network, volume and image it made', async () => {
    await cleanup();
    expect(await containers()).toEqual([]);
    const volumes = lines((await docker(['volume', 'ls', '--format', '{{.Name}}'])).stdout).filter((n) => n.startsWith(`${PROJECT}_`));
    const networks = lines((await docker(['network', 'ls', '--format', '{{.Name}}'])).stdout).filter((n) => n.startsWith(`${PROJECT}_`));
    expect({ volumes, networks }).toEqual({ volumes: [], networks: [] });
    const images = lines((await docker(['images', '-aq', '--no-trunc'])).stdout).filter((id) => !imagesBefore.has(id));
    expect(images).toEqual([]);
  }, 600_000);
});
