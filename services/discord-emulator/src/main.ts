import { pino } from 'pino';
import { loadEmulatorConfig } from './config.js';
import { createEmulator } from './emulator.js';

const config = loadEmulatorConfig();
const emulator = await createEmulator({
  port: config.port,
  host: config.host,
  rateLimits: { enabled: config.rateLimits, ...(config.rateLimitScale !== undefined ? { scale: config.rateLimitScale } : {}) },
  botToken: config.botToken,
  applicationId: config.applicationId,
  ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
  ...(config.interactionWindowMs !== undefined ? { interactionWindowMs: config.interactionWindowMs } : {}),
  ...(config.shardCount !== undefined ? { shardCount: config.shardCount } : {}),
  ...(config.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: config.heartbeatIntervalMs } : {}),
  ...(config.maxConcurrency !== undefined ? { maxConcurrency: Math.floor(config.maxConcurrency) } : {}),
  ...(config.attachmentUrlTtlMs !== undefined ? { attachmentUrlTtlMs: config.attachmentUrlTtlMs } : {}),
});
const logger = pino({ base: { service: 'discord-emulator' }, level: config.logLevel, timestamp: pino.stdTimeFunctions.isoTime });
logger.info({ url: emulator.url, rateLimits: config.rateLimits }, 'discord emulator listening');

const shutdown = () => {
  logger.info('shutting down');
  void emulator.close().then(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
