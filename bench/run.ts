/**
 * `make bench`: the product at Discord's real rate limits, every service its own
 * process (scripts/stack/stack.ts), against a private Redis. Writes
 * bench/results/<timestamp>.json and prints a summary; docs/benchmarks.md explains it.
 *
 * Knobs (env): BENCH_RUNS (3) runs per short figure, BENCH_CEILING_RUNS (3),
 * BENCH_ACK_SECONDS (5), BENCH_ACK_RATES ("100,500,1000"), BENCH_OPEN_SECONDS (20), BENCH_CEILING_GUILDS (300),
 * BENCH_CEILING_OPENS (1500), BENCH_MEMORY_GUILDS ("1000,10000"), BENCH_ONLY (comma list of
 * ack,sustain,open,ceiling,memory), BENCH_MODES ("optimized"; "optimized,naive" adds the
 * naive baseline to the open latency), BENCH_NAIVE_CEILING_OPENS (1000),
 * BENCH_NODE_OPTIONS (V8 flags for the services), BENCH_CEILING_MODES
 * ("optimized,bot-token-logs"; naive is selectable: bot-token-logs is the optimized
 * product with log lines posted on the bot's token as before webhooks),
 * BENCH_MEMORY_RUNS (3), BENCH_PEER_GUILDS ("1000,10000": where the discord.js peer is
 * measured too), BENCH_SINGLE_GUILDS ("100": the all-in-one process's guild counts),
 * BENCH_SUSTAIN_SECONDS (60) and BENCH_SUSTAIN_RATE (1000): the sustained first-response
 * run, BENCH_SUSTAIN_RUNS (1), BENCH_HEALTH_SECONDS (300: how long a started service may
 * take to report healthy), BENCH_CPU_PROF ("gateway", or "all" for every bot service:
 * started with `--cpu-prof`, profiles in bench/results/profiles/<run>/<scenario>/).
 *
 * Wall time of a default run on a quiet 2-core machine: about 35-40 minutes (ack 4,
 * sustain 3, open 2, ceiling 13, memory 12-15; each scenario's own is printed and saved).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { EMULATOR_BOT_TOKEN } from '@promton/shared/contracts';
import { mapLimit, newUserId, percentile, setupGuilds, sleep, type ChaosGuild } from '../tests/chaos/support/chaos.js';
import type { RequestLogEntry } from '@promton/discord-emulator';
import { spawnRedis } from '../scripts/stack/redis-server.js';
import { BOT_SERVICES, ROOT, Stack, type ServiceName } from '../scripts/stack/stack.js';
import { cpuMs, footprint, type Footprint } from '../scripts/stack/proc.js';

const env = process.env;
const RUNS = Number(env.BENCH_RUNS ?? 3);
const CEILING_RUNS = Number(env.BENCH_CEILING_RUNS ?? 3);
const ACK_SECONDS = Number(env.BENCH_ACK_SECONDS ?? 5);
const ACK_RATES = (env.BENCH_ACK_RATES ?? '100,500,1000').split(',').map(Number);
const OPEN_SECONDS = Number(env.BENCH_OPEN_SECONDS ?? 20);
const CEILING_GUILDS = Number(env.BENCH_CEILING_GUILDS ?? 300);
const CEILING_OPENS = Number(env.BENCH_CEILING_OPENS ?? 1500);
const MEMORY_GUILDS = (env.BENCH_MEMORY_GUILDS ?? '1000,10000').split(',').map(Number);
const MEMORY_RUNS = Number(env.BENCH_MEMORY_RUNS ?? 3);
const PEER_GUILDS = (env.BENCH_PEER_GUILDS ?? '1000,10000').split(',').filter(Boolean).map(Number);
const SINGLE_GUILDS = (env.BENCH_SINGLE_GUILDS ?? '100').split(',').filter(Boolean).map(Number);
const ONLY = new Set((env.BENCH_ONLY ?? 'ack,sustain,open,ceiling,memory').split(','));
const MODES = (env.BENCH_MODES ?? 'optimized').split(',') as Mode[];
const CEILING_MODES = (env.BENCH_CEILING_MODES ?? 'optimized,bot-token-logs').split(',') as Mode[];
const SUSTAIN_SECONDS = Number(env.BENCH_SUSTAIN_SECONDS ?? 60);
const SUSTAIN_RATE = Number(env.BENCH_SUSTAIN_RATE ?? 1000);
const SUSTAIN_RUNS = Number(env.BENCH_SUSTAIN_RUNS ?? 1);
const HEALTH_TIMEOUT_MS = Number(env.BENCH_HEALTH_SECONDS ?? 300) * 1000;
const CPU_PROF = env.BENCH_CPU_PROF ?? '';
const STARTED_AT = new Date().toISOString();

type Mode = 'optimized' | 'bot-token-logs' | 'naive';
/**
 * The services a mode starts through the benchmark's own entry, bench/baseline-main.mjs
 * (which holds their switches: the product's settings have none), instead of their main.ts.
 * `bot-token-logs`: the same product with log lines posted on the bot's token (the path
 * before log webhooks), for comparison in the same run; `naive`: see docs/benchmarks.md.
 */
