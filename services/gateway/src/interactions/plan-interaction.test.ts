import {
  ApplicationCommandOptionType as T,
  ApplicationCommandType,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
} from 'discord-api-types/v10';
import { BOT_PERMISSIONS, PermissionFlagsBits as P } from '@promton/shared/domain';
import { configJobSchemas, defaultGuildConfig, ticketJobSchemas, type GuildConfig, type TicketType } from '@promton/shared/contracts';
import { describe, expect, it } from 'vitest';
import { ticketType } from '../../../../tests/support/ticket-type.js';
import { interactionContext } from './interaction-context.js';
import { planInteraction, type InteractionPlan } from './plan-interaction.js';

const GUILD = '100000000000000001';
const USER = '200000000000000002';
const MANAGE_GUILD = String(1n << 5n);
const MEMBER_PERMS = '117760';

const common = (type: InteractionType, data: unknown, permissions = MEMBER_PERMS) => ({
  id: '900000000000000001',
  application_id: '110000000000000001',
  type,
  token: 'interaction-token',
  version: 1,
  // What the invite grants: the bot's permissions in the channel, as Discord computes them.
  app_permissions: String(BOT_PERMISSIONS),
  locale: 'en-US',
  entitlements: [],
  authorizing_integration_owners: {},
  attachment_size_limit: 8_388_608,
  guild_id: GUILD,
  channel: { id: '400000000000000001', type: 0 },
  channel_id: '400000000000000001',
  member: {
    user: { id: USER, username: 'alice', discriminator: '0', global_name: null, avatar: null },
    roles: ['300000000000000001'],
    permissions,
    joined_at: '2024-01-01T00:00:00.000Z',
    deaf: false,
    mute: false,
    flags: 0,
  },
  data,
});

function command(name: string, options: APIApplicationCommandInteractionDataOption[] = [], permissions?: string): APIInteraction {
  return common(
    InteractionType.ApplicationCommand,
    { id: '500000000000000001', name, type: ApplicationCommandType.ChatInput, options },
    permissions,
  ) as unknown as APIInteraction;
}
function button(customId: string): APIInteraction {
  return common(InteractionType.MessageComponent, { component_type: ComponentType.Button, custom_id: customId }) as unknown as APIInteraction;
}
function select(customId: string, values: string[]): APIInteraction {
  return common(InteractionType.MessageComponent, { component_type: ComponentType.StringSelect, custom_id: customId, values }) as unknown as APIInteraction;
}
function modal(customId: string, inputs: Record<string, string>): APIInteraction {
  const components = Object.entries(inputs).map(([id, value]) => ({
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.TextInput, custom_id: id, value }],
  }));
  return common(InteractionType.ModalSubmit, { custom_id: customId, components }) as unknown as APIInteraction;
}
const sub = (name: string, options: APIApplicationCommandInteractionDataOption[] = []) =>
  ({ type: T.Subcommand, name, options }) as APIApplicationCommandInteractionDataOption;
const group = (name: string, options: APIApplicationCommandInteractionDataOption[]) =>
  ({ type: T.SubcommandGroup, name, options }) as APIApplicationCommandInteractionDataOption;
const str = (name: string, value: string) => ({ type: T.String, name, value }) as APIApplicationCommandInteractionDataOption;

const type = (name: string, questions: string[] = []): TicketType => ticketType(name, { label: name[0]!.toUpperCase() + name.slice(1), questions });
const projection: GuildConfig = {
  ...defaultGuildConfig(GUILD),
  types: [type('support'), type('billing', ['What is your invoice number?', 'What went wrong?'])],
};

function plan(interaction: APIInteraction, config: GuildConfig | null = projection): InteractionPlan {
  return planInteraction(interaction, interactionContext(interaction, new Date('2024-05-01T12:00:00.000Z')), config);
}

