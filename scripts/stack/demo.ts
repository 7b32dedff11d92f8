import type { EmulatorClient, InteractInput, InteractionState, MessageObject, SeedGuildInput, SeededGuild } from '@promton/discord-emulator';

/** Administrator: what server admins usually hold; Manage Server alone cannot see ticket channels. */
const ADMIN_PERMISSIONS = (1n << 3n).toString();

export interface DemoGuild {
  guild: SeededGuild;
  owner: SeededGuild['members'][number];
  admin: SeededGuild['members'][number];
  member: SeededGuild['members'][number];
  /** A second member, to show that one member's ticket stays hidden from another. */
  otherMember: SeededGuild['members'][number];
  staff: SeededGuild['members'][number];
  staffRole: SeededGuild['roles'][number];
  category: SeededGuild['channels'][number];
  logChannel: SeededGuild['channels'][number];
  panelChannel: SeededGuild['channels'][number];
  readOnlyChannel: SeededGuild['channels'][number];
}

function pick<T extends { name?: string; username?: string }>(list: T[], name: string): T {
  const found = list.find((item) => item.name === name || item.username === name);
  if (!found) throw new Error(`seeded guild lacks ${name}`);
  return found;
}

/** A snowflake-shaped id from the current time (Discord's epoch), for a member named before seeding. */
function snowflakeNow(increment: number): string {
  return ((BigInt(Date.now() - 1_420_070_400_000) << 22n) | BigInt(increment & 0xfff)).toString();
}

/** A server with a named owner, an admin, a staff role and member, two members, a ticket category, a log and a panel channel (and any `extraChannels` a test needs). */
export async function seedDemoGuild(
  emulator: EmulatorClient,
  name = 'PROMTON demo',
  options: { botPermissions?: string; extraChannels?: NonNullable<SeedGuildInput['channels']> } = {},
): Promise<DemoGuild> {
  const ownerId = snowflakeNow(0x0e1);
  const guild = await emulator.seedGuild({
    name,
    ...(options.botPermissions ? { botPermissions: options.botPermissions } : {}),
    ownerId,
    memberCount: 42,
    emojis: [{ name: 'ticket' }],
    roles: [
      { name: 'Admin', permissions: ADMIN_PERMISSIONS },
      { name: 'Support staff', permissions: '0' },
    ],
    members: [
      { id: ownerId, username: 'olivia-owner' },
      { username: 'ada-admin', roles: ['Admin'] },
      { username: 'sam-staff', roles: ['Support staff'] },
      { username: 'mia-member' },
      { username: 'max-member' },
    ],
    channels: [
      { name: 'Tickets', type: 4 },
      { name: 'ticket-log', type: 0 },
      { name: 'open-a-ticket', type: 0 },
      // Nobody may post here or manage its webhooks, the bot included: a log channel the bot cannot use.
      { name: 'announcements', type: 0, permissionOverwrites: [{ id: '@everyone', type: 0, allow: '0', deny: ((1n << 11n) | (1n << 29n)).toString() }] },
      ...(options.extraChannels ?? []),
    ],
  });
  return {
    guild,
    owner: pick(guild.members, 'olivia-owner'),
    admin: pick(guild.members, 'ada-admin'),
    staff: pick(guild.members, 'sam-staff'),
    member: pick(guild.members, 'mia-member'),
    otherMember: pick(guild.members, 'max-member'),
    staffRole: pick(guild.roles, 'Support staff'),
    category: pick(guild.channels, 'Tickets'),
    logChannel: pick(guild.channels, 'ticket-log'),
    panelChannel: pick(guild.channels, 'open-a-ticket'),
    readOnlyChannel: pick(guild.channels, 'announcements'),
  };
}

/** Runs a slash command or component as a member and waits for the answer they see. */
export async function act(emulator: EmulatorClient, input: InteractInput, timeoutMs = 20_000): Promise<InteractionState> {
  const { id } = await emulator.interact(input);
  return emulator.waitForOriginal(id, timeoutMs);
}

export function answerText(state: InteractionState): string {
  return state.original?.content ?? '';
}

export async function command(
  emulator: EmulatorClient,
  demo: DemoGuild,
  path: string[],
  args: Record<string, string | number | boolean> = {},
  as = demo.admin.id,
  channelId = demo.panelChannel.id,
): Promise<string> {
  const state = await act(emulator, { guildId: demo.guild.id, channelId, userId: as, kind: 'command', path, args });
  return answerText(state);
}

