import { runMain } from '@promton/shared/runtime';
import { startInteractionsReceiver } from './http/receiver.js';

// Like the gateway's, its connection is a producer's: an interaction is answered ❌ at once when Redis is gone.
await runMain('interactions', (runtime) => startInteractionsReceiver(runtime), { role: 'producer' });
