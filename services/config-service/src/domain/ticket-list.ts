import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord-api-types/v10';
import { customId, formatTicketNumber, has, PermissionFlagsBits, priorityMarks, t, type SupportedLocale } from '@promton/shared/domain';
import type { InteractionContext, TicketRecord, TicketType } from '@promton/shared/contracts';

/** Tickets a page of /ticket list shows: 10 lines fit Discord's 2,000 characters with room to spare. */
export const TICKETS_PER_PAGE = 10;

/** The types whose tickets the member may list: all for admins (null), else those whose staff role they hold. */
export function listableTypes(member: InteractionContext['member'], types: readonly TicketType[]): string[] | null {
  if (has(member.permissions, PermissionFlagsBits.ManageGuild)) return null;
  return types.filter((type) => type.staffRoleIds.some((roleId) => member.roles.includes(roleId))).map((type) => type.name);
}

function line(locale: SupportedLocale, ticket: TicketRecord): string {
  const mark = priorityMarks[ticket.priority];
  const where = ticket.channelId ? `<#${ticket.channelId}>` : t(locale, 'list.no-channel');
  const claim = ticket.claimedBy ? t(locale, 'list.claimed-by', { user: `<@${ticket.claimedBy}>` }) : t(locale, 'list.unclaimed');
  // Discord writes the relative time in the reader's own language.
  const opened = t(locale, 'list.opened', { time: `<t:${Math.floor(Date.parse(ticket.createdAt) / 1000)}:R>` });
  return `${mark ? `${mark.emoji} ` : ''}**${formatTicketNumber(ticket.number)}** ${where} · ${ticket.typeName} · ${claim} · ${opened}`;
}

export interface TicketListPage {
  /** The sentence after ✅ and the lines of this page. */
  text: string;
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** One page of the open tickets, with Previous/Next buttons (disabled at either end). */
export function ticketListPage(locale: SupportedLocale, tickets: readonly TicketRecord[], requestedPage: number): TicketListPage {
  const pages = Math.max(1, Math.ceil(tickets.length / TICKETS_PER_PAGE));
  const page = Math.min(Math.max(1, Math.trunc(requestedPage) || 1), pages);
  if (tickets.length === 0) return { text: t(locale, 'list.none'), components: [] };
  const shown = tickets.slice((page - 1) * TICKETS_PER_PAGE, page * TICKETS_PER_PAGE);
  const first = (page - 1) * TICKETS_PER_PAGE + 1;
  const head = t(locale, 'list.head', { from: first, to: first + shown.length - 1, total: tickets.length, page, pages });
  const components: TicketListPage['components'] =
    pages === 1
      ? []
      : [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                label: t(locale, 'list.previous'),
                custom_id: customId('ticket-list', Math.max(1, page - 1)),
                disabled: page === 1,
              },
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                label: t(locale, 'list.next'),
                custom_id: customId('ticket-list', Math.min(pages, page + 1)),
                disabled: page === pages,
              },
            ],
          },
        ];
  return { text: `${head}\n${shown.map((ticket) => line(locale, ticket)).join('\n')}`, components };
}
