import { runMain } from '@promton/shared/runtime';
import { createApp } from './app.js';

await runMain('ticket-worker', (runtime) => createApp(runtime));