const baselineServices: Record<Mode, ServiceName[]> = {
  optimized: [],
  'bot-token-logs': ['log-worker'],
  naive: ['log-worker', 'ticket-worker'],
};
const BASELINE_ENTRY = join(ROOT, 'bench', 'baseline-main.mjs');

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : 0;
};
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const log = (...args: unknown[]) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);

function machine() {
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    ramMB: Math.round(totalmem() / 2 ** 20),
    memAvailableMB: Math.round(Number(/MemAvailable:\s+(\d+)/.exec(meminfo)?.[1] ?? 0) / 1024),
    node: process.version,
  };
}

/** V8 flags the Dockerfile sets for every service. */
const DEPLOYED_NODE_OPTIONS = '--max-semi-space-size=1 --max-old-space-size=96 --v8-pool-size=1';

/**
 * The workers run at a lower CPU priority than the gateway (compose gives the gateway
 * more cpu_shares): on one 2-core machine the first responses must not queue behind
 * channel work.
 */
const WORKER_NICENESS = { 'config-service': 10, 'ticket-worker': 10, 'log-worker': 10 } as const;

/**
 * What each service is started with: the mode's entry (bench/baseline-main.mjs) or its own
 * main.js, after `--cpu-prof` when BENCH_CPU_PROF asks for its profile (written when the
 * process exits, into bench/results/profiles/<run>/<scenario>/).
 */
