import { randomBytes } from 'node:crypto';
import { Errors } from '../errors.js';
import { newMessage, requireNotEmpty, storeAttachments, type MessageInput } from '../messages.js';
import { MAX_CHANNEL_WEBHOOKS, MAX_GUILD_WEBHOOKS, type Webhook } from '../state.js';
import { messageLimitErrors, validateBody, webhookNameErrors } from '../validation.js';
import { noContent, ok, P, type RestContext, type RestResult, type RouteModule } from './kit.js';

/** Incoming webhooks: created and listed per channel, fetched and deleted by id or by token, executed by token. */
export const webhookRoutes: RouteModule = ({ state, deps, visibleChannel, need }) => {
  /** The webhook object as this caller sees it: the token only to the application that created it (Discord's rule). */
  const webhookObject = (webhook: Webhook, withUser = true) => {
    const mine = webhook.application_id === state.applicationId;
    const { token, user, ...rest } = webhook;
    return {
      ...rest,
      ...(withUser ? { user } : {}),
      ...(mine ? { token, url: `${deps.baseUrl()}/api/webhooks/${webhook.id}/${token}` } : {}),
    };
  };

  const webhookById = (id: string): Webhook => {
    const webhook = state.webhooks.get(id);
    if (!webhook) throw Errors.unknownWebhook();
    return webhook;
  };

  /** Managing a webhook needs Manage Webhooks in its channel (and seeing the channel). */
  const manageableWebhook = (id: string): Webhook => {
    const webhook = webhookById(id);
    const { perms } = visibleChannel(webhook.channel_id);
    need(perms, P.ManageWebhooks);
    return webhook;
  };

  /** Token routes: an unknown id is 10015, a wrong token 50027 (as Discord answers). */
  const webhookByToken = (id: string, token: string): Webhook => {
    const webhook = webhookById(id);
    if (webhook.token !== token) throw Errors.invalidWebhookToken();
    return webhook;
  };

  const webhooksUpdate = (webhook: Webhook) =>
    state.dispatch(webhook.guild_id, 'WEBHOOKS_UPDATE', { guild_id: webhook.guild_id, channel_id: webhook.channel_id });

  const createWebhook = (ctx: RestContext): RestResult => {
    const { channel, guild, perms } = visibleChannel(ctx.params.channel_id ?? '');
    const body = validateBody('createWebhook', ctx.body, (b) => webhookNameErrors(b.name));
    need(perms, P.ManageWebhooks);
    if (channel.type !== 0 && channel.type !== 5) throw Errors.missingPermissions();
    if (state.webhooksOf(channel.id).length >= MAX_CHANNEL_WEBHOOKS) throw Errors.maxWebhooks();
    if (state.guildWebhookCount(guild.id) >= MAX_GUILD_WEBHOOKS) throw Errors.maxGuildWebhooks();
    const webhook: Webhook = {
      id: state.ids.next(),
      type: 1,
      guild_id: guild.id,
      channel_id: channel.id,
      name: String(body.name),
      avatar: null,
      token: randomBytes(48).toString('base64url'),
      application_id: state.applicationId,
      user: state.botUser,
    };
    state.webhooks.set(webhook.id, webhook);
    webhooksUpdate(webhook);
    return ok(webhookObject(webhook));
  };

  const executeWebhook = (ctx: RestContext): RestResult => {
    const webhook = webhookByToken(ctx.params.webhook_id ?? '', ctx.params.webhook_token ?? '');
    const channel = state.channels.get(webhook.channel_id);
    if (!channel) throw Errors.unknownWebhook();
    const body = validateBody<MessageInput & { username?: unknown }>('executeWebhook', ctx.body, messageLimitErrors);
    requireNotEmpty(body, ctx.files);
    const attachments = storeAttachments(state, deps.baseUrl(), channel.id, ctx.files, body.attachments);
    // A webhook's message is authored by the webhook: its id, its name (or the username given), no user behind it.
    const author = {
      id: webhook.id,
      username: typeof body.username === 'string' && body.username ? body.username : webhook.name,
      global_name: null,
      discriminator: '0000',
      avatar: webhook.avatar,
      bot: true,
    };
    const message = newMessage(state, {
      ...body,
      channelId: channel.id,
      guildId: channel.guild_id,
      author,
      attachments,
      webhookId: webhook.id,
      ...(webhook.application_id ? { applicationId: webhook.application_id } : {}),
    });
    state.addMessage(message);
    return ctx.query.get('wait') === 'true' ? ok(message) : noContent();
  };

  return [
    { method: 'POST', pattern: '/channels/:channel_id/webhooks', auth: true, handler: createWebhook },
    {
      method: 'GET',
      pattern: '/channels/:channel_id/webhooks',
      auth: true,
      handler: (ctx) => {
        const { channel, perms } = visibleChannel(ctx.params.channel_id ?? '');
        need(perms, P.ManageWebhooks);
        return ok(state.webhooksOf(channel.id).map((w) => webhookObject(w)));
      },
    },
    { method: 'GET', pattern: '/webhooks/:webhook_id', auth: true, handler: (ctx) => ok(webhookObject(manageableWebhook(ctx.params.webhook_id ?? ''))) },
    {
      method: 'DELETE',
      pattern: '/webhooks/:webhook_id',
      auth: true,
      handler: (ctx) => {
        const webhook = manageableWebhook(ctx.params.webhook_id ?? '');
        state.webhooks.delete(webhook.id);
        webhooksUpdate(webhook);
        return noContent();
      },
    },
    {
      method: 'GET',
      pattern: '/webhooks/:webhook_id/:webhook_token',
      auth: false,
      handler: (ctx) => ok(webhookObject(webhookByToken(ctx.params.webhook_id ?? '', ctx.params.webhook_token ?? ''), false)),
    },
    {
      method: 'DELETE',
      pattern: '/webhooks/:webhook_id/:webhook_token',
      auth: false,
      handler: (ctx) => {
        const webhook = webhookByToken(ctx.params.webhook_id ?? '', ctx.params.webhook_token ?? '');
        state.webhooks.delete(webhook.id);
        webhooksUpdate(webhook);
        return noContent();
      },
    },
    {
      // The application's id here is an interaction token's webhook (routes/interactions.ts).
      method: 'POST',
      pattern: '/webhooks/:webhook_id/:webhook_token',
      auth: false,
      handler: executeWebhook,
    },
  ];
};
