import { InteractionResponseType, InteractionType, MessageFlags, type APIInteraction, type APIInteractionResponse } from 'discord-api-types/v10';
import { fail, t, type SupportedLocale } from '@promton/shared/domain';
import { configJobSchemas, parseJob, ticketJobSchemas, type GuildConfig, type InteractionContext } from '@promton/shared/contracts';
import { interactionContext } from './interaction-context.js';
import { interactionLocale, needsProjection, noSuggestions, planInteraction, type InteractionPlan } from './plan-interaction.js';

/**
 * The gateway's boundary: whatever arrives as INTERACTION_CREATE is screened here before
 * any field is trusted. Without an id and a token nothing can be answered (Discord's
 * callback route needs both), so such a payload is ignored; anything else that is
 * malformed gets a clear ❌ instead of a crash.
 */
function answerable(raw: unknown): { id: string; token: string; type: number } | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { id, token, type } = raw as Record<string, unknown>;
  if (typeof id !== 'string' || !/^\d{1,20}$/.test(id)) return null;
  // Interaction tokens are opaque strings of a few hundred characters; they go into a URL path.
  if (typeof token !== 'string' || !/^[A-Za-z0-9._-]{1,1000}$/.test(token)) return null;
  if (typeof type !== 'number' || !Number.isInteger(type)) return null;
  return { id, token, type };
}

/** Discord's limit on a message's content. */
const MAX_CONTENT = 2000;

/** The ❌ answer to a payload that could not be handled, in the sender's language when it says one. */
export function malformed(locale: SupportedLocale): APIInteractionResponse {
  const content = fail(t(locale, 'gateway.malformed'));
  return { type: InteractionResponseType.ChannelMessageWithSource, data: { content, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } } };
}

/**
 * Initial response types Discord accepts for each interaction type (interactions/receiving-and-responding):
 * PONG only for PING; autocomplete takes only its result; a modal cannot answer a modal submit;
 * message updates only answer component-based interactions.
 */
export function allowedResponseTypes(type: number): readonly InteractionResponseType[] {
  switch (type) {
    case InteractionType.Ping:
      return [InteractionResponseType.Pong];
    case InteractionType.ApplicationCommand:
      return [InteractionResponseType.ChannelMessageWithSource, InteractionResponseType.DeferredChannelMessageWithSource, InteractionResponseType.Modal];
    case InteractionType.MessageComponent:
      return [
        InteractionResponseType.ChannelMessageWithSource,
        InteractionResponseType.DeferredChannelMessageWithSource,
        InteractionResponseType.DeferredMessageUpdate,
        InteractionResponseType.UpdateMessage,
        InteractionResponseType.Modal,
      ];
    case InteractionType.ApplicationCommandAutocomplete:
      return [InteractionResponseType.ApplicationCommandAutocompleteResult];
    case InteractionType.ModalSubmit:
      return [
        InteractionResponseType.ChannelMessageWithSource,
        InteractionResponseType.DeferredChannelMessageWithSource,
        InteractionResponseType.DeferredMessageUpdate,
        InteractionResponseType.UpdateMessage,
      ];
    default:
      return [];
  }
}

/** What answers an interaction that cannot be planned: ❌, or for an autocomplete (which takes only a result) no suggestions. */
export function fallbackPlan(type: number, locale: SupportedLocale): InteractionPlan {
  return type === InteractionType.ApplicationCommandAutocomplete ? noSuggestions : { response: malformed(locale) };
}

export type Screened =
  | { kind: 'ignore'; reason: string }
  /** Answerable; `ctx` and `needsProjection` tell the gateway what to read before planning. */
  | { kind: 'ok'; id: string; token: string; interaction: APIInteraction; ctx: InteractionContext | null; needsProjection: boolean }
  /** Answered at once with `plan` and nothing more; `error` says what was malformed, if anything. */
  | { kind: 'answer'; id: string; token: string; plan: InteractionPlan; error?: string };

export function screenInteraction(raw: unknown, receivedAt: Date): Screened {
  const head = answerable(raw);
  if (!head) return { kind: 'ignore', reason: 'no usable id, token or type' };
  const { id, token, type } = head;
  const allowed = allowedResponseTypes(type);
  if (allowed.length === 0) return { kind: 'ignore', reason: `unknown interaction type ${type}` };
  if (type === InteractionType.Ping) return { kind: 'answer', id, token, plan: { response: { type: InteractionResponseType.Pong } } };
  const interaction = raw as APIInteraction;
  try {
    return { kind: 'ok', id, token, interaction, ctx: interactionContext(interaction, receivedAt), needsProjection: needsProjection(interaction) };
  } catch (error) {
    return { kind: 'answer', id, token, plan: fallbackPlan(type, interactionLocale(raw)), error: (error as Error).message };
  }
}

/**
 * planInteraction, made total: a payload it cannot read, a response Discord would
 * refuse for this interaction type, or a job its worker would reject becomes the ❌ answer.
 */
export function planSafely(interaction: APIInteraction, ctx: InteractionContext | null, projection: GuildConfig | null): InteractionPlan & { error?: string } {
  const locale = interactionLocale(interaction);
  const refused = malformed(locale);
  try {
    const plan = planInteraction(interaction, ctx, projection);
    if (!allowedResponseTypes(interaction.type).includes(plan.response.type)) {
      return {
        ...fallbackPlan(interaction.type, locale),
        error: `response type ${plan.response.type} is not allowed for interaction type ${interaction.type}`,
      };
    }
    const content = plan.response.type === InteractionResponseType.ChannelMessageWithSource ? (plan.response.data.content ?? '') : '';
    if (content.length > MAX_CONTENT) return { response: refused, error: `answer of ${content.length} characters` };
    if (plan.job?.queue === 'tickets') parseJob(ticketJobSchemas, plan.job.name, plan.job.data);
    if (plan.job?.queue === 'config') parseJob(configJobSchemas, plan.job.name, plan.job.data);
    return plan;
  } catch (error) {
    return { ...fallbackPlan(interaction.type, locale), error: (error as Error).message };
  }
}
