import { ALL_IN_ONE_CHOICES, envSchema, loadConfig } from '@promton/shared/contracts';
import { runMain, type HealthChecks } from '@promton/shared/runtime';
import { createApp } from './app.js';

// The bot's services (and the site when ALL_IN_ONE_SERVICES lists `web`) in one process, for a handful of servers.
await runMain('all-in-one', async (runtime) => {
  const wanted = new Set(envSchema.parse(process.env).ALL_IN_ONE_SERVICES);
  const services = ALL_IN_ONE_CHOICES.filter((name) => wanted.has(name));
  // HEALTH_PORT is taken at once and answers 503 ("started": down) until every service is up,
  // then with every service's checks; registered first, it closes last.
  const checks: HealthChecks = { started: () => false };
  await runtime.health(checks);
  // The site's config is loaded as its own process loads it: without the bot token.
  const app = await createApp(runtime, services.includes('web') ? loadConfig(process.env, { botToken: false }) : runtime.config, services);
  delete checks.started;
  Object.assign(checks, app.health);
  runtime.logger.info({ services }, 'all-in-one ready');
});
