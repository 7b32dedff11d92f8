import { randomBytes } from 'node:crypto';
import { PermissionFlagsBits } from './permissions.js';
import { DiscordApiError, Errors, invalidFormBody, RateLimitedError, type FieldError } from './errors.js';
import type { UploadedFile } from './http-util.js';
import type { InteractionEndpoint } from './interaction-endpoint.js';
import {
  applyEdit,
  asSeenByApp,
  EPHEMERAL,
  hasMessageContentFlag,
  LOADING,
  newMessage,
  requireNotEmpty,
  storeAttachments,
  type MessageInput,
} from './messages.js';
import type { RateLimiter } from './rate-limits.js';
import {
  MAX_CATEGORY_CHANNELS,
  MAX_CHANNEL_WEBHOOKS,
  MAX_GUILD_CHANNELS,
  MAX_GUILD_WEBHOOKS,
  type Channel,
  type EmulatorState,
  type Guild,
  type InteractionRecord,
  type Message,
  type Overwrite,
  type RegisteredCommand,
  type Webhook,
} from './state.js';
import {
  autocompleteLimitErrors,
  autocompleteOptionErrors,
  channelNameErrors,
  commandNameErrors,
  focusedOptionType,
  messageLimitErrors,
  modalLimitErrors,
  normalizeChannelName,
  validateBody,
  webhookNameErrors,
} from './validation.js';

export interface RestContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
}

export interface RestResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RestRouteDef {
  method: string;
  pattern: string;
  /** Requires `Authorization: Bot <token>`; interaction callbacks and interaction webhooks do not. */
  auth: boolean;
  /** Not counted against the global limit (interaction endpoints); a function when it depends on the path (interaction vs incoming webhooks). */
  globalExempt?: boolean | ((params: Record<string, string>) => boolean);
  handler: (ctx: RestContext) => RestResult | Promise<RestResult>;
}

export interface RestDeps {
  state: EmulatorState;
  limiter: RateLimiter;
  baseUrl: () => string;
  gatewayUrl: () => string;
  shardCount: () => number;
  sessionStartLimit: () => { total: number; remaining: number; reset_after: number; max_concurrency: number };
  /** How long after dispatch the initial response is accepted (Discord: 3 s). */
  interactionWindowMs: number;
  /** Interaction token lifetime (Discord: 15 min). */
  tokenLifetimeMs: number;
  /** The application's Interactions Endpoint URL and signing key. */
  interactionEndpoint: InteractionEndpoint;
}

const P = PermissionFlagsBits;
const ok = (body: unknown, status = 200): RestResult => ({ status, body });
const noContent = (): RestResult => ({ status: 204 });

const asObject = (body: unknown): Record<string, unknown> =>
  body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

