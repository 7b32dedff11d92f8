import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { loadConfig, QueueName } from '@promton/shared/contracts';
import { createRuntime } from '@promton/shared/runtime';
import { createApp, type WebApp } from '../../services/web/src/app.js';
import { analyticsKey } from '../../services/web/src/dashboard-data.js';
import { launchChromium } from '../support/browser.js';
import { testPrefix } from '../../scripts/stack/prefix.js';

const OWNER_TOKEN = 'browser-test-owner-token-0123456789abcdef';
const SECRET = 'browser-test-interaction-token';
const SCREENSHOTS = fileURLToPath(new URL('../../screenshots/', import.meta.url));

interface Watch {
  errors: string[];
  offsite: string[];
}

/** Records console errors, page errors and every request that leaves the site's origin. */
function watch(page: Page, origin: string): Watch {
  const w: Watch = { errors: [], offsite: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') w.errors.push(message.text());
  });
  page.on('pageerror', (error) => w.errors.push(error.message));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('data:') && new URL(url).origin !== origin) w.offsite.push(url);
  });
  return w;
}

let browser: Browser;
let web: WebApp;
let origin: string;
let redis: Redis;
let prefix: string;
const queues: Queue[] = [];
const workers: Worker[] = [];

beforeAll(async () => {
  prefix = testPrefix();
  const config = loadConfig({
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: prefix,
    DISCORD_API_URL: 'http://127.0.0.1:9/api',
    OWNER_TOKEN,
    CONTACT_EMAIL: 'privacy@example.org',
    LOG_LEVEL: 'silent',
  });
  web = await createApp(createRuntime('web', config, { role: 'producer' }));
  origin = await web.listen(0, '127.0.0.1');
  redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });

  // Real traffic through real BullMQ queues: completed jobs on every queue, one failure.
  const connection = { url: inject('redisUrl'), maxRetriesPerRequest: null };
  let expected = 0;
  let seen = 0;
  let allDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  for (const name of Object.values(QueueName)) {
    const queue = new Queue(name, { connection, prefix });
    const worker = new Worker(
      name,
      async (job) => {
        if (job.name === 'boom') throw new UnrecoverableError('Missing Permissions on channel 123456789012345678');
        await new Promise((r) => setTimeout(r, 2 + (Number(job.data.n) % 5)));
      },
      { connection, prefix, metrics: { maxDataPoints: 60 } },
    );
    worker.on('error', () => undefined);
    const count = () => ++seen === expected && allDone();
    worker.on('completed', count);
    worker.on('failed', count);
    queues.push(queue);
    workers.push(worker);
  }
  const jobs = queues.flatMap((queue, qi) => Array.from({ length: 4 + qi * 3 }, (_, n) => ({ queue, name: 'work', data: { n, token: SECRET } })));
  jobs.push({ queue: queues[0]!, name: 'boom', data: { n: 99, token: SECRET } });
  expected = jobs.length;
  for (const job of jobs) await job.queue.add(job.name, job.data);
  await done;
  await queues[1]!.add('later', { n: 1, token: SECRET }, { delay: 3_600_000 });
  await redis.set(
    analyticsKey(prefix),
    JSON.stringify({
      servers: 42,
      members: 12345,
      ticketTypes: 77,
      days: Array.from({ length: 7 }, (_, i) => ({ day: `2025-01-0${i + 1}`, opened: 3 + i, closed: 2 + (i % 3) })),
      ratings: [1, 0, 2, 3, 4],
    }),
  );

  browser = await launchChromium();
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(workers.map((w) => w.close()));
  for (const queue of queues) {
    await queue.obliterate({ force: true });
    await queue.close();
  }
  await redis?.del(analyticsKey(prefix));
  await redis?.quit();
  await web?.close();
});

describe('public pages in a browser', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await browser.newContext();
  });
  afterAll(async () => {
    await context.close();
  });

  it.each(['/', '/commands', '/privacy', '/terms'])('%s loads with no console error and no request to another origin', async (path) => {
    const page = await context.newPage();
    const w = watch(page, origin);
    const response = await page.goto(`${origin}${path}`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    // The stylesheet applied: the header is laid out by site.css.
    expect(await page.locator('.site-header').evaluate((el) => getComputedStyle(el).display)).toBe('flex');
    expect(await page.context().cookies()).toEqual([]);
    expect(w.errors).toEqual([]);
    expect(w.offsite).toEqual([]);
    await page.close();
  });

  it('the landing page offers the invite link', async () => {
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    const href = await page.getByRole('link', { name: 'Add to Discord' }).getAttribute('href');
    expect(href).toMatch(/^https:\/\/discord\.com\/oauth2\/authorize\?client_id=\d+&permissions=\d+&scope=bot\+applications\.commands$/);
    await page.close();
  });

  it('the owner dashboard answers 401 without the token, and a wrong password is refused', async () => {
    // Chromium answers a Basic challenge itself (here: by giving up), so read the raw answer through the context.
    const response = await context.request.get(`${origin}/dashboard`);
    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).toMatch(/^Basic realm="PROMTON-TICKETS"/);
    const wrong = await browser.newContext({ httpCredentials: { username: 'owner', password: 'not-the-token' } });
    const page = await wrong.newPage();
    expect((await page.goto(`${origin}/dashboard`))?.status()).toBe(401);
    expect(await page.locator('#dashboard').count()).toBe(0);
    await wrong.close();
  });

  it('the owner signs in with the browser’s Basic prompt and the dashboard loads its data', async () => {
    const owner = await browser.newContext({ httpCredentials: { username: 'owner', password: OWNER_TOKEN } });
    const page = await owner.newPage();
    const w = watch(page, origin);
    expect((await page.goto(`${origin}/dashboard`))?.status()).toBe(200);
    await page.locator('#dashboard[data-loaded="true"]').waitFor();
    expect(w.errors).toEqual([]);
    await owner.close();
  });
});

