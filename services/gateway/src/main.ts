import { runMain } from '@promton/shared/runtime';
import { createApp } from './app.js';

// The gateway's connection is a producer's: an interaction is answered ❌ at once when Redis is gone.
await runMain('gateway', (runtime) => createApp(runtime), { role: 'producer' });
