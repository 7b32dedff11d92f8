import { loadConfig, type LoadConfigOptions } from '../contracts/config.js';
import { SHUTDOWN_GRACE_MS } from './health.js';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';

export interface RunMainOptions extends LoadConfigOptions, Pick<RuntimeOptions, 'role'> {}

/** What stopOnce needs of the process (the real one in runMain; a stand-in in tests). */
export interface ProcessLike {
  once(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
  exit(code: number): void;
}

/**
 * Closes `runtime` once and exits: on SIGTERM or SIGINT with 0 when everything closed
 * (1 when a close failed), on a fatal error (an uncaught exception, an unhandled
 * rejection, a failed start) with 1. A second signal or error while closing changes
 * nothing; a close that outlasts `graceMs` (a lost Redis, a hung request) exits 1.
 * The close waits for `started` to settle, so a signal during the start closes what started.
 * Returns the function a fatal error is reported to.
 */
export function stopOnce(
  runtime: Runtime,
  started: Promise<unknown>,
  { proc = process as ProcessLike, graceMs = SHUTDOWN_GRACE_MS }: { proc?: ProcessLike; graceMs?: number } = {},
): (error: unknown) => void {
  const { logger } = runtime;
  let stopping = false;
  const stop = (reason: { signal: string } | { error: unknown }) => {
    if (stopping) return;
    stopping = true;
    const fatal = 'error' in reason;
    if (fatal) logger.fatal({ err: reason.error instanceof Error ? reason.error.message : String(reason.error) }, 'fatal error; shutting down');
    else logger.info({ signal: reason.signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ graceMs }, 'shutdown did not finish in time; exiting');
      proc.exit(1);
    }, graceMs);
    timer.unref();
    void started
      .catch(() => undefined)
      .then(() => runtime.close())
      .then(
        () => proc.exit(fatal ? 1 : 0),
        (error: unknown) => {
          logger.error({ err: (error as Error).message }, 'shutdown failed');
          proc.exit(1);
        },
      );
  };
  proc.once('SIGTERM', () => stop({ signal: 'SIGTERM' }));
  proc.once('SIGINT', () => stop({ signal: 'SIGINT' }));
  const fatal = (error: unknown) => stop({ error });
  proc.on('uncaughtException', fatal);
  proc.on('unhandledRejection', fatal);
  return fatal;
}

/**
 * Every service's `main.ts`: loads the configuration from the environment, creates the
 * service's runtime, starts the service in it (the service registers what it opens), and
 * closes the runtime once, in reverse order, on SIGTERM, SIGINT or a fatal error (stopOnce).
 */
export async function runMain(service: string, start: (runtime: Runtime) => Promise<unknown>, { role, ...options }: RunMainOptions = {}): Promise<Runtime> {
  const config = loadConfig(process.env, options);
  const runtime = createRuntime(service, config, role ? { role } : {});
  const started = start(runtime);
  const fatal = stopOnce(runtime, started);
  started.catch(fatal);
  return runtime;
}
