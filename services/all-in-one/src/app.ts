import { createApp as createConfigService } from '@promton/config-service/app';
import { createApp as createGateway } from '@promton/gateway/app';
import { createApp as createLogWorker } from '@promton/log-worker/app';
import type { AllInOneService, Config } from '@promton/shared/contracts';
import { createLogger, type HealthChecks } from '@promton/shared/runtime';
import { createApp as createTicketWorker } from '@promton/ticket-worker/app';

export interface AllInOneApp {
  /** Every running service's checks, named `<service>.<dependency>`. */
  readonly health: HealthChecks;
  readonly services: readonly AllInOneService[];
  /** Closes the services in the reverse order of their start: the gateway stops taking interactions first. */
  close(): Promise<void>;
}

interface Running {
  name: AllInOneService;
  health: HealthChecks;
  close(): Promise<void>;
}

/**
 * Starts each service through its own `createApp`, the one its own process runs: the same
 * queues, jobs and Redis keys, only in one process. The site is imported only when asked
 * for, so a process without it never loads Express and the queue board.
 */
async function start(name: AllInOneService, config: Config, webConfig: Config): Promise<Running> {
  switch (name) {
    case 'config-service': {
      const app = await createConfigService(config);
      return { name, health: app.health, close: () => app.close() };
    }
    case 'ticket-worker': {
      const app = await createTicketWorker(config);
      return { name, health: app.health, close: () => app.close() };
    }
    case 'log-worker': {
      const app = await createLogWorker(config, { batching: config.logBatching });
      return { name, health: app.health, close: () => app.close() };
    }
    case 'gateway': {
      const app = await createGateway(config);
      return { name, health: app.health, close: () => app.close() };
    }
    case 'web': {
      const logger = createLogger({ service: 'web', level: webConfig.logLevel });
      const web = await (await import('@promton/web/app')).createApp(webConfig, { logger });
      await web.listen(webConfig.webPort, '0.0.0.0');
      // The site's own /healthz stays on WEB_PORT; here it is one more check of the process.
      return { name, health: { http: () => web.server?.listening === true }, close: () => web.close() };
    }
  }
}

/**
 * Runs `services` (in the order of ALL_IN_ONE_CHOICES) in this process. `config` is the
 * bot's; the site gets `webConfig` (loaded without the bot token). Nobody binds
 * HEALTH_PORT but the caller, which serves the combined checks.
 */
export async function createApp(config: Config, webConfig: Config, services: readonly AllInOneService[]): Promise<AllInOneApp> {
  const botConfig: Config = { ...config, healthPort: undefined };
  const running: Running[] = [];
  try {
    for (const name of services) running.push(await start(name, botConfig, { ...webConfig, healthPort: undefined }));
  } catch (error) {
    for (const service of running.reverse()) await service.close().catch(() => undefined);
    throw error;
  }
  const health: HealthChecks = Object.fromEntries(
    running.flatMap((service) => Object.entries(service.health).map(([dependency, check]) => [`${service.name}.${dependency}`, check])),
  );
  let closing: Promise<void> | undefined;
  return {
    health,
    services: running.map((service) => service.name),
    close() {
      closing ??= (async () => {
        // One at a time, newest first: the workers finish their jobs while config-service still answers them.
        const failures: unknown[] = [];
        for (const service of [...running].reverse()) await service.close().catch((error: unknown) => failures.push(error));
        if (failures.length) throw failures[0];
      })();
      return closing;
    },
  };
}
