import { DiscordAPIError, REST } from '@discordjs/rest';
import {
  Routes,
  type RESTGetAPIChannelWebhooksResult,
  type RESTPostAPIChannelWebhookResult,
  type RESTPostAPIWebhookWithTokenWaitResult,
} from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { intentFor } from '../src/gateway.js';
import { DEFAULT_BOT_PERMISSIONS, PermissionFlagsBits } from '../src/permissions.js';
import { startEmulator, type Harness } from './helpers.js';

let h: Harness | undefined;
let tokenless: REST | undefined;
afterEach(async () => {
  tokenless?.clearHashSweeper();
  tokenless?.clearHandlerSweeper();
  tokenless = undefined;
  await h?.close();
  h = undefined;
});

/** What a webhook's executor holds: no bot token at all. */
function restWithoutToken(apiUrl: string): REST {
  tokenless = new REST({ api: apiUrl, retries: 2, timeout: 5_000 });
  return tokenless;
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: number | string; raw: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DiscordAPIError) return { status: error.status, code: error.code, raw: error.rawError };
    throw error;
  }
  throw new Error('the request succeeded');
}

async function seedChannel(harness: Harness, botPermissions?: bigint) {
  const guild = await harness.client.seedGuild({
    name: 'G',
    channels: [{ name: 'log' }, { name: 'other' }],
    ...(botPermissions !== undefined ? { botPermissions: botPermissions.toString() } : {}),
  });
  return { guildId: guild.id, channelId: guild.channels[0]!.id, otherId: guild.channels[1]!.id };
}

const createWebhook = (harness: Harness, channelId: string, name = 'Ticket log') =>
  harness.rest.post(Routes.channelWebhooks(channelId), { body: { name } }) as Promise<RESTPostAPIChannelWebhookResult>;

describe('webhooks: create, list, get, delete', () => {
  it('creates a webhook owned by the application, with its token, and announces WEBHOOKS_UPDATE', async () => {
    h = await startEmulator();
    const { guildId, channelId } = await seedChannel(h);
    const dispatched: [string | null, string, unknown][] = [];
    h.emu.state.on('dispatch', (g, event, data) => dispatched.push([g, event, data]));
    const webhook = await createWebhook(h, channelId);
    expect(webhook).toMatchObject({ type: 1, guild_id: guildId, channel_id: channelId, name: 'Ticket log', application_id: h.emu.state.applicationId });
    expect(webhook.token).toMatch(/^[\w-]{20,}$/);
    expect(webhook.url).toBe(`${h.emu.apiUrl}/webhooks/${webhook.id}/${webhook.token}`);
    expect(dispatched.filter(([, event]) => event === 'WEBHOOKS_UPDATE')).toEqual([[guildId, 'WEBHOOKS_UPDATE', { guild_id: guildId, channel_id: channelId }]]);
    // Only sessions with GUILD_WEBHOOKS (1 << 5) receive it.
    expect(intentFor('WEBHOOKS_UPDATE', true)).toBe(1 << 5);

    const listed = (await h.rest.get(Routes.channelWebhooks(channelId))) as RESTGetAPIChannelWebhooksResult;
    expect(listed.map((w) => [w.id, w.token])).toEqual([[webhook.id, webhook.token]]);
    expect(await h.rest.get(Routes.webhook(webhook.id))).toMatchObject({ id: webhook.id, token: webhook.token });

    await h.rest.delete(Routes.webhook(webhook.id));
    expect(dispatched.filter(([, event]) => event === 'WEBHOOKS_UPDATE')).toHaveLength(2);
    expect(await h.rest.get(Routes.channelWebhooks(channelId))).toEqual([]);
    expect(await refusal(h.rest.get(Routes.webhook(webhook.id)))).toMatchObject({ status: 404, code: 10015 });
  });

  it('shows the token of a webhook a person made to nobody else', async () => {
    h = await startEmulator();
    const { guildId, channelId } = await seedChannel(h);
    const ours = await createWebhook(h, channelId);
    h.emu.state.webhooks.set('900000000000000001', {
      id: '900000000000000001',
      type: 1,
      guild_id: guildId,
      channel_id: channelId,
      name: 'Someone else',
      avatar: null,
      token: 'their-secret-token',
      application_id: null,
      user: h.emu.state.botUser,
    });
    const listed = (await h.rest.get(Routes.channelWebhooks(channelId))) as RESTGetAPIChannelWebhooksResult;
    expect(listed.find((w) => w.id === ours.id)?.token).toBe(ours.token);
    expect(listed.find((w) => w.id === '900000000000000001')).not.toHaveProperty('token');
  });

  it('requires Manage Webhooks to create, list, get or delete (50013)', async () => {
    h = await startEmulator();
    const { channelId } = await seedChannel(h, DEFAULT_BOT_PERMISSIONS & ~PermissionFlagsBits.ManageWebhooks);
    expect(await refusal(createWebhook(h, channelId))).toMatchObject({ status: 403, code: 50013 });
    expect(await refusal(h.rest.get(Routes.channelWebhooks(channelId)))).toMatchObject({ status: 403, code: 50013 });
    expect(h.emu.state.webhooks.size).toBe(0);
  });

  it('refuses names with "discord" or "clyde" in any case, empty or over 80 characters (50035 on name)', async () => {
    h = await startEmulator();
    const { channelId } = await seedChannel(h);
    for (const name of ['My Discord log', 'CLYDE', '', 'x'.repeat(81)]) {
      const refused = await refusal(createWebhook(h, channelId, name));
      expect(refused).toMatchObject({ status: 400, code: 50035 });
      expect(refused.raw).toHaveProperty(['errors', 'name', '_errors']);
    }
    expect((await createWebhook(h, channelId, 'x'.repeat(80))).name).toHaveLength(80);
  });

  it('allows 15 webhooks per channel: the 16th is 30007', async () => {
    h = await startEmulator();
    const { channelId, otherId } = await seedChannel(h);
    await h.client.setRateLimits({ enabled: false });
    for (let i = 0; i < 15; i++) await createWebhook(h, channelId, `hook ${i}`);
    expect(await refusal(createWebhook(h, channelId))).toMatchObject({ status: 400, code: 30007 });
    // Another channel has its own 15.
    expect((await createWebhook(h, otherId)).channel_id).toBe(otherId);
  });
});

