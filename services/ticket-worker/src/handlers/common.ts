import { DiscordAPIError } from '@discordjs/rest';
import { UnrecoverableError } from 'bullmq';
import type { RESTPatchAPIWebhookWithTokenMessageJSONBody } from 'discord-api-types/v10';
import { fail } from '@promton/shared/domain';
import { addJob } from '@promton/shared/runtime';
import { type ConfigJob, type InteractionContext, type LogJob, type ReserveReply, type TicketRecord } from '@promton/shared/contracts';
import type { TicketDeps } from '../deps.js';
import { isPermanentRefusal, permissionForRoute } from '../domain/discord-refusal.js';

export type { ReserveReply };

/** Discord's answer to an interaction token past its 15 minutes (or unknown). */
const EXPIRED_TOKEN_CODES: ReadonlySet<number> = new Set([10015, 50027]);

/**
 * Edits the member's deferred answer. Mentions are never pinged from an answer. An
 * expired token does not fail the job: the work is done, only the answer is lost.
 */
export async function answer(deps: TicketDeps, ctx: InteractionContext, body: string | RESTPatchAPIWebhookWithTokenMessageJSONBody): Promise<void> {
  const payload = typeof body === 'string' ? { content: body } : body;
  try {
    await deps.interactions.webhooks.editMessage(ctx.applicationId, ctx.token, '@original', { allowed_mentions: { parse: [] }, ...payload });
  } catch (error) {
    const code = discordCode(error);
    if (code === undefined || !EXPIRED_TOKEN_CODES.has(code)) throw error;
    deps.logger.warn({ guildId: ctx.guildId, interactionId: ctx.interactionId, code }, 'interaction token expired; the member was not answered');
  }
}

/** The ticket an action is about: the number in a button's id, or the channel a command ran in. */
export async function findTicket(deps: TicketDeps, ctx: InteractionContext, ticketNumber: number | undefined): Promise<TicketRecord | null> {
  return deps.config.request(
    'ticket.get',
    ticketNumber === undefined ? { v: 1, guildId: ctx.guildId, channelId: ctx.channelId } : { v: 1, guildId: ctx.guildId, number: ticketNumber },
  );
}

/** Records saga progress; a ticket that no longer exists (its guild was purged) ends the job without retries. */
export async function updateTicket(
  deps: TicketDeps,
  ticket: Pick<TicketRecord, 'id' | 'guildId'>,
  set: ConfigJob<'ticket.update'>['set'],
): Promise<TicketRecord> {
  const updated = await deps.config.request('ticket.update', { v: 1, guildId: ticket.guildId, ticketId: ticket.id, set });
  if (!updated) throw new UnrecoverableError(`ticket ${ticket.id} of guild ${ticket.guildId} no longer exists`);
  return updated;
}

/** Publishes a log event once: the job id makes a retried step post nothing twice. */
export async function logEvent(deps: TicketDeps, event: Omit<LogJob<'log.event'>, 'v' | 'at'>, dedupeKey: string): Promise<void> {
  await addJob(deps.logs, 'log.event', { v: 1, at: deps.now().toISOString(), ...event }, { jobId: `log-${dedupeKey}` });
}

/** Discord's JSON error code, when Discord refused. */
export function discordCode(error: unknown): number | undefined {
  return error instanceof DiscordAPIError && typeof error.code === 'number' ? error.code : undefined;
}

export const DiscordCodes = {
  unknownChannel: 10003,
  unknownMessage: 10008,
  missingAccess: 50001,
  missingPermissions: 50013,
  maxGuildChannels: 30013,
  invalidFormBody: 50035,
} as const;

/** A member-facing sentence for what Discord refused, naming the missing permission or object. */
export function explainDiscordError(error: unknown, doing: string): string {
  const code = discordCode(error);
  switch (code) {
    case DiscordCodes.missingPermissions: {
      const permission = error instanceof DiscordAPIError ? permissionForRoute(error.method, error.url) : undefined;
      return fail(
        permission
          ? `I could not ${doing}: I am missing the ${permission} permission here; ask an admin to give it to my role.`
          : `I could not ${doing}: I am missing a permission (Manage Channels, Manage Roles, Send Messages or Embed Links); ask an admin to check my role.`,
      );
    }
    case DiscordCodes.missingAccess:
      return fail(`I could not ${doing}: I cannot see that channel; ask an admin to give me View Channel there.`);
    case DiscordCodes.maxGuildChannels:
      return fail(`I could not ${doing}: this server has reached Discord's limit of 500 channels; ask an admin to delete some.`);
    case DiscordCodes.unknownChannel:
      return fail(`I could not ${doing}: the channel no longer exists.`);
    case DiscordCodes.unknownMessage:
      return fail(`I could not ${doing}: the message no longer exists.`);
    default:
      return error instanceof DiscordAPIError && isPermanentRefusal(error.status)
        ? fail(`I could not ${doing}: Discord refused it (error ${code}).`)
        : fail(`I could not ${doing}; please try again in a minute.`);
  }
}

/** Ends a job Discord refused for good: the person was told why, so nothing retries and nothing else answers. */
export class RefusedByDiscord extends UnrecoverableError {
  readonly answered = true;
}
