import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { Queue } from 'bullmq';
import {
  QueueName,
  loadConfig,
  projectionKey,
  type Config,
  type ConfigJob,
  type ConfigJobName,
  type ConfigReplies,
  type GuildConfig,
  type InteractionContext,
  type LogJob,
} from '@promton/shared/contracts';
import { ConfigClient, addJob, createLogger, createRedis, createRuntime, readGuildConfig } from '@promton/shared/runtime';
import { testPrefix } from '../../../scripts/stack/prefix.js';
import { createTestDatabase } from '../../../scripts/stack/test-database.js';
import { analyticsKey, type AnalyticsSnapshot } from '../src/analytics.js';
import { createApp, type App, type AppOverrides } from '../src/app.js';

export const GUILD = '200000000000000001';
export const ADMIN = '300000000000000001';
export const MEMBER = '300000000000000002';
export const OWNER = '300000000000000009';
export const APP_ID = '1100000000000000001';
export const MANAGE_GUILD = (1n << 5n).toString();
export const FAKE_BOT_ID = '300000000000000099';
/** View Channel, Send Messages, Embed Links, Attach Files. */
const EVERYONE_PERMISSIONS = ((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n)).toString();
/** The bot's own managed role, as the invite creates it; here what @everyone lacks for a log channel (Manage Webhooks) and a ticket category (Manage Channels, Manage Roles). */
export const FAKE_BOT_ROLE = { id: '300000000000000098', managed: true, permissions: ((1n << 29n) | (1n << 4n) | (1n << 28n)).toString() };

export interface RecordedRequest {
  method: string;
  url: string;
  body: string;
  contentType: string;
}