describe('webhooks: execute', () => {
  it('posts as the webhook without the bot token: wait=true returns the message, without wait 204', async () => {
    h = await startEmulator();
    const { channelId } = await seedChannel(h);
    const webhook = await createWebhook(h, channelId, 'PROMTON-TICKETS log');
    const rest = restWithoutToken(h.emu.apiUrl);
    const message = (await rest.post(Routes.webhook(webhook.id, webhook.token!), {
      body: { embeds: [{ title: 'Ticket opened' }], allowed_mentions: { parse: [] } },
      query: new URLSearchParams({ wait: 'true' }),
      auth: false,
    })) as RESTPostAPIWebhookWithTokenWaitResult;
    expect(message).toMatchObject({ channel_id: channelId, webhook_id: webhook.id, author: { id: webhook.id, username: 'PROMTON-TICKETS log', bot: true } });
    expect(message.application_id).toBe(h.emu.state.applicationId);
    const response = await fetch(`${h.emu.apiUrl}/v10/webhooks/${webhook.id}/${webhook.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'second' }),
    });
    expect(response.status).toBe(204);
    expect((await h.client.messages(channelId)).map((m) => m.author.username)).toEqual(['PROMTON-TICKETS log', 'PROMTON-TICKETS log']);
    const executions = await h.client.requests({ method: 'POST', path: `/webhooks/${webhook.id}/` });
    expect(executions.map((e) => [e.auth, e.status])).toEqual([
      ['none', 200],
      ['none', 204],
    ]);
  });

  it('carries files as attachments', async () => {
    h = await startEmulator();
    const { channelId } = await seedChannel(h);
    const webhook = await createWebhook(h, channelId);
    const message = (await restWithoutToken(h.emu.apiUrl).post(Routes.webhook(webhook.id, webhook.token!), {
      body: { embeds: [{ title: 'Ticket closed' }] },
      files: [{ name: 'transcript-7.html', data: Buffer.from('<html>hi</html>'), contentType: 'text/html' }],
      query: new URLSearchParams({ wait: 'true' }),
      auth: false,
    })) as RESTPostAPIWebhookWithTokenWaitResult;
    expect(message.attachments.map((a) => a.filename)).toEqual(['transcript-7.html']);
    const data = await fetch(message.attachments[0]!.url).then((r) => r.text());
    expect(data).toBe('<html>hi</html>');
  });

  it('answers 10015 for an unknown or deleted webhook, 50027 for a wrong token, 50035 for 11 embeds', async () => {
    h = await startEmulator();
    const { channelId } = await seedChannel(h);
    const webhook = await createWebhook(h, channelId);
    const rest = restWithoutToken(h.emu.apiUrl);
    const execute = (id: string, token: string, body: unknown) => rest.post(Routes.webhook(id, token), { body, auth: false });
    expect(await refusal(execute(webhook.id, 'not-the-token', { content: 'x' }))).toMatchObject({ status: 401, code: 50027 });
    const tooMany = await refusal(execute(webhook.id, webhook.token!, { embeds: Array.from({ length: 11 }, (_, i) => ({ title: `e${i}` })) }));
    expect(tooMany).toMatchObject({ status: 400, code: 50035 });
    expect(tooMany.raw).toHaveProperty(['errors', 'embeds']);
    expect(await refusal(execute(webhook.id, webhook.token!, {}))).toMatchObject({ status: 400, code: 50006 });
    expect(await h.client.messages(channelId)).toEqual([]);
    await h.client.deleteWebhook(webhook.id);
    expect(await refusal(execute(webhook.id, webhook.token!, { content: 'x' }))).toMatchObject({ status: 404, code: 10015 });
    // A deleted channel takes its webhooks with it.
    const again = await createWebhook(h, channelId);
    await h.client.deleteChannel(channelId);
    expect(await refusal(execute(again.id, again.token!, { content: 'x' }))).toMatchObject({ status: 404, code: 10015 });
    expect(h.emu.state.webhooks.size).toBe(0);
  });
});

describe('webhooks: rate limits', () => {
  it('gives each webhook its own route bucket; @discordjs/rest waits on it and succeeds', async () => {
    h = await startEmulator();
    const { channelId } = await seedChannel(h);
    await h.client.setRateLimits({ routes: { 'POST /webhooks/:webhook_id/:webhook_token': { limit: 2, windowMs: 400 } } });
    const [a, b] = [await createWebhook(h, channelId, 'a'), await createWebhook(h, channelId, 'b')];
    const raw = (w: typeof a) =>
      fetch(`${h!.emu.apiUrl}/v10/webhooks/${w.id}/${w.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"content":"x"}' });
    expect([(await raw(a)).status, (await raw(a)).status]).toEqual([204, 204]);
    const limited = await raw(a);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-scope')).toBe('user');
    expect(limited.headers.get('x-ratelimit-global')).toBeNull();
    expect((await raw(b)).status).toBe(204);
    // The executor learns the bucket from the headers and waits for it instead of failing.
    const rest = restWithoutToken(h.emu.apiUrl);
    for (let i = 0; i < 3; i++) await rest.post(Routes.webhook(a.id, a.token!), { body: { content: `r${i}` }, auth: false });
    expect((await h.client.messages(channelId)).filter((m) => m.content.startsWith('r'))).toHaveLength(3);
  });

  it('applies the global limit to requests without a bot token per IP address, apart from the bot', async () => {
    h = await startEmulator();
    const { channelId } = await seedChannel(h);
    await h.client.setRateLimits({ enabled: false });
    const hooks = [];
    for (let i = 0; i < 6; i++) hooks.push(await createWebhook(h, channelId, `hook ${i}`));
    await h.client.setRateLimits({ enabled: true, globalPerSecond: 4 });
    // Six webhooks, six buckets: only the global limit can refuse.
    const results = await Promise.all(
      hooks.map((w) =>
        fetch(`${h!.emu.apiUrl}/v10/webhooks/${w.id}/${w.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"content":"x"}' }),
      ),
    );
    const limited = results.filter((r) => r.status === 429);
    expect(limited).toHaveLength(2);
    expect(limited[0]!.headers.get('x-ratelimit-global')).toBe('true');
    expect(await limited[0]!.json()).toMatchObject({ global: true });
    // The bot's own budget is untouched by the webhooks.
    expect(await h.rest.get(Routes.channel(channelId))).toMatchObject({ id: channelId });
    expect((await h.client.stats()).globalRateLimited).toBe(2);
  });
});
