import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { knownEnvVars, type QueueName } from '@promton/shared/contracts';
import { EmulatorClient } from '@promton/discord-emulator';
import { testPrefix } from './prefix.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './test-database.js';
import { freePort } from './redis-server.js';

export const ROOT = resolve(import.meta.dirname, '../..');

export type ServiceName = 'discord-emulator' | 'gateway' | 'interactions' | 'ticket-worker' | 'log-worker' | 'config-service' | 'web' | 'all-in-one';
export const BOT_SERVICES: readonly ServiceName[] = ['config-service', 'ticket-worker', 'log-worker', 'gateway'];

/** How the bot's services run: each its own process (as compose's default), or together in the all-in-one process. */
export type StackMode = 'split' | 'single';
/** STACK_MODE=single runs a test file's bot services in one all-in-one process. */
export const defaultStackMode = (): StackMode => (process.env.STACK_MODE === 'single' ? 'single' : 'split');
/** The services the all-in-one process runs, in the order it starts them. */
const ALL_IN_ONE_ORDER: readonly ServiceName[] = ['config-service', 'ticket-worker', 'log-worker', 'gateway'];
const ALL_IN_ONE = 'all-in-one';

/** How interactions reach the bot: INTERACTION_CREATE over the gateway, or signed POSTs to the HTTP receiver. */
export type InteractionsMode = 'gateway' | 'http';
/** STACK_INTERACTIONS=http runs a test file's stack with the HTTP interactions receiver. */
export const defaultInteractionsMode = (): InteractionsMode => (process.env.STACK_INTERACTIONS === 'http' ? 'http' : 'gateway');

/** Entry point of a service; the HTTP interactions receiver is the gateway package's second one. */
const entryOf = (name: ServiceName) =>
  name === 'interactions' ? join(ROOT, 'services', 'gateway', 'dist', 'interactions-main.js') : join(ROOT, 'services', name, 'dist', 'main.js');

interface Running {
  child: ChildProcess;
  port: number;
  /** The HTTP interactions receiver's POST port. */
  interactionsPort?: number;
  log: WriteStream;
  exited: Promise<number | null>;
}

export interface StackOptions {
  redisUrl: string;
  /** Services to start (in this order); the emulator always starts first. */
  services?: readonly ServiceName[];
  /** Extra env for every service (must be variables the config schema knows). */
  env?: Record<string, string>;
  /** Emulator env, e.g. faster rate limits. */
  emulatorEnv?: Record<string, string>;
  prefix?: string;
  /** Run against real Discord (DISCORD_TOKEN etc. from the environment): no emulator. */
  skipEmulator?: boolean;
  /**
   * Scheduling priority (nice value) per service. The gateway's first responses are
   * latency-critical while the workers are throughput work; on a shared machine the
   * workers can yield the CPU to it.
   */
  niceness?: Partial<Record<ServiceName, number>>;
  /** A script to start instead of a service's own `dist/main.js` (the benchmark's comparison modes: bench/baseline-main.mjs), with its arguments. */
  entries?: Partial<Record<ServiceName, string[]>>;
  /** Keep the database in this folder (relative to the project root) instead of a temporary one (SQLite). */
  persistentDir?: string;
  /**
   * `http`: also start the HTTP interactions receiver and set it as the application's
   * Interactions Endpoint URL, so Discord POSTs interactions instead of dispatching them.
   * Default: STACK_INTERACTIONS, else `gateway`.
   */
  interactions?: InteractionsMode;
  /** How long a started service may take to report healthy before the start fails (default 60 s). */
  healthTimeoutMs?: number;
  /** Database engine; defaults to the run's (`TEST_DATABASE`). Postgres gets a new database, dropped at close. */
  database?: DatabaseKind;
  /**
   * `single`: the bot's four services run in one all-in-one process (ALL_IN_ONE_SERVICES).
   * Stopping or starting one of them restarts that process without or with it, as an
   * operator of the one process would. Default: STACK_MODE, else `split`.
   */
  mode?: StackMode;
}

/**
 * The product as compose runs it: every service its own process started by its real
 * entry point (`node services/<name>/dist/main.js`), configured only through env,
 * talking to the emulator over HTTP and WebSocket. Needs `npm run build` first.
 */
export class Stack {
  readonly prefix: string;
  readonly dir: string;
  /** Keyed by instance name: the service's name, or the one given to startService (two gateways, say). */
  readonly processes = new Map<string, Running>();
  readonly interactionsMode: InteractionsMode;
  readonly mode: StackMode;
  /** In `single` mode: the bot services the all-in-one process runs. */
  private readonly bundled = new Set<ServiceName>();
  emulator!: EmulatorClient;
  emulatorUrl = '';
  database: TestDatabase | undefined;

