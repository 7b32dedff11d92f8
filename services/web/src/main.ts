import { loadConfig } from '@promton/shared/contracts';
import { createLogger, exitOnSignals } from '@promton/shared/runtime';
import { createApp } from './app.js';

// The site never acts as the bot: it is given no DISCORD_TOKEN and keeps none.
const config = loadConfig(process.env, { botToken: false });
const logger = createLogger({ service: 'web', level: config.logLevel });
if (process.env.DISCORD_TOKEN) logger.warn('DISCORD_TOKEN is set for web, which does not use it: remove it from its environment');
const web = await createApp(config, { logger });
await web.listen(config.webPort, '0.0.0.0');
exitOnSignals(() => web.close(), { logger });
