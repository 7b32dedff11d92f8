import { createServer, type Server } from 'node:http';

/** How long one dependency check may take before it counts as down. */
export const HEALTH_CHECK_TIMEOUT_MS = 1_000;
/** A service's own deadline after SIGTERM: a worker may finish its current job (an open waits its turn of the global budget), well inside compose's 30 s before SIGKILL. */
export const SHUTDOWN_GRACE_MS = 20_000;

export interface HealthServer {
  /** The port it listens on (useful when asked for port 0). */
  port: number;
  close(): Promise<void>;
}

/** One named dependency: resolves true when it is usable. */
export type HealthChecks = Record<string, () => Promise<boolean> | boolean>;

export interface HealthReport {
  status: 'ok' | 'unhealthy';
  dependencies: Record<string, 'up' | 'down'>;
}

class DeadlineError extends Error {
  override name = 'DeadlineError';
}

/** Rejects when `work` takes longer than `ms`: a dependency that hangs answers like one that is down. */
export async function withDeadline<T>(work: Promise<T>, ms: number, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check at once, each bounded by HEALTH_CHECK_TIMEOUT_MS. */
export async function checkHealth(checks: HealthChecks, timeoutMs = HEALTH_CHECK_TIMEOUT_MS): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      const up = await withDeadline(Promise.resolve().then(check), timeoutMs, name).catch(() => false);
      return [name, up ? 'up' : 'down'] as const;
    }),
  );
  const dependencies = Object.fromEntries(entries);
  return { status: entries.every(([, state]) => state === 'up') ? 'ok' : 'unhealthy', dependencies };
}

/**
 * GET /healthz on HEALTH_PORT for compose healthchecks: 200 when every dependency is
 * up, 503 otherwise, with a JSON body naming each dependency's state. Nothing else is served.
 */
export async function startHealthServer(port: number, checks: HealthChecks): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/healthz') {
      res.writeHead(404).end();
      return;
    }
    void checkHealth(checks).then((report) =>
      res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(report)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  let closing: Promise<void> | undefined;
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close() {
      closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
