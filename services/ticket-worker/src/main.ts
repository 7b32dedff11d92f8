import { loadConfig } from '@promton/shared/contracts';
import { createApp } from './app.js';

const app = await createApp(loadConfig());
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