/** The job must pass the shared schema of its queue. */
function validJob(result: InteractionPlan) {
  expect(result.job).toBeDefined();
  const job = result.job!;
  const schemas = job.queue === 'tickets' ? ticketJobSchemas : configJobSchemas;
  const schema = (schemas as Record<string, { safeParse(d: unknown): { success: boolean; error?: unknown } }>)[job.name];
  expect(schema, `no schema for ${job.name}`).toBeDefined();
  const parsed = schema!.safeParse(job.data);
  expect(parsed.success, JSON.stringify(parsed.error)).toBe(true);
  return job;
}

function ephemeralContent(result: InteractionPlan): string {
  expect(result.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
  const data = (result.response as { data: { content: string; flags: number } }).data;
  expect(data.flags).toBe(64);
  return data.content;
}

const deferred = { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: 64 } };

describe('open button and select', () => {
  it('defers ephemerally and queues ticket.open for a type without questions', () => {
    const result = plan(button('pt:v1:open:support'));
    expect(result.response).toEqual(deferred);
    const job = validJob(result);
    expect(job).toMatchObject({
      queue: 'tickets',
      name: 'ticket.open',
      data: { v: 1, typeName: 'support', answers: [], ctx: { guildId: GUILD, token: 'interaction-token' } },
    });
  });

  it('opens a modal with one text input per question and queues nothing', () => {
    const result = plan(button('pt:v1:open:billing'));
    expect(result.job).toBeUndefined();
    expect(result.response.type).toBe(InteractionResponseType.Modal);
    const data = (
      result.response as { data: { custom_id: string; title: string; components: { components: { type: number; custom_id: string; label: string }[] }[] } }
    ).data;
    expect(data.custom_id).toBe('pt:v1:open-form:billing');
    expect(data.title.length).toBeLessThanOrEqual(45);
    expect(data.components.map((row) => row.components.map((c) => [c.type, c.custom_id, c.label]))).toEqual([
      [[ComponentType.TextInput, 'q0', 'What is your invoice number?']],
      [[ComponentType.TextInput, 'q1', 'What went wrong?']],
    ]);
  });

  it('refuses a type that was removed', () => {
    const result = plan(button('pt:v1:open:gone'));
    expect(ephemeralContent(result)).toMatch(/^❌/);
    expect(result.job).toBeUndefined();
    expect(ephemeralContent(plan(button('pt:v1:open:support'), null))).toMatch(/^❌/);
  });

  it('opens from the select menu with the chosen value', () => {
    const job = validJob(plan(select('pt:v1:open-select:', ['support'])));
    expect(job).toMatchObject({ name: 'ticket.open', data: { typeName: 'support' } });
    expect(plan(select('pt:v1:open-select:', ['billing'])).response.type).toBe(InteractionResponseType.Modal);
  });

  it('queues ticket.open with the form answers on modal submit', () => {
    const result = plan(modal('pt:v1:open-form:billing', { q0: 'INV-1', q1: 'Charged twice' }));
    expect(result.response).toEqual(deferred);
    expect(validJob(result).data).toMatchObject({
      typeName: 'billing',
      answers: [
        { question: 'q0', answer: 'INV-1' },
        { question: 'q1', answer: 'Charged twice' },
      ],
    });
  });
});

