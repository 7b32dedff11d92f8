import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { QueueName } from '@promton/shared/contracts';
import { checkHealth, createMetrics, withDeadline, type Runtime } from '@promton/shared/runtime';
import { readDashboard } from './dashboard-data.js';
import { html } from './html.js';
import { renderMetrics } from './metrics-endpoint.js';
import { ownerOnly } from './owner-auth.js';
import { commandsPage } from './pages/commands.js';
import { dashboardPage } from './pages/dashboard.js';
import { landingPage, playgroundUrl } from './pages/landing.js';
import { layout } from './pages/layout.js';
import { contactHtml, DEFAULT_CONTACT, loadPrivacyPolicy, privacyPage } from './pages/privacy.js';
import { termsPage } from './pages/terms.js';
import { createQueueBoard, QUEUE_BOARD_PATH } from './queue-board.js';
import { noCookies, QUEUE_BOARD_CSP, securityHeaders } from './security.js';

export const ASSETS_DIR = fileURLToPath(new URL('../assets/', import.meta.url));

/** How long an owner page waits for Redis before answering 503. */
export const REDIS_DEADLINE_MS = 1_000;
/** How long a read of a reachable Redis may take (a busy machine, a large queue). */
export const READ_DEADLINE_MS = 10_000;

export interface AppOverrides {
  /** Policy text; defaults to content/privacy-policy.txt. */
  privacyPolicy?: string;
}

export interface WebApp {
  app: Express;
  /** Starts listening; resolves with the base URL. Port 0 picks a free port. */
  listen(port: number, host?: string): Promise<string>;
  /** Base URL once listening. */
  readonly url: string;
  readonly server: Server | undefined;
  /** Closes the runtime it was started in (once): intake stops, then the queues and the Redis connection close. */
  close(): Promise<void>;
}

/**
 * The site. Everything it opens is registered in `runtime` (a producer's: an owner page
 * answers 503 at once when Redis is gone); `listen` registers the HTTP server.
 */
export async function createApp(runtime: Runtime, overrides: AppOverrides = {}): Promise<WebApp> {
  const { config, logger, connection: redis } = runtime;
  // Not the runtime's published metrics: the site's Redis user may not write; it serves everyone's.
  const metrics = createMetrics('web');
  // The site's Redis user may only read (docs/operations.md): a queue must not write its meta hash.
  const queues = Object.values(QueueName).map((name) => runtime.queue(name, { skipMetasUpdate: true }));
  const contact = config.contactEmail ?? DEFAULT_CONTACT;
  if (config.contactEmail === undefined) logger.warn({ contact }, 'CONTACT_EMAIL is not set; the privacy page shows the default contact');

  const pages = {
    landing: landingPage(config.applicationId, config.demo ? playgroundUrl(config.discordApiUrl) : undefined),
    commands: commandsPage(),
    privacy: privacyPage({ policy: overrides.privacyPolicy ?? loadPrivacyPolicy(), contact, purgeGraceHours: config.guildPurgeGraceMs / 3_600_000 }),
    terms: termsPage(contactHtml(contact)),
    dashboard: dashboardPage(queues.map((q) => q.name)),
  };

  const app = express();
  app.disable('x-powered-by');
  // Behind the TLS reverse proxy (docs/operations.md) the client's address comes from
  // X-Forwarded-For, believed only from loopback and private networks (where the proxy runs).
  app.set('trust proxy', 'loopback, uniquelocal');
  app.set('etag', 'strong');
  app.use(noCookies, securityHeaders());

  const page = (body: string) => (_req: express.Request, res: express.Response) => {
    res.type('html').send(body);
  };
  app.get('/', page(pages.landing));
  app.get('/commands', page(pages.commands));
  app.get('/privacy', page(pages.privacy));
  app.get('/terms', page(pages.terms));
  const redisUp = async () => {
    // A connection still (re)connecting gets the rest of the deadline to become ready.
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
    return (await redis.ping()) === 'PONG';
  };
  /** Without Redis an owner page answers 503 within REDIS_DEADLINE_MS instead of waiting on reads. */
  const requireRedis = async () => {
    if (!(await withDeadline(redisUp(), REDIS_DEADLINE_MS, 'redis ping'))) throw new Error('redis did not answer PING');
  };
  app.get('/healthz', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const report = await checkHealth({ redis: redisUp }, REDIS_DEADLINE_MS);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  app.use('/assets', express.static(ASSETS_DIR, { dotfiles: 'ignore', index: false, maxAge: '1h', fallthrough: true }));

  const owner = ownerOnly(config.ownerToken, { logger });
  app.get('/dashboard', owner, page(pages.dashboard));
  app.get('/dashboard/data.json', owner, async (_req, res) => {
    try {
      await requireRedis();
      res.json(await withDeadline(readDashboard(redis, config.queuePrefix, queues), READ_DEADLINE_MS, 'dashboard data'));
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'dashboard data unavailable');
      res.status(503).json({ error: 'Queue data is unavailable right now (is Redis reachable?).' });
    }
  });
  app.get('/metrics', owner, async (_req, res) => {
    try {
      await requireRedis();
      const { contentType, body } = await withDeadline(renderMetrics(metrics, redis, config.queuePrefix, queues), READ_DEADLINE_MS, 'metrics');
      res.type(contentType).send(body);
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'metrics unavailable');
      res.status(503).type('text/plain').send('metrics unavailable: Redis is not reachable\n');
    }
  });
  // The board reads Redis on every request: without it, answer 503 at once instead of hanging.
  const boardNeedsRedis: express.RequestHandler = async (_req, res, next) => {
    if (
      await requireRedis().then(
        () => true,
        () => false,
      )
    ) {
      next();
      return;
    }
    logger.warn('queue board unavailable: Redis is not reachable');
    res.status(503).type('text/plain').send('queue board unavailable: Redis is not reachable\n');
  };
  app.use(QUEUE_BOARD_PATH, owner, boardNeedsRedis, securityHeaders(QUEUE_BOARD_CSP), createQueueBoard(queues));

  app.use((_req, res) => {
    res
      .status(404)
      .type('html')
      .send(
        layout({
          title: 'Not found',
          path: '',
          body: html`<h1>Not found</h1>
            <p>There is no page here. <a href="/">Back to the start</a>.</p>`,
        }),
      );
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    logger.error({ err: error.message }, 'request failed');
    if (!res.headersSent) res.status(500).type('text/plain').send('Internal error\n');
  });

  let server: Server | undefined;
  let url = '';

  return {
    app,
    get url() {
      return url;
    },
    get server() {
      return server;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const s = host === undefined ? app.listen(port) : app.listen(port, host);
        s.once('error', reject);
        s.once('listening', () => {
          // Every request is bounded (REDIS_DEADLINE_MS), so open requests finish soon; idle keep-alives are cut now.
          server = runtime.own(
            'http server',
            s,
            (listening) =>
              new Promise<void>((done) => {
                listening.close(() => done());
                listening.closeIdleConnections();
              }),
          );
          const address = s.address() as AddressInfo;
          url = `http://${host ?? '127.0.0.1'}:${address.port}`;
          logger.info({ port: address.port }, 'web listening');
          resolve(url);
        });
      });
    },
    close: () => runtime.close(),
  };
}