  private constructor(private readonly options: StackOptions) {
    this.prefix = options.prefix ?? testPrefix();
    this.interactionsMode = options.interactions ?? defaultInteractionsMode();
    this.mode = options.mode ?? defaultStackMode();
    this.dir = mkdtempSync(join(tmpdir(), 'promton-stack-'));
  }

  static async start(options: StackOptions): Promise<Stack> {
    const stack = new Stack(options);
    try {
      stack.database = options.persistentDir
        ? await createTestDatabase(join(ROOT, options.persistentDir), 'sqlite')
        : await createTestDatabase(stack.dir, options.database);
      if (!options.skipEmulator) await stack.startService('discord-emulator');
      const services = options.services ?? BOT_SERVICES;
      if (stack.mode === 'single') {
        // One process for every bot service asked for; the others (web) keep their own.
        for (const name of services) if (ALL_IN_ONE_ORDER.includes(name)) stack.bundled.add(name);
        if (stack.bundled.size) await stack.startBundle();
        for (const name of services) if (!ALL_IN_ONE_ORDER.includes(name)) await stack.startService(name);
      } else {
        for (const name of services) await stack.startService(name);
      }
      if (stack.interactionsMode === 'http' && !options.skipEmulator) {
        await stack.startService('interactions');
        await stack.emulator.setInteractionsEndpoint(stack.interactionsUrl);
      }
    } catch (error) {
      await stack.close();
      throw error;
    }
    return stack;
  }

  get databaseUrl(): string {
    if (!this.database) throw new Error('the stack has no database yet');
    return this.database.url;
  }

  /** The HTTP interactions receiver's endpoint, once it runs. */
  get interactionsUrl(): string {
    const running = this.processes.get('interactions');
    if (!running?.interactionsPort) throw new Error('the interactions receiver is not running');
    return `http://127.0.0.1:${running.interactionsPort}/interactions`;
  }