describe('select panel reset', () => {
  const components = [{ type: 1, components: [{ type: 3, custom_id: 'pt:v1:open-select:', options: [{ label: 'Support', value: 'support' }] }] }];
  // As Discord sends the message: every component numbered.
  const numbered = [{ type: 1, id: 1, components: [{ ...components[0]!.components[0]!, id: 2 }] }];
  const picked = (value: string) =>
    ({
      ...select('pt:v1:open-select:', [value]),
      message: { id: '700000000000000001', channel_id: '400000000000000001', components: numbered },
    }) as unknown as APIInteraction;
  const reset = { channelId: '400000000000000001', messageId: '700000000000000001', components };

  it('re-sends the panel’s components after a pick, whatever the answer (job, form or refusal)', () => {
    const opened = plan(picked('support'));
    expect(opened.job?.name).toBe('ticket.open');
    expect(opened.resetPanel).toEqual(reset);
    expect(plan(picked('billing')).resetPanel).toEqual(reset);
    expect(plan(picked('billing')).response.type).toBe(InteractionResponseType.Modal);
    expect(ephemeralContent(plan(picked('gone')))).toMatch(/^❌/);
    expect(plan(picked('gone')).resetPanel).toEqual(reset);
    const lacking = plan({ ...picked('support'), app_permissions: '0' } as APIInteraction);
    expect(lacking.job).toBeUndefined();
    expect(lacking.resetPanel).toEqual(reset);
  });

  it('leaves buttons and other components alone', () => {
    expect(plan(button('pt:v1:open:support')).resetPanel).toBeUndefined();
    expect(plan(select('pt:v1:open-select:', ['support'])).resetPanel).toBeUndefined();
  });
});

describe("the bot's permissions in the channel (app_permissions)", () => {
  const without = (interaction: APIInteraction, ...flags: bigint[]) =>
    ({ ...interaction, app_permissions: String(flags.reduce((held, flag) => held & ~flag, BOT_PERMISSIONS)) }) as APIInteraction;

  it('refuses an open at once, naming what the bot lacks, before the form and with no job', () => {
    for (const click of [button('pt:v1:open:support'), select('pt:v1:open-select:', ['support']), button('pt:v1:open:billing')]) {
      const result = plan(without(click, P.ManageRoles));
      expect(ephemeralContent(result)).toBe(
        '❌ I could not open your ticket: I lack Manage Roles in this channel; ask an admin to give my role what is missing.',
      );
      expect(result.job).toBeUndefined();
    }
    const both = plan(without(modal('pt:v1:open-form:billing', { q0: 'INV-1', q1: 'x' }), P.ManageChannels, P.ManageRoles));
    expect(ephemeralContent(both)).toMatch(/^❌ I could not open your ticket: I lack Manage Channels, Manage Roles in this channel/);
    expect(both.job).toBeUndefined();
  });

  it('does not ask the panel channel for Send Messages: a read-only panel still opens tickets', () => {
    const result = plan(without(button('pt:v1:open:support'), P.SendMessages, P.EmbedLinks));
    expect(validJob(result)).toMatchObject({ name: 'ticket.open' });
  });

  it('refuses each ticket action whose Discord calls need what the bot lacks in the ticket channel', () => {
    const cases: [APIInteraction, bigint, string][] = [
      [button('pt:v1:claim:3'), P.ReadMessageHistory, 'I could not claim the ticket: I lack Read Message History'],
      [button('pt:v1:close-confirm:3'), P.ManageChannels, 'I could not close the ticket: I lack Manage Channels'],
      [command('ticket', [sub('rename', [str('name', 'vip')])]), P.ManageChannels, 'I could not rename the channel: I lack Manage Channels'],
      [command('ticket', [sub('close-request')]), P.SendMessages, 'I could not ask to close the ticket: I lack Send Messages'],
      [
        command('ticket', [sub('add', [{ type: T.User, name: 'user', value: '200000000000000003' } as APIApplicationCommandInteractionDataOption])]),
        P.ManageRoles,
        'I could not add the member: I lack Manage Roles',
      ],
      [command('ticket', [sub('topic', [str('text', 'hi')])]), P.ViewChannel, 'I could not set the topic: I lack View Channel'],
    ];
    for (const [interaction, flag, sentence] of cases) {
      const result = plan(without(interaction, flag));
      expect(ephemeralContent(result)).toMatch(new RegExp(`^❌ ${sentence} in this channel`));
      expect(result.job).toBeUndefined();
      // With the permission the same interaction is queued.
      expect(plan(interaction).job?.queue).toBe('tickets');
    }
  });

  it('answers in the member’s language, and an Administrator bot lacks nothing', () => {
    const german = { ...without(button('pt:v1:claim:3'), P.ReadMessageHistory), locale: 'de' } as APIInteraction;
    expect(ephemeralContent(plan(german))).toMatch(/^❌ .*Read Message History/);
    expect(ephemeralContent(plan(german))).not.toMatch(/I lack/);
    const admin = { ...button('pt:v1:claim:3'), app_permissions: String(P.Administrator | P.ViewChannel) } as APIInteraction;
    expect(validJob(plan(admin))).toMatchObject({ name: 'ticket.claim' });
  });
});

