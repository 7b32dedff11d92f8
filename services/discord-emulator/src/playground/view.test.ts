import { describe, expect, it } from 'vitest';
import { newMessage } from '../messages.js';
import { EmulatorState, makeRole } from '../state.js';
import { redactPath } from './server.js';
import { buildView } from './view.js';

const VIEW = 1n << 10n;

/** A server with a public channel, a ticket category and one private ticket (as the bot creates them). */
function server() {
  const state = new EmulatorState('1100000000000000001');
  const guild = state.createGuild({ name: 'Demo', ownerId: '100' });
  state.ensureUser('100', 'olivia-owner');
  const staffRole = makeRole('200', 'Support staff', 0n, 2);
  guild.roles.set(staffRole.id, staffRole);
  state.addMember(guild, '301', [], 'mia-member');
  state.addMember(guild, '302', [], 'max-member');
  state.addMember(guild, '303', ['200'], 'sam-staff');
  const general = state.createChannel(guild, { name: 'general', type: 0 });
  const category = state.createChannel(guild, { name: 'Tickets', type: 4 });
  const ticket = state.createChannel(guild, {
    name: 'ticket-0001',
    type: 0,
    parent_id: category.id,
    permission_overwrites: [
      { id: guild.id, type: 0, allow: '0', deny: String(VIEW) },
      { id: '301', type: 1, allow: String(VIEW), deny: '0' },
      { id: '200', type: 0, allow: String(VIEW), deny: '0' },
    ],
  });
  return { state, guild, general, category, ticket };
}

const names = (view: ReturnType<typeof buildView>) => view.channels.map((c) => c.name);

describe('what each person sees in the playground', () => {
  it('shows a ticket only to its member, its staff and the owner; nothing to a stranger', () => {
    const { state, guild } = server();
    const as = (id: string) => buildView(state, { guild: guild.id, as: id }, '999');
    expect(names(as('301'))).toEqual(['Tickets', 'general', 'ticket-0001']);
    expect(names(as('302'))).toEqual(['general']);
    expect(names(as('303'))).toEqual(['Tickets', 'general', 'ticket-0001']);
    expect(names(as('100'))).toEqual(['Tickets', 'general', 'ticket-0001']);
    const stranger = as('999');
    expect(stranger.me).toMatchObject({ username: 'a stranger', member: false });
    expect(names(stranger)).toEqual([]);
    expect(stranger.commands).toEqual([]);
  });

  it("shows a webhook's message under the webhook's name", () => {
    const { state, guild, general } = server();
    const hook = { id: '700', username: 'PROMTON-TICKETS log', global_name: null, discriminator: '0000', avatar: null, bot: true };
    state.addMessage(newMessage(state, { channelId: general.id, guildId: guild.id, author: hook, embeds: [{ title: 'Ticket opened' }], webhookId: '700' }));
    const view = buildView(state, { guild: guild.id, as: '301', channel: general.id }, '999');
    expect(view.messages.map((m) => [m.author.username, m.webhook_id])).toEqual([['PROMTON-TICKETS log', '700']]);
  });

  it('offers the owner, every human member and a stranger to act as', () => {
    const { state, guild } = server();
    const view = buildView(state, { guild: guild.id }, '999');
    expect(view.personas.map((p) => `${p.username}: ${p.label}`)).toEqual([
      'olivia-owner: owner',
      'mia-member: member',
      'max-member: member',
      'sam-staff: Support staff',
      'a stranger: not in this server',
    ]);
  });

  it("refuses a hidden channel's messages, and shows ephemeral answers only to the person they answer", () => {
    const { state, guild, ticket, general } = server();
    state.addMessage({
      id: state.ids.next(),
      type: 0,
      channel_id: ticket.id,
      author: state.botUser,
      content: 'private',
      embeds: [],
      components: [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: 0,
    });
    expect(buildView(state, { guild: guild.id, as: '302', channel: ticket.id }, '999')).toMatchObject({ channel: null, messages: [] });
    expect(buildView(state, { guild: guild.id, as: '301', channel: ticket.id }, '999').messages.map((m) => m.content)).toEqual(['private']);

    const id = state.ids.next();
    const answer = {
      id: state.ids.next(),
      type: 20,
      channel_id: general.id,
      author: state.botUser,
      content: '✅ only for mia',
      embeds: [],
      components: [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: 64 | 128,
      interaction_metadata: { id },
    };
    state.interactions.set(id, {
      id,
      token: 't',
      kind: 'command',
      type: 2,
      createdAt: Date.now(),
      guildId: guild.id,
      channelId: general.id,
      userId: '301',
      payload: {},
      response: { type: 5, data: { flags: 64 }, at: '', latencyMs: 1 },
      original: answer,
      followups: [],
      deleted: false,
      originalEdited: false,
    });
    const mia = buildView(state, { guild: guild.id, as: '301', channel: general.id }, '999').messages;
    expect(mia).toMatchObject([{ content: '✅ only for mia', ephemeral: true, loading: true, interactionId: id }]);
    expect(buildView(state, { guild: guild.id, as: '302', channel: general.id }, '999').messages).toEqual([]);
  });

  it('hides commands from people without their default_member_permissions', () => {
    const { state, guild } = server();
    const base = { application_id: state.applicationId, type: 1, version: '1' };
    state.globalCommands.set('1', { ...base, id: '1', name: 'config', default_member_permissions: String(1n << 5n) });
    state.globalCommands.set('2', { ...base, id: '2', name: 'privacy', default_member_permissions: null });
    expect(buildView(state, { guild: guild.id, as: '301' }, '999').commands.map((c) => c.name)).toEqual(['privacy']);
    expect(buildView(state, { guild: guild.id, as: '100' }, '999').commands.map((c) => c.name)).toEqual(['config', 'privacy']);
  });

  it('shows request paths without interaction or webhook tokens', () => {
    expect(redactPath('/interactions/123/aW50ZXJhY3Rpb246MTIz/callback')).toBe('/interactions/123/:token/callback');
    expect(redactPath('/webhooks/456/secret-token/messages/@original')).toBe('/webhooks/456/:token/messages/@original');
    expect(redactPath('/channels/1/messages')).toBe('/channels/1/messages');
  });
});
