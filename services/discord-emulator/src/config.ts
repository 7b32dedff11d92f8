/** The bot token the emulator accepts unless DISCORD_TOKEN says otherwise (the bot's demo default is the same string). */
export const EMULATOR_BOT_TOKEN = 'emulator.bot.token';
/** The application id of the emulator's bot unless DISCORD_APPLICATION_ID says otherwise. */
export const EMULATOR_APPLICATION_ID = '1100000000000000001';

/** The emulator's environment, read once. */
export interface EmulatorConfig {
  /** EMULATOR_PORT (default 8787). */
  port: number;
  /** EMULATOR_HOST (default 0.0.0.0 so compose can reach it). */
  host: string;
  /** EMULATOR_RATE_LIMITS=on|off (default on). */
  rateLimits: boolean;
  /** DISCORD_TOKEN the bot will present (default the shared emulator token). */
  botToken: string;
  applicationId: string;
  /** EMULATOR_PUBLIC_URL: base URL advertised for attachments and the gateway (default: the request's Host). */
  publicUrl: string | undefined;
  logLevel: string;
  /** EMULATOR_INTERACTION_WINDOW_MS: initial-response window (default 3000, as Discord). */
  interactionWindowMs: number | undefined;
  /** EMULATOR_SHARD_COUNT: fixed `shards` in GET /gateway/bot (default: one per 1000 guilds). */
  shardCount: number | undefined;
  /** EMULATOR_HEARTBEAT_INTERVAL_MS (default 41250). */
  heartbeatIntervalMs: number | undefined;
  /** EMULATOR_RATE_LIMIT_SCALE: multiplies every rate-limit count (default 1). */
  rateLimitScale: number | undefined;
  /** EMULATOR_MAX_CONCURRENCY: session_start_limit.max_concurrency (default 1). */
  maxConcurrency: number | undefined;
  /** EMULATOR_ATTACHMENT_URL_TTL_MS: how long a signed attachment URL is served (default 24 h, as Discord's CDN). */
  attachmentUrlTtlMs: number | undefined;
}

function optionalNumber(env: NodeJS.ProcessEnv, key: string, min: number): number | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new EmulatorConfigError(`${key} must be a number >= ${min}`);
  return value;
}

export class EmulatorConfigError extends Error {
  override name = 'EmulatorConfigError';
}

export function loadEmulatorConfig(env: NodeJS.ProcessEnv = process.env): EmulatorConfig {
  const port = Number(env.EMULATOR_PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EmulatorConfigError('EMULATOR_PORT must be a port number');
  const rl = (env.EMULATOR_RATE_LIMITS ?? 'on').toLowerCase();
  if (!['on', 'off', 'true', 'false', '1', '0'].includes(rl)) throw new EmulatorConfigError('EMULATOR_RATE_LIMITS must be on or off');
  return {
    port,
    host: env.EMULATOR_HOST || '0.0.0.0',
    rateLimits: rl === 'on' || rl === 'true' || rl === '1',
    botToken: env.DISCORD_TOKEN || EMULATOR_BOT_TOKEN,
    applicationId: env.DISCORD_APPLICATION_ID || EMULATOR_APPLICATION_ID,
    publicUrl: env.EMULATOR_PUBLIC_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    interactionWindowMs: optionalNumber(env, 'EMULATOR_INTERACTION_WINDOW_MS', 1),
    shardCount: optionalNumber(env, 'EMULATOR_SHARD_COUNT', 1),
    heartbeatIntervalMs: optionalNumber(env, 'EMULATOR_HEARTBEAT_INTERVAL_MS', 100),
    rateLimitScale: optionalNumber(env, 'EMULATOR_RATE_LIMIT_SCALE', 0.001),
    maxConcurrency: optionalNumber(env, 'EMULATOR_MAX_CONCURRENCY', 1),
    attachmentUrlTtlMs: optionalNumber(env, 'EMULATOR_ATTACHMENT_URL_TTL_MS', 0),
  };
}
