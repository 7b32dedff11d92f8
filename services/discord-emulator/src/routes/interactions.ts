import type { FieldError } from '../errors.js';
import { Errors, invalidFormBody } from '../errors.js';
import type { UploadedFile } from '../http-util.js';
import { applyEdit, EPHEMERAL, LOADING, newMessage, requireNotEmpty, storeAttachments, type MessageInput } from '../messages.js';
import type { InteractionRecord, Message } from '../state.js';
import { autocompleteLimitErrors, focusedOptionType, messageLimitErrors, modalLimitErrors, validateBody } from '../validation.js';
import { asObject, noContent, ok, type RestContext, type RestResult, type RouteModule } from './kit.js';

/**
 * Interaction responses: the callback, then the interaction token's webhook
 * (`/webhooks/<application id>/<token>`: followups, @original and followups edited or
 * deleted). Incoming webhooks share those paths (routes/webhooks.ts); a route here
 * answers only when the id is the application's.
 */
export const interactionRoutes: RouteModule = ({ state, deps, editInChannel, deleteFromChannel }) => {
  const isInteractionWebhook = (params: Record<string, string>) => params.webhook_id === state.applicationId;

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

  return [
    { method: 'POST', pattern: '/interactions/:interaction_id/:token/callback', auth: false, globalExempt: true, handler: callback },
    {
      method: 'POST',
      pattern: '/webhooks/:webhook_id/:webhook_token',
      auth: false,
      // Shared with incoming webhooks (routes/webhooks.ts): this one answers the application's id.
      when: isInteractionWebhook,
      globalExempt: true,
      handler: (ctx) => {
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
      when: isInteractionWebhook,
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
      when: isInteractionWebhook,
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
      when: isInteractionWebhook,
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
  ];
};
