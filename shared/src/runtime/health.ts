import { createServer, type Server } from 'node:http';

export interface HealthServer {
  /** The port it listens on (useful when asked for port 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * GET /healthz on HEALTH_PORT for compose healthchecks: 200 when `check` resolves
 * true, 503 otherwise. Nothing else is served.
 */
export async function startHealthServer(port: number, check: () => Promise<boolean>): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/healthz') {
      res.writeHead(404).end();
      return;
    }
    check()
      .catch(() => false)
      .then((healthy) => res.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' }).end(healthy ? 'ok' : 'unhealthy'));
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
      closing ??= new Promise((resolve) => server.close(() => resolve()));
      return closing;
    },
  };
}
