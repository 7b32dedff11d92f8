import {
  ApplicationCommandOptionType as T,
  ApplicationCommandType,
  ChannelType,
  type APIChatInputApplicationCommandInteractionData,
} from 'discord-api-types/v10';
import { commandInputSchema } from '@promton/shared/contracts';
import { describe, expect, it } from 'vitest';
import { commandInput } from './command-input.js';

describe('commandInput', () => {
  it('flattens group, subcommand and options into a path and values', () => {
    const data = {
      id: '500000000000000001',
      name: 'config',
      type: ApplicationCommandType.ChatInput,
      options: [
        {
          type: T.SubcommandGroup,
          name: 'type',
          options: [
            {
              type: T.Subcommand,
              name: 'add',
              options: [
                { type: T.String, name: 'name', value: 'support' },
                { type: T.String, name: 'label', value: 'Support' },
                { type: T.Channel, name: 'category', value: '600000000000000001' },
                { type: T.Role, name: 'staff-role', value: '300000000000000001' },
                { type: T.Integer, name: 'limit', value: 2 },
              ],
            },
          ],
        },
      ],
      resolved: {
        channels: { '600000000000000001': { id: '600000000000000001', type: ChannelType.GuildCategory, name: 'Tickets', permissions: '0' } },
        roles: { '300000000000000001': { id: '300000000000000001', name: 'Staff', managed: false } },
      },
    } as unknown as APIChatInputApplicationCommandInteractionData;
    const input = commandInput(data);
    expect(input).toEqual({
      path: ['config', 'type', 'add'],
      options: { name: 'support', label: 'Support', category: '600000000000000001', 'staff-role': '300000000000000001', limit: 2 },
      resolved: {
        channels: { '600000000000000001': { type: ChannelType.GuildCategory, parentId: null, name: 'Tickets' } },
        roles: { '300000000000000001': { name: 'Staff', managed: false } },
      },
    });
    expect(commandInputSchema.safeParse(input).success).toBe(true);
  });

  it('handles a command with no options and keeps attachments and users', () => {
    expect(commandInput({ id: '1', name: 'stats', type: ApplicationCommandType.ChatInput } as APIChatInputApplicationCommandInteractionData)).toEqual({
      path: ['stats'],
      options: {},
      resolved: {},
    });
    const data = {
      id: '1',
      name: 'config',
      type: ApplicationCommandType.ChatInput,
      options: [{ type: T.Subcommand, name: 'import', options: [{ type: T.Attachment, name: 'file', value: '700000000000000001' }] }],
      resolved: {
        attachments: { '700000000000000001': { id: '700000000000000001', url: 'https://cdn/x.json', filename: 'x.json', size: 12, proxy_url: 'https://p' } },
        users: { '200000000000000002': { id: '200000000000000002', username: 'b', bot: true } },
      },
    } as unknown as APIChatInputApplicationCommandInteractionData;
    expect(commandInput(data)).toEqual({
      path: ['config', 'import'],
      options: { file: '700000000000000001' },
      resolved: {
        attachments: { '700000000000000001': { url: 'https://cdn/x.json', filename: 'x.json', size: 12 } },
        users: { '200000000000000002': { bot: true } },
      },
    });
  });
});
