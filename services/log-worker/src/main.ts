import { runMain } from '@promton/shared/runtime';
import { createApp } from './app.js';

await runMain('log-worker', (runtime) => createApp(runtime));
