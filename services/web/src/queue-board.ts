import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Express, Router } from 'express';

export const QUEUE_BOARD_PATH = '/admin/queues';

/** Blanks every `token` field: interaction work carries a 15-minute credential. */
export function redactTokens(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactTokens(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, /token/i.test(k) ? '[redacted]' : redactTokens(v, depth + 1)]),
  );
}

/** bull-board's page links a web font from another origin; the site loads nothing from elsewhere. */
export function stripExternalLinks(page: string): string {
  return page.replace(/<link\b[^>]*\bhref="https?:\/\/[^"]*"[^>]*>/gi, '');
}

type RenderEngine = (path: string, options: object, callback: (error: Error | null, html?: string) => void) => void;

/** Read-only bull-board over the product's queues, its UI served from its own package. */
export function createQueueBoard(queues: readonly Queue[]): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => {
      const adapter = new BullMQAdapter(queue, { readOnlyMode: true, allowRetries: false });
      adapter.setFormatter('data', (data: unknown) => redactTokens(data));
      return adapter;
    }),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'PROMTON-TICKETS queues', hideDocsLink: true, miscLinks: [{ text: 'Dashboard', url: '/dashboard' }] } },
  });
  const app = serverAdapter.getRouter() as Express;
  const engines = (app as unknown as { engines: Record<string, RenderEngine | undefined> }).engines;
  const ejs = engines['.ejs'];
  if (ejs) {
    app.engine('ejs', (path, options, callback) => {
      ejs(path, options, (error, page) => callback(error, page === undefined ? undefined : stripExternalLinks(page)));
    });
  }
  return app;
}
