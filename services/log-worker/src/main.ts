import { runMain } from '@promton/shared/runtime';
import { createApp } from './app.js';

await runMain('log-worker', (config) => createApp(config, { batching: config.logBatching, webhooks: config.logWebhooks }));