describe('admin commands', () => {
  it('refuses /config to a member without Manage Server, naming the permission', () => {
    const result = plan(command('config', [sub('show')]));
    const content = ephemeralContent(result);
    expect(content).toMatch(/^❌/);
    expect(content).toContain('Manage Server');
    expect(result.job).toBeUndefined();
    expect(plan(command('panel', [sub('send')])).job).toBeUndefined();
  });

  it('queues config.command with the path and flattened options for an admin', () => {
    const result = plan(
      command(
        'config',
        [
          group('type', [
            sub('add', [
              str('name', 'support'),
              str('label', 'Support'),
              { type: T.Integer, name: 'limit', value: 2 } as APIApplicationCommandInteractionDataOption,
            ]),
          ]),
        ],
        MANAGE_GUILD,
      ),
    );
    expect(result.response).toEqual(deferred);
    const job = validJob(result);
    expect(job.queue).toBe('config');
    expect(job.name).toBe('config.command');
    expect(job.data).toMatchObject({ command: { path: ['config', 'type', 'add'], options: { name: 'support', label: 'Support', limit: 2 } } });
  });

  it('accepts ADMINISTRATOR as admin', () => {
    expect(validJob(plan(command('config', [sub('show')], String(1n << 3n)))).name).toBe('config.command');
  });

  it('queues panel.send on tickets', () => {
    const result = plan(
      command(
        'panel',
        [
          sub('send', [
            { type: T.Channel, name: 'channel', value: '400000000000000002' } as APIApplicationCommandInteractionDataOption,
            str('style', 'select'),
          ]),
        ],
        MANAGE_GUILD,
      ),
    );
    expect(result.response).toEqual(deferred);
    const job = validJob(result);
    expect(job).toMatchObject({
      queue: 'tickets',
      name: 'panel.send',
      data: { command: { path: ['panel', 'send'], options: { channel: '400000000000000002', style: 'select' } } },
    });
  });
});

