import { createApp as createConfigService } from '@promton/config-service/app';
import { createApp as createGateway } from '@promton/gateway/app';
import { createApp as createLogWorker } from '@promton/log-worker/app';
import type { AllInOneService, Config } from '@promton/shared/contracts';
import type { HealthChecks, Runtime } from '@promton/shared/runtime';
import { createApp as createTicketWorker } from '@promton/ticket-worker/app';

export interface AllInOneApp {
  /** Every running service's checks, named `<service>.<dependency>`. */
  readonly health: HealthChecks;
  readonly services: readonly AllInOneService[];
  /** Closes the runtime it was started in: the gateway first (no new interactions), config-service last. */
  close(): Promise<void>;
}

/**
 * The order the services' runtimes are registered in, so the reverse is the close order:
 * the gateway first (no new interactions), then the site and the workers (each finishes
 * the job in hand), config-service last (it answers the workers' requests until then).
 */
const REGISTRATION_ORDER: readonly AllInOneService[] = ['config-service', 'ticket-worker', 'log-worker', 'web', 'gateway'];

/**
 * Starts one service through its own `createApp`, the one its own process runs (the same
 * queues, jobs and Redis keys, only in one process), in a runtime of its own. The site is
 * imported only when asked for, so a process without it never loads Express and the queue board.
 */
async function start(name: AllInOneService, runtime: Runtime): Promise<HealthChecks> {
  switch (name) {
    case 'config-service':
      return (await createConfigService(runtime)).health;
    case 'ticket-worker':
      return (await createTicketWorker(runtime)).health;
    case 'log-worker':
      return (await createLogWorker(runtime)).health;
    case 'gateway':
      return (await createGateway(runtime)).health;
    case 'web': {
      const web = await (await import('@promton/web/app')).createApp(runtime);
      await web.listen(runtime.config.webPort, '0.0.0.0');
      // The site's own /healthz stays on WEB_PORT; here it is one more check of the process.
      return { http: () => web.server?.listening === true };
    }
  }
}

/**
 * Runs `services` in `runtime`'s process, each in a child runtime: config-service first
 * (it migrates the database and reconciles Redis), then the others at once (their jobs
 * wait in the queues until each is ready). The site gets `webConfig` (loaded without the
 * bot token). Nobody binds HEALTH_PORT but the caller, which serves the combined checks.
 */
export function createApp(runtime: Runtime, webConfig: Config, services: readonly AllInOneService[]): Promise<AllInOneApp> {
  return runtime.start(async () => {
    const running = REGISTRATION_ORDER.filter((name) => services.includes(name));
    // The gateway and the site answer requests: their connections fail fast (producers), as in their own processes.
    const children = new Map(
      running.map((name) => [
        name,
        runtime.child(
          name,
          { ...(name === 'web' ? webConfig : runtime.config), healthPort: undefined },
          name === 'gateway' || name === 'web' ? { role: 'producer' } : {},
        ),
      ]),
    );
    const health = new Map<AllInOneService, HealthChecks>();
    const launch = async (name: AllInOneService) => void health.set(name, await start(name, children.get(name)!));
    for (const stage of [running.filter((name) => name === 'config-service'), running.filter((name) => name !== 'config-service')]) {
      const started = await Promise.allSettled(stage.map(launch));
      const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw failed.reason;
    }
    const ordered = services.filter((name) => health.has(name));
    return {
      health: Object.fromEntries(ordered.flatMap((name) => Object.entries(health.get(name)!).map(([dependency, check]) => [`${name}.${dependency}`, check]))),
      services: ordered,
      close: () => runtime.close(),
    };
  });
}
