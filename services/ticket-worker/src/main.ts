import { loadConfig } from '@promton/shared/contracts';
import { createLogger, exitOnSignals } from '@promton/shared/runtime';
import { createApp } from './app.js';

const config = loadConfig();
const app = await createApp(config);
exitOnSignals(() => app.close(), { logger: createLogger({ service: 'ticket-worker', level: config.logLevel }) });
