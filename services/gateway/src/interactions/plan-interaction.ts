import {
  ApplicationCommandType,
  ButtonStyle,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  TextInputStyle,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIInteraction,
  type APIInteractionResponse,
  type APIModalInteractionResponseCallbackData,
} from 'discord-api-types/v10';
import {
  PermissionFlagsBits,
  afterHoursRefusal,
  botLacks,
  command as commandRef,
  customId,
  fail,
  formatTicketNumber,
  has,
  hoursStatus,
  parseCustomId,
  parseSchedule,
  ratingArg,
  render,
  resolveLocale,
  t,
  ticketNumberArg,
  ACTION_NEEDS,
  type BotAction,
  type ParsedCustomId,
  type SupportedLocale,
} from '@promton/shared/domain';
import {
  isBlocked,
  ticketPriorities,
  type ConfigJob,
  type ConfigJobName,
  type GuildConfig,
  type InteractionContext,
  type TicketJob,
  type TicketJobName,
  type TicketPriority,
} from '@promton/shared/contracts';
import { adminCommands } from '@promton/shared/commands';
import { autocompleteChoices, autocompleteResponse, focusedOption } from './autocomplete.js';
import { commandInput } from './command-input.js';

/** A job the gateway publishes after its initial response. */
export type PlannedJob =
  { queue: 'tickets'; name: TicketJobName; data: TicketJob<TicketJobName> } | { queue: 'config'; name: ConfigJobName; data: ConfigJob<ConfigJobName> };

/** What to do with one interaction: the initial response, and the job that finishes it (if any). */
export interface InteractionPlan {
  response: APIInteractionResponse;
  job?: PlannedJob;
  /**
   * A pick in a select-menu panel: Discord keeps the choice shown in the member's client,
   * so picking the same type again would send nothing. Re-sending the panel's components
   * (an edit of the bot's own message) clears it.
   */
  resetPanel?: { channelId: string; messageId: string; components: unknown[] };
}

const deferEphemeral: APIInteractionResponse = { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } };
const deferUpdate: APIInteractionResponse = { type: InteractionResponseType.DeferredMessageUpdate };

function answer(content: string, components?: APIActionRowComponent<APIComponentInMessageActionRow>[]): APIInteractionResponse {
  return {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: { content, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] }, ...(components ? { components } : {}) },
  };
}

const tickets = <N extends TicketJobName>(name: N, data: TicketJob<N>): PlannedJob => ({ queue: 'tickets', name, data });
const config = <N extends ConfigJobName>(name: N, data: ConfigJob<N>): PlannedJob => ({ queue: 'config', name, data });

/** The language of a person's own answers: the interaction's `locale` (English when absent or not spoken). */
export function interactionLocale(interaction: unknown): SupportedLocale {
  const locale = typeof interaction === 'object' && interaction !== null ? (interaction as { locale?: unknown }).locale : undefined;
  return resolveLocale(typeof locale === 'string' ? locale : undefined);
}

/** The answer when Redis cannot be reached: the member still hears back at once. */
export function unavailablePlan(locale: SupportedLocale): InteractionPlan {
  return { response: answer(fail(t(locale, 'common.unavailable'))) };
}

/**
 * True when planning this interaction needs the guild's projection: an open (button, select
 * or form: its type, its questions, its support hours, the blocklist) or an autocomplete (type and tag names).
 */
export function needsProjection(interaction: APIInteraction): boolean {
  if (interaction.type === InteractionType.ApplicationCommandAutocomplete) return true;
  if (interaction.type !== InteractionType.MessageComponent && interaction.type !== InteractionType.ModalSubmit) return false;
  const parsed = parseCustomId(interaction.data.custom_id);
  // The close button's confirmation says what closing does: delete, or archive (the type's mode).
  return parsed?.action === 'open' || parsed?.action === 'open-select' || parsed?.action === 'open-form' || parsed?.action === 'close';
}

/** The answer to an autocomplete when nothing can be suggested (Discord accepts only a result there). */
export const noSuggestions: InteractionPlan = { response: autocompleteResponse([]) };

function openModal(locale: SupportedLocale, type: GuildConfig['types'][number]): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId('open-form', type.name),
    title: t(locale, 'open.modal-title', { type: type.label }).slice(0, 45),
    components: type.questions.map((question, index) => ({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.TextInput,
          custom_id: `q${index}`,
          label: question,
          style: TextInputStyle.Paragraph,
          required: true,
          max_length: 1000,
        },
      ],
    })),
  };
}