/** The admin's command in the panel channel with its whole answer (embeds, attachments), where `command` gives its text. */
export function adminAct(
  emulator: EmulatorClient,
  demo: DemoGuild,
  path: string[],
  extra: Pick<InteractInput, 'args' | 'attachments'> = {},
): Promise<InteractionState> {
  return act(emulator, { guildId: demo.guild.id, channelId: demo.panelChannel.id, userId: demo.admin.id, kind: 'command', path, ...extra });
}

/** `userId` opens a ticket of `typeName` from the panel: its number (also as shown, `0042`) and channel (a thread for a thread type); throws with the answer otherwise. */
export async function openFromPanel(
  emulator: EmulatorClient,
  demo: DemoGuild,
  userId: string,
  typeName = 'support',
): Promise<{ number: number; padded: string; channelId: string }> {
  const state = await act(emulator, { guildId: demo.guild.id, channelId: demo.panelChannel.id, userId, kind: 'button', customId: `pt:v1:open:${typeName}` });
  const match = /#(\d{4,}) is open: <#(\d+)>/.exec(state.original?.content ?? '');
  if (!match) throw new Error(`open answered: ${state.original?.content}`);
  return { number: Number(match[1]), padded: match[1]!, channelId: match[2]! };
}

/** Configures the demo server through the real slash commands, failing loudly on any ❌. */
export async function configureDemoGuild(emulator: EmulatorClient, demo: DemoGuild): Promise<void> {
  await emulator.waitForGateway();
  const steps: [string[], Record<string, string | number | boolean>][] = [
    [
      ['config', 'type', 'add'],
      {
        name: 'support',
        label: 'Support',
        emoji: '🎫',
        description: 'Questions about anything',
        category: demo.category.id,
        'staff-role': demo.staffRole.id,
        message: 'Welcome! Tell us what you need and staff will answer here.',
      },
    ],
    [['config', 'log-channel', 'set'], { channel: demo.logChannel.id }],
    [['config', 'embed', 'set'], { color: '#2f9e44', footer: 'PROMTON demo server' }],
    [['panel', 'send'], { channel: demo.panelChannel.id, title: 'Need help?', text: 'Click below to open a private ticket with our staff.' }],
  ];
  for (const [path, args] of steps) {
    const text = await command(emulator, demo, path, args);
    if (!text.startsWith('✅')) throw new Error(`/${path.join(' ')} answered: ${text}`);
  }
}

export async function panelMessage(emulator: EmulatorClient, channelId: string): Promise<MessageObject> {
  const messages = await emulator.messages(channelId);
  const panel = messages.reverse().find((message) => JSON.stringify(message.components).includes('pt:v1:open'));
  if (!panel) throw new Error('no panel message found');
  return panel;
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The demo member clicks the panel's button; returns what they saw, the channel and the log line. */
export async function openDemoTicket(emulator: EmulatorClient, demo: DemoGuild) {
  const panel = await panelMessage(emulator, demo.panelChannel.id);
  const state = await act(emulator, {
    guildId: demo.guild.id,
    channelId: demo.panelChannel.id,
    userId: demo.member.id,
    kind: 'button',
    customId: 'pt:v1:open:support',
    messageId: panel.id,
  });
  const answer = answerText(state);
  const channelId = /<#(\d+)>/.exec(answer)?.[1];
  if (!channelId) throw new Error(`the member was answered: ${answer}`);
  const channel = await emulator.channel(channelId);
  if (!channel) throw new Error(`channel ${channelId} does not exist`);
  const guild = await emulator.guild(demo.guild.id);
  const label = (id: string) =>
    id === demo.guild.id ? '@everyone' : (guild.roles.find((r) => r.id === id)?.name ?? guild.members.find((m) => m.id === id)?.username ?? id);
  const logMessage = await waitFor(
    async () => (await emulator.messages(demo.logChannel.id)).find((m) => JSON.stringify(m.embeds).includes('Ticket opened')),
    'the log line',
  );
  const embed = logMessage.embeds.find((e) => String(e.title ?? '').includes('Ticket opened')) as { title: string; fields?: { name: string; value: string }[] };
  return {
    answer,
    channel: { ...channel, permission_overwrites: channel.permission_overwrites.map((o) => ({ ...o, label: label(o.id) })) },
    logLine: `${embed.title} — ${(embed.fields ?? []).map((f) => `${f.name}: ${f.value}`).join(', ')}`,
  };
}
