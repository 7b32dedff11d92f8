import { DiscordAPIError } from '@discordjs/rest';
import { PermissionFlagsBits as P } from '@promton/shared/domain';
import { commandDefinitions } from '@promton/shared/commands';
import { EMULATOR_APPLICATION_ID as BOT_DEMO_APPLICATION_ID, EMULATOR_BOT_TOKEN as BOT_DEMO_TOKEN } from '@promton/shared/contracts';
import { EMULATOR_APPLICATION_ID, EMULATOR_BOT_TOKEN } from '../src/config.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Harness } from './helpers.js';

let h: Harness;

async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DiscordAPIError) return error;
    throw error;
  }
  throw new Error('expected a DiscordAPIError');
}

beforeEach(async () => {
  h = await startEmulator({ rateLimits: false });
});
afterEach(async () => {
  await h.close();
});

describe('demo credentials', () => {
  it('the emulator accepts the token and application id the bot defaults to without DISCORD_TOKEN', () => {
    expect(EMULATOR_BOT_TOKEN).toBe(BOT_DEMO_TOKEN);
    expect(EMULATOR_APPLICATION_ID).toBe(BOT_DEMO_APPLICATION_ID);
  });
});

describe('REST with @discordjs/rest', () => {
  it('creates a channel with string overwrites and normalises a text channel name', async () => {
    const guild = await h.client.seedGuild({ name: 'G', channels: [{ name: 'Tickets', type: 4 }] });
    const category = guild.channels[0]!;
    const channel = (await h.rest.post(`/guilds/${guild.id}/channels`, {
      body: {
        name: 'Ticket 0001',
        type: 0,
        parent_id: category.id,
        permission_overwrites: [
          { id: guild.everyoneRoleId, type: 0, allow: '0', deny: String(P.ViewChannel) },
          { id: guild.botUserId, type: 1, allow: String(P.ViewChannel | P.SendMessages), deny: '0' },
        ],
      },
    })) as { id: string; name: string; parent_id: string; permission_overwrites: { allow: string; deny: string }[] };
    expect(channel.name).toBe('ticket-0001');
    expect(channel.parent_id).toBe(category.id);
    expect(channel.permission_overwrites).toEqual([
      { id: guild.everyoneRoleId, type: 0, allow: '0', deny: String(P.ViewChannel) },
      { id: guild.botUserId, type: 1, allow: String(P.ViewChannel | P.SendMessages), deny: '0' },
    ]);
    expect(channel.id).toMatch(/^\d{17,19}$/);
    expect((await h.client.channel(channel.id))?.name).toBe('ticket-0001');
  });

  it('rejects a body the spec rejects with 50035 naming the field', async () => {
    const guild = await h.client.seedGuild({ name: 'G' });
    const error = await apiError(h.rest.post(`/guilds/${guild.id}/channels`, { body: { name: 'x'.repeat(101) } }));
    expect(error.status).toBe(400);
    expect(error.code).toBe(50035);
    expect((error.rawError as { errors: unknown }).errors).toEqual({
      name: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' }] },
    });
  });

  it('applies the documented limits where the spec is looser (content 2000, embed title 256)', async () => {
    const guild = await h.client.seedGuild({ name: 'G', channels: [{ name: 'general' }] });
    const channelId = guild.channels[0]!.id;
    const long = await apiError(h.rest.post(`/channels/${channelId}/messages`, { body: { content: 'x'.repeat(2001) } }));
    expect(long.code).toBe(50035);
    expect(JSON.stringify(long.rawError)).toContain('"content"');
    const title = await apiError(h.rest.post(`/channels/${channelId}/messages`, { body: { embeds: [{ title: 't'.repeat(257) }] } }));
    expect((title.rawError as { errors: Record<string, unknown> }).errors).toHaveProperty(['embeds', '0', 'title']);
    const rows = Array.from({ length: 6 }, (_, i) => ({ type: 1, components: [{ type: 2, style: 1, label: 'b', custom_id: `b${i}` }] }));
    const tooMany = await apiError(h.rest.post(`/channels/${channelId}/messages`, { body: { content: 'x', components: rows } }));
    expect(tooMany.code).toBe(50035);
    const empty = await apiError(h.rest.post(`/channels/${channelId}/messages`, { body: {} }));
    expect(empty.code).toBe(50006);
  });

  it('takes exactly one unicode emoji or a custom emoji of the guild on a button or select option, else 50035 "Invalid emoji"', async () => {
    const guild = await h.client.seedGuild({ name: 'G', channels: [{ name: 'general' }], emojis: [{ name: 'ticket' }] });
    const channelId = guild.channels[0]!.id;
    const own = guild.emojis[0]!.id;
    const button = (emoji: Record<string, unknown>) => ({
      content: 'x',
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'b', custom_id: 'b', emoji }] }],
    });
    for (const emoji of [{ name: '🎫' }, { name: '👨‍👩‍👧' }, { name: '🇩🇪' }, { id: own, name: 'ticket' }]) {
      await expect(h.rest.post(`/channels/${channelId}/messages`, { body: button(emoji) })).resolves.toBeTruthy();
    }
    for (const emoji of [{ name: '🎫🎫' }, { name: 'ticket' }, { name: ':ticket:' }, { id: '123456789012345678', name: 'elsewhere' }]) {
      const error = await apiError(h.rest.post(`/channels/${channelId}/messages`, { body: button(emoji) }));
      expect(error.code).toBe(50035);
      expect(JSON.stringify((error.rawError as { errors: unknown }).errors)).toContain('Invalid emoji');
    }
    const select = { type: 3, custom_id: 's', options: [{ label: 'a', value: 'a', emoji: { name: '🎫🎫' } }] };
    const error = await apiError(h.rest.post(`/channels/${channelId}/messages`, { body: { content: 'x', components: [{ type: 1, components: [select] }] } }));
    expect((error.rawError as { errors: Record<string, unknown> }).errors).toHaveProperty([
      'components',
      '0',
      'components',
      '0',
      'options',
      '0',
      'emoji',
      'name',
    ]);
  });

  it('computes a denial through a role overwrite (50013) and missing view (50001)', async () => {
    const guild = await h.client.seedGuild({
      name: 'G',
      channels: [
        { name: 'read-only', permissionOverwrites: [{ id: '@everyone', deny: String(P.SendMessages) }] },
        { name: 'hidden', permissionOverwrites: [{ id: '@everyone', deny: String(P.ViewChannel) }] },
      ],
    });
    const [readOnly, hidden] = guild.channels;
    // The bot's managed role allows Send Messages; the @everyone overwrite denies it in this channel.
    const denied = await apiError(h.rest.post(`/channels/${readOnly!.id}/messages`, { body: { content: 'hi' } }));
    expect([denied.status, denied.code]).toEqual([403, 50013]);
    const hiddenError = await apiError(h.rest.get(`/channels/${hidden!.id}`));
    expect([hiddenError.status, hiddenError.code]).toEqual([403, 50001]);
  });

  it('creates a channel under a category only where the bot sees it (50001) and manages channels (50013)', async () => {
    const guild = await h.client.seedGuild({
      name: 'G',
      channels: [
        { name: 'Hidden', type: 4, permissionOverwrites: [{ id: '@everyone', deny: String(P.ViewChannel) }] },
        // A member overwrite takes Manage Channels from the bot in this category.
        { name: 'Locked', type: 4, permissionOverwrites: [{ id: h.emu.state.botUser.id, type: 1, deny: String(P.ManageChannels) }] },
        { name: 'Open', type: 4 },
      ],
    });
    const [hidden, locked, open] = guild.channels;
    const unseen = await apiError(h.rest.post(`/guilds/${guild.id}/channels`, { body: { name: 'a', parent_id: hidden!.id } }));
    expect([unseen.status, unseen.code]).toEqual([403, 50001]);
    const unmanaged = await apiError(h.rest.post(`/guilds/${guild.id}/channels`, { body: { name: 'b', parent_id: locked!.id } }));
    expect([unmanaged.status, unmanaged.code]).toEqual([403, 50013]);
    const created = (await h.rest.post(`/guilds/${guild.id}/channels`, { body: { name: 'c', parent_id: open!.id } })) as { parent_id: string };
    expect(created.parent_id).toBe(open!.id);
    expect((await h.client.guild(guild.id)).channels.map((c) => c.name).sort()).toEqual(['Hidden', 'Locked', 'Open', 'c'].sort());
  });

  it('refuses an overwrite granting a permission the bot lacks (50013)', async () => {
    const guild = await h.client.seedGuild({ name: 'G', members: [{ username: 'alice' }], channels: [{ name: 'general' }] });
    const channelId = guild.channels[0]!.id;
    const alice = guild.members.find((m) => m.username === 'alice')!;
    const error = await apiError(h.rest.put(`/channels/${channelId}/permissions/${alice.id}`, { body: { type: 1, allow: String(P.ManageGuild), deny: '0' } }));
    expect([error.status, error.code]).toEqual([403, 50013]);
    await h.rest.put(`/channels/${channelId}/permissions/${alice.id}`, { body: { type: 1, allow: String(P.ViewChannel | P.SendMessages), deny: '0' } });
    const channel = await h.client.channel(channelId);
    expect(channel?.permission_overwrites).toContainEqual({ id: alice.id, type: 1, allow: String(P.ViewChannel | P.SendMessages), deny: '0' });
  });

  it('answers unknown channel (10003), unknown message (10008), unknown route and bad token like Discord', async () => {
    const guild = await h.client.seedGuild({ name: 'G', channels: [{ name: 'general' }] });
    expect((await apiError(h.rest.get('/channels/123456789012345678'))).code).toBe(10003);
    expect((await apiError(h.rest.get(`/channels/${guild.channels[0]!.id}/messages/123456789012345678`))).code).toBe(10008);
    expect((await apiError(h.rest.get('/guilds/123456789012345678'))).code).toBe(10004);
    const unknown = await fetch(`${h.emu.apiUrl}/v10/nope`, { headers: { authorization: 'Bot emulator.bot.token' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: '404: Not Found', code: 0 });
    const unauthorized = await fetch(`${h.emu.apiUrl}/v10/users/@me`, { headers: { authorization: 'Bot wrong' } });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({ message: '401: Unauthorized', code: 0 });
  });

  it('pages message history newest first with before/after and stores multipart attachments', async () => {
    const guild = await h.client.seedGuild({ name: 'G', channels: [{ name: 'general' }] });
    const channelId = guild.channels[0]!.id;
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(((await h.rest.post(`/channels/${channelId}/messages`, { body: { content: `m${i}` } })) as { id: string }).id);
    const page = (await h.rest.get(`/channels/${channelId}/messages`, { query: new URLSearchParams({ limit: '2' }) })) as { content: string }[];
    expect(page.map((m) => m.content)).toEqual(['m4', 'm3']);
    const before = (await h.rest.get(`/channels/${channelId}/messages`, { query: new URLSearchParams({ before: ids[2]!, limit: '10' }) })) as {
      content: string;
    }[];
    expect(before.map((m) => m.content)).toEqual(['m1', 'm0']);
    const after = (await h.rest.get(`/channels/${channelId}/messages`, { query: new URLSearchParams({ after: ids[2]!, limit: '10' }) })) as {
      content: string;
    }[];
    expect(after.map((m) => m.content).sort()).toEqual(['m3', 'm4']);

    const withFile = (await h.rest.post(`/channels/${channelId}/messages`, {
      body: { content: 'transcript' },
      files: [{ name: 'transcript.txt', data: Buffer.from('hello file') }],
    })) as { attachments: { filename: string; size: number; url: string }[] };
    expect(withFile.attachments[0]).toMatchObject({ filename: 'transcript.txt', size: 10 });
    const download = await fetch(withFile.attachments[0]!.url);
    expect(await download.text()).toBe('hello file');
  });

  it('edits and deletes channels and messages, dispatch-free paths included', async () => {
    const guild = await h.client.seedGuild({ name: 'G', channels: [{ name: 'general' }] });
    const channelId = guild.channels[0]!.id;
    const message = (await h.rest.post(`/channels/${channelId}/messages`, { body: { content: 'a' } })) as { id: string };
    const edited = (await h.rest.patch(`/channels/${channelId}/messages/${message.id}`, { body: { content: 'b' } })) as {
      content: string;
      edited_timestamp: string | null;
    };
    expect(edited.content).toBe('b');
    expect(edited.edited_timestamp).not.toBeNull();
    await h.rest.delete(`/channels/${channelId}/messages/${message.id}`);
    expect(await h.client.messages(channelId)).toEqual([]);
    const renamed = (await h.rest.patch(`/channels/${channelId}`, { body: { name: 'Closed Ticket' } })) as { name: string };
    expect(renamed.name).toBe('closed-ticket');
    await h.rest.delete(`/channels/${channelId}`);
    expect(await h.client.channel(channelId)).toBeNull();
  });

  it('registers commands globally and per guild', async () => {
    const guild = await h.client.seedGuild({ name: 'G' });
    const app = h.emu.state.applicationId;
    const commands = [{ name: 'ticket', description: 'Tickets', options: [{ type: 1, name: 'close', description: 'Close' }] }];
    const saved = (await h.rest.put(`/applications/${app}/commands`, { body: commands })) as { id: string; name: string }[];
    expect(saved[0]).toMatchObject({ name: 'ticket', application_id: app, type: 1 });
    const again = (await h.rest.put(`/applications/${app}/commands`, { body: commands })) as { id: string }[];
    expect(again[0]!.id).toBe(saved[0]!.id);
    await h.rest.put(`/applications/${app}/guilds/${guild.id}/commands`, { body: [{ name: 'local', description: 'Local' }] });
    const registered = await h.client.commands();
    expect(registered.global.map((c) => c.name)).toEqual(['ticket']);
    expect(registered.guilds[guild.id]!.map((c) => c.name)).toEqual(['local']);
    const invalid = await apiError(h.rest.put(`/applications/${app}/commands`, { body: [{ name: 'x'.repeat(33), description: 'd' }] }));
    expect(invalid.code).toBe(50035);
    expect((invalid.rawError as { errors: Record<string, unknown> }).errors).toHaveProperty(['0', 'name']);
    // Localized names follow the same rules (lowercase, Discord's name regex), keys must be Discord locales.
    const refusals: [unknown, string[]][] = [
      [{ name: 'Ticket', description: 'd' }, ['0', 'name']],
      [{ name: 'ticket', description: 'd', name_localizations: { de: 'Ticket' } }, ['0', 'name_localizations', 'de']],
      [{ name: 'ticket', description: 'd', name_localizations: { de: 'zwei wörter' } }, ['0', 'name_localizations', 'de']],
      [{ name: 'ticket', description: 'd', name_localizations: { xx: 'ticket' } }, ['0', 'name_localizations', 'xx']],
      [{ name: 'ticket', description: 'd', description_localizations: { fr: 'x'.repeat(101) } }, ['0', 'description_localizations', 'fr']],
      [
        { name: 'ticket', description: 'd', options: [{ type: 3, name: 'grund', description: 'd', name_localizations: { ru: 'Причина' } }] },
        ['0', 'options', '0', 'name_localizations', 'ru'],
      ],
    ];
    for (const [body, path] of refusals) {
      const refused = await apiError(h.rest.put(`/applications/${app}/commands`, { body: [body] }));
      expect(refused.code, JSON.stringify(body)).toBe(50035);
      expect((refused.rawError as { errors: Record<string, unknown> }).errors, JSON.stringify(body)).toHaveProperty(path);
    }
    const localized = { name: 'ticket', description: 'd', name_localizations: { de: 'schließen', ru: 'закрыть', 'es-419': 'cerrar' } };
    expect(await h.rest.put(`/applications/${app}/commands`, { body: [localized] })).toMatchObject([{ name_localizations: localized.name_localizations }]);
  });

  it("accepts the product's own command tree (string default_member_permissions) and answers bitfields as strings", async () => {
    const saved = (await h.rest.put(`/applications/${h.emu.state.applicationId}/commands`, { body: commandDefinitions })) as {
      name: string;
      default_member_permissions: string | null;
    }[];
    expect(saved.map((c) => c.name)).toEqual(commandDefinitions.map((c) => c.name));
    expect(saved.find((c) => c.name === 'config')!.default_member_permissions).toBe(String(P.ManageGuild));
  });

  it('logs requests without the Authorization header', async () => {
    await h.rest.get('/users/@me');
    const log = await h.client.requests({ path: '/users' });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ method: 'GET', path: '/users/@me', route: 'GET /users/:user_id', status: 200, rateLimited: false });
    expect(JSON.stringify(log)).not.toContain('emulator.bot.token');
  });
});