function closeReasonModal(locale: SupportedLocale, ticketNumber: number): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId('close-reason', ticketNumber),
    title: t(locale, 'close.modal-title', { ticket: formatTicketNumber(ticketNumber) }).slice(0, 45),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: 'reason',
            label: t(locale, 'close.reason-label'),
            style: TextInputStyle.Paragraph,
            required: false,
            max_length: 1000,
          },
        ],
      },
    ],
  };
}

type TicketTypeConfig = GuildConfig['types'][number];

/**
 * The close button's question, saying what closing does. The button carries only the ticket's
 * number, not its type: when every type of the server closes the same way (delete, or archive
 * for the same days) the question says it; otherwise it asks without saying.
 */
function closeConfirmation(locale: SupportedLocale, ticketNumber: number, projection: GuildConfig | null): string {
  const ticket = formatTicketNumber(ticketNumber);
  const types = projection?.types ?? [];
  const ways = new Set(types.map((type) => (type.closeMode === 'archive' ? `archive-${type.archiveDays}` : 'delete')));
  if (ways.size > 1) return t(locale, 'close.confirm-short', { ticket });
  const archiving = types[0]?.closeMode === 'archive' ? types[0] : undefined;
  return archiving ? t(locale, 'close.confirm-archive', { ticket, days: archiving.archiveDays }) : t(locale, 'close.confirm', { ticket });
}

/** Outside the type's support hours: when they resume (null: never); undefined when open now or without hours. */
function outsideHours(type: TicketTypeConfig, at: Date): { opensAt: Date | null } | undefined {
  if (!type.hours) return undefined;
  const schedule = parseSchedule(type.hours.schedule);
  // config-service stores only schedules that parse; an unreadable one never blocks an open.
  if (!schedule.ok) return undefined;
  const status = hoursStatus(schedule.value, type.hours.timeZone, at);
  return status.open ? undefined : { opensAt: status.nextOpen };
}

/**
 * An open from a panel (answers undefined: the form comes first when the type has
 * questions) or from the submitted form. Support hours are decided here, from the
 * projection: refused with when they resume, or passed on to the worker as a notice.
 * A blocked member is refused first.
 */
function planOpen(
  locale: SupportedLocale,
  ctx: InteractionContext,
  typeName: string,
  projection: GuildConfig | null,
  answers?: { question: string; answer: string }[],
  appPermissions?: string,
): InteractionPlan {
  // Refused here, before a modal or a job; ticket-worker checks again for a block added since.
  if (projection && isBlocked(projection.blocklist, ctx.member)) return { response: answer(fail(t(locale, 'open.blocked'))) };
  const type = projection?.types.find((candidate) => candidate.name === typeName);
  if (!type) return { response: answer(fail(t(locale, 'common.type-gone', { type: typeName }))) };
  const closed = outsideHours(type, new Date(ctx.receivedAt));
  if (closed && type.hours?.mode === 'refuse') return { response: answer(fail(render(locale, afterHoursRefusal(type.label, type.hours, closed.opensAt)))) };
  // Before the form: a member does not fill in questions for an open the bot cannot carry out.
  const lacking = botLacks('ticket.open', appPermissions);
  if (lacking) return { response: answer(fail(render(locale, lacking))) };
  if (answers === undefined && type.questions.length > 0) return { response: { type: InteractionResponseType.Modal, data: openModal(locale, type) } };
  const afterHours = closed ? { afterHours: { opensAt: closed.opensAt?.toISOString() ?? null } } : {};
  return { response: deferEphemeral, job: tickets('ticket.open', { v: 1, ctx, typeName, answers: answers ?? [], ...afterHours }) };
}

function ratingModal(locale: SupportedLocale, arg: string, rating: number): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId('rate-comment', arg),
    title: t(locale, 'feedback.modal-title', { rating }),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: 'comment',
            label: t(locale, 'feedback.comment-label'),
            style: TextInputStyle.Paragraph,
            required: false,
            max_length: 1000,
          },
        ],
      },
    ],
  };
}

/**
 * The rating buttons of the feedback DM (outside any guild): a button opens the comment
 * form, the form's submit goes to config-service, which checks the signed offer. Nothing
 * about the member who rates is passed on.
 */
