import { runMain } from '@promton/shared/runtime';
import { createApp } from './app.js';

// The site never acts as the bot: it is given no DISCORD_TOKEN and keeps none. Its
// connection is a producer's: an owner page answers 503 at once when Redis is gone.
await runMain(
  'web',
  async (runtime) => {
    if (process.env.DISCORD_TOKEN) runtime.logger.warn('DISCORD_TOKEN is set for web, which does not use it: remove it from its environment');
    const web = await createApp(runtime);
    await web.listen(runtime.config.webPort, '0.0.0.0');
    return web;
  },
  { botToken: false, role: 'producer' },
);