function entriesFor(mode: Mode, scenario: string): Partial<Record<ServiceName, string[]>> {
  const profiled = CPU_PROF === 'all' ? BOT_SERVICES : CPU_PROF ? (['gateway'] as const) : [];
  const dir = join(ROOT, 'bench', 'results', 'profiles', STARTED_AT.replace(/:/g, '-'), scenario);
  const entries: Partial<Record<ServiceName, string[]>> = {};
  for (const name of BOT_SERVICES) {
    const entry = baselineServices[mode].includes(name) ? [BASELINE_ENTRY, name] : [join(ROOT, 'services', name, 'dist', 'main.js')];
    if (profiled.includes(name)) {
      mkdirSync(dir, { recursive: true });
      entries[name] = ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-${mode}-${Date.now()}.cpuprofile`, ...entry];
    } else if (baselineServices[mode].includes(name)) entries[name] = entry;
  }
  return entries;
}

async function startStack(redisUrl: string, mode: Mode, scenario: string): Promise<Stack> {
  return Stack.start({
    redisUrl,
    services: BOT_SERVICES,
    env: { LOG_LEVEL: 'warn', BENCH_MODE: mode, NODE_OPTIONS: env.BENCH_NODE_OPTIONS ?? DEPLOYED_NODE_OPTIONS },
    entries: entriesFor(mode, scenario),
    niceness: env.BENCH_NICE === 'off' ? {} : WORKER_NICENESS,
    emulatorEnv: { LOG_LEVEL: 'warn' },
    prefix: `bench-${mode}-${Date.now().toString(36)}`,
    // On a busy machine (or with a backlog of an earlier scenario still settling) a start
    // can take well over the tests' 60 s; the scenario waits rather than fails.
    healthTimeoutMs: HEALTH_TIMEOUT_MS,
  });
}

/** CPU milliseconds each bot service (and, when given, Redis) has used so far. */
function cpuOf(stack: Stack, redisPid?: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of BOT_SERVICES) out[name] = cpuMs(stack.processes.get(name)?.child.pid);
  if (redisPid) out.redis = cpuMs(redisPid);
  return out;
}

/** The CPU used between two cpuOf readings, per process and in total, divided by `per` (ms per interaction, per open). */
function cpuPer(before: Record<string, number>, after: Record<string, number>, per: number, digits = 2) {
  const used = Object.fromEntries(Object.keys(before).map((name) => [name, after[name]! - before[name]!]));
  const total = Object.values(used).reduce((a, b) => a + b, 0);
  return {
    cpuMs: used,
    cpuMsPer: Object.fromEntries(Object.entries(used).map(([name, ms]) => [name, per ? round(ms / per, digits) : 0])),
    totalCpuMsPer: per ? round(total / per, digits) : 0,
  };
}

/** Fires `total` control-API calls at `perSecond`, in 5 ms ticks so one client can reach 1,000/s. */
async function fireAt<T>(total: number, perSecond: number, fire: (i: number) => Promise<T>): Promise<{ results: (T | Error)[]; achievedPerSecond: number }> {
  const results: (T | Error)[] = new Array(total);
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * perSecond) + 1);
    for (; sent < due; sent++) {
      const i = sent;
      pending.push(
        fire(i).then(
          (r) => void (results[i] = r),
          (e: Error) => void (results[i] = e),
        ),
      );
    }
    await sleep(5);
  }
  const fired = performance.now();
  await Promise.all(pending);
  return { results, achievedPerSecond: round(total / ((fired - start) / 1000 || 1)) };
}

// ── 1. initial-response latency ─────────────────────────────────────────────

async function ackLatency(redisUrl: string) {
  const stack = await startStack(redisUrl, 'optimized', 'ack');
  try {
    const [guild] = await setupGuilds(stack.emulator, 1);
    const g = guild!;
    const users = await Promise.all(Array.from({ length: 50 }, () => stack.emulator.addMember(g.guild.id, { username: `bench-${newUserId().slice(-6)}` })));
    const out: Record<string, unknown> = {};
    for (const rate of ACK_RATES) {
      const runs = [];
      for (let run = 0; run < RUNS; run++) {
        const total = rate * ACK_SECONDS;
        // A claim click on a ticket that does not exist: a deferred response, a job, and a ❌ edit by ticket-worker.
        const { results, achievedPerSecond } = await fireAt(total, rate, (i) =>
          stack.emulator.interact({
            guildId: g.guild.id,
            channelId: g.panelChannel.id,
            userId: users[i % users.length]!.id,
            kind: 'button',
            customId: 'pt:v1:claim:999999',
            messageId: g.panelId,
          }),
        );
        await sleep(3_500);
        const ids = results.filter((r): r is { id: string; token: string; payload: Record<string, unknown> } => !(r instanceof Error)).map((r) => r.id);
        const states = await mapLimit(ids, 32, (id) => stack.emulator.interaction(id));
        const latencies = states
          .filter((s) => s.response)
          .map((s) => s.response!.latencyMs)
          .sort((a, b) => a - b);
        const result = {
          requested: rate,
          achievedPerSecond,
          sent: ids.length,
          controlApiErrors: results.length - ids.length,
          unanswered: states.filter((s) => !s.response).length,
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          max: latencies.at(-1) ?? 0,
        };
        log('ack', result);
        runs.push(result);
        // Let the workers drain before the next run.
        await sleep(Math.min(15_000, total * 2));
      }
      out[String(rate)] = {
        runs,
        median: {
          achievedPerSecond: median(runs.map((r) => r.achievedPerSecond)),
          p50: median(runs.map((r) => r.p50)),
          p99: median(runs.map((r) => r.p99)),
          max: median(runs.map((r) => r.max)),
          unanswered: median(runs.map((r) => r.unanswered)),
        },
      };
    }
    return out;
  } finally {
    await stack.close();
  }
}

// ── 1b. first responses sustained: 60 s at 1,000/s ──────────────────────────

/**
 * BENCH_SUSTAIN_SECONDS at BENCH_SUSTAIN_RATE interactions/s (the claim click of the ack
 * scenario) against a fresh stack on its own Redis (the run leaves tens of thousands of
 * jobs behind): unanswered interactions, initial-response latency, and the gateway's CPU
 * per interaction — /proc utime + stime of its process from the first click until every
 * interaction had its answer, ÷ interactions — so 1 s ÷ that is what one core answers.
 */
async function sustainRun(run: number) {
  const redis = await spawnRedis();
  const wallStart = Date.now();
  try {
    const stack = await startStack(redis.url, 'optimized', `sustain-${run}`);
    try {
      const [guild] = await setupGuilds(stack.emulator, 1);
      const g = guild!;
      const users = await Promise.all(Array.from({ length: 50 }, () => stack.emulator.addMember(g.guild.id, { username: `bench-${newUserId().slice(-6)}` })));
      const click = (i: number) =>
        stack.emulator.interact({
          guildId: g.guild.id,
          channelId: g.panelChannel.id,
          userId: users[i % users.length]!.id,
          kind: 'button',
          customId: 'pt:v1:claim:999999',
          messageId: g.panelId,
        });
      // Warm-up, not counted: 2 s at 100/s, so the figure is a running gateway's, not its first JIT compile.
      await fireAt(200, 100, click);
      await sleep(2_000);
      const gatewayPid = stack.processes.get('gateway')?.child.pid;
      const commandsBefore = await redisCommands(redis.url);
      const cpuBefore = cpuOf(stack, redis.process.pid);
      const load = loadavg()[0]!;
      const total = SUSTAIN_RATE * SUSTAIN_SECONDS;
      const { results, achievedPerSecond } = await fireAt(total, SUSTAIN_RATE, click);
      const sent = results.filter((r): r is { id: string; token: string; payload: Record<string, unknown> } => !(r instanceof Error));
      // Every initial response is due within Discord's 3 s; a little more, then read the gateway's CPU.
      await sleep(3_500);
      // Late interactions (answered past 3 s, or refused 10062) cost the gateway CPU too: read it once the gateway is idle.
      const gatewayCpu = await idleCpu(gatewayPid);
      const cpuAfter = cpuOf(stack, redis.process.pid);
      const commandsAfter = await redisCommands(redis.url);
      const states = await mapLimit(
        sent.map((r) => r.id),
        32,
        (id) => stack.emulator.interaction(id).catch(() => null),
      );
      const latencies = states
        .filter((s) => s?.response)
        .map((s) => s!.response!.latencyMs)
        .sort((a, b) => a - b);
      const gatewayCpuMsPerInteraction = sent.length ? round((gatewayCpu - cpuBefore.gateway!) / sent.length, 3) : 0;
      const result = {
        requested: SUSTAIN_RATE,
        seconds: SUSTAIN_SECONDS,
        achievedPerSecond,
        sent: sent.length,
        controlApiErrors: results.length - sent.length,
        unanswered: states.filter((s) => !s?.response).length,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? 0,
        gatewayCpuMsPerInteraction,
        // 1 s of one core ÷ the gateway's CPU per interaction.
        interactionsPerCoreSecond: gatewayCpuMsPerInteraction ? Math.round(1000 / gatewayCpuMsPerInteraction) : 0,
        // Every process over the same window (the workers, at nice 10, get what the gateway leaves: their backlog is not drained here).
        cpu: cpuPer(cpuBefore, cpuAfter, sent.length, 3),
        // Redis commands per interaction over the same window (every process's: INFO commandstats), the most frequent first.
        redisCommandsPerInteraction: Object.fromEntries(
          Object.entries(commandsAfter)
            .map(([name, calls]) => [name, round((calls - (commandsBefore[name] ?? 0)) / (sent.length || 1), 2)] as const)
            .filter(([, n]) => n >= 0.01)
            .sort((a, b) => b[1] - a[1]),
        ),
        loadAverageAtStart: round(load, 2),
        // Whether the gateway process still ran at the end, and what it logged (warnings and errors: the bench's LOG_LEVEL).
        gatewayAlive: gatewayPid !== undefined && existsSync(`/proc/${gatewayPid}`),
        gatewayLog: logSummary(stack.logOf('gateway')),
        wallSeconds: 0,
      };
      result.wallSeconds = round((Date.now() - wallStart) / 1000);
      log('sustain', result);
      return result;
    } finally {
      await stack.close();
    }
  } finally {
    await redis.stop();
  }
}

/** A service's log in counts: lines per message, and the interactions the gateway reported dropped (its `dropped` fields). */
function logSummary(text: string): { lines: Record<string, number>; dropped: number } {
  const lines: Record<string, number> = {};
  let dropped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let entry: { msg?: string; dropped?: number };
    try {
      entry = JSON.parse(line) as { msg?: string; dropped?: number };
    } catch {
      entry = { msg: line.slice(0, 120) };
    }
    const msg = entry.msg ?? '(no message)';
    lines[msg] = (lines[msg] ?? 0) + 1;
    dropped += typeof entry.dropped === 'number' ? entry.dropped : 0;
  }
  return { lines, dropped };
}

/** Calls per Redis command so far (INFO commandstats). */
async function redisCommands(url: string): Promise<Record<string, number>> {
  const client = new Redis(url, { maxRetriesPerRequest: null });
  try {
    const info = await client.info('commandstats');
    return Object.fromEntries([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
  } finally {
    client.disconnect();
  }
}

/** A process's CPU milliseconds once it has used under 5 % of a core for a second (at most 60 s on). */
async function idleCpu(pid: number | undefined): Promise<number> {
  let last = cpuMs(pid);
  for (let i = 0; i < 60; i++) {
    await sleep(1_000);
    const now = cpuMs(pid);
    if (!(now - last >= 50)) return now;
    last = now;
  }
  return last;
}

type SustainRun = Awaited<ReturnType<typeof sustainRun>>;

async function sustain() {
  const runs: (SustainRun | { error: string })[] = [];
  for (let run = 0; run < SUSTAIN_RUNS; run++) runs.push(await sustainRun(run).catch((e: Error) => ({ error: e.message })));
  const ok = runs.filter((r): r is SustainRun => !('error' in r));
  const med = (pick: (r: (typeof ok)[number]) => number) => median(ok.map(pick));
  return {
    runs,
    median: ok.length
      ? {
          runs: ok.length,
          achievedPerSecond: med((r) => r.achievedPerSecond),
          unanswered: med((r) => r.unanswered),
          p50: med((r) => r.p50),
          p99: med((r) => r.p99),
          max: med((r) => r.max),
          gatewayCpuMsPerInteraction: med((r) => r.gatewayCpuMsPerInteraction),
          interactionsPerCoreSecond: med((r) => r.interactionsPerCoreSecond),
        }
      : undefined,
  };
}

// ── 2. open latency at 10 opens/s ───────────────────────────────────────────

/** Click (interaction created) → the PATCH of @original carrying "✅ … <#channel>", from the emulator's request log. */
async function openLatencies(
  stack: Stack,
  opened: { id: string; token: string; createdAt: number }[],
  sinceSeq: number,
): Promise<{ latencies: number[]; answered: number; refused: number }> {
  const patches = await stack.emulator.requests({ since: sinceSeq, method: 'PATCH', path: '/messages/%40original' });
  const firstOk = new Map<string, number>();
  let refused = 0;
  const refusedTokens = new Set<string>();
  for (const entry of patches) {
    const token = /\/webhooks\/\d+\/([^/]+)\/messages/.exec(entry.path)?.[1];
    const content = String((entry.body as { content?: string } | undefined)?.content ?? '');
    if (!token || entry.status !== 200) continue;
    if (content.startsWith('✅') && /<#\d+>/.test(content) && !firstOk.has(token)) firstOk.set(token, Date.parse(entry.at));
    if (content.startsWith('❌') && !refusedTokens.has(token)) {
      refusedTokens.add(token);
      refused++;
    }
  }
  const latencies = opened.flatMap((o) => (firstOk.has(o.token) ? [firstOk.get(o.token)! - o.createdAt] : [])).sort((a, b) => a - b);
  return { latencies, answered: latencies.length, refused };
}

async function openLatency(redisUrl: string, mode: Mode) {
  const stack = await startStack(redisUrl, mode, `open-${mode}`);
  try {
    const guilds = await setupGuilds(stack.emulator, 20);
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      const seqBefore = await maxSeq(stack);
      const total = 10 * OPEN_SECONDS;
      const { results, achievedPerSecond } = await fireAt(total, 10, async (i) => {
        const g = guilds[i % guilds.length]!;
        const r = await stack.emulator.interact({
          guildId: g.guild.id,
          channelId: g.panelChannel.id,
          userId: newUserId(),
          kind: 'button',
          customId: 'pt:v1:open:support',
          messageId: g.panelId,
        });
        return { id: r.id, token: r.token };
      });
      const opened = results.filter((r): r is { id: string; token: string } => !(r instanceof Error));
      await mapLimit(opened, 32, (o) => stack.emulator.waitForOriginal(o.id, 60_000).catch(() => null));
      const created = await mapLimit(opened, 32, async (o) => ({ ...o, createdAt: Date.parse((await stack.emulator.interaction(o.id)).createdAt) }));
      const { latencies, answered, refused } = await openLatencies(stack, created, seqBefore);
      const result = {
        mode,
        opens: opened.length,
        achievedPerSecond,
        answered,
        refused,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? 0,
      };
      log('open', result);
      runs.push(result);
      await sleep(3_000);
    }
    return { runs, median: { p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), max: median(runs.map((r) => r.max)) } };
  } finally {
    await stack.close();
  }
}

/** The request log's sequence numbers count up from 1 per request; the count of recorded ones is a safe "since". */
async function maxSeq(stack: Stack): Promise<number> {
  return (await stack.emulator.stats()).requests;
}

// ── 3. the ceiling ──────────────────────────────────────────────────────────

/** What counts against the bot's 50 requests/s: requests that carried its token (interaction callbacks and webhooks do not). */
const onBotToken = (entry: RequestLogEntry) => entry.auth === 'bot';
/** Log webhook executions: no token, counted by Discord against the address; interaction webhooks (the application's id) excluded. */
const logWebhookExecution = (entry: RequestLogEntry, applicationId: string) =>
  entry.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(entry.path) && !entry.path.startsWith(`/webhooks/${applicationId}/`);

/** Waits until the log queue has nothing waiting, active or delayed (the setup's log lines, and the webhooks they make, are done). */
async function drainLogs(stack: Stack, redisUrl: string): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('logs', { connection, prefix: stack.prefix });
  try {
    for (;;) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).every((n) => n === 0)) return;
      await sleep(500);
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

async function configureBulk(stack: Stack, count: number): Promise<ChaosGuild[]> {
  const { ids } = await stack.emulator.seedGuilds({ count, channels: 2, members: 1 });
  await stack.emulator.waitForGateway(Math.max(1, Math.ceil(count / 1000)), 120_000);
  const states = await mapLimit(ids, 32, (id) => stack.emulator.guild(id));
  const configured = await mapLimit(states, 40, async (state) => {
    const [panel, logChannel] = state.channels.filter((c) => c.type === 0);
    const base = { guildId: state.id, channelId: panel!.id, userId: state.ownerId, kind: 'command' as const };
    const steps: [string[], Record<string, string>][] = [
      [['config', 'type', 'add'], { name: 'support', label: 'Support' }],
      [['config', 'log-channel', 'set'], { channel: (logChannel ?? panel)!.id }],
      [['panel', 'send'], { channel: panel!.id }],
    ];
    for (const [path, args] of steps) {
      const { id } = await stack.emulator.interact({ ...base, path, args });
      const done = await stack.emulator.waitForOriginal(id, 120_000);
      if (!done.original?.content.startsWith('✅')) throw new Error(`/${path.join(' ')} in ${state.id}: ${done.original?.content}`);
    }
    const messages = await stack.emulator.messages(panel!.id);
    const panelMessage = messages.find((m) => JSON.stringify(m.components).includes('pt:v1:open:support'))!;
    return {
      guild: { id: state.id },
      panelChannel: { id: panel!.id },
      logChannel: { id: (logChannel ?? panel)!.id },
      panelId: panelMessage.id,
    } as unknown as ChaosGuild;
  });
  return configured;
}

async function ceiling(redisUrl: string, redisPid: number | undefined, mode: Mode, guildCount: number, opens: number) {
  const wallStart = Date.now();
  const stack = await startStack(redisUrl, mode, `ceiling-${mode}`);
  try {
    const t0 = Date.now();
    const seqSetup = await maxSeq(stack);
    const guilds = await configureBulk(stack, guildCount);
    await drainLogs(stack, redisUrl);
    const setupEntries = (await stack.emulator.requests({ since: seqSetup })).filter(onBotToken);
    const setup = { seconds: round((Date.now() - t0) / 1000), globalRequests: setupEntries.length, byRoute: countBy(setupEntries) };
    log('ceiling setup', mode, setup.seconds, 's', setup.globalRequests, 'global requests');

    const statsBefore = await stack.emulator.stats();
    const seqBefore = await maxSeq(stack);
    const cpuBefore = cpuOf(stack, redisPid);
    const started = Date.now();
    // Clicks arrive faster than the ceiling, so a backlog forms and the bot runs at its limit.
    const { results, achievedPerSecond } = await fireAt(opens, 30, async (i) => {
      const g = guilds[i % guilds.length]!;
      const r = await stack.emulator.interact({
        guildId: g.guild.id,
        channelId: g.panelChannel.id,
        userId: newUserId(),
        kind: 'button',
        customId: 'pt:v1:open:support',
        messageId: g.panelId,
      });
      return { id: r.id, token: r.token };
    });
    const sent = results.filter((r): r is { id: string; token: string } => !(r instanceof Error));
    const states = await mapLimit(sent, 64, (o) => stack.emulator.waitForOriginal(o.id, 600_000).catch(() => null));
    const finished = Date.now();
    // Let trailing log posts land before counting requests.
    await sleep(5_000);
    const cpuAfter = cpuOf(stack, redisPid);
    const statsAfter = await stack.emulator.stats();
    const all = await stack.emulator.requests({ since: seqBefore });
    const entries = all.filter(onBotToken);
    const { id: applicationId } = await stack.emulator.application();
    const executions = all.filter((e) => logWebhookExecution(e, applicationId));
    const okOpens = states.filter((s) => s?.original?.content.startsWith('✅')).length;
    const creates = entries
      .filter((e) => e.method === 'POST' && e.route === 'POST /guilds/:guild_id/channels' && e.status === 201)
      .map((e) => Date.parse(e.at))
      .sort((a, b) => a - b);
    const lo = creates[Math.floor(creates.length * 0.05)] ?? 0;
    const hi = creates[Math.floor(creates.length * 0.95)] ?? 0;
    const sustained = hi > lo ? round(((creates.length * 0.9) / (hi - lo)) * 1000, 2) : 0;
    // k counts the requests on the bot's token that Discord applied (2xx/4xx); 429s are reported on their own.
    const k = okOpens ? round(entries.filter((e) => e.status !== 429).length / okOpens, 3) : 0;
    const limit = k ? round(50 / k, 2) : 0;
    const result = {
      mode,
      guilds: guildCount,
      opens: sent.length,
      clicksPerSecond: achievedPerSecond,
      opened: okOpens,
      notOpened: sent.length - okOpens,
      seconds: round((finished - started) / 1000),
      k,
      byRoute: countBy(entries),
      ceilingPerSecond: limit,
      sustainedPerSecond: sustained,
      shareOfCeiling: limit ? round((sustained / limit) * 100, 1) : 0,
      rateLimited: statsAfter.rateLimited - statsBefore.rateLimited,
      globalRateLimited: statsAfter.globalRateLimited - statsBefore.globalRateLimited,
      // Log lines through webhooks: executions without the bot's token (Discord's per-address limit, one bucket per webhook).
      logWebhookExecutions: executions.length,
      logWebhookEmbedsPerExecution: executions.length ? round(executions.reduce((n, e) => n + embedCount(e), 0) / executions.length, 2) : 0,
      logWebhook429s: executions.filter((e) => e.status === 429).length,
      // The whole stack's CPU per ticket opened: the four services and Redis, from the first click until 5 s after the last answer.
      cpuPerOpen: cpuPer(cpuBefore, cpuAfter, okOpens, 1),
      setup,
      wallSeconds: round((Date.now() - wallStart) / 1000),
    };
    log('ceiling', result);
    return result;
  } finally {
    await stack.close();
  }
}

function embedCount(entry: RequestLogEntry): number {
  const embeds = (entry.body as { embeds?: unknown[] } | undefined)?.embeds;
  return Array.isArray(embeds) ? embeds.length : 0;
}

function countBy(entries: RequestLogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) {
    const key = `${e.route ?? `${e.method} ${e.path}`}${e.status === 429 ? ' (429)' : ''}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

// ── 4. memory ───────────────────────────────────────────────────────────────

const sum = (parts: Footprint[]): Footprint => ({
  rssMB: round(parts.reduce((a, b) => a + b.rssMB, 0)),
  pssMB: round(parts.reduce((a, b) => a + b.pssMB, 0)),
});

/** Waits until config-service has processed every `guild.joined` of the GUILD_CREATE storm. */
async function settled(redisUrl: string, prefix: string, since: number): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('config', { connection, prefix });
  try {
    for (;;) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed');
      if ((counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) === 0 && Date.now() - since > 5_000) break;
      await sleep(500);
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
  // Let the GC catch up with the storm's garbage, as a process left alone would.
  await sleep(3_000);
}

/**
 * The discord.js peer (bench/discordjs-peer.mjs) against the same emulator and guilds,
 * after our services have stopped: its footprint once every guild is in its cache.
 */
async function peerFootprint(stack: Stack, guildCount: number) {
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'discordjs-peer.mjs')], {
    cwd: ROOT,
    env: { PATH: env.PATH, DISCORD_API_URL: `${stack.emulatorUrl}/api`, DISCORD_TOKEN: EMULATOR_BOT_TOKEN, PEER_GUILDS: String(guildCount) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()).slice(-4_000));
  try {
    const ready = await new Promise<Record<string, number>>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the discord.js peer did not cache ${guildCount} guilds in 10 min: ${stderr}`)), 600_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.includes('"ready"'));
        if (line) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as Record<string, number>);
        }
      });
      child.once('exit', (code) => reject(new Error(`the discord.js peer exited (${code}): ${stderr}`)));
    });
    await sleep(3_000);
    return { ...footprint(child.pid), secondsToReady: ready.seconds, cached: ready };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
  }
}

/**
 * One memory run: N seeded guilds, then the bot started (`split`: its four processes;
 * `single`: the all-in-one process), measured after the GUILD_CREATE storm; with `peer`,
 * the discord.js Client on the same emulator afterwards.
 */
async function memoryRun(guildCount: number, shape: 'split' | 'single', peer: boolean) {
  const redis = await spawnRedis();
  // BENCH_NODE_OPTIONS measures the services with other V8 flags; the Dockerfile's by default, so the figure is what a deployment runs.
  const nodeOptions = env.BENCH_NODE_OPTIONS ?? DEPLOYED_NODE_OPTIONS;
  const stack = await Stack.start({
    redisUrl: redis.url,
    services: [],
    mode: 'split',
    env: { LOG_LEVEL: 'warn', NODE_OPTIONS: nodeOptions },
    emulatorEnv: { LOG_LEVEL: 'warn' },
    prefix: `bench-mem-${Date.now().toString(36)}`,
    // The gateway is healthy once every shard is ready: 10 shards identify 5 s apart, on a busy machine slower.
    healthTimeoutMs: 600_000,
  });
  try {
    const t0 = Date.now();
    await stack.emulator.seedGuilds({ count: guildCount, channels: 2, roles: 2, members: 3, memberCount: 50 });
    const names: ServiceName[] = shape === 'single' ? ['all-in-one'] : [...BOT_SERVICES];
    for (const name of names) await stack.startService(name);
    const shards = Math.max(1, Math.ceil(guildCount / 1000));
    await stack.emulator.waitForGateway(shards, 600_000);
    await settled(redis.url, stack.prefix, t0);
    const services = Object.fromEntries(names.map((name) => [name, footprint(stack.processes.get(name)?.child.pid)]));
    const redisFootprint = footprint(redis.process.pid);
    const result: Record<string, unknown> = {
      guilds: guildCount,
      shape,
      nodeOptions,
      shards,
      secondsToSettle: round((Date.now() - t0) / 1000),
      services,
      redis: redisFootprint,
      total: sum([...Object.values(services), redisFootprint]),
      emulator: footprint(stack.processes.get('discord-emulator')?.child.pid),
    };
    if (peer) {
      for (const name of [...names].reverse()) await stack.stopService(name);
      result.discordJs = await peerFootprint(stack, guildCount).catch((e: Error) => ({ error: e.message }));
    }
    log('memory', result);
    return result;
  } finally {
    await stack.close();
    await redis.stop();
  }
}

/** Medians of MEMORY_RUNS runs per guild count: the split stack (with the peer at PEER_GUILDS), then the all-in-one process at SINGLE_GUILDS. */
async function memory() {
  const cases = [
    ...MEMORY_GUILDS.map((guilds) => ({ guilds, shape: 'split' as const, peer: PEER_GUILDS.includes(guilds) })),
    ...SINGLE_GUILDS.map((guilds) => ({ guilds, shape: 'single' as const, peer: false })),
  ];
  const out = [];
  for (const { guilds, shape, peer } of cases) {
    const runs = [];
    for (let run = 0; run < MEMORY_RUNS; run++) runs.push(await memoryRun(guilds, shape, peer).catch((e: Error) => ({ guilds, shape, error: e.message })));
    out.push({ guilds, shape, runs, median: memoryMedian(runs) });
  }
  return out;
}

/** The median of each figure over the runs that finished (a run that failed says so in `runs`). */
function memoryMedian(runs: Record<string, unknown>[]) {
  const ok = runs.filter((r) => !('error' in r)) as { services: Record<string, Footprint>; redis: Footprint; total: Footprint; discordJs?: Footprint }[];
  if (!ok.length) return undefined;
  const of = (pick: (r: (typeof ok)[number]) => Footprint | undefined): Footprint | undefined => {
    const values = ok.map(pick).filter((f): f is Footprint => f !== undefined && 'rssMB' in f);
    return values.length ? { rssMB: median(values.map((f) => f.rssMB)), pssMB: median(values.map((f) => f.pssMB)) } : undefined;
  };
  return {
    runs: ok.length,
    services: Object.fromEntries(Object.keys(ok[0]!.services).map((name) => [name, of((r) => r.services[name])])),
    redis: of((r) => r.redis),
    total: of((r) => r.total),
    discordJs: of((r) => r.discordJs),
  };
}

// ── main ────────────────────────────────────────────────────────────────────

async function main() {
  const results: Record<string, unknown> = {
    startedAt: STARTED_AT,
    machine: machine(),
    settings: {
      RUNS,
      CEILING_RUNS,
      ACK_SECONDS,
      ACK_RATES,
      OPEN_SECONDS,
      CEILING_GUILDS,
      CEILING_OPENS,
      MEMORY_GUILDS,
      MEMORY_RUNS,
      PEER_GUILDS,
      SINGLE_GUILDS,
      MODES,
      CEILING_MODES,
      SUSTAIN_SECONDS,
      SUSTAIN_RATE,
      SUSTAIN_RUNS,
      CPU_PROF,
    },
    loadAverageAtStart: loadavg().map((n) => round(n, 2)),
    wallSeconds: {} as Record<string, number>,
  };
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${results.startedAt as string}.json`.replace(/:/g, '-'));
  const save = () => writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  const wall = results.wallSeconds as Record<string, number>;
  /** Runs one scenario, keeps its wall time, saves the file so far. */
  const scenario = async (name: string, run: () => Promise<unknown>) => {
    if (!ONLY.has(name)) return;
    const t0 = Date.now();
    log(`${name}: start`);
    results[name] = await run().catch((e: Error) => ({ error: e.message }));
    wall[name] = round((Date.now() - t0) / 1000);
    log(`${name}: ${wall[name]} s`);
    save();
  };
  const redis = await spawnRedis();
  try {
    await scenario('ack', () => ackLatency(redis.url));
    await scenario('sustain', () => sustain());
    await scenario('open', async () => {
      const open: Record<string, unknown> = {};
      for (const mode of MODES) open[mode] = await openLatency(redis.url, mode).catch((e: Error) => ({ error: e.message }));
      return open;
    });
    await scenario('ceiling', async () => {
      const out: Record<string, unknown[]> = {};
      for (const mode of CEILING_MODES) {
        out[mode] = [];
        // The naive baseline is slower; BENCH_NAIVE_CEILING_OPENS (1000, guilds scaled alike) keeps the run short. k and the share are per open, so they compare.
        const opens = mode === 'naive' ? Math.min(CEILING_OPENS, Number(env.BENCH_NAIVE_CEILING_OPENS ?? 1000)) : CEILING_OPENS;
        const guilds = Math.max(1, Math.round((CEILING_GUILDS * opens) / CEILING_OPENS));
        for (let run = 0; run < CEILING_RUNS; run++)
          out[mode].push(await ceiling(redis.url, redis.process.pid, mode, guilds, opens).catch((e: Error) => ({ error: e.message })));
      }
      return out;
    });
  } finally {
    await redis.stop();
  }
  await scenario('memory', () => memory());
  results.finishedAt = new Date().toISOString();
  results.loadAverageAtEnd = loadavg().map((n) => round(n, 2));
  wall.total = round((Date.parse(results.finishedAt as string) - Date.parse(STARTED_AT)) / 1000);
  save();
  log('wall time per scenario (s):', JSON.stringify(wall));
  log('results in', file);
}

await main();
process.exit(0);
