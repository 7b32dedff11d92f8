import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { act, configureDemoGuild, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import { Stack } from '../../scripts/stack/stack.js';

const OWNER_TOKEN = 'pipeline-dashboard-owner-token-0123456789';

/** The owner's dashboard and /metrics after a real run: tickets opened through every service. */
describe('dashboard fed by a real run through the pipeline', () => {
  let stack: Stack;
  let demo: DemoGuild;
  let browser: Browser;
  let origin: string;
  const auth = { authorization: `Bearer ${OWNER_TOKEN}` };

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await Stack.start({
      redisUrl: inject('redisUrl'),
      services: ['config-service', 'ticket-worker', 'log-worker', 'gateway', 'web'],
      env: { OWNER_TOKEN },
    });
    origin = `http://127.0.0.1:${stack.portOf('web')}`;
    demo = await seedDemoGuild(stack.emulator);
    await configureDemoGuild(stack.emulator, demo);
    const members = await Promise.all([0, 1, 2].map((i) => stack.emulator.addMember(demo.guild.id, { username: `dash-${i}` })));
    for (const member of members) {
      const state = await act(stack.emulator, {
        guildId: demo.guild.id,
        channelId: demo.panelChannel.id,
        userId: member.id,
        kind: 'button',
        customId: 'pt:v1:open:support',
      });
      expect(state.original?.content).toMatch(/^✅/);
    }
  }, 900_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("shows the run's tickets and queue throughput in charts", async () => {
    // A member is answered before their job completes, and each service records its
    // figures on its own: wait for exactly what the page is then asked to show.
    type Data = { analytics?: { days?: { opened: number }[] }; queues?: { name: string; completedPerMinute: number[] }[] };
    const completedOf = (data: Data, name: string) => (data.queues?.find((q) => q.name === name)?.completedPerMinute ?? []).reduce((a, b) => a + b, 0);
    await waitFor(async () => {
      const data = (await (await fetch(`${origin}/dashboard/data.json`, { headers: auth })).json()) as Data;
      return (data.analytics?.days?.at(-1)?.opened ?? 0) >= 3 && completedOf(data, 'tickets') >= 4 && completedOf(data, 'config') > 0;
    }, 'three opened tickets in the analytics and their jobs completed');

    const context = await browser.newContext({ extraHTTPHeaders: auth });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    expect((await page.goto(`${origin}/dashboard`))?.status()).toBe(200);
    await page.locator('#dashboard[data-loaded="true"]').waitFor();
    expect(await page.locator('#stat-servers').textContent()).toBe('1');
    expect(await page.locator('#chart-tickets svg rect.bar.opened').last().getAttribute('data-value')).toBe('3');
    const completed = Number(await page.locator('[data-queue="tickets"] svg polyline.completed').getAttribute('data-total'));
    expect(completed).toBeGreaterThanOrEqual(4); // three opens and the panel
    expect(Number(await page.locator('[data-queue="config"] svg polyline.completed').getAttribute('data-total'))).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('serves Prometheus metrics from every service, behind the owner token', async () => {
    expect((await fetch(`${origin}/metrics`)).status).toBe(401);
    const ack = /promton_interaction_ack_latency_seconds_count\{[^}]*service="gateway"[^}]*\} [1-9]/;
    const completed = /promton_jobs_total\{[^}]*queue="tickets"[^}]*status="completed"[^}]*\} [1-9]/;
    // Each service publishes its figures on its own schedule: wait for all of them.
    const body = await waitFor(async () => {
      const text = await (await fetch(`${origin}/metrics`, { headers: auth })).text();
      return ['gateway', 'ticket-worker', 'log-worker', 'config-service'].every((s) => text.includes(`service="${s}"`)) &&
        ack.test(text) &&
        completed.test(text)
        ? text
        : null;
    }, 'metrics from every service');
    expect(body).toMatch(ack);
    expect(body).toMatch(completed);
    expect(body).not.toContain('emulator.bot.token');
  });
});