describe('owner dashboard in a browser', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${OWNER_TOKEN}` } });
  });
  afterAll(async () => {
    await context.close();
  });

  it('draws its charts from live queue data', async () => {
    const page = await context.newPage();
    const w = watch(page, origin);
    const response = await page.goto(`${origin}/dashboard`);
    expect(response?.status()).toBe(200);
    await page.locator('#dashboard[data-loaded="true"]').waitFor();

    expect(await page.locator('#stat-servers').textContent()).toBe('42');
    expect(await page.locator('#stat-ticket-types').textContent()).toBe('77');
    // Feedback: 10 ratings, average (1 + 6 + 12 + 20) / 10.
    expect(await page.locator('#stat-ratings').textContent()).toBe('10');
    expect(await page.locator('#stat-rating-average').textContent()).toBe('3.90');
    expect(await page.locator('#stat-rating-5').textContent()).toBe('4');

    // Tickets per day: one opened and one closed bar per day.
    const dayBars = page.locator('#chart-tickets svg rect.bar');
    expect(await dayBars.count()).toBe(14);
    expect(await page.locator('#chart-tickets svg rect.bar.opened').last().getAttribute('data-value')).toBe('9');

    // Queue depth: bars per queue and state, with the failed and delayed jobs seeded above.
    const depth = await page
      .locator('#chart-depth svg rect.bar')
      .evaluateAll((rects) =>
        rects.map((r) => ({ cls: r.getAttribute('class'), value: Number(r.getAttribute('data-value')), height: Number(r.getAttribute('height')) })),
      );
    expect(depth).toHaveLength(12);
    expect(depth.filter((d) => d.value > 0).every((d) => d.height > 0)).toBe(true);
    expect(depth.find((d) => d.cls === 'bar failed' && d.value === 1)).toBeDefined();
    expect(depth.find((d) => d.cls === 'bar delayed' && d.value === 1)).toBeDefined();

    // Throughput lines per queue, with every completed job counted.
    for (const [name, completed] of [
      ['tickets', 4],
      ['config', 7],
      ['logs', 10],
    ] as const) {
      const card = page.locator(`[data-queue="${name}"]`);
      expect(await card.locator('svg polyline.completed').getAttribute('data-total')).toBe(String(completed));
      expect(await card.locator('dl.counts [data-state="completed"] dd').textContent()).toBe(String(completed));
      expect(await card.locator('.durations tbody td').last().textContent()).toBe(String(completed));
    }
    const failure = page.locator('[data-queue="tickets"] .failures tbody tr');
    expect(await failure.count()).toBe(1);
    expect(await failure.textContent()).toContain('Missing Permissions on channel 123456789012345678');
    expect(await page.content()).not.toContain(SECRET);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}dashboard.png`, fullPage: true });
    expect(w.errors).toEqual([]);
    expect(w.offsite).toEqual([]);
    await page.close();
  });

  it('refreshes itself', async () => {
    const page = await context.newPage();
    await page.goto(`${origin}/dashboard`);
    await page.locator('#dashboard[data-loaded="true"]').waitFor();
    await redis.set(analyticsKey(prefix), JSON.stringify({ servers: 43, members: 12346, ticketTypes: 78, days: [] }));
    await page.locator('#stat-servers', { hasText: '43' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('#stat-servers').textContent()).toBe('43');
    expect(await page.locator('#stat-ticket-types').textContent()).toBe('78');
    await page.close();
  });

  it('the queue board loads from this site only', async () => {
    const page = await context.newPage();
    const w = watch(page, origin);
    const response = await page.goto(`${origin}/admin/queues`, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    await page.getByText('tickets').first().waitFor();
    expect(w.offsite).toEqual([]);
    expect(w.errors).toEqual([]);
    expect(await page.content()).not.toContain(SECRET);
    await page.close();
  });
});