describe('ticket commands and buttons', () => {
  it('/ticket close with a reason queues ticket.close with it', () => {
    const result = plan(command('ticket', [sub('close', [str('reason', '  solved  ')])]));
    expect(result.response).toEqual(deferred);
    const job = validJob(result);
    expect(job).toMatchObject({ queue: 'tickets', name: 'ticket.close', data: { reason: 'solved' } });
    expect(job.data).not.toHaveProperty('ticketNumber');
  });

  it('/ticket add, remove, rename, claim carry their data', () => {
    const user = (name: string) => ({ type: T.User, name, value: '200000000000000003' }) as APIApplicationCommandInteractionDataOption;
    expect(validJob(plan(command('ticket', [sub('add', [user('user')])])))).toMatchObject({
      name: 'ticket.member-add',
      data: { userId: '200000000000000003' },
    });
    expect(validJob(plan(command('ticket', [sub('remove', [user('user')])])))).toMatchObject({
      name: 'ticket.member-remove',
      data: { userId: '200000000000000003' },
    });
    expect(validJob(plan(command('ticket', [sub('rename', [str('name', 'vip')])])))).toMatchObject({ name: 'ticket.rename', data: { name: 'vip' } });
    expect(validJob(plan(command('ticket', [sub('claim')])))).toMatchObject({ name: 'ticket.claim' });
  });

  it('close button asks for confirmation with close-confirm and close-reason buttons', () => {
    const result = plan(button('pt:v1:close:7'));
    expect(result.job).toBeUndefined();
    ephemeralContent(result);
    const data = (result.response as { data: { components: { components: { custom_id: string }[] }[] } }).data;
    expect(data.components.flatMap((row) => row.components.map((c) => c.custom_id))).toEqual(['pt:v1:close-confirm:7', 'pt:v1:close-reason:7']);
  });

  it('close-confirm acknowledges with a deferred update and queues ticket.close with the number', () => {
    const result = plan(button('pt:v1:close-confirm:7'));
    expect(result.response).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    expect(validJob(result)).toMatchObject({ name: 'ticket.close', data: { ticketNumber: 7 } });
  });

  it('close-reason button opens the reason modal; its submit queues ticket.close with the reason', () => {
    const open = plan(button('pt:v1:close-reason:7'));
    expect(open.response.type).toBe(InteractionResponseType.Modal);
    expect((open.response as { data: { custom_id: string } }).data.custom_id).toBe('pt:v1:close-reason:7');
    const submit = plan(modal('pt:v1:close-reason:7', { reason: ' Duplicate ' }));
    expect(submit.response).toEqual(deferred);
    expect(validJob(submit)).toMatchObject({ name: 'ticket.close', data: { ticketNumber: 7, reason: 'Duplicate' } });
    expect(validJob(plan(modal('pt:v1:close-reason:7', { reason: '  ' }))).data).not.toHaveProperty('reason');
  });

  it('claim and unclaim buttons queue their job with the number', () => {
    expect(validJob(plan(button('pt:v1:claim:12')))).toMatchObject({ name: 'ticket.claim', data: { ticketNumber: 12 } });
    expect(validJob(plan(button('pt:v1:unclaim:12')))).toMatchObject({ name: 'ticket.unclaim', data: { ticketNumber: 12 } });
  });
});

describe('refusals', () => {
  it.each(['other-bot:thing', 'pt:v2:close:1', 'pt:v1:close:abc', 'pt:v1:claim:'])('answers ❌ for custom id %j', (id) => {
    const result = plan(button(id));
    expect(ephemeralContent(result)).toMatch(/^❌/);
    expect(result.job).toBeUndefined();
  });

  it('answers ❌ in a DM', () => {
    const dm = {
      ...command('ticket', [sub('close')]),
      guild_id: undefined,
      member: undefined,
      user: { id: USER, username: 'a', discriminator: '0', global_name: null, avatar: null },
    } as unknown as APIInteraction;
    const result = plan(dm);
    expect(ephemeralContent(result)).toMatch(/^❌/);
    expect(result.job).toBeUndefined();
  });
});

describe('privacy', () => {
  it('/privacy delete asks for confirmation with a privacy-delete-confirm button', () => {
    const result = plan(command('privacy', [sub('delete')]));
    expect(result.job).toBeUndefined();
    ephemeralContent(result);
    const data = (result.response as { data: { components: { components: { custom_id: string }[] }[] } }).data;
    expect(data.components.flatMap((row) => row.components.map((c) => c.custom_id))).toEqual(['pt:v1:privacy-delete-confirm:']);
  });

  it('the confirm button queues config.command privacy delete', () => {
    const result = plan(button('pt:v1:privacy-delete-confirm:'));
    expect(validJob(result)).toMatchObject({
      queue: 'config',
      name: 'config.command',
      data: { command: { path: ['privacy', 'delete'], options: { confirmed: true } } },
    });
  });

  it('/privacy export needs no admin rights', () => {
    expect(validJob(plan(command('privacy', [sub('export')])))).toMatchObject({ name: 'config.command', data: { command: { path: ['privacy', 'export'] } } });
  });
});

