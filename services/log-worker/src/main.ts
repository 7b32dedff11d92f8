import { loadConfig } from '@promton/shared/contracts';
import { createApp } from './app.js';

const config = loadConfig();
const app = await createApp(config, { batching: config.logBatching });
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
