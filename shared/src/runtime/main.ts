import type { Logger } from 'pino';
import { loadConfig, type Config, type LoadConfigOptions } from '../contracts/config.js';
import { exitOnSignals } from './health.js';
import { createLogger } from './logger.js';

/** What a service's start returns: something that closes, once, whatever calls it. */
export interface Running {
  close(): Promise<void>;
}

/**
 * Every service's `main.ts`: loads the configuration from the environment, starts the
 * service, and on SIGTERM or SIGINT closes it once and exits (1 when closing fails or
 * outlasts the grace period). A signal that arrives while the service is still starting
 * closes what started as soon as the start is done.
 */
export async function runMain(service: string, start: (config: Config, logger: Logger) => Promise<Running>, options: LoadConfigOptions = {}): Promise<Running> {
  const config = loadConfig(process.env, options);
  const logger = createLogger({ service, level: config.logLevel });
  const starting = start(config, logger);
  exitOnSignals(async () => (await starting.catch(() => undefined))?.close(), { logger });
  return starting;
}
