import { queryRows } from '../../support/database.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureDemoGuild, panelMessage, seedDemoGuild, type DemoGuild } from '../../../scripts/stack/demo.js';
import { EmulatorError, type EmulatorClient, type InteractionState } from '@promton/discord-emulator';
import { freePort, reachable } from '../../../scripts/stack/redis-server.js';
import type { Stack } from '../../../scripts/stack/stack.js';

/** `make chaos` sets CHAOS_FULL=1; `make test` runs the short versions. */
export const FULL = process.env.CHAOS_FULL === '1';

export function sized(short: number, full: number): number {
  return FULL ? full : short;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let userCounter = 0;
/** A fresh member id (the emulator adds unknown users to the guild on their first interaction). */
export function newUserId(): string {
  const ms = BigInt(Date.now() - 1_420_070_400_000);
  return ((ms << 22n) | BigInt((process.pid % 1024) << 12) | BigInt(userCounter++ % 4096)).toString();
}

export interface ChaosGuild extends DemoGuild {
  panelId: string;
}

/** Seeds and configures `count` demo guilds through the real slash commands. */
export async function setupGuilds(emulator: EmulatorClient, count: number): Promise<ChaosGuild[]> {
  const guilds: ChaosGuild[] = [];
  for (let i = 0; i < count; i++) {
    const demo = await seedDemoGuild(emulator, `chaos ${i}`);
    await configureDemoGuild(emulator, demo);
    guilds.push({ ...demo, panelId: (await panelMessage(emulator, demo.panelChannel.id)).id });
  }
  return guilds;
}

export interface Open {
  id: string;
  guildId: string;
  userId: string;
  sentAt: number;
}

/** Clicks `total` open buttons, round-robin over the guilds, at `perSecond`; a click the control API refuses is recorded as lost. */
export async function fireOpens(
  emulator: EmulatorClient,
  guilds: ChaosGuild[],
  total: number,
  perSecond: number,
  onTick?: (sent: number) => Promise<void> | void,
): Promise<Open[]> {
  const opens: Open[] = [];
  const start = Date.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    const guild = guilds[i % guilds.length]!;
    const userId = newUserId();
    pending.push(
      emulator
        .interact({
          guildId: guild.guild.id,
          channelId: guild.panelChannel.id,
          userId,
          kind: 'button',
          customId: 'pt:v1:open:support',
          messageId: guild.panelId,
        })
        .then(({ id }) => void opens.push({ id, guildId: guild.guild.id, userId, sentAt: Date.now() })),
    );
    if (onTick) await onTick(i + 1);
  }
  await Promise.all(pending);
  return opens;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        out[index] = await fn(items[index]!);
      }
    }),
  );
  return out;
}

/** Waits until every interaction has a final answer (or the deadline passes) and returns what each member saw. */
export async function settle(emulator: EmulatorClient, ids: readonly string[], timeoutMs: number): Promise<Map<string, InteractionState>> {
  const deadline = Date.now() + timeoutMs;
  const states = await mapLimit(ids, 64, async (id) => {
    for (;;) {
      const left = deadline - Date.now();
      try {
        return await emulator.waitForOriginal(id, Math.max(100, Math.min(left, 30_000)));
      } catch (error) {
        if (!(error instanceof EmulatorError && error.status === 408)) throw error;
        if (Date.now() >= deadline) return (error.body as { interaction: InteractionState }).interaction;
      }
    }
  });
  return new Map(ids.map((id, i) => [id, states[i]!]));
}

export interface TicketRow {
  guild_id: string;
  number: number;
  status: string;
  channel_id: string | null;
  opening_interaction_id: string | null;
  close_reason: string | null;
}