describe('Discord limits', () => {
  it('refuses the 501st channel of a guild (30013)', async () => {
    const guild = await h.client.seedGuild({ name: 'G', channels: Array.from({ length: 499 }, (_, i) => ({ name: `c${i}` })) });
    await h.rest.post(`/guilds/${guild.id}/channels`, { body: { name: 'the-500th' } });
    const error = await apiError(h.rest.post(`/guilds/${guild.id}/channels`, { body: { name: 'one-too-many' } }));
    expect([error.status, error.code]).toEqual([400, 30013]);
  });

  it('refuses the 51st channel of a category (50035 on parent_id)', async () => {
    const guild = await h.client.seedGuild({
      name: 'G',
      channels: [{ name: 'Tickets', type: 4 }, ...Array.from({ length: 50 }, (_, i) => ({ name: `t${i}`, parent: 'Tickets' }))],
    });
    const category = guild.channels.find((c) => c.type === 4)!;
    const error = await apiError(h.rest.post(`/guilds/${guild.id}/channels`, { body: { name: 'overflow', parent_id: category.id } }));
    expect(error.code).toBe(50035);
    expect((error.rawError as { errors: unknown }).errors).toEqual({
      parent_id: { _errors: [{ code: 'CHANNEL_PARENT_MAX_CHANNELS', message: 'Maximum number of channels in category reached (50)' }] },
    });
  });

  it('limits channel renames to 2 per 10 minutes with a 429', async () => {
    await h.client.setRateLimits({ enabled: true });
    const guild = await h.client.seedGuild({ name: 'G', channels: [{ name: 'general' }] });
    const channelId = guild.channels[0]!.id;
    const rename = (name: string) =>
      fetch(`${h.emu.apiUrl}/v10/channels/${channelId}`, {
        method: 'PATCH',
        headers: { authorization: 'Bot emulator.bot.token', 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
    expect((await rename('one')).status).toBe(200);
    expect((await rename('two')).status).toBe(200);
    const third = await rename('three');
    expect(third.status).toBe(429);
    const body = (await third.json()) as { retry_after: number; global: boolean };
    expect(body.global).toBe(false);
    expect(body.retry_after).toBeGreaterThan(500);
    expect(third.headers.get('retry-after')).not.toBeNull();
    // A change that is not a rename is not limited.
    expect(
      (
        await fetch(`${h.emu.apiUrl}/v10/channels/${channelId}`, {
          method: 'PATCH',
          headers: { authorization: 'Bot emulator.bot.token', 'content-type': 'application/json' },
          body: JSON.stringify({ topic: 'x' }),
        })
      ).status,
    ).toBe(200);
  });
});