describe('staff tools', () => {
  const blocked: GuildConfig = { ...projection, blocklist: { userIds: [USER], roleIds: [] } };
  const blockedRole: GuildConfig = { ...projection, blocklist: { userIds: [], roleIds: ['300000000000000001'] } };

  it('refuses a blocked member, or a member of a blocked role, at the button, the select and the form, before any job or modal', () => {
    for (const config of [blocked, blockedRole]) {
      for (const interaction of [
        button('pt:v1:open:support'),
        button('pt:v1:open:billing'),
        select('pt:v1:open-select:', ['support']),
        modal('pt:v1:open-form:billing', { q0: 'x', q1: 'y' }),
      ]) {
        const result = plan(interaction, config);
        expect(ephemeralContent(result)).toMatch(/^❌ You cannot open tickets on this server: .*blocklist/);
        expect(result.job).toBeUndefined();
      }
    }
    expect(plan(button('pt:v1:open:support'), { ...projection, blocklist: { userIds: ['200000000000000099'], roleIds: [] } }).job).toBeDefined();
  });

  it('queues /tag and the ticket subcommands for ticket-worker, and /ticket list for config-service', () => {
    expect(validJob(plan(command('tag', [str('name', 'refund')])))).toMatchObject({ queue: 'tickets', name: 'ticket.tag', data: { name: 'refund' } });
    expect(validJob(plan(command('ticket', [sub('move', [str('type', 'billing')])])))).toMatchObject({ name: 'ticket.move', data: { typeName: 'billing' } });
    expect(validJob(plan(command('ticket', [sub('topic', [str('text', 'Refund of order 42')])])))).toMatchObject({
      name: 'ticket.topic',
      data: { text: 'Refund of order 42' },
    });
    expect(validJob(plan(command('ticket', [sub('priority', [str('level', 'urgent')])])))).toMatchObject({
      name: 'ticket.priority',
      data: { priority: 'urgent' },
    });
    expect(ephemeralContent(plan(command('ticket', [sub('priority', [str('level', 'whenever')])])))).toMatch(/^❌ The level must be/);
    expect(validJob(plan(command('ticket', [sub('list')])))).toMatchObject({
      queue: 'config',
      name: 'config.command',
      data: { command: { path: ['ticket', 'list'] } },
    });
  });

  it('carries the resolved member of /ticket transfer, or null when Discord resolved no member', () => {
    const target = '200000000000000077';
    const withMember = command('ticket', [sub('transfer', [{ type: T.User, name: 'member', value: target }])]);
    (withMember.data as { resolved?: unknown }).resolved = {
      users: { [target]: { id: target, username: 't', bot: false } },
      members: { [target]: { roles: ['300000000000000001'], permissions: '117760' } },
    };
    expect(validJob(plan(withMember))).toMatchObject({
      name: 'ticket.transfer',
      data: { userId: target, member: { roles: ['300000000000000001'], permissions: '117760', bot: false } },
    });
    const withoutMember = command('ticket', [sub('transfer', [{ type: T.User, name: 'member', value: target }])]);
    (withoutMember.data as { resolved?: unknown }).resolved = { users: { [target]: { id: target, username: 't' } } };
    expect(validJob(plan(withoutMember))).toMatchObject({ data: { userId: target, member: null } });
  });

  it('turns the list’s Previous/Next buttons into a deferred update of the same list', () => {
    const result = plan(button('pt:v1:ticket-list:3'));
    expect(result.response).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    expect(validJob(result)).toMatchObject({ name: 'config.command', data: { command: { path: ['ticket', 'list'], options: { page: 3 } } } });
  });
});

