import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express, { type Express, type RequestHandler, type Router } from 'express';
import { redactSecrets } from './redact.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

/** bull-board's page links a web font from another origin; the site loads nothing from elsewhere. */
export function stripExternalLinks(page: string): string {
  return page.replace(/<link\b[^>]*\bhref="https?:\/\/[^"]*"[^>]*>/gi, '');
}

/** Every JSON answer of the board's API passes through redactSecrets: job data, failure reasons, stack traces. */
const redactJson: RequestHandler = (_req, res, next) => {
  const json = res.json.bind(res);
  res.json = (body: unknown) => json(redactSecrets(body));
  next();
};

type RenderEngine = (path: string, options: object, callback: (error: Error | null, html?: string) => void) => void;

/** Read-only bull-board over the product's queues, its UI served from its own package. */
export function createQueueBoard(queues: readonly Queue[]): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => {
      const adapter = new BullMQAdapter(queue, { readOnlyMode: true, allowRetries: false });
      return adapter;
    }),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'PROMTON-TICKETS queues', hideDocsLink: true, miscLinks: [{ text: 'Dashboard', url: '/dashboard' }] } },
  });
  const app = serverAdapter.getRouter() as Express;
  // bull-board's router is an express app of its own, which would announce itself.
  app.disable('x-powered-by');
  const engines = (app as unknown as { engines: Record<string, RenderEngine | undefined> }).engines;
  const ejs = engines['.ejs'];
  if (ejs) {
    app.engine('ejs', (path, options, callback) => {
      ejs(path, options, (error, page) => callback(error, page === undefined ? undefined : stripExternalLinks(page)));
    });
  }
  const router = express.Router();
  router.use(redactJson, app);
  return router;
}
