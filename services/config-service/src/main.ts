import { runMain } from '@promton/shared/runtime';
import { createApp } from './app.js';

await runMain('config-service', (runtime) => createApp(runtime));