describe('autocomplete', () => {
  const staffRole = '300000000000000001';
  const config: GuildConfig = {
    ...projection,
    types: [{ ...type('support'), staffRoleIds: [staffRole] }, type('billing')],
    tags: Array.from({ length: 30 }, (_, i) => ({ name: `tag-${i}`, content: `Canned reply number ${i}` })),
  };
  const focused = (name: string, value: string) => ({ type: T.String, name, value, focused: true }) as APIApplicationCommandInteractionDataOption;
  const autocomplete = (name: string, options: APIApplicationCommandInteractionDataOption[], permissions = MEMBER_PERMS, roles = [staffRole]) => {
    const interaction = common(
      InteractionType.ApplicationCommandAutocomplete,
      { id: '500000000000000001', name, type: ApplicationCommandType.ChatInput, options },
      permissions,
    );
    (interaction.member as { roles: string[] }).roles = roles;
    return interaction as unknown as APIInteraction;
  };
  const choices = (interaction: APIInteraction) => {
    const result = plan(interaction, config);
    expect(result.job).toBeUndefined();
    expect(result.response.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    return (result.response as { data: { choices: { name: string; value: string }[] } }).data.choices;
  };

  it('suggests type names to admins in /config type, matching name or label', () => {
    expect(choices(autocomplete('config', [group('type', [sub('edit', [focused('name', 'BILL')])])], MANAGE_GUILD, []))).toEqual([
      { name: 'Billing (billing)', value: 'billing' },
    ]);
    expect(choices(autocomplete('config', [group('type', [sub('remove', [focused('name', '')])])], MANAGE_GUILD, [])).map((c) => c.value)).toEqual([
      'support',
      'billing',
    ]);
    // Not to staff without Manage Server: /config is an admin command.
    expect(choices(autocomplete('config', [group('type', [sub('edit', [focused('name', '')])])]))).toEqual([]);
  });

  it('suggests at most 25 tags to staff for /tag, filtered by what they typed', () => {
    expect(choices(autocomplete('tag', [focused('name', '')]))).toHaveLength(25);
    expect(choices(autocomplete('tag', [focused('name', 'tag-2')])).map((c) => c.value)).toEqual([
      'tag-2',
      ...Array.from({ length: 10 }, (_, i) => `tag-2${i}`),
    ]);
    expect(choices(autocomplete('tag', [focused('name', 'tag-7')]))[0]).toEqual({ name: 'tag-7 — Canned reply number 7', value: 'tag-7' });
    expect(choices(autocomplete('ticket', [sub('move', [focused('type', 'sup')])]))).toEqual([{ name: 'Support (support)', value: 'support' }]);
  });

  it('suggests nothing to a member who is neither staff nor admin, nor for an option that does not autocomplete', () => {
    expect(choices(autocomplete('tag', [focused('name', '')], MEMBER_PERMS, []))).toEqual([]);
    expect(choices(autocomplete('ticket', [sub('rename', [focused('name', 'x')])]))).toEqual([]);
  });
});

describe('support hours', () => {
  // The context's receivedAt, 2024-05-01T12:00Z, is a Wednesday: 14:00 in Berlin.
  const withHours = (mode: 'notice' | 'refuse', schedule: string, questions: string[] = []): GuildConfig => ({
    ...projection,
    types: [{ ...type('support', questions), hours: { timeZone: 'Europe/Berlin', schedule, mode } }],
  });

  it('opens as usual inside the hours', () => {
    const result = plan(button('pt:v1:open:support'), withHours('refuse', 'mon-fri 09:00-17:00'));
    expect(result.response).toEqual(deferred);
    expect(validJob(result).data).not.toHaveProperty('afterHours');
  });

  it('refuses outside the hours in refuse mode, saying when they resume', () => {
    const text = ephemeralContent(plan(button('pt:v1:open:support'), withHours('refuse', 'mon-fri 18:00-20:00')));
    const resume = Date.parse('2024-05-01T16:00:00Z') / 1000; // 18:00 CEST the same day
    expect(text).toBe(
      `❌ Support tickets can be opened during support hours only: mon-fri 18:00-20:00 (Europe/Berlin). They resume <t:${resume}:F> (<t:${resume}:R>).`,
    );
  });

  it('refuses before the form and again at its submit', () => {
    const config = withHours('refuse', 'sat 10:00-12:00', ['Why?']);
    expect(ephemeralContent(plan(button('pt:v1:open:support'), config))).toMatch(/^❌ Support tickets can be opened during support hours only/);
    expect(ephemeralContent(plan(modal('pt:v1:open-form:support', { q0: 'because' }), config))).toMatch(/^❌ Support tickets/);
  });

  it('opens outside the hours in notice mode, passing when they resume to the worker', () => {
    const result = plan(button('pt:v1:open:support'), withHours('notice', 'thu 09:00-17:00'));
    expect(result.response).toEqual(deferred);
    expect(validJob(result).data).toMatchObject({ typeName: 'support', afterHours: { opensAt: '2024-05-02T07:00:00.000Z' } });
    const form = plan(modal('pt:v1:open-form:support', { q0: 'because' }), withHours('notice', 'thu 09:00-17:00', ['Why?']));
    expect(validJob(form).data).toMatchObject({ answers: [{ question: 'q0', answer: 'because' }], afterHours: { opensAt: '2024-05-02T07:00:00.000Z' } });
  });
});

describe('feedback rating (DM buttons)', () => {
  const offer = `${GUILD}.7.sxyz12.${'a'.repeat(22)}`;
  /** A click in the bot's DM: no guild, no member, the user instead. */
  const inDm = (interaction: APIInteraction): APIInteraction => {
    const { guild_id: _g, member, ...rest } = interaction as unknown as Record<string, unknown> & { member: { user: unknown } };
    void _g;
    return {
      ...rest,
      user: member.user,
      channel: { id: '400000000000000009', type: 1 },
      channel_id: '400000000000000009',
      context: 1,
    } as unknown as APIInteraction;
  };

  it('opens the comment form for the clicked rating', () => {
    const interaction = inDm(button(`pt:v1:rate:4.${offer}`));
    expect(interactionContext(interaction, new Date())).toBeNull();
    const result = planInteraction(interaction, null, null);
    expect(result.job).toBeUndefined();
    expect(result.response).toMatchObject({
      type: InteractionResponseType.Modal,
      data: { custom_id: `pt:v1:rate-comment:4.${offer}`, title: 'Your rating: 4 of 5' },
    });
  });

  it("writes the form in the member's language", () => {
    const interaction = { ...inDm(button(`pt:v1:rate:4.${offer}`)), locale: 'de' } as APIInteraction;
    expect(planInteraction(interaction, null, null).response).toMatchObject({
      data: { title: 'Deine Bewertung: 4 von 5', components: [{ components: [{ label: 'Noch etwas hinzuzufügen? (optional)' }] }] },
    });
  });

  it('sends the rating and comment to config-service with the offer, and nothing about who rated', () => {
    const received = new Date('2024-05-01T12:00:00.000Z');
    const result = planInteraction(inDm(modal(`pt:v1:rate-comment:4.${offer}`, { comment: '  quick and kind ' })), null, null, received);
    expect(result.response).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    const job = validJob(result);
    expect(job).toEqual({
      queue: 'config',
      name: 'feedback.rate',
      data: {
        v: 1,
        applicationId: '110000000000000001',
        interactionId: '900000000000000001',
        token: 'interaction-token',
        receivedAt: received.toISOString(),
        offer,
        rating: 4,
        locale: 'en-US',
        comment: 'quick and kind',
      },
    });
    expect(JSON.stringify(job.data)).not.toContain(USER);
    const withoutComment = planInteraction(inDm(modal(`pt:v1:rate-comment:2.${offer}`, { comment: '' })), null, null, received);
    expect(validJob(withoutComment).data).not.toHaveProperty('comment');
  });

  it('answers a malformed rating id with ❌', () => {
    expect(ephemeralContent(planInteraction(inDm(button('pt:v1:rate:9.x')), null, null))).toMatch(/^❌ This rating button is malformed/);
  });
});