  envFor(name: ServiceName, port: number): NodeJS.ProcessEnv {
    const base: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.STACK_LOG_LEVEL ?? 'info',
    };
    if (name === 'discord-emulator') return { ...base, EMULATOR_PORT: String(port), ...this.options.emulatorEnv };
    const discord = this.options.skipEmulator
      ? Object.fromEntries(knownEnvVars.filter((key) => process.env[key] !== undefined).map((key) => [key, process.env[key]]))
      : { DISCORD_API_URL: `${this.emulatorUrl}/api` };
    return {
      ...base,
      ...discord,
      REDIS_URL: this.options.redisUrl,
      QUEUE_PREFIX: this.prefix,
      DATABASE_URL: this.databaseUrl,
      ...(name === 'web' ? { WEB_PORT: String(port) } : { HEALTH_PORT: String(port) }),
      // Tests open several tickets per member within seconds; the cooldown has its own test.
      OPEN_COOLDOWN_SECONDS: '0',
      ...this.options.env,
    };
  }

  /**
   * Starts one process of a service. `instance` names it when a service runs more than
   * once (two gateway processes with their own SHARD_IDS); it defaults to the service's name.
   */
  async startService(name: ServiceName, extraEnv: Record<string, string> = {}, instance: string = name): Promise<void> {
    if (!this.isBundled(name)) return this.spawnService(name, extraEnv, instance);
    if (instance !== name || Object.keys(extraEnv).length) throw new Error(`in single mode ${name} runs inside all-in-one: no second instance or own env`);
    if (this.bundled.has(name) && this.processes.has(ALL_IN_ONE)) throw new Error(`${name} is already running`);
    this.bundled.add(name);
    await this.stopProcess(ALL_IN_ONE);
    await this.startBundle();
  }

  private async spawnService(name: ServiceName, extraEnv: Record<string, string>, instance: string): Promise<void> {
    if (this.processes.has(instance)) throw new Error(`${instance} is already running`);
    const fixed = name === 'web' ? this.options.env?.WEB_PORT : name === 'discord-emulator' ? this.options.emulatorEnv?.EMULATOR_PORT : undefined;
    const port = fixed ? Number(fixed) : await freePort();
    const interactionsPort = name === 'interactions' ? await freePort() : undefined;
    const log = createWriteStream(join(this.dir, `${instance}.log`), { flags: 'a' });
    const child = spawn(process.execPath, this.options.entries?.[name] ?? [entryOf(name)], {
      cwd: this.dir,
      env: { ...this.envFor(name, port), ...(interactionsPort ? { INTERACTIONS_PORT: String(interactionsPort) } : {}), ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const nice = this.options.niceness?.[name];
    if (nice !== undefined && child.pid !== undefined) setPriority(child.pid, nice);
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    this.processes.set(instance, { child, port, log, exited, ...(interactionsPort ? { interactionsPort } : {}) });
    if (name === 'discord-emulator') {
      this.emulatorUrl = `http://127.0.0.1:${port}`;
      this.emulator = new EmulatorClient(this.emulatorUrl);
    }
    const healthUrl = name === 'discord-emulator' ? `${this.emulatorUrl}/_emulator/health` : `http://127.0.0.1:${port}/healthz`;
    await this.waitHealthy(instance, healthUrl, exited, this.healthTimeout(name));
  }

  /** Whether `name` is (or would be) one of the all-in-one process's services. */
  private isBundled(name: string): boolean {
    return this.mode === 'single' && ALL_IN_ONE_ORDER.includes(name as ServiceName);
  }

  /** (Re)starts the all-in-one process with the bundled services, if any. */
  private async startBundle(): Promise<void> {
    const services = ALL_IN_ONE_ORDER.filter((name) => this.bundled.has(name));
    if (!services.length) return;
    await this.spawnService(ALL_IN_ONE, { ALL_IN_ONE_SERVICES: services.join(',') }, ALL_IN_ONE);
  }

  /** How long a started process may take to report healthy: the all-in-one process starts four services. */
  private healthTimeout(name: ServiceName): number {
    const base = this.options.healthTimeoutMs ?? 60_000;
    return name === ALL_IN_ONE && this.options.healthTimeoutMs === undefined ? 4 * base : base;
  }

  private async waitHealthy(name: string, url: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
    let dead = false;
    void exited.then(() => (dead = true));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (dead) throw new Error(`${name} exited during start:\n${this.logOf(name).slice(-4000)}`);
      try {
        const response = await fetch(url);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${name} did not become healthy:\n${this.logOf(name).slice(-4000)}`);
  }

  logOf(name: string): string {
    if (this.isBundled(name)) name = ALL_IN_ONE;
    try {
      return readFileSync(join(this.dir, `${name}.log`), 'utf8');
    } catch {
      return '';
    }
  }

  portOf(name: string): number {
    const running = this.processes.get(this.isBundled(name) ? ALL_IN_ONE : name);
    if (!running) throw new Error(`${name} is not running`);
    return running.port;
  }

  /**
   * Stops a service: SIGTERM for a graceful stop, SIGKILL for a crash. Resolves with its exit code (null when killed).
   * In single mode a bot service stops with its process, which starts again with the others.
   */
  async stopService(name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (!this.isBundled(name)) return this.stopProcess(name, signal);
    if (!this.bundled.delete(name as ServiceName)) return null;
    const code = await this.stopProcess(ALL_IN_ONE, signal);
    await this.startBundle();
    return code;
  }

  private async stopProcess(name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const running = this.processes.get(name);
    if (!running) return null;
    this.processes.delete(name);
    if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill(signal);
    // As compose does: SIGKILL only after its 30 s grace period (services give themselves 20 s).
    const timer = setTimeout(() => running.child.kill('SIGKILL'), 30_000);
    const code = await running.exited;
    clearTimeout(timer);
    running.log.end();
    return code;
  }

  /**
   * Resolves once the named queues hold no job waiting or running (nor, unless
   * `delayed: false`, a delayed retry): the barrier a test waits for before asserting
   * that nothing more happened, instead of sleeping.
   */
  async waitUntilIdle(names: readonly QueueName[], { delayed = true, timeoutMs = 30_000 }: { delayed?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const redis = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    const queues = names.map((name) => new Queue(name, { connection: redis, prefix: this.prefix }));
    const states = ['waiting', 'active', 'prioritized', 'waiting-children', ...(delayed ? ['delayed' as const] : [])] as const;
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = await Promise.all(queues.map((queue) => queue.getJobCounts(...states)));
        if (counts.every((count) => Object.values(count).every((n) => n === 0))) return;
        if (Date.now() > deadline) throw new Error(`queues ${names.join(', ')} still busy after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
      redis.disconnect();
    }
  }

  async close(): Promise<void> {
    const names = [...this.processes.keys()].reverse();
    for (const name of names) await this.stopProcess(name);
    await this.database?.drop();
    if (!process.env.KEEP_STACK_DIR) rmSync(this.dir, { recursive: true, force: true });
  }
}
