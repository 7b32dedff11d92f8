import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { archiveDeleteJobId, ConfigLimits, type GuildConfig, type TicketRecord, type TicketType } from '@promton/shared/contracts';
import { discordCode, formatTicketNumber, t, type SupportedLocale } from '@promton/shared/domain';
import { addJob } from '@promton/shared/runtime';
import type { TicketDeps } from '../deps.js';
import { archiveControls, archiveDeleteAt, isActiveArchiveMessage } from '../domain/archive-message.js';
import type { Transcript } from '../domain/transcript.js';
import { ignoreGone, isCategoryFull } from './common.js';

type ArchivedTicket = TicketRecord & { channelId: string; archivedAt: string };

/** Days an archived channel of this type is kept. */
export function archiveDaysOf(type: Pick<TicketType, 'archiveDays'> | undefined): number {
  return type?.archiveDays ?? ConfigLimits.archiveDaysDefault;
}

/** Schedules the deletion of an archived channel (a delayed job; its id is one per archiving, so a retried close adds nothing). */
export async function scheduleArchiveDelete(deps: TicketDeps, ticket: Pick<ArchivedTicket, 'guildId' | 'number' | 'archivedAt'>, days: number): Promise<void> {
  const delay = Math.max(0, archiveDeleteAt(ticket.archivedAt, days) - deps.now().getTime());
  await addJob(
    deps.tickets,
    'ticket.archive-delete',
    { v: 1, guildId: ticket.guildId, ticketNumber: ticket.number },
    { jobId: archiveDeleteJobId(ticket.guildId, ticket.number, ticket.archivedAt), delay },
  );
}

/**
 * The archive half of a close (the member's access is already gone and the record says
 * archived): into the type's archive category (a full one leaves it where it is, said in
 * the answer), the archive message with the staff buttons (once: a retry finds it), and its
 * deletion after the type's days.
 */
export async function archiveChannel(
  deps: TicketDeps,
  ticket: ArchivedTicket,
  type: TicketType | undefined,
  locale: SupportedLocale,
): Promise<{ archived: true; days: number; categoryFull: string | null }> {
  const days = archiveDaysOf(type);
  let categoryFull: string | null = null;
  const target = type?.archiveCategoryId ?? null;
  const channel = (await ignoreGone(deps.api.channels.get(ticket.channelId))) as { parent_id?: string | null } | undefined;
  if (!channel) return { archived: true, days, categoryFull }; // deleted by hand meanwhile
  if (target && channel.parent_id !== target) {
    try {
      await ignoreGone(deps.api.channels.edit(ticket.channelId, { parent_id: target }));
    } catch (error) {
      if (!isCategoryFull(error)) throw error;
      categoryFull = target;
      deps.logger.warn({ guildId: ticket.guildId, ticketId: ticket.id }, 'archive category full; the archived channel stays where it was');
    }
  }
  const recent = await ignoreGone(deps.api.channels.getMessages(ticket.channelId, { limit: 20 }));
  if (recent && !recent.some((message) => isActiveArchiveMessage(message, deps.botUserId, ticket.number))) {
    await ignoreGone(deps.api.channels.createMessage(ticket.channelId, archiveControls(ticket.number, archiveDeleteAt(ticket.archivedAt, days), locale)));
  }
  await scheduleArchiveDelete(deps, ticket, days);
  return { archived: true, days, categoryFull };
}

/** A once-key lives as long as any retry of a close could: a week. */
const DM_ONCE_MS = 7 * 86_400_000;

/**
 * The transcript to the member who opened the ticket, by DM, when the server asks for it.
 * Once per close (a retried close, or a close racing an auto-close, sends nothing twice).
 * Best effort: a member who accepts no DMs (50007) is skipped quietly and logged, never
 * retried, and no failure here fails the close.
 */
export async function sendTranscriptByDm(
  deps: TicketDeps,
  ticket: TicketRecord & { closedAt: string },
  guild: GuildConfig,
  locale: SupportedLocale,
  read: () => Promise<Transcript | undefined>,
): Promise<void> {
  if (!ticket.creatorId) return;
  const log = deps.logger.child({ guildId: ticket.guildId, ticketId: ticket.id });
  try {
    if (!(await deps.once(`transcript-dm:${ticket.guildId}:${ticket.number}:${Date.parse(ticket.closedAt)}`, DM_ONCE_MS))) return;
    const transcript = await read();
    if (!transcript) return; // the channel is gone
    const type = guild.types.find((candidate) => candidate.name === ticket.typeName)?.label ?? ticket.typeName;
    const server = await deps.api.guilds.get(ticket.guildId).then(
      (g) => g.name,
      () => null,
    );
    const number = formatTicketNumber(ticket.number);
    const content = server ? t(locale, 'dm.transcript', { ticket: number, type, server }) : t(locale, 'dm.transcript-no-server', { ticket: number, type });
    const dm = await deps.api.users.createDM(ticket.creatorId);
    await deps.api.channels.createMessage(dm.id, {
      content,
      allowed_mentions: { parse: [] },
      files: transcript.files.map((file) => ({ name: file.name, data: file.data, contentType: 'text/html' })),
    });
    log.info('transcript sent to the member by DM');
  } catch (error) {
    if (discordCode(error) === RESTJSONErrorCodes.CannotSendMessagesToThisUser) log.info('the member accepts no DMs; no transcript sent, not retried');
    else log.warn({ err: (error as Error).message }, 'transcript not sent by DM');
  }
}
