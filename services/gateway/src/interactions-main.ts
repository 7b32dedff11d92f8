import { loadConfig } from '@promton/shared/contracts';
import { createLogger, exitOnSignals } from '@promton/shared/runtime';
import { startInteractionsReceiver } from './http/receiver.js';

const config = loadConfig();
const receiver = await startInteractionsReceiver(config);
exitOnSignals(() => receiver.close(), { logger: createLogger({ service: 'interactions', level: config.logLevel }) });
