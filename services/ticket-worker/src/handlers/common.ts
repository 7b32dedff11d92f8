import { DiscordAPIError } from '@discordjs/rest';
import { UnrecoverableError } from 'bullmq';
import { RESTJSONErrorCodes, type RESTPatchAPIWebhookWithTokenMessageJSONBody } from 'discord-api-types/v10';
import { discordCode, fail, msg, ok, render, resolveLocale, serverLocale, type Message, type SupportedLocale } from '@promton/shared/domain';
import { addJob } from '@promton/shared/runtime';
import { type ConfigJob, type GuildConfig, type InteractionContext, type LogJob, type ReserveReply, type TicketRecord } from '@promton/shared/contracts';
import type { TicketDeps } from '../deps.js';
import { isPermanentRefusal, permissionForRoute } from '../domain/discord-refusal.js';
import { interactionAgeMs, tokenExpired } from '../domain/interaction-age.js';

export type { ReserveReply };

/** Discord's answer to an interaction token past its 15 minutes (or unknown). */
const EXPIRED_TOKEN_CODES: ReadonlySet<number> = new Set([RESTJSONErrorCodes.UnknownWebhook, RESTJSONErrorCodes.InvalidWebhookToken]);

/**
 * Edits the member's deferred answer. Mentions are never pinged from an answer. An
 * expired token does not fail the job: the work is done, only the answer is lost. A
 * token past its 15 minutes is not even tried (Discord would count the 401 as an invalid
 * request): the job logs that the member was not answered.
 */
export async function answer(deps: TicketDeps, ctx: InteractionContext, body: string | RESTPatchAPIWebhookWithTokenMessageJSONBody): Promise<void> {
  const payload = typeof body === 'string' ? { content: body } : body;
  const now = deps.now();
  if (tokenExpired(ctx.receivedAt, now)) {
    deps.logger.warn(
      { guildId: ctx.guildId, interactionId: ctx.interactionId, ageMs: interactionAgeMs(ctx.receivedAt, now) },
      'interaction token expired before the answer; the member was not answered',
    );
    return;
  }
  try {
    await deps.interactions.webhooks.editMessage(ctx.applicationId, ctx.token, '@original', { allowed_mentions: { parse: [] }, ...payload });
  } catch (error) {
    const code = discordCode(error);
    if (code === undefined || !EXPIRED_TOKEN_CODES.has(code)) throw error;
    deps.logger.warn({ guildId: ctx.guildId, interactionId: ctx.interactionId, code }, 'interaction token expired; the member was not answered');
  }
}

/** The language of the member's own answers. */
export function memberLocale(ctx: InteractionContext): SupportedLocale {
  return resolveLocale(ctx.locale);
}

/** The language of what the whole channel or the log channel sees: the admin's choice, else the interaction's guild_locale. */
export function channelLocale(guild: Pick<GuildConfig, 'language'> | null | undefined, guildLocale?: string): SupportedLocale {
  return serverLocale(guild?.language, guildLocale);
}

/** The guild_locale a log event carries, so the log follows the server's Discord language when no admin chose one. */
export function logLocale(ctx: InteractionContext): { locale?: string } {
  return ctx.guildLocale ? { locale: ctx.guildLocale } : {};
}

/** ✅ and a sentence, in the member's language. */
export function succeed(deps: TicketDeps, ctx: InteractionContext, message: Message): Promise<void> {
  return answer(deps, ctx, ok(render(memberLocale(ctx), message)));
}

/** ❌ and a sentence, in the member's language. */
export function refuse(deps: TicketDeps, ctx: InteractionContext, message: Message): Promise<void> {
  return answer(deps, ctx, fail(render(memberLocale(ctx), message)));
}

/** The ticket an action is about: the number in a button's id, or the channel a command ran in. */
export async function findTicket(deps: TicketDeps, ctx: InteractionContext, ticketNumber: number | undefined): Promise<TicketRecord | null> {
  return deps.config.request(
    'ticket.get',
    ticketNumber === undefined ? { v: 1, guildId: ctx.guildId, channelId: ctx.channelId } : { v: 1, guildId: ctx.guildId, number: ticketNumber },
  );
}

/** The ticket's record is gone (its guild's data was purged while the job ran): the job ends without retries. */
export class TicketGone extends UnrecoverableError {}

/** Records saga progress; a ticket that no longer exists (its guild was purged) ends the job without retries. */
export async function updateTicket(
  deps: TicketDeps,
  ticket: Pick<TicketRecord, 'id' | 'guildId'>,
  set: ConfigJob<'ticket.update'>['set'],
): Promise<TicketRecord> {
  const updated = await deps.config.request('ticket.update', { v: 1, guildId: ticket.guildId, ticketId: ticket.id, set });
  if (!updated) throw new TicketGone(`ticket ${ticket.id} of guild ${ticket.guildId} no longer exists`);
  return updated;
}

/** Publishes a log event once: the job id makes a retried step post nothing twice. */
export async function logEvent(deps: TicketDeps, event: Omit<LogJob<'log.event'>, 'v' | 'at'>, dedupeKey: string): Promise<void> {
  await addJob(deps.logs, 'log.event', { v: 1, at: deps.now().toISOString(), ...event }, { jobId: `log-${dedupeKey}` });
}

/** A step on a channel that may be gone already (deleted by hand): undefined then. */
export async function ignoreGone<T>(step: Promise<T>): Promise<T | undefined> {
  try {
    return await step;
  } catch (error) {
    if (discordCode(error) === RESTJSONErrorCodes.UnknownChannel) return undefined;
    throw error;
  }
}

/** Discord: "Maximum number of channels in category reached (50)", a form error on parent_id. */
export function isCategoryFull(error: unknown): boolean {
  return (
    discordCode(error) === RESTJSONErrorCodes.InvalidFormBodyOrContentType &&
    /maximum number of channels in category/i.test(JSON.stringify((error as { rawError?: unknown }).rawError ?? ''))
  );
}

/** A member-facing sentence for what Discord refused, naming the missing permission or object; `failure` says what could not be done. */
export function explainDiscordError(error: unknown, failure: Message): Message {
  const code = discordCode(error);
  switch (code) {
    case RESTJSONErrorCodes.MissingPermissions: {
      // Permission names as Discord's documentation writes them.
      const permission = error instanceof DiscordAPIError ? permissionForRoute(error.method, error.url) : undefined;
      return permission ? msg('discord.missing-permission', { failure, permission }) : msg('discord.missing-permissions', { failure });
    }
    case RESTJSONErrorCodes.MissingAccess:
      return msg('discord.missing-access', { failure });
    case RESTJSONErrorCodes.MaximumNumberOfGuildChannelsReached:
      return msg('discord.max-channels', { failure });
    case RESTJSONErrorCodes.MaximumActiveThreads:
      return msg('discord.max-threads', { failure });
    case RESTJSONErrorCodes.UnknownChannel:
      return msg('discord.unknown-channel', { failure });
    case RESTJSONErrorCodes.UnknownMessage:
      return msg('discord.unknown-message', { failure });
    default:
      return error instanceof DiscordAPIError && isPermanentRefusal(error.status)
        ? msg('discord.refused', { failure, code: String(code) })
        : msg('discord.other', { failure });
  }
}

/** Ends a job Discord refused for good: the person was told why, so nothing retries and nothing else answers. */
export class RefusedByDiscord extends UnrecoverableError {
  readonly answered = true;
}
