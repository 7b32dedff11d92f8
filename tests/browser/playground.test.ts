import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { seedDemoGuild } from '../../scripts/stack/demo.js';
import { Stack } from '../../scripts/stack/stack.js';

/** Written by this test and shown in the README. */
const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));

/**
 * The playground drives the real bot: every click below is an interaction the emulator
 * dispatches over the gateway to the gateway service, answered over REST by the services.
 */
describe('the playground: playing a ticket in the browser', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let origin: string;
  const errors: string[] = [];
  const offsite: string[] = [];
  let ticketChannel = '';

  const messages = () => page.getByRole('list', { name: /^Messages in #/ });
  const lastEphemeral = () => messages().locator('li.message.ephemeral').last();
  const actAs = async (username: string) => {
    const select = page.getByLabel('Acting as');
    const value = await select.locator('option', { hasText: `${username} (` }).getAttribute('value');
    await select.selectOption(value ?? '');
    await expect.poll(() => page.url()).toContain(`as=${value}`);
  };
  const openChannel = async (name: string) => {
    await page.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name, exact: true }).click();
    await expect.poll(() => page.locator('.channel-title').textContent()).toBe(`# ${name}`);
  };
  /** Fills the command box for one command and sends it; returns the ephemeral answer's text. */
  const runCommand = async (label: string, fill: (box: Locator) => Promise<unknown>): Promise<string> => {
    const before = await messages().locator('li.message.ephemeral').count();
    await page.getByRole('button', { name: 'Slash commands' }).click();
    const box = page.getByRole('form', { name: 'Slash command' });
    await box.getByLabel('Command', { exact: true }).selectOption(label);
    await fill(box);
    await box.getByRole('button', { name: `Send ${label}` }).click();
    await expect.poll(() => messages().locator('li.message.ephemeral').count()).toBe(before + 1);
    const answer = lastEphemeral().locator('.content');
    await answer.waitFor();
    return (await answer.textContent()) ?? '';
  };
  const shot = (name: string) => page.screenshot({ path: `${IMAGES}${name}.png` });

  beforeAll(async () => {
    mkdirSync(IMAGES, { recursive: true });
    browser = await launchChromium();
    stack = await Stack.start({ redisUrl: inject('redisUrl') });
    origin = stack.emulatorUrl;
    await seedDemoGuild(stack.emulator);
    await stack.emulator.waitForGateway();
    // Transcripts need the Message Content intent, switched on in the developer portal (limited: under 100 servers).
    await stack.emulator.setApplicationFlags(1 << 19);
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    page.on('pageerror', (error) => errors.push(error.message));
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin !== origin && url.protocol !== 'data:') offsite.push(request.url());
    });
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.close();
  });

  it('as an admin, adds a ticket type with the command box and sends a panel', async () => {
    await page.goto(`${origin}/`);
    await expect.poll(() => page.url()).toContain('/playground/');
    await actAs('ada-admin');
    await openChannel('open-a-ticket');

    // Discord's client refuses to send a command with a required option missing.
    await page.getByRole('button', { name: 'Slash commands' }).click();
    const box = page.getByRole('form', { name: 'Slash command' });
    await box.getByLabel('Command', { exact: true }).selectOption('/config type add');
    await box.getByLabel(/^name/).fill('support');
    await box.getByRole('button', { name: 'Send /config type add' }).click();
    await expect.poll(() => box.locator('.option.invalid').first().textContent()).toContain('This field is required.');
    expect(await box.locator('.option.invalid label').first().textContent()).toMatch(/^label\*/);
    expect(await stack.emulator.requests({ path: '/callback' })).toEqual([]);
    await box.getByRole('button', { name: 'Close', exact: true }).click();

    const added = await runCommand('/config type add', async (form) => {
      await form.getByLabel(/^name/).fill('support');
      await form.getByLabel(/^label/).fill('Support');
      await form.getByLabel(/^emoji/).fill('🎫');
      await form.getByLabel(/^description/).fill('Questions about anything');
      await form.getByLabel(/^category/).selectOption({ label: '#Tickets' });
      await form.getByLabel(/^staff-role/).selectOption({ label: '@Support staff' });
      await form.getByLabel(/^message/).fill('Welcome! Tell us what you need and staff will answer here.');
    });
    expect(added).toMatch(/^✅/);
    expect(await lastEphemeral().locator('.ephemeral-note').textContent()).toContain('Only you can see this');

    // A form question: members answer it in a modal when they open a ticket.
    const question = await runCommand('/config type question-add', async (form) => {
      // The type's name is suggested as it is typed: an autocomplete interaction, answered by the bot from its projection.
      await form.getByLabel(/^name/).pressSequentially('sup');
      await expect
        .poll(() => form.locator('datalist option').evaluateAll((options) => options.map((o) => `${(o as HTMLOptionElement).value}: ${o.textContent}`)))
        .toEqual(['support: Support (support)']);
      await form.getByLabel(/^name/).fill('support');
      await form.getByLabel(/^question/).fill('What do you need help with?');
    });
    expect(question).toMatch(/^✅/);
    expect(await runCommand('/config transcripts on', async () => undefined)).toMatch(/^✅/);
    expect(await runCommand('/config log-channel set', (form) => form.getByLabel(/^channel/).selectOption({ label: '#ticket-log' }))).toMatch(/^✅/);
    const panel = await runCommand('/panel send', async (form) => {
      await form.getByLabel(/^channel/).selectOption({ label: '#open-a-ticket' });
      await form.getByLabel(/^title/).fill('Need help?');
      await form.getByLabel(/^text/).fill('Click below to open a private ticket with our staff.');
    });
    expect(panel).toMatch(/^✅/);

    // The panel is a channel message everyone sees: an embed and the type's button with its emoji.
    const panelMessage = messages().locator('li.message:not(.ephemeral)').filter({ hasText: 'Need help?' });
    await panelMessage.waitFor();
    expect(await panelMessage.locator('.embed-title').textContent()).toBe('Need help?');
    const button = panelMessage.getByRole('button', { name: /Support/ });
    expect(await button.getAttribute('class')).toContain('primary');
    expect(await button.locator('.emoji').textContent()).toBe('🎫');

    // The side panel lists the bot's REST calls with their rate-limit headers.
    const rest = page.getByRole('list', { name: 'REST requests' });
    await expect.poll(() => rest.textContent()).toContain('POST /channels/:channel_id/messages');
    expect(await rest.textContent()).toMatch(/\d+\/\d+ left, resets in [\d.]+ s/);
    expect(await rest.textContent()).not.toMatch(/\/callback[^\s]*aW50ZXJhY3Rpb2/); // tokens are shown as :token
    await shot('playground-1-admin-panel');
  });

  it('as a member, clicks the panel and sees only their own new ticket channel', async () => {
    const nav = page.getByRole('navigation', { name: 'Channels' });
    await actAs('mia-member');
    await openChannel('open-a-ticket');
    const ticketsBefore = await nav.getByRole('region', { name: 'Tickets' }).getByRole('link').count();
    expect(ticketsBefore).toBe(0);

    const before = await messages().locator('li.message.ephemeral').count();
    await messages()
      .getByRole('button', { name: /Support/ })
      .click();
    // The bot answers the click with its form: a modal, shown as a dialog.
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel(/What do you need help with\?/).fill('My order never arrived.');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => messages().locator('li.message.ephemeral').count()).toBe(before + 1);
    // The deferred answer ("thinking…") is edited into the result.
    await expect.poll(() => lastEphemeral().locator('.content').textContent(), { timeout: 20_000 }).toMatch(/^✅/);
    const link = lastEphemeral().locator('.content a.mention');
    const channelName = ((await link.textContent()) ?? '').replace(/^#/, '');
    expect(channelName).toMatch(/^ticket-\d+$/);
    ticketChannel = channelName;

    // The channel list followed the bot's CHANNEL_CREATE: exactly one ticket, hers.
    const tickets = nav.getByRole('region', { name: 'Tickets' }).getByRole('link');
    await expect.poll(() => tickets.allTextContents()).toEqual([`#${channelName}`]);
    await link.click();
    await expect.poll(() => page.locator('.channel-title').textContent()).toBe(`# ${channelName}`);
    const welcome = messages().locator('li.message').filter({ hasText: 'Tell us what you need' });
    await welcome.waitFor();
    expect(await welcome.locator('.content').textContent()).toContain('@mia-member');
    expect(await welcome.textContent()).toContain('My order never arrived.');
    expect(await welcome.getByRole('button').allTextContents()).toEqual(['🔒Close', '🙋Claim']);
    await shot('playground-2-member-ticket');

    // Another member and a stranger do not see it.
    await actAs('max-member');
    await expect.poll(() => nav.textContent()).not.toContain(channelName);
    expect(await nav.textContent()).toContain('open-a-ticket');
    await actAs('a stranger');
    await expect.poll(() => nav.textContent()).toContain('Not a member of this server');
  });

  it('as staff, claims and closes the ticket', async () => {
    const nav = page.getByRole('navigation', { name: 'Channels' });
    await actAs('sam-staff');
    await openChannel(ticketChannel);
    // Staff write in the ticket as members do (a message through the emulator, seen by the bot over the gateway).
    await page.getByLabel('Message', { exact: true }).fill('Hello from staff, how can we help?');
    await page.getByLabel('Message', { exact: true }).press('Enter');
    await messages().locator('li.message').filter({ hasText: 'Hello from staff' }).waitFor();
    const welcome = messages().locator('li.message').filter({ hasText: 'Tell us what you need' });
    await welcome.getByRole('button', { name: /Claim/ }).click();
    // The welcome message is edited: Claim becomes Unclaim.
    await expect.poll(() => welcome.getByRole('button').allTextContents(), { timeout: 20_000 }).toEqual(['🔒Close', 'Unclaim']);
    await shot('playground-3-staff-claimed');

    const before = await messages().locator('li.message.ephemeral').count();
    await welcome.getByRole('button', { name: /Close/ }).click();
    await expect.poll(() => messages().locator('li.message.ephemeral').count()).toBe(before + 1);
    const confirm = lastEphemeral();
    await confirm.getByRole('button', { name: 'Close', exact: true }).waitFor();
    await shot('playground-4-staff-close-confirm');
    await confirm.getByRole('button', { name: 'Close', exact: true }).click();
    // The bot deletes the channel; the page follows CHANNEL_DELETE.
    await expect.poll(() => nav.textContent(), { timeout: 30_000 }).not.toContain(ticketChannel);
  });

  it('shows the log channel and opens the transcript', async () => {
    await actAs('ada-admin');
    await openChannel('ticket-log');
    const log = messages();
    await expect
      .poll(() => log.locator('.embed-title').allTextContents(), { timeout: 30_000 })
      .toEqual(
        expect.arrayContaining([expect.stringContaining('Ticket opened'), expect.stringContaining('Ticket claimed'), expect.stringContaining('Ticket closed')]),
      );
    const transcriptLink = log.locator('a.attachment').filter({ hasText: '.html' }).first();
    await transcriptLink.waitFor({ timeout: 30_000 });
    await shot('playground-5-log');

    const [transcript] = await Promise.all([context.waitForEvent('page'), transcriptLink.click()]);
    await transcript.waitForLoadState();
    expect(await transcript.textContent('body')).toContain('Hello from staff, how can we help?');
    await transcript.setViewportSize({ width: 1000, height: 700 });
    await transcript.screenshot({ path: `${IMAGES}playground-6-transcript.png` });
    await transcript.close();

    // The gateway tab lists what the bot was told.
    await page.getByRole('tab', { name: /Gateway events/ }).click();
    const events = await page.getByRole('list', { name: 'Gateway events' }).textContent();
    for (const t of ['INTERACTION_CREATE', 'CHANNEL_CREATE', 'CHANNEL_DELETE', 'MESSAGE_CREATE']) expect(events).toContain(t);

    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
  });
});
