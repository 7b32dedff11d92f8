import { DiscordAPIError } from '@discordjs/rest';
import { describe, expect, it } from 'vitest';
import { LOG_WEBHOOK_NAME, LogWebhooks, WebhookGoneError, type WebhookCalls, type WebhookRef } from './log-webhooks.js';

const APP = '1100000000000000001';
const unknownWebhook = () =>
  new DiscordAPIError({ message: 'Unknown Webhook', code: 10015 }, 10015, 404, 'POST', '/webhooks/x/y', { body: undefined, files: undefined });
const missingPermissions = () =>
  new DiscordAPIError({ message: 'Missing Permissions', code: 50013 }, 50013, 403, 'GET', '/channels/c/webhooks', { body: undefined, files: undefined });

/** Channel c1's webhooks (and those made later, per channel) as Discord keeps them; `gone` ids answer 10015 when executed. */
function fakeDiscord(existing: { id: string; token?: string; application_id: string | null }[] = []) {
  const hooks: { id: string; token?: string; application_id: string | null; channelId: string }[] = existing.map((h) => ({ ...h, channelId: 'c1' }));
  const gone = new Set<string>();
  const calls: string[] = [];
  let next = 1;
  const api: WebhookCalls = {
    async list(channelId) {
      calls.push(`list ${channelId}`);
      return hooks.filter((h) => h.channelId === channelId);
    },
    async create(channelId, name) {
      calls.push(`create ${channelId} ${name}`);
      const hook = { id: `new-${next}`, token: `token-${next++}`, application_id: APP, channelId };
      hooks.push(hook);
      return hook;
    },
    async execute(webhook: WebhookRef) {
      calls.push(`execute ${webhook.id}`);
      await Promise.resolve();
      if (gone.has(webhook.id)) throw unknownWebhook();
    },
  };
  const remove = (id: string) => {
    gone.add(id);
    hooks.splice(
      hooks.findIndex((h) => h.id === id),
      1,
    );
  };
  return { api, calls, remove, gone };
}

const message = { embeds: [{ title: 'Ticket opened' }] };

describe('LogWebhooks', () => {
  it('uses our existing webhook (the one whose token Discord shows us), looked up once per channel', async () => {
    const discord = fakeDiscord([
      { id: 'someone-elses', application_id: null },
      { id: 'ours', token: 'secret', application_id: APP },
    ]);
    const hooks = new LogWebhooks(discord.api, APP);
    await Promise.all([hooks.post('c1', message), hooks.post('c1', message)]);
    await hooks.post('c1', message);
    expect(discord.calls).toEqual(['list c1', 'execute ours', 'execute ours', 'execute ours']);
  });

  it('creates one when the channel has none of ours', async () => {
    const discord = fakeDiscord([{ id: 'someone-elses', application_id: null }]);
    const hooks = new LogWebhooks(discord.api, APP);
    await hooks.post('c1', message);
    await hooks.post('c2', message);
    expect(discord.calls).toEqual(['list c1', `create c1 ${LOG_WEBHOOK_NAME}`, 'execute new-1', 'list c2', `create c2 ${LOG_WEBHOOK_NAME}`, 'execute new-2']);
  });

  it('recreates a deleted webhook once, however many posts met the 10015 together', async () => {
    const discord = fakeDiscord([{ id: 'ours', token: 'secret', application_id: APP }]);
    const hooks = new LogWebhooks(discord.api, APP);
    await hooks.post('c1', message);
    discord.remove('ours');
    await Promise.all([hooks.post('c1', message), hooks.post('c1', message), hooks.post('c1', message)]);
    expect(discord.calls.filter((c) => c.startsWith('create'))).toHaveLength(1);
    expect(discord.calls.filter((c) => c.startsWith('list'))).toHaveLength(2);
    expect(discord.calls.filter((c) => c === 'execute new-1')).toHaveLength(3);
  });

  it('gives up after one recreation: a second 10015 is WebhookGoneError, not a loop', async () => {
    const discord = fakeDiscord([{ id: 'ours', token: 'secret', application_id: APP }]);
    const hooks = new LogWebhooks(discord.api, APP);
    await hooks.post('c1', message);
    discord.remove('ours');
    // From now on every webhook it makes is gone at once.
    const create = discord.api.create;
    discord.api.create = async (channelId, name) => {
      const hook = await create(channelId, name);
      discord.remove(hook.id);
      return hook;
    };
    await expect(hooks.post('c1', message)).rejects.toBeInstanceOf(WebhookGoneError);
    expect(discord.calls).toEqual(['list c1', 'execute ours', 'execute ours', 'list c1', `create c1 ${LOG_WEBHOOK_NAME}`, 'execute new-1']);
  });

  it('passes other refusals on and looks again next time', async () => {
    const discord = fakeDiscord();
    const list = discord.api.list;
    let refuse = true;
    discord.api.list = async (channelId) => {
      if (refuse) throw missingPermissions();
      return list(channelId);
    };
    const hooks = new LogWebhooks(discord.api, APP);
    await expect(hooks.post('c1', message)).rejects.toMatchObject({ code: 50013 });
    refuse = false;
    await hooks.post('c1', message);
    expect(discord.calls).toEqual(['list c1', `create c1 ${LOG_WEBHOOK_NAME}`, 'execute new-1']);
  });
});
