import { describe, expect, it } from 'vitest';
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import type { TicketRecord, TicketType } from '@promton/shared/contracts';
import { customId, PermissionFlagsBits } from '@promton/shared/domain';
import { listableTypes, ticketListPage } from './ticket-list.js';
import { ticketRecord } from '../../../../tests/support/ticket-record.js';

const GUILD = '100000000000000001';
const USER = '200000000000000001';
const STAFF = '200000000000000999';
const ROLE = '300000000000000001';
const ROLE2 = '300000000000000002';

const ticket = (number: number, extra: Partial<TicketRecord> = {}): TicketRecord =>
  ticketRecord(number, { guildId: GUILD, creatorId: USER, createdAt: '2026-01-01T00:00:00.999Z', ...extra });
const many = (count: number) => Array.from({ length: count }, (_, i) => ticket(i + 1));

const buttons = (previous: number, next: number, page: number, pages: number) => [
  {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Previous', custom_id: customId('ticket-list', previous), disabled: page === 1 },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Next', custom_id: customId('ticket-list', next), disabled: page === pages },
    ],
  },
];

describe('listableTypes', () => {
  const types = [
    { name: 'a', staffRoleIds: [ROLE] },
    { name: 'b', staffRoleIds: [] },
    { name: 'c', staffRoleIds: [ROLE2, ROLE] },
  ] as unknown as TicketType[];

  it('gives the types of any staff role the member holds, or none', () => {
    expect(listableTypes({ userId: USER, roles: [ROLE2], permissions: '0' }, types)).toEqual(['c']);
    expect(listableTypes({ userId: USER, roles: ['300000000000000003', ROLE], permissions: '0' }, types)).toEqual(['a', 'c']);
    expect(listableTypes({ userId: USER, roles: [], permissions: String(PermissionFlagsBits.ManageChannels) }, types)).toEqual([]);
  });

  it('gives all (null) to a member who can manage the server', () => {
    expect(listableTypes({ userId: USER, roles: [], permissions: String(PermissionFlagsBits.ManageGuild) }, types)).toBeNull();
  });
});

describe('ticketListPage', () => {
  it('writes a line a ticket: priority mark, number, channel, type, claim and relative opening time', () => {
    const page = ticketListPage('en-US', [ticket(1, { priority: 'urgent', claimedBy: STAFF }), ticket(2, { channelId: null, typeName: 'billing' })], 1);
    expect(page).toEqual({
      text: [
        'Open tickets 1–2 of 2 (page 1 of 1):',
        `🔴 **#0001** <#400000000000000001> · support · claimed by <@${STAFF}> · opened <t:1767225600:R>`,
        '**#0002** (no channel) · billing · unclaimed · opened <t:1767225600:R>',
      ].join('\n'),
      components: [],
    });
  });

  it('shows the requested page of ten with buttons to its neighbours', () => {
    const page = ticketListPage('en-US', many(25), 2);
    const lines = page.text.split('\n');
    expect(lines[0]).toBe('Open tickets 11–20 of 25 (page 2 of 3):');
    expect(lines.slice(1).map((line) => line.slice(0, 9))).toEqual(Array.from({ length: 10 }, (_, i) => `**#${String(i + 11).padStart(4, '0')}**`));
    expect(page.components).toEqual(buttons(1, 3, 2, 3));
  });

  it('disables Previous on the first page and Next on the last, which holds the rest', () => {
    expect(ticketListPage('en-US', many(25), 1).components).toEqual(buttons(1, 2, 1, 3));
    const last = ticketListPage('en-US', many(25), 3);
    expect(last.text.split('\n')).toHaveLength(6);
    expect(last.text.split('\n')[0]).toBe('Open tickets 21–25 of 25 (page 3 of 3):');
    expect(last.components).toEqual(buttons(2, 3, 3, 3));
  });

  it('clamps, truncates or defaults the requested page', () => {
    expect(ticketListPage('en-US', many(25), 99).text.split('\n')[0]).toBe('Open tickets 21–25 of 25 (page 3 of 3):');
    expect(ticketListPage('en-US', many(25), -4).text.split('\n')[0]).toBe('Open tickets 1–10 of 25 (page 1 of 3):');
    expect(ticketListPage('en-US', many(25), Number.NaN).text.split('\n')[0]).toBe('Open tickets 1–10 of 25 (page 1 of 3):');
    expect(ticketListPage('en-US', many(25), 2.9).text.split('\n')[0]).toBe('Open tickets 11–20 of 25 (page 2 of 3):');
  });

  it('needs a second page only past ten tickets', () => {
    expect(ticketListPage('en-US', many(10), 2)).toMatchObject({ components: [] });
    expect(ticketListPage('en-US', many(10), 2).text.split('\n')).toHaveLength(11);
    expect(ticketListPage('en-US', many(11), 2).text.split('\n')[0]).toBe('Open tickets 11–11 of 11 (page 2 of 2):');
    expect(ticketListPage('en-US', many(11), 2).components).toEqual(buttons(1, 2, 2, 2));
  });

  it('says so when there is no ticket, without buttons', () => {
    expect(ticketListPage('en-US', [], 3)).toEqual({ text: 'There are no open tickets you are staff of.', components: [] });
  });
});
