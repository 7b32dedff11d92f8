import { ALL_IN_ONE_CHOICES, envSchema, loadConfig } from '@promton/shared/contracts';
import { createLogger, exitOnSignals, startHealthServer } from '@promton/shared/runtime';
import { createApp } from './app.js';

// The bot's services (and the site when ALL_IN_ONE_SERVICES lists `web`) in one process, for a handful of servers.
const config = loadConfig();
const wanted = new Set(envSchema.parse(process.env).ALL_IN_ONE_SERVICES);
const services = ALL_IN_ONE_CHOICES.filter((name) => wanted.has(name));
const logger = createLogger({ service: 'all-in-one', level: config.logLevel });
// The site's config is loaded as its own process loads it: without the bot token.
const app = await createApp(config, services.includes('web') ? loadConfig(process.env, { botToken: false }) : config, services);
const health = config.healthPort === undefined ? undefined : await startHealthServer(config.healthPort, app.health);
logger.info({ services }, 'all-in-one ready');
exitOnSignals(
  async () => {
    await app.close();
    await health?.close();
  },
  { logger },
);