/** What a scenario held and lost, from the emulator's state and the database. */
export interface Outcome {
  opens: number;
  opened: number;
  refused: number;
  /** No response at all, or a deferral never followed by an answer. */
  unanswered: number;
  /** ✅ answers whose channel, welcome message or open row is missing. */
  lost: number;
  duplicateChannels: number;
  duplicateNumbers: number;
  duplicateWelcomes: number;
  /** Ticket channels no ✅ answer points at (e.g. opened, then the member was told it failed). */
  orphanChannels: number;
  /** Rows still `opening` at the end whose member was not answered ❌. */
  stuckOpening: number;
  refusals: Record<string, number>;
  /** Initial-response latency as the emulator measured it (INTERACTION_CREATE created → callback received). */
  ackMs: { p50: number; p99: number; max: number };
  /** The bot's invalid requests (401, 403, 429 not shared, repeated 404) during the run, as Discord counts them for its ban. */
  invalidRequests: number;
  /** The same per 1,000 opens (target ≤ 1). */
  invalidPer1000Opens: number;
  /** Each counted request as `status METHOD path`, to trace it to the code that made it. */
  invalidCounted: string[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Checks every open: each member saw a ✅ with a channel that exists and holds one welcome
 * message and an `open` row, or a clear ❌; no channel name or ticket number twice in a guild.
 */
export async function verifyOpens(
  stack: Pick<Stack, 'databaseUrl' | 'emulator'>,
  guilds: ChaosGuild[],
  opens: Open[],
  states: Map<string, InteractionState>,
): Promise<Outcome> {
  const guildIds = new Set(guilds.map((g) => g.guild.id));
  // An open's outcome reaches config-service as an event (ticket.open-result) applied on its
  // own time after the member's answer: read once no row of ours is still opening, or after 90 s.
  // An event taken by config-service just before Redis went away waits for its lock (10 s) and a
  // stalled check (5 s), then its retries' backoff: 90 s covers that on a busy machine.
  const deadline = Date.now() + 90_000;
  let mine: TicketRow[];
  for (;;) {
    const rows = await queryRows<TicketRow>(
      stack.databaseUrl,
      'SELECT guild_id, number, status, channel_id, opening_interaction_id, close_reason FROM tickets',
    );
    mine = rows.filter((row) => guildIds.has(row.guild_id));
    if (!mine.some((row) => row.status === 'opening') || Date.now() > deadline) break;
    await sleep(200);
  }
  const invalid = await stack.emulator.invalidRequests();
  const invalidRequests = invalid.total;
  const outcome: Outcome = {
    opens: opens.length,
    opened: 0,
    refused: 0,
    unanswered: 0,
    lost: 0,
    duplicateChannels: 0,
    duplicateNumbers: 0,
    duplicateWelcomes: 0,
    orphanChannels: 0,
    stuckOpening: 0,
    refusals: {},
    ackMs: { p50: 0, p99: 0, max: 0 },
    invalidRequests,
    invalidPer1000Opens: opens.length === 0 ? 0 : Number(((invalidRequests * 1000) / opens.length).toFixed(2)),
    invalidCounted: invalid.counted.map((c) => `${c.status} ${c.method} ${c.path}`),
  };
  const latencies: number[] = [];
  const answeredChannels = new Set<string>();
  const refusedIds = new Set<string>();
  const channelOf = new Map<string, string>();
  for (const open of opens) {
    const state = states.get(open.id);
    const text = state?.original?.content ?? '';
    if (!state?.response || !text) {
      outcome.unanswered++;
      continue;
    }
    latencies.push(state.response.latencyMs);
    if (text.startsWith('✅')) {
      const channelId = /<#(\d+)>/.exec(text)?.[1];
      if (!channelId) {
        outcome.lost++;
        continue;
      }
      outcome.opened++;
      answeredChannels.add(channelId);
      channelOf.set(open.id, channelId);
    } else if (text.startsWith('❌')) {
      outcome.refused++;
      refusedIds.add(open.id);
      const key = text.replace(/#\d+|<#\d+>/g, '#').slice(0, 80);
      outcome.refusals[key] = (outcome.refusals[key] ?? 0) + 1;
    } else {
      outcome.unanswered++;
    }
  }
  latencies.sort((a, b) => a - b);
  outcome.ackMs = { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? 0 };

  // Channels and welcomes, from the emulator.
  const ticketChannels = new Set<string>();
  for (const guild of guilds) {
    const state = await stack.emulator.guild(guild.guild.id);
    const names = new Map<string, number>();
    for (const channel of state.channels) {
      if (!/^ticket-\d{4,}$/.test(channel.name)) continue;
      ticketChannels.add(channel.id);
      names.set(channel.name, (names.get(channel.name) ?? 0) + 1);
    }
    for (const count of names.values()) if (count > 1) outcome.duplicateChannels += count - 1;
  }
  await mapLimit([...answeredChannels], 32, async (channelId) => {
    if (!ticketChannels.has(channelId)) {
      outcome.lost++;
      return;
    }
    const messages = await stack.emulator.messages(channelId);
    const welcomes = messages.filter((m) => m.author.bot && JSON.stringify(m.components).includes('pt:v1:close:'));
    if (welcomes.length === 0) outcome.lost++;
    if (welcomes.length > 1) outcome.duplicateWelcomes += welcomes.length - 1;
  });
  for (const channelId of ticketChannels) if (!answeredChannels.has(channelId)) outcome.orphanChannels++;

  // Rows, from the database.
  const numbers = new Set<string>();
  const channels = new Set<string>();
  const openRows = new Map<string, TicketRow>();
  for (const row of mine) {
    const key = `${row.guild_id}/${row.number}`;
    if (numbers.has(key)) outcome.duplicateNumbers++;
    numbers.add(key);
    if (row.channel_id) {
      if (channels.has(row.channel_id)) outcome.duplicateChannels++;
      channels.add(row.channel_id);
      openRows.set(row.channel_id, row);
    }
    if (row.status === 'opening' && !(row.opening_interaction_id && refusedIds.has(row.opening_interaction_id))) outcome.stuckOpening++;
  }
  for (const channelId of answeredChannels) if (openRows.get(channelId)?.status !== 'open') outcome.lost++;
  return outcome;
}

/**
 * The opens Discord itself left unanswered: no initial response was ever accepted because
 * Discord answered every callback attempt with a 5xx (a `status` fault: not applied). The
 * initial response is the only way to answer an interaction, within 3 s, so the member then
 * sees Discord's "This interaction failed" whatever the bot does; the gateway retries a 5xx
 * (up to 3 times, within its first 2 s), so with 10 % 500s this befalls about 1 open in 10,000.
 */
export async function ackFailedByDiscord(emulator: EmulatorClient, opens: readonly Open[], states: Map<string, InteractionState>): Promise<Set<string>> {
  const failed = new Set<string>();
  for (const open of opens) {
    if (states.get(open.id)?.response) continue;
    const attempts = await emulator.requests({ method: 'POST', path: `/interactions/${open.id}/` });
    if (attempts.length > 0 && attempts.every((attempt) => attempt.status >= 500)) failed.add(open.id);
  }
  return failed;
}

/**
 * For a failed check: each open whose member saw neither ✅ nor ❌ (the first five), with its
 * state in the emulator and every service log line naming its interaction id (job ids carry it).
 */
export function unansweredTrail(stack: Pick<Stack, 'processes' | 'logOf'>, opens: readonly Open[], states: Map<string, InteractionState>): string {
  const unanswered = opens.filter((open) => {
    const state = states.get(open.id);
    return !state?.response || !/^(✅|❌)/.test(state.original?.content ?? '');
  });
  const logs = [...stack.processes.keys()].map((name) => [name, stack.logOf(name).split('\n')] as const);
  return unanswered
    .slice(0, 5)
    .map((open) => {
      const lines = logs.flatMap(([name, log]) => log.filter((line) => line.includes(open.id)).map((line) => `  ${name}: ${line.slice(0, 500)}`));
      return `unanswered ${open.id} (guild ${open.guildId}): ${JSON.stringify(states.get(open.id))}\n${lines.join('\n') || '  (no log line names it)'}`;
    })
    .join('\n');
}

export function summary(outcome: Outcome): string {
  return JSON.stringify(outcome);
}

/** A private redis-server that can be stopped and started again on the same port and data folder (AOF kept). */
export class RestartableRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'promton-chaos-redis-'));
  #child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RestartableRedis> {
    const redis = new RestartableRedis(await freePort());
    await redis.up();
    return redis;
  }

  async up(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--dir',
        this.dir,
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    this.#child = child;
    const deadline = Date.now() + 10_000;
    while (!(await reachable(this.url))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not start on ${this.port}`);
      await sleep(50);
    }
  }

  /** SIGTERM: Redis fsyncs its AOF and exits, as on a restart. SIGKILL: a crash (up to 1 s of writes lost with everysec). */
  async down(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  async close(): Promise<void> {
    await this.down();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
