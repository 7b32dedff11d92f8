import { loadConfig } from '@promton/shared/contracts';
import { createLogger, exitOnSignals } from '@promton/shared/runtime';
import { createApp } from './app.js';

const config = loadConfig();
const app = await createApp(config, { batching: config.logBatching, webhooks: config.logWebhooks });
exitOnSignals(() => app.close(), { logger: createLogger({ service: 'log-worker', level: config.logLevel }) });