/** A tiny stand-in for Discord's REST: records webhook edits, serves channels, roles and files. */
export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  readonly channels = new Map<
    string,
    { type: number; guild_id: string; permission_overwrites?: { id: string; type: number; allow: string; deny: string }[] }
  >();
  readonly roles: { id: string; managed: boolean }[] = [];
  readonly files = new Map<string, string>();
  /** Custom emoji ids of the guild. */
  readonly emojis = new Set<string>();
  /** GET /applications/@me flags: none, as a new application; 1 << 18 grants Message Content (transcripts need it). */
  applicationFlags = 0;
  /** Answer every webhook edit with 404 Unknown Webhook (an expired token). */
  failWebhooks = false;
  #server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.#server = createServer(async (req, res) => {
      const body = await readBody(req);
      const url = req.url ?? '';
      this.requests.push({ method: req.method ?? '', url, body, contentType: req.headers['content-type'] ?? '' });
      const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      let match: RegExpMatchArray | null;
      if (req.method === 'PATCH' && url.includes('/webhooks/')) {
        if (this.failWebhooks) return json(404, { message: 'Unknown Webhook', code: 10015 });
        return json(200, { id: '400000000000000001', content: '' });
      }
      if (req.method === 'GET' && (match = url.match(/\/channels\/(\d+)$/))) {
        const channel = this.channels.get(match[1]!);
        return channel ? json(200, { id: match[1], ...channel }) : json(404, { message: 'Unknown Channel', code: 10003 });
      }
      if (req.method === 'GET' && (match = url.match(/\/guilds\/(\d+)\/roles$/))) {
        // @everyone (id = guild id) may view, send, embed and attach, as Discord's defaults.
        return json(200, [
          { id: match[1], managed: false, permissions: EVERYONE_PERMISSIONS },
          ...this.roles.map((r) => ({ permissions: '0', ...r })),
          FAKE_BOT_ROLE,
        ]);
      }
      if (req.method === 'GET' && (match = url.match(/\/guilds\/\d+\/emojis\/(\d+)$/))) {
        return this.emojis.has(match[1]!) ? json(200, { id: match[1], name: 'custom' }) : json(404, { message: 'Unknown Emoji', code: 10014 });
      }
      if (req.method === 'GET' && /\/applications\/(@|%40)me$/.test(url)) return json(200, { id: APP_ID, flags: this.applicationFlags });
      if (req.method === 'GET' && /\/users\/(@|%40)me$/.test(url)) return json(200, { id: FAKE_BOT_ID, username: 'bot', bot: true });
      if (req.method === 'GET' && /\/guilds\/\d+\/members\/\d+$/.test(url)) return json(200, { roles: [FAKE_BOT_ROLE.id], user: { id: FAKE_BOT_ID } });
      if (req.method === 'GET' && (match = url.match(/^\/files\/(.+)$/))) {
        const file = this.files.get(match[1]!);
        return file === undefined ? json(404, {}) : res.writeHead(200).end(file);
      }
      return json(404, { message: 'not faked', code: 0 });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    const address = this.#server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this;
  }

  /** Contents of the @original edits, in order. */
  answers(): string[] {
    return this.requests.filter((r) => r.method === 'PATCH').map((r) => answerContent(r));
  }

  async waitForAnswers(count: number, timeoutMs = 60_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.answers().length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} answers, got ${JSON.stringify(this.answers())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.answers();
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** The JSON payload of a PATCH, whether sent as JSON or as multipart payload_json. */
export function answerPayload(request: RecordedRequest): { content: string; embeds?: unknown[]; attachments?: unknown[]; components?: unknown[] } {
  if (request.contentType.startsWith('application/json')) return JSON.parse(request.body);
  const part = request.body.split(/\r?\n--/).find((p) => p.includes('name="payload_json"'));
  if (!part) throw new Error('no payload_json part');
  return JSON.parse(part.slice(part.indexOf('{')));
}

export function answerContent(request: RecordedRequest): string {
  return answerPayload(request).content;
}

/** The text of the first file part of a multipart PATCH. */
export function answerFile(request: RecordedRequest): string {
  const part = request.body.split(/\r?\n--/).find((p) => /name="files\[0\]"/.test(p));
  if (!part) throw new Error('no file part');
  const start = part.indexOf('\r\n\r\n');
  return part.slice(start + 4).replace(/\r\n$/, '');
}

export interface Harness {
  config: Config;
  app: App;
  client: ConfigClient;
  discord: FakeDiscord;
  /** The harness's own database (SQLite file or new Postgres database, per `TEST_DATABASE`). */
  databaseUrl: string;
  restart(): Promise<void>;
  /**
   * Adds a `config` job of any name, as its producer does, and waits for config-service's
   * result: `client.request` for the events (guild.joined, ticket.channel-deleted…) that
   * producers only add, so a test can go on once one is handled.
   */
  deliver<N extends ConfigJobName>(name: N, data: ConfigJob<N>, options?: { jobId?: string }): Promise<ConfigReplies[N]>;
  command(
    path: string[],
    options?: Record<string, string | number | boolean>,
    extra?: {
      resolved?: ConfigJob<'config.command'>['command']['resolved'];
      userId?: string;
      permissions?: string;
      roles?: string[];
      /** The interaction's `locale` and `guild_locale`, as Discord sends them. */
      locale?: string;
      guildLocale?: string;
    },
  ): Promise<string>;
  close(): Promise<void>;
}

let snowflakeCounter = 0;
export function snowflake(): string {
  snowflakeCounter += 1;
  return `5${String(Date.now()).padStart(15, '0')}${String(snowflakeCounter).padStart(3, '0')}`.slice(0, 19);
}

export function context(userId: string, permissions: string): InteractionContext {
  return {
    applicationId: APP_ID,
    interactionId: snowflake(),
    token: `token-${randomUUID()}`,
    guildId: GUILD,
    channelId: '600000000000000001',
    receivedAt: new Date().toISOString(),
    member: { userId, roles: [], permissions },
  };
}

/** A config-service on a fresh prefix, a temporary SQLite file and a fake Discord. */
export async function startHarness(env: Record<string, string> = {}, logLines: string[] = [], overrides: AppOverrides = {}): Promise<Harness> {
  const redisUrl = inject('redisUrl');
  const dir = mkdtempSync(join(tmpdir(), 'promton-config-'));
  const database = await createTestDatabase(dir);
  const discord = await new FakeDiscord().start();
  const config = loadConfig({
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: testPrefix(),
    DATABASE_URL: database.url,
    DISCORD_API_URL: `${discord.url}/api`,
    OWNER_ID: OWNER,
    LOG_LEVEL: 'silent',
    OPEN_COOLDOWN_SECONDS: '0',
    ...env,
  });
  // Records log lines (as a real deployment would print them) so tests can look for secrets.
  const logger = createLogger({ service: 'config-service', level: 'info', destination: { write: (line: string) => void logLines.push(line) } });
  const start = () => createApp(createRuntime('config-service', config, { logger }), overrides);
  const connections = [createRedis(redisUrl, { role: 'worker' }), createRedis(redisUrl, { role: 'worker' })] as const;
  const client = new ConfigClient(connections[0], connections[1], config.queuePrefix);
  await client.waitUntilReady();
  const harness: Harness = {
    config,
    app: await start(),
    client,
    discord,
    databaseUrl: database.url,
    async restart() {
      await harness.app.close();
      harness.app = await start();
    },
    async deliver(name, data, options = {}) {
      const job = await addJob(client.queue, name, data, options);
      return (await job.waitUntilFinished(client.events, 30_000)) as ConfigReplies[typeof name];
    },
    async command(path, options = {}, extra = {}) {
      const before = discord.answers().length;
      const ctx = context(extra.userId ?? ADMIN, extra.permissions ?? MANAGE_GUILD);
      ctx.member.roles = extra.roles ?? [];
      if (extra.locale) ctx.locale = extra.locale;
      if (extra.guildLocale) ctx.guildLocale = extra.guildLocale;
      await harness.deliver('config.command', { v: 1, ctx, command: { path, options, resolved: extra.resolved ?? {} } }, { jobId: `int-${ctx.interactionId}` });
      const answers = await discord.waitForAnswers(before + 1);
      return answers[before]!;
    },
    async close() {
      await harness.app.close();
      const logs = new Queue(QueueName.logs, { connection: connections[0], prefix: config.queuePrefix });
      await Promise.all([client.queue.obliterate({ force: true }), logs.obliterate({ force: true })]).catch(() => undefined);
      await logs.close();
      await client.close();
      await Promise.all(connections.map((c) => c.quit()));
      await discord.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** One GET of the projection (null when missing), on a short-lived connection. */
export async function readProjection(h: Harness, guildId = GUILD): Promise<GuildConfig | null> {
  const redis = createRedis(h.config.redisUrl, { role: 'worker' });
  try {
    return await readGuildConfig(redis, h.config.queuePrefix, guildId);
  } finally {
    redis.disconnect();
  }
}

export async function deleteProjection(h: Harness, guildId = GUILD): Promise<void> {
  const redis = createRedis(h.config.redisUrl, { role: 'worker' });
  try {
    await redis.del(projectionKey(h.config.queuePrefix, guildId));
  } finally {
    redis.disconnect();
  }
}

/** The `log.event` jobs config-service added, oldest first. */
export async function logEvents(h: Harness): Promise<LogJob<'log.event'>[]> {
  const redis = createRedis(h.config.redisUrl, { role: 'worker' });
  const logs = new Queue(QueueName.logs, { connection: redis, prefix: h.config.queuePrefix });
  try {
    const jobs = await logs.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    return jobs.sort((a, b) => a.timestamp - b.timestamp || Number(a.id) - Number(b.id)).map((j) => j.data as LogJob<'log.event'>);
  } finally {
    await logs.close();
    redis.disconnect();
  }
}

/** The raw analytics value and its TTL (-1: none, -2: missing). */
export async function readAnalytics(h: Harness): Promise<{ raw: string | null; ttl: number }> {
  const redis = createRedis(h.config.redisUrl, { role: 'worker' });
  try {
    const key = analyticsKey(h.config.queuePrefix);
    const [raw, ttl] = await Promise.all([redis.get(key), redis.ttl(key)]);
    return { raw, ttl };
  } finally {
    redis.disconnect();
  }
}

/** Polls the analytics key until `check` holds (it is written within the debounce window of a change). */
export async function waitForAnalytics(h: Harness, check: (a: AnalyticsSnapshot) => boolean, timeoutMs = 10_000): Promise<AnalyticsSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let last: AnalyticsSnapshot | null = null;
  for (;;) {
    const { raw } = await readAnalytics(h);
    last = raw === null ? null : (JSON.parse(raw) as AnalyticsSnapshot);
    if (last && check(last)) return last;
    if (Date.now() > deadline) throw new Error(`analytics never matched; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