function planRating(interaction: APIInteraction, parsed: ParsedCustomId, receivedAt: Date): InteractionPlan | null {
  const rating = ratingArg(parsed);
  const locale = interactionLocale(interaction);
  if (!rating) return { response: answer(fail(t(locale, 'feedback.malformed'))) };
  if (parsed.action === 'rate' && interaction.type === InteractionType.MessageComponent) {
    return { response: { type: InteractionResponseType.Modal, data: ratingModal(locale, parsed.arg, rating.rating) } };
  }
  if (parsed.action === 'rate-comment' && interaction.type === InteractionType.ModalSubmit) {
    const input = interaction.data.components.flatMap((row) => ('components' in row ? row.components : [])).find((i) => i.custom_id === 'comment');
    const comment = input && 'value' in input ? String(input.value).trim() : '';
    return {
      response: deferUpdate,
      job: config('feedback.rate', {
        v: 1,
        applicationId: interaction.application_id,
        interactionId: interaction.id,
        token: interaction.token,
        receivedAt: receivedAt.toISOString(),
        offer: rating.offer,
        rating: rating.rating,
        locale,
        ...(comment ? { comment } : {}),
      }),
    };
  }
  return null;
}

/**
 * Decides the initial response and the follow-up job of an interaction. Pure: the
 * gateway supplies the projection when needsProjection() said so. A ticket action whose
 * Discord calls need a permission the bot lacks in this channel (`app_permissions`) is
 * answered ❌ at once, naming it, instead of a job that Discord would refuse.
 */
export function planInteraction(
  interaction: APIInteraction,
  ctx: InteractionContext | null,
  projection: GuildConfig | null,
  receivedAt = new Date(),
): InteractionPlan {
  const plan = withPanelReset(interaction, planUnchecked(interaction, ctx, projection, receivedAt));
  const job = plan.job;
  if (job?.queue !== 'tickets' || !isBotAction(job.name)) return plan;
  const lacking = botLacks(job.name, appPermissionsOf(interaction), interaction.channel?.type);
  return lacking ? { response: answer(fail(render(interactionLocale(interaction), lacking))), ...resetOf(plan) } : plan;
}

const resetOf = (plan: InteractionPlan) => (plan.resetPanel ? { resetPanel: plan.resetPanel } : {});

/** Whatever the answer to a pick in a select panel (a job, a form, a refusal), the panel is reset. */
function withPanelReset(interaction: APIInteraction, plan: InteractionPlan): InteractionPlan {
  if (interaction.type !== InteractionType.MessageComponent || !('values' in interaction.data)) return plan;
  if (parseCustomId(interaction.data.custom_id)?.action !== 'open-select') return plan;
  const message = interaction.message;
  if (!message?.id || !message.channel_id || !Array.isArray(message.components) || message.components.length === 0) return plan;
  return { ...plan, resetPanel: { channelId: message.channel_id, messageId: message.id, components: message.components.map(withoutIds) } };
}

/** A component as it was sent: without the numeric `id`s Discord gave it (optional in a request; Discord numbers them again). */
function withoutIds(component: unknown): unknown {
  if (Array.isArray(component)) return component.map(withoutIds);
  if (typeof component !== 'object' || component === null) return component;
  return Object.fromEntries(
    Object.entries(component)
      .filter(([key]) => key !== 'id' || typeof (component as { id?: unknown }).id !== 'number')
      .map(([key, value]) => [key, key === 'components' || key === 'component' ? withoutIds(value) : value]),
  );
}

/** The bot's permissions in the interaction's channel, as Discord sends them. */
function appPermissionsOf(interaction: APIInteraction): string | undefined {
  const value = (interaction as { app_permissions?: unknown }).app_permissions;
  return typeof value === 'string' ? value : undefined;
}

function isBotAction(name: TicketJobName): name is BotAction {
  return Object.hasOwn(ACTION_NEEDS, name);
}