export function restRoutes(deps: RestDeps): RestRouteDef[] {
  const { state } = deps;

  const guildOf = (id: string): Guild => {
    const guild = state.guilds.get(id);
    if (!guild || guild.unavailable) throw Errors.unknownGuild();
    return guild;
  };
  const channelOf = (id: string): { channel: Channel; guild: Guild } => {
    const channel = state.channels.get(id);
    if (!channel) throw Errors.unknownChannel();
    const guild = state.guilds.get(channel.guild_id);
    if (!guild) throw Errors.unknownChannel();
    return { channel, guild };
  };
  /** The bot's permissions in a channel; 50001 when it cannot see the channel. */
  const visibleChannel = (id: string) => {
    const { channel, guild } = channelOf(id);
    const perms = state.botPermissions(guild, channel);
    if ((perms & P.ViewChannel) === 0n) throw Errors.missingAccess();
    return { channel, guild, perms };
  };
  const need = (perms: bigint, ...flags: bigint[]) => {
    for (const flag of flags) if ((perms & flag) !== flag && (perms & P.Administrator) === 0n) throw Errors.missingPermissions();
  };

  /** What overwrites the bot may set: only permissions it holds; Manage Roles only as an administrator. */
  const checkGrantable = (guild: Guild, overwrites: readonly Overwrite[], channel?: Channel) => {
    const base = state.botPermissions(guild);
    if ((base & P.Administrator) !== 0n) return;
    if (channel) {
      const member = guild.members.get(state.botUser.id);
      const botIds = new Set([state.botUser.id, ...(member?.roles ?? [])]);
      const explicit = channel.permission_overwrites.some((o) => botIds.has(o.id) && (BigInt(o.allow) & P.ManageRoles) !== 0n);
      if (explicit) return;
    }
    let held = base;
    const parent = channel?.parent_id ? state.channels.get(channel.parent_id) : undefined;
    if (parent) held |= state.botPermissions(guild, parent);
    for (const o of overwrites) {
      const requested = BigInt(o.allow) | BigInt(o.deny);
      if ((requested & ~held) !== 0n || (requested & P.ManageRoles) !== 0n) throw Errors.missingPermissions();
    }
  };

  const toOverwrites = (guild: Guild, list: unknown): Overwrite[] => {
    if (!Array.isArray(list)) return [];
    return list.map((raw) => {
      const o = asObject(raw);
      const id = String(o.id);
      const type = o.type === 1 || o.type === 0 ? o.type : guild.roles.has(id) ? 0 : 1;
      return { id, type, allow: String(BigInt(Math.trunc(Number(o.allow ?? 0)))), deny: String(BigInt(Math.trunc(Number(o.deny ?? 0)))) };
    });
  };

  const checkParent = (guild: Guild, parentId: unknown, movingChannelId?: string): string | null => {
    if (parentId === undefined || parentId === null) return null;
    const parent = state.channels.get(String(parentId));
    if (!parent || parent.guild_id !== guild.id || parent.type !== 4)
      throw invalidFormBody([{ path: ['parent_id'], code: 'CHANNEL_PARENT_INVALID', message: 'Category does not exist' }]);
    const current = movingChannelId ? state.channels.get(movingChannelId)?.parent_id : undefined;
    if (current !== parent.id && state.childrenOf(guild, parent.id) >= MAX_CATEGORY_CHANNELS)
      throw invalidFormBody([
        { path: ['parent_id'], code: 'CHANNEL_PARENT_MAX_CHANNELS', message: `Maximum number of channels in category reached (${MAX_CATEGORY_CHANNELS})` },
      ]);
    return parent.id;
  };

  const checkMessagePermissions = (perms: bigint, input: MessageInput, files: readonly UploadedFile[]) => {
    need(perms, P.SendMessages);
    if (Array.isArray(input.embeds) && input.embeds.length > 0) need(perms, P.EmbedLinks);
    if (files.length > 0) need(perms, P.AttachFiles);
  };

  // Interactions ------------------------------------------------------------------

  const interactionByToken = (applicationId: string, token: string): InteractionRecord => {
    if (applicationId !== state.applicationId) throw Errors.unknownWebhook();
    let found: InteractionRecord | undefined;
    for (const rec of state.interactions.values()) {
      if (rec.token === token) {
        found = rec;
        break;
      }
    }
    if (!found) throw Errors.unknownWebhook();
    if (Date.now() - found.createdAt > deps.tokenLifetimeMs) throw Errors.invalidWebhookToken();
    if (!found.response) throw Errors.unknownWebhook();
    return found;
  };

  const interactionMessage = (rec: InteractionRecord, input: MessageInput, files: readonly UploadedFile[], extraFlags = 0): Message => {
    const attachments = storeAttachments(state, deps.baseUrl(), rec.channelId, files, input.attachments);
    const message = newMessage(state, {
      ...input,
      channelId: rec.channelId,
      ...(rec.guildId ? { guildId: rec.guildId } : {}),
      author: state.botUser,
      attachments,
      webhookId: state.applicationId,
      applicationId: state.applicationId,
      extraFlags,
    });
    message.type = rec.kind === 'command' ? 20 : 19;
    message.interaction_metadata = {
      id: rec.id,
      type: rec.type,
      user: state.users.get(rec.userId),
      // From a DM with the bot, a guild install's owner is "0" (receiving-and-responding).
      authorizing_integration_owners: { '0': rec.guildId ?? '0' },
    };
    return message;
  };

  /** Non-ephemeral interaction messages live in the channel like any other. */
  const publish = (message: Message) => {
    if ((message.flags & EPHEMERAL) === 0 && state.channels.has(message.channel_id)) state.addMessage(message);
  };

  const findInteractionMessage = (rec: InteractionRecord, messageId: string): Message => {
    if (messageId === '@original' || messageId === rec.original?.id) {
      if (!rec.original || rec.deleted) throw Errors.unknownMessage();
      return rec.original;
    }
    const followup = rec.followups.find((m) => m.id === messageId);
    if (!followup) throw Errors.unknownMessage();
    return followup;
  };

  const editInChannel = (message: Message) => {
    const channel = state.channels.get(message.channel_id);
    if (channel && state.findMessage(message.channel_id, message.id))
      state.dispatch(channel.guild_id, 'MESSAGE_UPDATE', { ...message, guild_id: channel.guild_id });
  };

  const deleteFromChannel = (message: Message) => {
    const list = state.messages.get(message.channel_id);
    if (!list) return;
    const index = list.findIndex((m) => m.id === message.id);
    if (index < 0) return;
    list.splice(index, 1);
    const channel = state.channels.get(message.channel_id);
    state.dispatch(channel?.guild_id ?? null, 'MESSAGE_DELETE', { id: message.id, channel_id: message.channel_id, guild_id: channel?.guild_id });
  };

  const application = () => ({
    id: state.applicationId,
    name: state.botUser.username,
    flags: state.applicationFlags,
    bot_public: true,
    bot: state.botUser,
    description: '',
    icon: null,
    verify_key: deps.interactionEndpoint.verifyKey,
    interactions_endpoint_url: deps.interactionEndpoint.url,
  });

  const callback = (ctx: RestContext): RestResult => {
    const rec = state.interactions.get(ctx.params.interaction_id ?? '');
    if (!rec || rec.token !== ctx.params.token) throw Errors.unknownInteraction();
    if (rec.response) throw Errors.alreadyAcknowledged();
    const latencyMs = Date.now() - rec.createdAt;
    if (latencyMs > deps.interactionWindowMs) throw Errors.unknownInteraction();
    const raw = asObject(ctx.body);
    const type = raw.type;
    let message: Message | null = null;
    // An autocomplete interaction takes only its result (type 8), and only it takes one.
    if (rec.kind === 'autocomplete' && type !== 8 && typeof type === 'number' && [4, 5, 6, 7, 9].includes(type)) {
      throw invalidFormBody([
        {
          path: ['type'],
          code: 'INTERACTION_CALLBACK_TYPE_INVALID',
          message: 'An autocomplete interaction takes only APPLICATION_COMMAND_AUTOCOMPLETE_RESULT',
        },
      ]);
    }
    switch (type) {
      case 1:
        throw invalidFormBody([{ path: ['type'], code: 'INTERACTION_CALLBACK_TYPE_INVALID', message: 'PONG is only valid for PING interactions' }]);
      case 4:
      case 5: {
        const body = validateBody('callbackMessage', raw, (b) => (type === 4 ? messageLimitErrors(asObject(b.data)).map(inData) : []));
        const data = asObject(body.data);
        if (type === 4) {
          requireNotEmpty(data, ctx.files);
          message = interactionMessage(rec, data, ctx.files);
          rec.originalEdited = true;
        } else {
          message = interactionMessage(rec, {}, [], LOADING | ((typeof data.flags === 'number' ? data.flags : 0) & EPHEMERAL));
        }
        rec.original = message;
        publish(message);
        break;
      }
      case 6:
      case 7: {
        if (rec.kind === 'command')
          throw invalidFormBody([
            { path: ['type'], code: 'INTERACTION_CALLBACK_TYPE_INVALID', message: 'Interaction callback type is not valid for this interaction' },
          ]);
        const body = validateBody('callbackUpdate', raw, (b) => (type === 7 ? messageLimitErrors(asObject(b.data)).map(inData) : []));
        if (type === 7 && rec.original) {
          const attachments = storeAttachments(state, deps.baseUrl(), rec.channelId, ctx.files, asObject(body.data).attachments);
          applyEdit(rec.original, asObject(body.data), attachments);
          editInChannel(rec.original);
          rec.originalEdited = true;
        }
        message = rec.original;
        break;
      }
      case 8: {
        if (rec.kind !== 'autocomplete')
          throw invalidFormBody([
            {
              path: ['type'],
              code: 'INTERACTION_CALLBACK_TYPE_INVALID',
              message: 'APPLICATION_COMMAND_AUTOCOMPLETE_RESULT answers only autocomplete interactions',
            },
          ]);
        validateBody('callbackAutocomplete', raw, (b) =>
          autocompleteLimitErrors(focusedOptionType(asObject(asObject(rec.payload).data).options), asObject(b.data)),
        );
        break;
      }
      case 9: {
        if (rec.kind === 'modal')
          throw invalidFormBody([{ path: ['type'], code: 'INTERACTION_CALLBACK_TYPE_INVALID', message: 'A modal cannot answer a modal submit' }]);
        validateBody('callbackModal', raw, (b) => modalLimitErrors(asObject(b.data)));
        break;
      }
      default:
        throw invalidFormBody([{ path: ['type'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {1, 4, 5, 6, 7, 8, 9, 10, 12}.' }]);
    }
    rec.response = { type, data: raw.data ?? null, at: new Date().toISOString(), latencyMs };
    state.interactionChanged(rec.id);
    if (ctx.query.get('with_response') === 'true') {
      return ok({
        interaction: {
          id: rec.id,
          type: rec.type,
          response_message_id: message?.id,
          response_message_loading: message ? (message.flags & LOADING) !== 0 : undefined,
          response_message_ephemeral: message ? (message.flags & EPHEMERAL) !== 0 : undefined,
        },
        resource: message && (type === 4 || type === 7) ? { type, message } : { type },
      });
    }
    return noContent();
  };

  const inData = (e: FieldError): FieldError => ({ ...e, path: ['data', ...e.path] });

  // Incoming webhooks ---------------------------------------------------------------
  // The interaction routes share /webhooks/:webhook_id/:webhook_token: the application's
  // id there is an interaction token's webhook; any other id is an incoming webhook.

  const isInteractionWebhook = (params: Record<string, string>) => params.webhook_id === state.applicationId;

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

  // Commands ----------------------------------------------------------------------

  const putCommands = (guildId: string | undefined, ctx: RestContext): RestResult => {
    if (ctx.params.application_id !== state.applicationId) throw Errors.missingAccess();
    if (guildId !== undefined && !state.guilds.has(guildId)) throw Errors.missingAccess();
    if (!Array.isArray(ctx.body)) throw invalidFormBody([{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }]);
    const errors: FieldError[] = [];
    const bodies = ctx.body.map((raw, i) => {
      try {
        return validateBody('command', raw, (b) => [...autocompleteOptionErrors(b.options), ...commandNameErrors(b)]);
      } catch (error) {
        if (error instanceof DiscordApiError && error.errors) errors.push(...flatten(error.errors, [i]));
        return {};
      }
    });
    if (errors.length > 0) throw invalidFormBody(errors);
    const store = guildId === undefined ? state.globalCommands : (state.guildCommands.get(guildId) ?? new Map<string, RegisteredCommand>());
    const previous = new Map([...store.values()].map((c) => [`${c.type}:${c.name}`, c]));
    store.clear();
    for (const body of bodies) {
      const type = typeof body.type === 'number' ? body.type : 1;
      const name = String(body.name);
      const id = previous.get(`${type}:${name}`)?.id ?? state.ids.next();
      const command: RegisteredCommand = {
        contexts: null,
        integration_types: [0],
        nsfw: false,
        description: '',
        options: [],
        ...body,
        // Discord answers bitfields as strings whatever the request used.
        default_member_permissions:
          body.default_member_permissions === undefined || body.default_member_permissions === null ? null : String(body.default_member_permissions),
        id,
        application_id: state.applicationId,
        name,
        type,
        version: state.ids.next(),
        ...(guildId !== undefined ? { guild_id: guildId } : {}),
      };
      store.set(id, command);
    }
    if (guildId !== undefined) state.guildCommands.set(guildId, store);
    return ok([...store.values()]);
  };

  /** Without the Message Content flag, other users' guild messages come with empty content, embeds, attachments, components. */
  const seen = (message: Message): Message => asSeenByApp(message, state.botUser.id, hasMessageContentFlag(state.applicationFlags), true);

  const listMessages = (ctx: RestContext): RestResult => {
    const { channel, perms } = visibleChannel(ctx.params.channel_id ?? '');
    if ((perms & P.ReadMessageHistory) === 0n && (perms & P.Administrator) === 0n) return ok([]);
    const limitRaw = ctx.query.get('limit');
    const limit = limitRaw === null ? 50 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw invalidFormBody([{ path: ['limit'], code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 100.' }]);
    const all = state.messages.get(channel.id) ?? [];
    const before = ctx.query.get('before');
    const after = ctx.query.get('after');
    const around = ctx.query.get('around');
    let selected: Message[];
    if (after) {
      const a = BigInt(after);
      selected = all.filter((m) => BigInt(m.id) > a).slice(0, limit);
    } else if (around) {
      const index = all.findIndex((m) => BigInt(m.id) >= BigInt(around));
      const start = Math.max(0, (index < 0 ? all.length : index) - Math.floor(limit / 2));
      selected = all.slice(start, start + limit);
    } else {
      const b = before ? BigInt(before) : undefined;
      const filtered = b === undefined ? all : all.filter((m) => BigInt(m.id) < b);
      selected = filtered.slice(Math.max(0, filtered.length - limit));
    }
    return ok([...selected].reverse().map(seen));
  };

  return [
    { method: 'GET', pattern: '/gateway', auth: false, handler: () => ok({ url: deps.gatewayUrl() }) },
    {
      method: 'GET',
      pattern: '/gateway/bot',
      auth: true,
      handler: () =>
        ok({
          url: deps.gatewayUrl(),
          shards: deps.shardCount(),
          session_start_limit: deps.sessionStartLimit(),
        }),
    },
    {
      method: 'GET',
      pattern: '/users/:user_id',
      auth: true,
      handler: (ctx) => {
        const id = ctx.params.user_id === '@me' ? state.botUser.id : (ctx.params.user_id ?? '');
        const user = state.users.get(id);
        if (!user) throw Errors.unknownUser();
        return ok(
          id === state.botUser.id ? { ...user, verified: true, mfa_enabled: false, flags: 0, public_flags: 0, banner: null, accent_color: null } : user,
        );
      },
    },
    {
      // Create DM: the bot's DM channel with a user (the same one every time). Whether the
      // user accepts DMs is only known when a message is sent (50007 then).
      method: 'POST',
      pattern: '/users/@me/channels',
      auth: true,
      handler: (ctx) => {
        const body = validateBody('createDm', ctx.body);
        const recipient = typeof body.recipient_id === 'string' ? body.recipient_id : '';
        if (!recipient) throw invalidFormBody([{ path: ['recipient_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
        if (!state.users.has(recipient) || recipient === state.botUser.id) throw Errors.invalidRecipients();
        return ok(state.dmChannelObject(state.dmChannelWith(recipient)));
      },
    },
    {
      method: 'GET',
      pattern: '/applications/@me',
      auth: true,
      handler: () => ok(application()),
    },
    {
      // The developer portal's setting, also PATCHable: Discord saves an Interactions
      // Endpoint URL only after it answered a signed PING and refused a forged one.
      method: 'PATCH',
      pattern: '/applications/@me',
      auth: true,
      handler: async (ctx) => {
        const body = asObject(ctx.body);
        if ('interactions_endpoint_url' in body) {
          const url = body.interactions_endpoint_url;
          const invalid = (message: string) =>
            invalidFormBody([{ path: ['interactions_endpoint_url'], code: 'APPLICATION_INTERACTIONS_ENDPOINT_URL_INVALID', message }]);
          if (url === null || url === '') {
            deps.interactionEndpoint.url = null;
          } else {
            if (typeof url !== 'string' || url.length > 2048 || !/^https?:\/\/[^\s]+$/.test(url)) throw invalid('Must be a valid URL.');
            const problem = await deps.interactionEndpoint.check(url, state.applicationId);
            if (problem) throw invalid(`The specified interactions endpoint url could not be verified (${problem}).`);
            deps.interactionEndpoint.url = url;
          }
        }
        return ok(application());
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild_id',
      auth: true,
      handler: (ctx) => {
        const guild = guildOf(ctx.params.guild_id ?? '');
        const counts = ctx.query.get('with_counts') === 'true' ? { approximate_member_count: guild.memberCount, approximate_presence_count: 0 } : {};
        return ok({ ...state.guildObject(guild), ...counts });
      },
    },
    { method: 'GET', pattern: '/guilds/:guild_id/channels', auth: true, handler: (ctx) => ok(state.channelsOf(guildOf(ctx.params.guild_id ?? ''))) },
    { method: 'GET', pattern: '/guilds/:guild_id/roles', auth: true, handler: (ctx) => ok([...guildOf(ctx.params.guild_id ?? '').roles.values()]) },
    { method: 'GET', pattern: '/guilds/:guild_id/emojis', auth: true, handler: (ctx) => ok(guildOf(ctx.params.guild_id ?? '').emojis) },
    {
      method: 'GET',
      pattern: '/guilds/:guild_id/emojis/:emoji_id',
      auth: true,
      handler: (ctx) => {
        const emoji = guildOf(ctx.params.guild_id ?? '').emojis.find((e) => e.id === ctx.params.emoji_id);
        if (!emoji) throw Errors.unknownEmoji();
        return ok(emoji);
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild_id/members/:user_id',
      auth: true,
      handler: (ctx) => {
        const guild = guildOf(ctx.params.guild_id ?? '');
        const member = guild.members.get(ctx.params.user_id ?? '');
        if (!member) throw Errors.unknownMember();
        return ok(state.memberObject(guild, member));
      },
    },
    {
      method: 'POST',
      pattern: '/guilds/:guild_id/channels',
      auth: true,
      handler: (ctx) => {
        const guild = guildOf(ctx.params.guild_id ?? '');
        const body = validateBody('createChannel', ctx.body, (b) => channelNameErrors(b.name));
        need(state.botPermissions(guild), P.ManageChannels);
        const overwrites = toOverwrites(guild, body.permission_overwrites);
        if (overwrites.length > 0) checkGrantable(guild, overwrites);
        if (guild.channelIds.length >= MAX_GUILD_CHANNELS) throw Errors.maxGuildChannels();
        const type = typeof body.type === 'number' ? body.type : 0;
        const parentId = type === 4 ? null : checkParent(guild, body.parent_id);
        if (parentId) {
          // Under a category, Discord checks the bot's permissions in that category: it must see it and manage channels there.
          const inParent = state.botPermissions(guild, state.channels.get(parentId));
          if ((inParent & P.Administrator) === 0n) {
            if ((inParent & P.ViewChannel) === 0n) throw Errors.missingAccess();
            if ((inParent & P.ManageChannels) === 0n) throw Errors.missingPermissions();
          }
        }
        const channel = state.createChannel(guild, {
          name: normalizeChannelName(String(body.name), type),
          type,
          parent_id: parentId,
          permission_overwrites: overwrites,
          ...(typeof body.topic === 'string' ? { topic: body.topic } : {}),
          ...(typeof body.position === 'number' ? { position: body.position } : {}),
          ...(typeof body.nsfw === 'boolean' ? { nsfw: body.nsfw } : {}),
          ...(typeof body.rate_limit_per_user === 'number' ? { rate_limit_per_user: body.rate_limit_per_user } : {}),
        });
        state.dispatch(guild.id, 'CHANNEL_CREATE', channel);
        return ok(channel, 201);
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channel_id',
      auth: true,
      handler: (ctx) => {
        const dm = state.dmChannels.get(ctx.params.channel_id ?? '');
        return ok(dm ? state.dmChannelObject(dm) : visibleChannel(ctx.params.channel_id ?? '').channel);
      },
    },
    {
      method: 'PATCH',
      pattern: '/channels/:channel_id',
      auth: true,
      handler: (ctx) => {
        const { channel, guild, perms } = visibleChannel(ctx.params.channel_id ?? '');
        const body = validateBody('modifyChannel', ctx.body, (b) => (b.name !== undefined ? channelNameErrors(b.name) : []));
        need(perms, P.ManageChannels);
        let overwrites: Overwrite[] | undefined;
        if (body.permission_overwrites !== undefined && body.permission_overwrites !== null) {
          need(perms, P.ManageRoles);
          overwrites = toOverwrites(guild, body.permission_overwrites);
          checkGrantable(guild, overwrites, channel);
        }
        const parentId = body.parent_id !== undefined && channel.type !== 4 ? checkParent(guild, body.parent_id, channel.id) : undefined;
        if (typeof body.name === 'string') {
          const name = normalizeChannelName(body.name, channel.type);
          if (name !== channel.name) {
            const wait = deps.limiter.checkRename(channel.id);
            if (wait > 0) {
              throw new RateLimitedError(wait);
            }
            channel.name = name;
          }
        }
        if (overwrites) channel.permission_overwrites = overwrites;
        if (parentId !== undefined) channel.parent_id = parentId;
        if (typeof body.topic === 'string' || body.topic === null) channel.topic = (body.topic as string | null) ?? null;
        if (typeof body.position === 'number') channel.position = body.position;
        if (typeof body.nsfw === 'boolean') channel.nsfw = body.nsfw;
        if (typeof body.rate_limit_per_user === 'number') channel.rate_limit_per_user = body.rate_limit_per_user;
        state.dispatch(guild.id, 'CHANNEL_UPDATE', channel);
        return ok(channel);
      },
    },
    {
      method: 'DELETE',
      pattern: '/channels/:channel_id',
      auth: true,
      handler: (ctx) => {
        const { channel, perms } = visibleChannel(ctx.params.channel_id ?? '');
        need(perms, P.ManageChannels);
        state.deleteChannel(channel);
        return ok(channel);
      },
    },
    {
      method: 'PUT',
      pattern: '/channels/:channel_id/permissions/:overwrite_id',
      auth: true,
      handler: (ctx) => {
        const { channel, guild, perms } = visibleChannel(ctx.params.channel_id ?? '');
        const id = ctx.params.overwrite_id ?? '';
        const body = validateBody('editOverwrite', { ...asObject(ctx.body), id }, (b) =>
          b.type === undefined || b.type === null ? [{ path: ['type'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] : [],
        );
        need(perms, P.ManageRoles);
        const [overwrite] = toOverwrites(guild, [body]);
        if (!overwrite) throw Errors.unknownOverwrite();
        checkGrantable(guild, [overwrite], channel);
        channel.permission_overwrites = [...channel.permission_overwrites.filter((o) => o.id !== id), overwrite];
        state.dispatch(guild.id, 'CHANNEL_UPDATE', channel);
        return noContent();
      },
    },
    {
      method: 'DELETE',
      pattern: '/channels/:channel_id/permissions/:overwrite_id',
      auth: true,
      handler: (ctx) => {
        const { channel, guild, perms } = visibleChannel(ctx.params.channel_id ?? '');
        need(perms, P.ManageRoles);
        channel.permission_overwrites = channel.permission_overwrites.filter((o) => o.id !== ctx.params.overwrite_id);
        state.dispatch(guild.id, 'CHANNEL_UPDATE', channel);
        return noContent();
      },
    },
    { method: 'GET', pattern: '/channels/:channel_id/messages', auth: true, handler: listMessages },
    {
      method: 'POST',
      pattern: '/channels/:channel_id/messages',
      auth: true,
      handler: (ctx) => {
        const dm = state.dmChannels.get(ctx.params.channel_id ?? '');
        if (dm) {
          const body = validateBody<MessageInput>('createMessage', ctx.body, messageLimitErrors);
          requireNotEmpty(body, ctx.files);
          if (!state.acceptsDmFromBot(dm.recipientId)) throw Errors.cannotSendToUser();
          const attachments = storeAttachments(state, deps.baseUrl(), dm.id, ctx.files, body.attachments);
          const message = newMessage(state, { ...body, channelId: dm.id, author: state.botUser, attachments });
          state.addMessage(message);
          return ok(message);
        }
        const { channel, guild, perms } = visibleChannel(ctx.params.channel_id ?? '');
        const body = validateBody<MessageInput>('createMessage', ctx.body, (b) => messageLimitErrors(b, emojiIdsOf(guild)));
        requireNotEmpty(body, ctx.files);
        checkMessagePermissions(perms, body, ctx.files);
        const attachments = storeAttachments(state, deps.baseUrl(), channel.id, ctx.files, body.attachments);
        const message = newMessage(state, { ...body, channelId: channel.id, guildId: guild.id, author: state.botUser, attachments });
        state.addMessage(message);
        return ok(message);
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channel_id/messages/:message_id',
      auth: true,
      handler: (ctx) => {
        const { channel, perms } = visibleChannel(ctx.params.channel_id ?? '');
        need(perms, P.ReadMessageHistory);
        const message = state.findMessage(channel.id, ctx.params.message_id ?? '');
        if (!message) throw Errors.unknownMessage();
        return ok(seen(message));
      },
    },
    {
      method: 'PATCH',
      pattern: '/channels/:channel_id/messages/:message_id',
      auth: true,
      handler: (ctx) => {
        const { channel, guild, perms } = visibleChannel(ctx.params.channel_id ?? '');
        const message = state.findMessage(channel.id, ctx.params.message_id ?? '');
        if (!message) throw Errors.unknownMessage();
        const body = validateBody<MessageInput>('editMessage', ctx.body, (b) => messageLimitErrors(b, emojiIdsOf(guild)));
        if (message.author.id !== state.botUser.id) {
          const onlyFlags = Object.keys(asObject(body)).every((k) => k === 'flags');
          if (!onlyFlags || ctx.files.length > 0) throw Errors.cannotEditOthers();
          need(perms, P.ManageMessages);
        }
        if (Array.isArray(body.embeds) && body.embeds.length > 0) need(perms, P.EmbedLinks);
        if (ctx.files.length > 0) need(perms, P.AttachFiles);
        const attachments = storeAttachments(state, deps.baseUrl(), channel.id, ctx.files, body.attachments);
        applyEdit(message, body, attachments);
        state.dispatch(guild.id, 'MESSAGE_UPDATE', { ...message, guild_id: guild.id });
        return ok(message);
      },
    },
    {
      method: 'DELETE',
      pattern: '/channels/:channel_id/messages/:message_id',
      auth: true,
      handler: (ctx) => {
        const { channel, perms } = visibleChannel(ctx.params.channel_id ?? '');
        const message = state.findMessage(channel.id, ctx.params.message_id ?? '');
        if (!message) throw Errors.unknownMessage();
        if (message.author.id !== state.botUser.id) need(perms, P.ManageMessages);
        deleteFromChannel(message);
        return noContent();
      },
    },
    { method: 'POST', pattern: '/interactions/:interaction_id/:token/callback', auth: false, globalExempt: true, handler: callback },
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
      method: 'POST',
      pattern: '/webhooks/:webhook_id/:webhook_token',
      auth: false,
      globalExempt: isInteractionWebhook,
      handler: (ctx) => {
        if (!isInteractionWebhook(ctx.params)) return executeWebhook(ctx);
        const rec = interactionByToken(ctx.params.webhook_id ?? '', ctx.params.webhook_token ?? '');
        const body = validateBody<MessageInput>('followup', ctx.body, messageLimitErrors);
        requireNotEmpty(body, ctx.files);
        const message = interactionMessage(rec, body, ctx.files);
        rec.followups.push(message);
        publish(message);
        state.interactionChanged(rec.id);
        return ok(message);
      },
    },
    {
      method: 'GET',
      pattern: '/webhooks/:webhook_id/:webhook_token/messages/:message_id',
      auth: false,
      globalExempt: isInteractionWebhook,
      handler: (ctx) => {
        const rec = interactionByToken(ctx.params.webhook_id ?? '', ctx.params.webhook_token ?? '');
        return ok(findInteractionMessage(rec, ctx.params.message_id ?? ''));
      },
    },
    {
      method: 'PATCH',
      pattern: '/webhooks/:webhook_id/:webhook_token/messages/:message_id',
      auth: false,
      globalExempt: isInteractionWebhook,
      handler: (ctx) => {
        const rec = interactionByToken(ctx.params.webhook_id ?? '', ctx.params.webhook_token ?? '');
        const message = findInteractionMessage(rec, ctx.params.message_id ?? '');
        const body = validateBody<MessageInput>('editWebhookMessage', ctx.body, messageLimitErrors);
        const attachments = storeAttachments(state, deps.baseUrl(), message.channel_id, ctx.files, body.attachments);
        applyEdit(message, body, attachments);
        if (message === rec.original) rec.originalEdited = true;
        editInChannel(message);
        state.interactionChanged(rec.id);
        return ok(message);
      },
    },
    {
      method: 'DELETE',
      pattern: '/webhooks/:webhook_id/:webhook_token/messages/:message_id',
      auth: false,
      globalExempt: isInteractionWebhook,
      handler: (ctx) => {
        const rec = interactionByToken(ctx.params.webhook_id ?? '', ctx.params.webhook_token ?? '');
        const message = findInteractionMessage(rec, ctx.params.message_id ?? '');
        deleteFromChannel(message);
        if (message === rec.original) rec.deleted = true;
        else rec.followups = rec.followups.filter((m) => m !== message);
        state.interactionChanged(rec.id);
        return noContent();
      },
    },
    { method: 'GET', pattern: '/applications/:application_id/commands', auth: true, handler: () => ok([...state.globalCommands.values()]) },
    { method: 'PUT', pattern: '/applications/:application_id/commands', auth: true, handler: (ctx) => putCommands(undefined, ctx) },
    {
      method: 'GET',
      pattern: '/applications/:application_id/guilds/:guild_id/commands',
      auth: true,
      handler: (ctx) => ok([...(state.guildCommands.get(ctx.params.guild_id ?? '')?.values() ?? [])]),
    },
    {
      method: 'PUT',
      pattern: '/applications/:application_id/guilds/:guild_id/commands',
      auth: true,
      handler: (ctx) => putCommands(ctx.params.guild_id ?? '', ctx),
    },
  ];
}

/** The ids of a guild's custom emoji, which its messages' components may use. */
function emojiIdsOf(guild: Guild): ReadonlySet<string> {
  return new Set(guild.emojis.map((e) => e.id));
}

function flatten(tree: Record<string, unknown>, prefix: (string | number)[]): FieldError[] {
  const out: FieldError[] = [];
  for (const [key, value] of Object.entries(tree)) {
    if (key === '_errors' && Array.isArray(value)) {
      for (const e of value as { code: string; message: string }[]) out.push({ path: prefix, code: e.code, message: e.message });
    } else if (value && typeof value === 'object') {
      out.push(...flatten(value as Record<string, unknown>, [...prefix, key]));
    }
  }
  return out;
}

/** The major parameter Discord buckets a route by. */
export function majorParameter(params: Record<string, string>): string {
  if (params.channel_id) return `channel:${params.channel_id}`;
  if (params.guild_id) return `guild:${params.guild_id}`;
  if (params.webhook_id) return `webhook:${params.webhook_id}${params.webhook_token ? `:${params.webhook_token}` : ''}`;
  if (params.token) return `interaction:${params.interaction_id}:${params.token}`;
  return 'global';
}
