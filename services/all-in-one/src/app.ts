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
  /** Closes the gateway first (no new interactions), config-service last. */
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
      const app = await createLogWorker(config, { batching: config.logBatching, webhooks: config.logWebhooks });
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
 * Runs `services` in this process: config-service first (it migrates the database and
 * reconciles Redis), then the others at once (their jobs wait in the queues until each is
 * ready). `config` is the bot's; the site gets `webConfig` (loaded without the bot token).
 * Nobody binds HEALTH_PORT but the caller, which serves the combined checks.
 */
export async function createApp(config: Config, webConfig: Config, services: readonly AllInOneService[]): Promise<AllInOneApp> {
  const botConfig: Config = { ...config, healthPort: undefined };
  const running: Running[] = [];
  const launch = async (name: AllInOneService) => void running.push(await start(name, botConfig, { ...webConfig, healthPort: undefined }));
  const stages = [services.filter((name) => name === 'config-service'), services.filter((name) => name !== 'config-service')];
  try {
    for (const stage of stages) {
      const started = await Promise.allSettled(stage.map(launch));
      const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw failed.reason;
    }
  } catch (error) {
    await closeAll(running).catch(() => undefined);
    throw error;
  }
  const order = Object.fromEntries(services.map((name, index) => [name, index]));
  running.sort((a, b) => order[a.name]! - order[b.name]!);
  const health: HealthChecks = Object.fromEntries(
    running.flatMap((service) => Object.entries(service.health).map(([dependency, check]) => [`${service.name}.${dependency}`, check])),
  );
  let closing: Promise<void> | undefined;
  return {
    health,
    services: running.map((service) => service.name),
    close() {
      closing ??= closeAll(running);
      return closing;
    },
  };
}

/**
 * The gateway first (no new interactions), then the workers and the site together (each
 * finishes the job in hand), config-service last (it answers the workers' requests until then).
 */
async function closeAll(running: readonly Running[]): Promise<void> {
  const stages: AllInOneService[][] = [['gateway'], ['ticket-worker', 'log-worker', 'web'], ['config-service']];
  const failures: unknown[] = [];
  for (const stage of stages) {
    const results = await Promise.allSettled(running.filter((service) => stage.includes(service.name)).map((service) => service.close()));
    for (const result of results) if (result.status === 'rejected') failures.push(result.reason);
  }
  if (failures.length) throw failures[0];
}
