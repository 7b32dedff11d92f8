import { runMain } from '@promton/shared/runtime';
import { createApp } from './app.js';

// The site never acts as the bot: it is given no DISCORD_TOKEN and keeps none.
await runMain(
  'web',
  async (config, logger) => {
    if (process.env.DISCORD_TOKEN) logger.warn('DISCORD_TOKEN is set for web, which does not use it: remove it from its environment');
    const web = await createApp(config, { logger });
    await web.listen(config.webPort, '0.0.0.0');
    return web;
  },
  { botToken: false },
);