function planUnchecked(interaction: APIInteraction, ctx: InteractionContext | null, projection: GuildConfig | null, receivedAt: Date): InteractionPlan {
  if (interaction.type === InteractionType.Ping) return { response: { type: InteractionResponseType.Pong } };
  if (interaction.type === InteractionType.ApplicationCommandAutocomplete) {
    if (!ctx) return noSuggestions;
    return { response: autocompleteResponse(autocompleteChoices(focusedOption(interaction.data.name, interaction.data.options), ctx.member, projection)) };
  }
  if (interaction.type === InteractionType.MessageComponent || interaction.type === InteractionType.ModalSubmit) {
    // Rating buttons live in a DM, where there is no member context.
    const parsed = parseCustomId(interaction.data.custom_id);
    if (parsed?.action === 'rate' || parsed?.action === 'rate-comment') {
      const plan = planRating(interaction, parsed, receivedAt);
      if (plan) return plan;
      return { response: answer(fail(t(interactionLocale(interaction), 'feedback.malformed'))) };
    }
  }
  const locale = interactionLocale(interaction);
  if (!ctx) return { response: answer(fail(t(locale, 'gateway.dm'))) };

  if (interaction.type === InteractionType.ApplicationCommand) {
    if (interaction.data.type !== ApplicationCommandType.ChatInput) return { response: answer(fail(t(locale, 'gateway.command-kind'))) };
    const command = commandInput(interaction.data);
    const [root, first] = command.path;
    if (root && adminCommands.has(root) && !has(ctx.member.permissions, PermissionFlagsBits.ManageGuild)) {
      return { response: answer(fail(t(locale, 'common.needs-manage-server', { command: commandRef(root) }))) };
    }
    switch (root) {
      case 'config':
      case 'stats':
        return { response: deferEphemeral, job: config('config.command', { v: 1, ctx, command }) };
      case 'privacy':
        if (first === 'delete') {
          return {
            response: answer(t(locale, 'privacy.delete-warning'), [
              {
                type: ComponentType.ActionRow,
                components: [
                  {
                    type: ComponentType.Button,
                    style: ButtonStyle.Danger,
                    label: t(locale, 'privacy.delete-button'),
                    custom_id: customId('privacy-delete-confirm'),
                  },
                ],
              },
            ]),
          };
        }
        return { response: deferEphemeral, job: config('config.command', { v: 1, ctx, command }) };
      case 'panel':
        return { response: deferEphemeral, job: tickets('panel.send', { v: 1, ctx, command }) };
      case 'ticket':
        // The list reads the database: config-service answers it.
        if (first === 'list') return { response: deferEphemeral, job: config('config.command', { v: 1, ctx, command }) };
        return planTicketCommand(locale, ctx, first, command.options, command.resolved);
      case 'tag':
        return { response: deferEphemeral, job: tickets('ticket.tag', { v: 1, ctx, name: String(command.options.name ?? '') }) };
      default:
        return { response: answer(fail(t(locale, 'common.unknown-command', { command: `/${root ?? ''}` }))) };
    }
  }

  if (interaction.type === InteractionType.MessageComponent || interaction.type === InteractionType.ModalSubmit) {
    const parsed = parseCustomId(interaction.data.custom_id);
    if (!parsed) return { response: answer(fail(t(locale, 'gateway.old-panel'))) };
    const ticketNumber = ticketNumberArg(parsed) ?? undefined;
    switch (parsed.action) {
      case 'open':
        return planOpen(locale, ctx, parsed.arg, projection, undefined, appPermissionsOf(interaction));
      case 'open-select': {
        const value = interaction.type === InteractionType.MessageComponent && 'values' in interaction.data ? interaction.data.values[0] : undefined;
        if (!value) return { response: answer(fail(t(locale, 'gateway.pick-type'))) };
        return planOpen(locale, ctx, value, projection, undefined, appPermissionsOf(interaction));
      }
      case 'open-form': {
        if (interaction.type !== InteractionType.ModalSubmit) break;
        const answers = interaction.data.components.flatMap((row) =>
          'components' in row ? row.components.map((input) => ({ question: input.custom_id, answer: 'value' in input ? String(input.value) : '' })) : [],
        );
        return planOpen(locale, ctx, parsed.arg, projection, answers, appPermissionsOf(interaction));
      }
      case 'close': {
        if (ticketNumber === undefined) break;
        const confirm = closeConfirmation(locale, ticketNumber, projection);
        return {
          response: answer(confirm, [
            {
              type: ComponentType.ActionRow,
              components: [
                { type: ComponentType.Button, style: ButtonStyle.Danger, label: t(locale, 'close.button'), custom_id: customId('close-confirm', ticketNumber) },
                {
                  type: ComponentType.Button,
                  style: ButtonStyle.Secondary,
                  label: t(locale, 'close.with-reason-button'),
                  custom_id: customId('close-reason', ticketNumber),
                },
              ],
            },
          ]),
        };
      }
      case 'close-confirm':
        if (ticketNumber === undefined) break;
        return { response: deferUpdate, job: tickets('ticket.close', { v: 1, ctx, ticketNumber }) };
      case 'close-reason': {
        if (ticketNumber === undefined) break;
        if (interaction.type === InteractionType.MessageComponent)
          return { response: { type: InteractionResponseType.Modal, data: closeReasonModal(locale, ticketNumber) } };
        const reason = interaction.data.components.flatMap((row) => ('components' in row ? row.components : [])).find((input) => input.custom_id === 'reason');
        const text = reason && 'value' in reason ? String(reason.value).trim() : '';
        return { response: deferEphemeral, job: tickets('ticket.close', { v: 1, ctx, ticketNumber, ...(text ? { reason: text } : {}) }) };
      }
      case 'reopen':
        if (ticketNumber === undefined) break;
        return { response: deferEphemeral, job: tickets('ticket.reopen', { v: 1, ctx, ticketNumber }) };
      case 'archive-transcript':
        if (ticketNumber === undefined) break;
        return { response: deferEphemeral, job: tickets('ticket.transcript', { v: 1, ctx, ticketNumber }) };
      case 'archive-delete':
        if (ticketNumber === undefined) break;
        return { response: deferEphemeral, job: tickets('ticket.delete', { v: 1, ctx, ticketNumber }) };
      case 'close-request-accept':
        if (ticketNumber === undefined) break;
        return { response: deferEphemeral, job: tickets('ticket.close', { v: 1, ctx, ticketNumber }) };
      case 'claim':
        if (ticketNumber === undefined) break;
        return { response: deferEphemeral, job: tickets('ticket.claim', { v: 1, ctx, ticketNumber }) };
      case 'unclaim':
        if (ticketNumber === undefined) break;
        return { response: deferEphemeral, job: tickets('ticket.unclaim', { v: 1, ctx, ticketNumber }) };
      case 'ticket-list': {
        const page = /^\d{1,4}$/.test(parsed.arg) ? Number(parsed.arg) : 1;
        return {
          response: deferUpdate,
          job: config('config.command', { v: 1, ctx, command: { path: ['ticket', 'list'], options: { page }, resolved: {} } }),
        };
      }
      case 'privacy-delete-confirm':
        return {
          response: deferUpdate,
          job: config('config.command', { v: 1, ctx, command: { path: ['privacy', 'delete'], options: { confirmed: true }, resolved: {} } }),
        };
    }
    return { response: answer(fail(t(locale, 'gateway.malformed-button'))) };
  }

  return { response: answer(fail(t(locale, 'gateway.interaction-kind'))) };
}

