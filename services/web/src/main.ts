import { loadConfig } from '@promton/shared/contracts';
import { createLogger } from '@promton/shared/runtime';
import { createApp } from './app.js';

const config = loadConfig();
const logger = createLogger({ service: 'web', level: config.logLevel });
const web = await createApp(config, { logger });
await web.listen(config.webPort, '0.0.0.0');

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    web.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: (error as Error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
