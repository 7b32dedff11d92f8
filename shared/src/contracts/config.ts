import { z } from 'zod';

/** Token and application id the discord-emulator accepts; used when no DISCORD_TOKEN is set. */
export const EMULATOR_BOT_TOKEN = 'emulator.bot.token';
export const EMULATOR_APPLICATION_ID = '1100000000000000001';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord snowflake (17–20 digits)');
const port = z.coerce.number().int().min(0).max(65535);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** The services the all-in-one process can run, in the order it starts them (config-service migrates first, the gateway takes interactions last). */
export const ALL_IN_ONE_CHOICES = ['config-service', 'ticket-worker', 'log-worker', 'web', 'gateway'] as const;
export type AllInOneService = (typeof ALL_IN_ONE_CHOICES)[number];
/** The four bot services: the site stays its own process unless asked for. */
export const ALL_IN_ONE_DEFAULT: readonly AllInOneService[] = ['config-service', 'ticket-worker', 'log-worker', 'gateway'];

/** Every environment variable the product reads. compose.yaml may set only these. */
export const envSchema = z.object({
  /** Bot token. Never logged. Without it the services talk to the emulator's demo bot. */
  DISCORD_TOKEN: optional(z.string().min(1)),
  /** Application id; defaults to the emulator's when no token is set. */
  DISCORD_APPLICATION_ID: optional(snowflake),
  /** REST base; the gateway URL comes from GET /gateway/bot on it. */
  DISCORD_API_URL: z.url().default('https://discord.com/api'),
  /** One server (`redis://`, `rediss://`) or a Redis Cluster's seed nodes (`redis-cluster://host:port,host:port`). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?(-cluster)?:\/\//, 'must be a redis://, rediss:// or redis-cluster:// URL')
    .default('redis://127.0.0.1:6379'),
  /**
   * Prefix of every BullMQ queue and Redis key, so several deployments (or test runs) share
   * one Redis. On a Redis Cluster it must be a hash tag, `{promton}`: all our keys then
   * share one slot, as BullMQ's and our Lua scripts need.
   */
  QUEUE_PREFIX: z
    .string()
    .regex(/^(\{[A-Za-z0-9_-]{1,62}\}|[A-Za-z0-9_-]{1,64})$/, 'letters, digits, _ and - only, or those in braces ({promton})')
    .default('promton'),
  DATABASE_URL: z.string().min(1).default('sqlite:./data/promton-tickets.sqlite'),
  OWNER_ID: optional(snowflake),
  /** Password of the owner's pages: at least 32 characters, no whitespace (`make run` generates one). */
  OWNER_TOKEN: optional(z.string().regex(/^\S{32,}$/, 'must be at least 32 characters without whitespace')),
  /** Comma-separated shard ids this gateway process runs; all when unset. Requires SHARD_COUNT. */
  SHARD_IDS: optional(z.string().regex(/^\d+(,\d+)*$/, 'must be a comma-separated list of shard ids')),
  /** Total shards of the bot across every gateway process; Discord's recommendation when unset. */
  SHARD_COUNT: optional(z.coerce.number().int().min(1)),
  /** HTTP interactions receiver: port of its `POST /interactions` endpoint. */
  INTERACTIONS_PORT: port.default(8080),
  /** The application's public key (hex, from the developer portal) that signs HTTP interactions; read from GET /applications/@me when unset. */
  DISCORD_PUBLIC_KEY: optional(z.string().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex digits (the application's public key)")),
  HEALTH_PORT: optional(port),
  WEB_PORT: port.default(3000),
  EMULATOR_PORT: port.default(8787),
  /** Public URL of the web service, used in links the bot posts. */
  PUBLIC_URL: optional(z.url()),
  /** Contact address printed on the privacy page. */
  CONTACT_EMAIL: optional(z.string().min(3)),
  /** Hours between the bot leaving a guild and the purge of that guild's data. */
  GUILD_PURGE_GRACE_HOURS: z.coerce.number().min(0).default(24),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Requests per second all services together send as the bot (Discord allows 50 per
   * bot). They share one schedule in Redis; the default leaves a margin of 1.
   */
  DISCORD_GLOBAL_RPS: z.coerce.number().int().min(1).max(50).default(49),
  /** Seconds a member waits after opening a ticket before opening another (0 = no cooldown). */
  OPEN_COOLDOWN_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
  /** config-service: seconds between two reconciliations of Redis with the database (projections, purges, auto-closes). */
  RECONCILE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /** all-in-one: the services its one process runs, comma-separated; add `web` to serve the site from it too. */
  ALL_IN_ONE_SERVICES: z
    .string()
    .regex(
      new RegExp(`^(${ALL_IN_ONE_CHOICES.join('|')})(,(${ALL_IN_ONE_CHOICES.join('|')}))*$`),
      `must be a comma-separated list of ${ALL_IN_ONE_CHOICES.join(', ')}`,
    )
    .default(ALL_IN_ONE_DEFAULT.join(','))
    .transform((list) => [...new Set(list.split(','))] as AllInOneService[]),
});

export const knownEnvVars = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

export interface Config {
  discordToken: string;
  applicationId: string;
  discordApiUrl: string;
  /** True when the product runs against the emulator (no real token, or, for web, no Discord host). */
  demo: boolean;
  redisUrl: string;
  queuePrefix: string;
  databaseUrl: string;
  ownerId: string | undefined;
  ownerToken: string | undefined;
  shardIds: number[] | undefined;
  shardCount: number | undefined;
  interactionsPort: number;
  discordPublicKey: string | undefined;
  healthPort: number | undefined;
  webPort: number;
  emulatorPort: number;
  publicUrl: string | undefined;
  contactEmail: string | undefined;
  guildPurgeGraceMs: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Requests per second all services together send as the bot (DISCORD_GLOBAL_RPS). */
  discordGlobalRps: number;
  openCooldownMs: number;
  reconcileMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadConfigOptions {
  /**
   * False for a service that never talks to Discord as the bot (web): DISCORD_TOKEN is
   * neither required nor kept, and `discordToken` is empty.
   */
  botToken?: boolean;
}

/** Validates the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, { botToken = true }: LoadConfigOptions = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
  }
  const e = botToken ? parsed.data : { ...parsed.data, DISCORD_TOKEN: undefined };
  const discordHost = /(^|\.)discord(app)?\.com$/.test(new URL(e.DISCORD_API_URL).hostname);
  const demo = botToken ? e.DISCORD_TOKEN === undefined : !discordHost;
  if (demo && discordHost && botToken) {
    throw new ConfigError('invalid environment: DISCORD_TOKEN is required unless DISCORD_API_URL points at the emulator');
  }
  if (/^rediss?-cluster:/.test(e.REDIS_URL) && !/^\{.+\}$/.test(e.QUEUE_PREFIX)) {
    throw new ConfigError(`invalid environment: QUEUE_PREFIX must be a hash tag such as {${e.QUEUE_PREFIX}} on a Redis Cluster (REDIS_URL redis-cluster://)`);
  }
  if (!botToken && discordHost && e.DISCORD_APPLICATION_ID === undefined) {
    throw new ConfigError('invalid environment: DISCORD_APPLICATION_ID is required (the site links the bot’s invite)');
  }
  if (botToken && !demo && e.DISCORD_APPLICATION_ID === undefined) {
    throw new ConfigError('invalid environment: DISCORD_APPLICATION_ID is required with DISCORD_TOKEN');
  }
  const shardIds = e.SHARD_IDS?.split(',').map(Number);
  if (shardIds && e.SHARD_COUNT === undefined) {
    // Without the total, each process would ask Discord and could split the bot differently.
    throw new ConfigError('invalid environment: SHARD_IDS requires SHARD_COUNT (the total shards across every gateway process)');
  }
  if (shardIds && new Set(shardIds).size !== shardIds.length) throw new ConfigError('invalid environment: SHARD_IDS lists a shard twice');
  if (shardIds && e.SHARD_COUNT !== undefined && shardIds.some((id) => id >= e.SHARD_COUNT!)) {
    throw new ConfigError(`invalid environment: SHARD_IDS must be below SHARD_COUNT (${e.SHARD_COUNT})`);
  }
  return {
    discordToken: botToken ? (e.DISCORD_TOKEN ?? EMULATOR_BOT_TOKEN) : '',
    applicationId: e.DISCORD_APPLICATION_ID ?? EMULATOR_APPLICATION_ID,
    discordApiUrl: e.DISCORD_API_URL.replace(/\/+$/, ''),
    demo,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    databaseUrl: e.DATABASE_URL,
    ownerId: e.OWNER_ID,
    ownerToken: e.OWNER_TOKEN,
    shardIds,
    shardCount: e.SHARD_COUNT,
    interactionsPort: e.INTERACTIONS_PORT,
    discordPublicKey: e.DISCORD_PUBLIC_KEY?.toLowerCase(),
    healthPort: e.HEALTH_PORT,
    webPort: e.WEB_PORT,
    emulatorPort: e.EMULATOR_PORT,
    publicUrl: e.PUBLIC_URL,
    contactEmail: e.CONTACT_EMAIL,
    guildPurgeGraceMs: e.GUILD_PURGE_GRACE_HOURS * 3_600_000,
    logLevel: e.LOG_LEVEL,
    discordGlobalRps: e.DISCORD_GLOBAL_RPS,
    openCooldownMs: e.OPEN_COOLDOWN_SECONDS * 1000,
    reconcileMs: e.RECONCILE_SECONDS * 1000,
  };
}