function planTicketCommand(
  locale: SupportedLocale,
  ctx: InteractionContext,
  sub: string | undefined,
  options: Record<string, string | number | boolean>,
  resolved: ReturnType<typeof commandInput>['resolved'],
): InteractionPlan {
  const reason = typeof options.reason === 'string' && options.reason.trim() ? options.reason.trim() : undefined;
  switch (sub) {
    case 'close':
      return { response: deferEphemeral, job: tickets('ticket.close', { v: 1, ctx, ...(reason ? { reason } : {}) }) };
    case 'close-request':
      return { response: deferEphemeral, job: tickets('ticket.close-request', { v: 1, ctx, ...(reason ? { reason } : {}) }) };
    case 'claim':
      return { response: deferEphemeral, job: tickets('ticket.claim', { v: 1, ctx }) };
    case 'unclaim':
      return { response: deferEphemeral, job: tickets('ticket.unclaim', { v: 1, ctx }) };
    case 'add':
    case 'remove': {
      const userId = String(options.user ?? '');
      return { response: deferEphemeral, job: tickets(sub === 'add' ? 'ticket.member-add' : 'ticket.member-remove', { v: 1, ctx, userId }) };
    }
    case 'rename':
      return { response: deferEphemeral, job: tickets('ticket.rename', { v: 1, ctx, name: String(options.name ?? '') }) };
    case 'move':
      return { response: deferEphemeral, job: tickets('ticket.move', { v: 1, ctx, typeName: String(options.type ?? '') }) };
    case 'topic':
      return { response: deferEphemeral, job: tickets('ticket.topic', { v: 1, ctx, text: String(options.text ?? '') }) };
    case 'priority': {
      const level = String(options.level ?? '');
      if (!(ticketPriorities as readonly string[]).includes(level)) return { response: answer(fail(t(locale, 'ticket.priority-invalid'))) };
      return { response: deferEphemeral, job: tickets('ticket.priority', { v: 1, ctx, priority: level as TicketPriority }) };
    }
    case 'transfer': {
      const userId = String(options.member ?? '');
      const user = resolved.users?.[userId];
      // Discord resolves a member's roles and permissions with the user; without them the user is not in the server.
      const member = user?.roles && user.permissions ? { roles: user.roles, permissions: user.permissions, bot: user.bot ?? false } : null;
      return { response: deferEphemeral, job: tickets('ticket.transfer', { v: 1, ctx, userId, member }) };
    }
    default:
      return { response: answer(fail(t(locale, 'common.unknown-command', { command: `/ticket ${sub ?? ''}` }))) };
  }
}
