import { runMain } from '@promton/shared/runtime';
import { createApp } from './app.js';

await runMain('gateway', (config) => createApp(config));
