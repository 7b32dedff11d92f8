import { DiscordAPIError } from '@discordjs/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, gatewayClient, startEmulator, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DiscordAPIError) return error;
    throw error;
  }
  throw new Error('expected a DiscordAPIError');
}

async function setup(options: Parameters<typeof startEmulator>[0] = {}) {
  h = await startEmulator({ rateLimits: false, ...options });
  const guild = await h.client.seedGuild({
    name: 'G',
    roles: [{ name: 'Staff', permissions: '0' }],
    members: [{ username: 'alice', roles: ['Staff'] }],
    channels: [{ name: 'Tickets', type: 4 }, { name: 'general' }],
  });
  const alice = guild.members.find((m) => m.username === 'alice')!;
  const channel = guild.channels.find((c) => c.name === 'general')!;
  return { h, guild, alice, channel };
}

const callback = (h: Harness, id: string, token: string, body: unknown) => h.rest.post(`/interactions/${id}/${token}/callback`, { body, auth: false });

describe('interactions', () => {
  it('dispatches a command with options resolved from the registered definition', async () => {
    const { h, guild, alice, channel } = await setup();
    const category = guild.channels.find((c) => c.type === 4)!;
    const staff = guild.roles.find((r) => r.name === 'Staff')!;
    await h.rest.put(`/applications/${h.emu.state.applicationId}/commands`, {
      body: [
        {
          name: 'config',
          description: 'Configure',
          options: [
            {
              type: 2,
              name: 'type',
              description: 'Types',
              options: [
                {
                  type: 1,
                  name: 'add',
                  description: 'Add',
                  options: [
                    { type: 3, name: 'name', description: 'n', required: true },
                    { type: 7, name: 'category', description: 'c' },
                    { type: 8, name: 'staff-role', description: 'r' },
                    { type: 4, name: 'limit', description: 'l' },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const ws = gatewayClient(h.rest);
    const { events, waitFor } = collect(ws);
    await ws.connect();
    await waitFor((e) => e.some((x) => x.t === 'GUILD_CREATE'));
    const { id } = await h.client.interact({
      guildId: guild.id,
      channelId: channel.id,
      userId: alice.id,
      kind: 'command',
      path: ['config', 'type', 'add'],
      args: { name: 'support', category: category.id, 'staff-role': staff.id, limit: '3' },
    });
    await waitFor((e) => e.some((x) => x.t === 'INTERACTION_CREATE'));
    const payload = events.find((e) => e.t === 'INTERACTION_CREATE')!.d as {
      member: { user: { id: string }; permissions: string };
      data: { name: string; options: unknown; resolved: { channels: Record<string, unknown>; roles: Record<string, unknown> } };
    };
    expect(payload).toMatchObject({ id, type: 2, guild_id: guild.id, channel_id: channel.id, version: 1, application_id: h.emu.state.applicationId });
    expect(payload.member.user.id).toBe(alice.id);
    expect(payload.member.permissions).toMatch(/^\d+$/);
    expect(payload.data.name).toBe('config');
    expect(payload.data.options).toEqual([
      {
        name: 'type',
        type: 2,
        options: [
          {
            name: 'add',
            type: 1,
            options: [
              { name: 'name', type: 3, value: 'support' },
              { name: 'category', type: 7, value: category.id },
              { name: 'staff-role', type: 8, value: staff.id },
              { name: 'limit', type: 4, value: 3 },
            ],
          },
        ],
      },
    ]);
    expect(payload.data.resolved.channels[category.id]).toMatchObject({ id: category.id, type: 4 });
    expect(payload.data.resolved.roles[staff.id]).toMatchObject({ name: 'Staff' });
    await ws.destroy();
  });

  it('records a deferral and the @original edit; waitForOriginal resolves', async () => {
    const { h, guild, alice, channel } = await setup();
    const { id, token } = await h.client.interact({ guildId: guild.id, channelId: channel.id, userId: alice.id, kind: 'command', name: 'ticket' });
    await callback(h, id, token, { type: 5, data: { flags: 64 } });
    const waiting = h.client.waitForOriginal(id, 5_000);
    await h.rest.patch(`/webhooks/${h.emu.state.applicationId}/${token}/messages/@original`, {
      body: { content: '✅ Done', embeds: [{ title: 'T' }] },
      auth: false,
    });
    const state = await waiting;
    expect(state.response).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(state.original).toMatchObject({ content: '✅ Done', flags: 64 });
    const followup = (await h.rest.post(`/webhooks/${h.emu.state.applicationId}/${token}`, {
      body: { content: 'public followup' },
      files: [{ name: 'a.txt', data: 'abc' }],
      auth: false,
    })) as { id: string; attachments: { filename: string }[] };
    expect(followup.attachments[0]!.filename).toBe('a.txt');
    expect((await h.client.interaction(id)).followups).toHaveLength(1);
    // Ephemeral answers are not channel messages; the public followup is.
    expect((await h.client.messages(channel.id)).map((m) => m.content)).toEqual(['public followup']);
  });

  it('refuses a second acknowledgement (40060) and a modal after a deferral', async () => {
    const { h, guild, alice, channel } = await setup();
    const { id, token } = await h.client.interact({ guildId: guild.id, channelId: channel.id, userId: alice.id, kind: 'command', name: 'ticket' });
    await callback(h, id, token, { type: 5 });
    const twice = await apiError(callback(h, id, token, { type: 4, data: { content: 'again' } }));
    expect([twice.status, twice.code]).toEqual([400, 40060]);
    const modal = await apiError(
      callback(h, id, token, {
        type: 9,
        data: { custom_id: 'pt:v1:form:x', title: 'Form', components: [{ type: 1, components: [{ type: 4, custom_id: 'q', label: 'Q', style: 1 }] }] },
      }),
    );
    expect(modal.code).toBe(40060);
  });

  it('answers 10062 when the first response comes after the window', async () => {
    const { h, guild, alice, channel } = await setup({ interactionWindowMs: 50 });
    const { id, token } = await h.client.interact({ guildId: guild.id, channelId: channel.id, userId: alice.id, kind: 'command', name: 'ticket' });
    // 120 ms pass (the record ages, no test waits on a clock).
    h.emu.state.interactions.get(id)!.createdAt -= 120;
    const late = await apiError(callback(h, id, token, { type: 5 }));
    expect([late.status, late.code]).toEqual([404, 10062]);
  });

  it('answers 10015 for an unknown webhook token and 50027 for an expired one', async () => {
    const { h, guild, alice, channel } = await setup({ tokenLifetimeMs: 100 });
    const unknown = await apiError(h.rest.post(`/webhooks/${h.emu.state.applicationId}/not-a-token`, { body: { content: 'x' }, auth: false }));
    expect(unknown.code).toBe(10015);
    const { id, token } = await h.client.interact({ guildId: guild.id, channelId: channel.id, userId: alice.id, kind: 'command', name: 'ticket' });
    await callback(h, id, token, { type: 5 });
    h.emu.state.interactions.get(id)!.createdAt -= 150;
    const expired = await apiError(
      h.rest.patch(`/webhooks/${h.emu.state.applicationId}/${token}/messages/@original`, { body: { content: 'late' }, auth: false }),
    );
    expect([expired.status, expired.code]).toEqual([401, 50027]);
    // A followup with the spent token is refused the same way.
    const followup = await apiError(h.rest.post(`/webhooks/${h.emu.state.applicationId}/${token}`, { body: { content: 'late' }, auth: false }));
    expect([followup.status, followup.code]).toEqual([401, 50027]);
  });

  it('button clicks carry the message; UPDATE_MESSAGE edits it; modal submits follow the modal', async () => {
    const { h, guild, alice, channel } = await setup();
    const panel = (await h.rest.post(`/channels/${channel.id}/messages`, {
      body: { content: 'Open a ticket', components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Open', custom_id: 'pt:v1:open:support' }] }] },
    })) as { id: string };
    const click = await h.client.interact({ guildId: guild.id, channelId: channel.id, userId: alice.id, kind: 'button', customId: 'pt:v1:open:support' });
    expect((click.payload.message as { id: string }).id).toBe(panel.id);
    await callback(h, click.id, click.token, {
      type: 9,
      data: {
        custom_id: 'pt:v1:form:support',
        title: 'Support',
        components: [{ type: 18, label: 'Why?', component: { type: 4, custom_id: 'why', style: 2 } }],
      },
    });
    const submit = await h.client.interact({
      guildId: guild.id,
      channelId: channel.id,
      userId: alice.id,
      kind: 'modal',
      customId: 'pt:v1:form:support',
      fields: { why: 'help' },
    });
    expect((submit.payload.data as { components: unknown[] }).components).toEqual([
      { type: 18, id: 1, component: { type: 4, id: 2, custom_id: 'why', value: 'help' } },
    ]);
    const again = await h.client.interact({ guildId: guild.id, channelId: channel.id, userId: alice.id, kind: 'button', customId: 'pt:v1:open:support' });
    await callback(h, again.id, again.token, { type: 7, data: { content: 'Panel updated', components: [] } });
    expect((await h.client.messages(channel.id))[0]).toMatchObject({ id: panel.id, content: 'Panel updated' });
  });
});

describe('autocomplete (APPLICATION_COMMAND_AUTOCOMPLETE, type 4)', () => {
  const tagCommand = {
    name: 'tag',
    description: 'Tags',
    options: [
      { type: 3, name: 'name', description: 'n', required: true, autocomplete: true },
      { type: 4, name: 'count', description: 'c', autocomplete: true },
      { type: 3, name: 'plain', description: 'p' },
    ],
  };

  it('refuses to register autocomplete with choices or on a non-text option', async () => {
    const { h } = await setup();
    const refused = await apiError(
      h.rest.put(`/applications/${h.emu.state.applicationId}/commands`, {
        body: [
          {
            name: 'tag',
            description: 'Tags',
            options: [
              { type: 3, name: 'name', description: 'n', autocomplete: true, choices: [{ name: 'a', value: 'a' }] },
              { type: 5, name: 'flag', description: 'f', autocomplete: true },
            ],
          },
        ],
      }),
    );
    expect([refused.status, refused.code]).toEqual([400, 50035]);
    expect(JSON.stringify(refused.rawError)).toContain('Autocomplete cannot be set with choices');
    expect(JSON.stringify(refused.rawError)).toContain('only for string, integer and number options');
  });

  it('sends the partial options with the focused one and takes only a result of at most 25 choices of its type', async () => {
    const { h, guild, alice, channel } = await setup();
    await h.rest.put(`/applications/${h.emu.state.applicationId}/commands`, { body: [tagCommand] });
    const ws = gatewayClient(h.rest);
    const { events, waitFor } = collect(ws);
    await ws.connect();
    await waitFor((e) => e.some((x) => x.t === 'GUILD_CREATE'));
    const typed = await h.client.interact({
      guildId: guild.id,
      channelId: channel.id,
      userId: alice.id,
      kind: 'autocomplete',
      path: ['tag'],
      args: { name: 'wel', count: 3 },
      focused: 'name',
    });
    await waitFor((e) => e.some((x) => x.t === 'INTERACTION_CREATE'));
    const payload = events.find((e) => e.t === 'INTERACTION_CREATE')!.d as { type: number; data: { name: string; options: unknown[] } };
    expect(payload.type).toBe(4);
    expect(payload.data.name).toBe('tag');
    expect(payload.data.options).toEqual([
      { name: 'name', type: 3, value: 'wel', focused: true },
      { name: 'count', type: 4, value: 3 },
    ]);
    await ws.destroy();

    // Only the autocomplete result answers it: a message, a deferral or a modal is refused.
    for (const body of [{ type: 4, data: { content: 'x' } }, { type: 5 }, { type: 9, data: { custom_id: 'm', title: 't', components: [] } }]) {
      const wrong = await apiError(callback(h, typed.id, typed.token, body));
      expect([wrong.status, wrong.code, JSON.stringify(wrong.rawError)]).toEqual([400, 50035, expect.stringContaining('INTERACTION_CALLBACK_TYPE_INVALID')]);
    }
    const tooMany = Array.from({ length: 26 }, (_, i) => ({ name: `tag ${i}`, value: `tag-${i}` }));
    expect((await apiError(callback(h, typed.id, typed.token, { type: 8, data: { choices: tooMany } }))).status).toBe(400);
    expect((await apiError(callback(h, typed.id, typed.token, { type: 8, data: { choices: [{ name: 'one', value: 1 }] } }))).status).toBe(400);
    expect((await apiError(callback(h, typed.id, typed.token, { type: 8, data: { choices: [{ name: '', value: 'x' }] } }))).status).toBe(400);
    await callback(h, typed.id, typed.token, { type: 8, data: { choices: tooMany.slice(0, 25) } });
    const state = await h.client.waitForResponse(typed.id, 5_000);
    expect(state.response).toMatchObject({ type: 8, data: { choices: tooMany.slice(0, 25) } });
    expect(state.kind).toBe('autocomplete');

    // An integer option's choices are integers.
    const counted = await h.client.interact({
      guildId: guild.id,
      channelId: channel.id,
      userId: alice.id,
      kind: 'autocomplete',
      path: ['tag'],
      focused: 'count',
    });
    expect((await apiError(callback(h, counted.id, counted.token, { type: 8, data: { choices: [{ name: 'one', value: '1' }] } }))).status).toBe(400);
    await callback(h, counted.id, counted.token, { type: 8, data: { choices: [{ name: 'one', value: 1 }] } });

    // The result answers nothing else.
    const command = await h.client.interact({
      guildId: guild.id,
      channelId: channel.id,
      userId: alice.id,
      kind: 'command',
      path: ['tag'],
      args: { name: 'x' },
    });
    expect((await apiError(callback(h, command.id, command.token, { type: 8, data: { choices: [] } }))).status).toBe(400);
  });

  it('refuses to build an autocomplete for an option registered without it', async () => {
    const { h, guild, alice, channel } = await setup();
    await h.rest.put(`/applications/${h.emu.state.applicationId}/commands`, { body: [tagCommand] });
    await expect(
      h.client.interact({ guildId: guild.id, channelId: channel.id, userId: alice.id, kind: 'autocomplete', path: ['tag'], focused: 'plain' }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe('control API', () => {
  it('reset clears state but keeps registered commands unless asked', async () => {
    const { h } = await setup();
    await h.rest.put(`/applications/${h.emu.state.applicationId}/commands`, { body: [{ name: 'ticket', description: 'Tickets' }] });
    await h.client.reset();
    expect(h.emu.state.guilds.size).toBe(0);
    expect((await h.client.commands()).global.map((c) => c.name)).toEqual(['ticket']);
    await h.client.reset({ commands: true });
    expect((await h.client.commands()).global).toEqual([]);
  });

  it('refuses a path through an unregistered command with a clear 400', async () => {
    const { h, guild, alice, channel } = await setup();
    await expect(
      h.client.interact({ guildId: guild.id, channelId: channel.id, userId: alice.id, kind: 'command', path: ['config', 'type', 'add'], args: { name: 'x' } }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe("app_permissions: the bot's permissions where the interaction comes from", () => {
  const VIEW = 1n << 10n;
  const SEND = 1n << 11n;
  const MANAGE_CHANNELS = 1n << 4n;
  const MANAGE_ROLES = 1n << 28n;

  it('is computed from the bot role, the channel overwrites and a role edit, as Discord does', async () => {
    const { h, guild, alice, channel } = await setup();
    await h.rest.put(`/applications/${h.emu.state.applicationId}/commands`, {
      body: [{ name: 'panel', description: 'Panel', options: [{ type: 7, name: 'channel', description: 'c', required: true }] }],
    });
    const ws = gatewayClient(h.rest);
    const { events, waitFor } = collect(ws);
    await ws.connect();
    await waitFor((e) => e.some((x) => x.t === 'GUILD_CREATE'));
    const payloads = () => events.filter((e) => e.t === 'INTERACTION_CREATE').map((e) => e.d as Record<string, unknown>);
    const click = async () => {
      const before = payloads().length;
      await h.client.interact({ guildId: guild.id, channelId: channel.id, userId: alice.id, kind: 'command', path: ['panel'], args: { channel: channel.id } });
      await waitFor(() => payloads().length > before);
      return payloads().at(-1)!;
    };
    const botRole = BigInt(guild.roles.find((r) => r.id === guild.botRoleId)!.permissions);
    const everyone = BigInt(guild.roles.find((r) => r.id === guild.id)!.permissions);
    expect(botRole & MANAGE_ROLES).toBe(MANAGE_ROLES);
    // The invite's permissions and nothing more: no Manage Messages.
    expect(botRole & (1n << 13n)).toBe(0n);
    const role = botRole | everyone;

    expect(BigInt((await click()).app_permissions as string)).toBe(role);

    // @everyone denied Send Messages in the channel: the bot loses it there, as every member does.
    await h.client.setOverwrite(channel.id, guild.id, { type: 0, deny: String(SEND) });
    expect(BigInt((await click()).app_permissions as string)).toBe(role & ~SEND);

    // The bot's role loses Manage Roles in the server settings.
    await h.client.setRolePermissions(guild.id, guild.botRoleId, botRole & ~MANAGE_ROLES);
    await waitFor((e) => e.some((x) => x.t === 'GUILD_ROLE_UPDATE'));
    const payload = await click();
    expect(BigInt(payload.app_permissions as string)).toBe(role & ~SEND & ~MANAGE_ROLES);
    // A resolved channel carries the member's permissions there and the bot's (channel.md).
    const resolved = (payload.data as { resolved: { channels: Record<string, { permissions: string; app_permissions: string }> } }).resolved.channels[
      channel.id
    ]!;
    expect(BigInt(resolved.app_permissions)).toBe(role & ~SEND & ~MANAGE_ROLES);
    expect(resolved.permissions).toBe((payload.member as { permissions: string }).permissions);
    expect(resolved.permissions).not.toBe(resolved.app_permissions);

    // Without View Channel the bot has nothing in the channel.
    await h.client.setOverwrite(channel.id, guild.botRoleId, { type: 0, deny: String(VIEW) });
    expect((await click()).app_permissions).toBe('0');
    expect(MANAGE_CHANNELS & role).toBe(MANAGE_CHANNELS);
    await ws.destroy();
  });

  it('refuses a role edit of an unknown role or with permissions that are not a decimal string', async () => {
    const { h, guild } = await setup();
    await expect(h.client.setRolePermissions(guild.id, '1', '8')).rejects.toThrow(/404/);
    await expect(h.client.setRolePermissions(guild.id, guild.botRoleId, 'all')).rejects.toThrow(/400/);
  });
});
