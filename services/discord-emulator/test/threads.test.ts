import { DiscordAPIError } from '@discordjs/rest';
import type { WebSocketManager } from '@discordjs/ws';
import { ChannelType, GatewayIntentBits, Routes, type APIThreadChannel, type APIThreadMember, type RESTGetAPIGuildThreadsResult } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BOT_PERMISSIONS, PermissionFlagsBits } from '../src/permissions.js';
import { collect, gatewayClient, startEmulator, type Harness } from './helpers.js';

let h: Harness | undefined;
const managers: WebSocketManager[] = [];
afterEach(async () => {
  for (const ws of managers.splice(0)) await ws.destroy();
  await h?.close();
  h = undefined;
});

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: number | string; raw: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DiscordAPIError) return { status: error.status, code: error.code, raw: error.rawError };
    throw error;
  }
  throw new Error('the request succeeded');
}

/** A server with a text channel `support`, a category, a member `alice`, an outsider `bob` and a moderator with Manage Threads. */
async function seed(harness: Harness, botPermissions = DEFAULT_BOT_PERMISSIONS) {
  const guild = await harness.client.seedGuild({
    name: 'G',
    botPermissions: botPermissions.toString(),
    roles: [{ name: 'mods', permissions: PermissionFlagsBits.ManageThreads.toString() }],
    members: [{ username: 'alice' }, { username: 'bob' }, { username: 'mod', roles: ['mods'] }],
    channels: [{ name: 'support' }, { name: 'Tickets', type: 4 }],
  });
  const id = (name: string) => guild.members.find((m) => m.username === name)!.id;
  return {
    guildId: guild.id,
    supportId: guild.channels.find((c) => c.name === 'support')!.id,
    categoryId: guild.channels.find((c) => c.type === 4)!.id,
    botRoleId: guild.botRoleId,
    alice: id('alice'),
    bob: id('bob'),
    mod: id('mod'),
  };
}

const createThread = (harness: Harness, channelId: string, body: Record<string, unknown> = {}) =>
  harness.rest.post(Routes.threads(channelId), { body: { name: 'ticket-0001', type: ChannelType.PrivateThread, invitable: false, ...body } }) as Promise<
    APIThreadChannel & { member?: APIThreadMember }
  >;

describe('threads: a private thread without a message', () => {
  it('is created by POST /channels/:id/threads, keeps its name, is not a guild channel, and is seen only by its members and moderators', async () => {
    h = await startEmulator();
    const s = await seed(h);
    const thread = await createThread(h, s.supportId, { name: 'Ticket 0001', auto_archive_duration: 10080 });
    expect(thread).toMatchObject({
      type: ChannelType.PrivateThread,
      guild_id: s.guildId,
      parent_id: s.supportId,
      owner_id: h.emu.state.botUser.id,
      name: 'Ticket 0001',
      thread_metadata: { archived: false, locked: false, invitable: false, auto_archive_duration: 10080 },
      member: { user_id: h.emu.state.botUser.id },
    });
    const channels = (await h.rest.get(Routes.guildChannels(s.guildId))) as { id: string }[];
    expect(channels.map((c) => c.id)).not.toContain(thread.id);
    expect(await h.rest.get(Routes.channel(thread.id))).toMatchObject({ id: thread.id, type: ChannelType.PrivateThread });

    expect((await h.client.permissions(thread.id, s.alice)).view).toBe(false);
    await h.rest.put(Routes.threadMembers(thread.id, s.alice));
    expect((await h.client.permissions(thread.id, s.alice)).view).toBe(true);
    expect((await h.client.permissions(thread.id, s.bob)).view).toBe(false);
    expect((await h.client.permissions(thread.id, s.mod)).view).toBe(true);
    expect(await h.client.threadMembers(thread.id)).toEqual(expect.arrayContaining([h.emu.state.botUser.id, s.alice]));

    const active = (await h.rest.get(Routes.guildActiveThreads(s.guildId))) as RESTGetAPIGuildThreadsResult;
    expect(active.threads.map((t) => t.id)).toEqual([thread.id]);
  });

  it('needs Create Private Threads in the parent channel (50013) and a text channel as parent (50024)', async () => {
    h = await startEmulator();
    const s = await seed(h);
    expect(await refusal(createThread(h, s.categoryId))).toMatchObject({ status: 400, code: 50024 });
    await h.client.setOverwrite(s.supportId, s.botRoleId, { type: 0, deny: PermissionFlagsBits.CreatePrivateThreads.toString() });
    expect(await refusal(createThread(h, s.supportId))).toMatchObject({ status: 403, code: 50013 });
    // A public thread needs Create Public Threads instead, which the bot still has.
    await expect(createThread(h, s.supportId, { type: ChannelType.PublicThread, invitable: undefined })).resolves.toMatchObject({
      type: ChannelType.PublicThread,
    });
  });

  it('refuses a name longer than 100 characters and an auto_archive_duration that is not 60, 1440, 4320 or 10080 (50035)', async () => {
    h = await startEmulator();
    const s = await seed(h);
    const long = await refusal(createThread(h, s.supportId, { name: 'x'.repeat(101) }));
    expect(long).toMatchObject({ status: 400, code: 50035 });
    expect(JSON.stringify(long.raw)).toContain('name');
    const duration = await refusal(createThread(h, s.supportId, { auto_archive_duration: 120 }));
    expect(duration).toMatchObject({ status: 400, code: 50035 });
    expect(JSON.stringify(duration.raw)).toContain('auto_archive_duration');
    const thread = await createThread(h, s.supportId);
    expect(await refusal(h.rest.patch(Routes.channel(thread.id), { body: { auto_archive_duration: 30 } }))).toMatchObject({ status: 400, code: 50035 });
  });

  it('allows 1,000 active threads per server (160006 after that), not counted against the 500 channels; archiving one frees a place', async () => {
    h = await startEmulator({ rateLimits: false });
    const s = await seed(h, DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageThreads);
    const ids: string[] = [];
    for (let batch = 0; batch < 10; batch += 1) {
      const created = await Promise.all(Array.from({ length: 100 }, (_, i) => createThread(h!, s.supportId, { name: `t-${batch}-${i}` })));
      ids.push(...created.map((t) => t.id));
    }
    expect(await refusal(createThread(h, s.supportId))).toMatchObject({ status: 400, code: 160006 });
    // Channels are still free to create: threads are not channels of the 500.
    await expect(h.rest.post(Routes.guildChannels(s.guildId), { body: { name: 'more', type: 0 } })).resolves.toBeTruthy();
    await h.rest.patch(Routes.channel(ids[0]!), { body: { archived: true, locked: true } });
    await expect(createThread(h, s.supportId, { name: 'one-more' })).resolves.toMatchObject({ name: 'one-more' });
    // Unarchiving would make 1,001 active threads.
    expect(await refusal(h.rest.patch(Routes.channel(ids[0]!), { body: { archived: false, locked: false } }))).toMatchObject({ status: 400, code: 160006 });
  });
});

describe('threads: members', () => {
  it('PUT adds, GET lists (with_member), DELETE removes; unknown members are 10007; a non-invitable private thread takes members only from its owner or a moderator', async () => {
    h = await startEmulator();
    const s = await seed(h);
    const thread = await createThread(h, s.supportId);
    await h.rest.put(Routes.threadMembers(thread.id, s.alice));
    await h.rest.put(Routes.threadMembers(thread.id, s.alice)); // already a member: 204 again
    const list = (await h.rest.get(Routes.threadMembers(thread.id), { query: new URLSearchParams({ with_member: 'true' }) })) as (APIThreadMember & {
      member?: { user: { id: string } };
    })[];
    expect(list.map((m) => m.user_id).sort()).toEqual([h.emu.state.botUser.id, s.alice].sort());
    expect(list.find((m) => m.user_id === s.alice)?.member?.user.id).toBe(s.alice);
    expect(await h.rest.get(Routes.threadMembers(thread.id, s.alice))).toMatchObject({ user_id: s.alice, id: thread.id });
    expect(await refusal(h.rest.put(Routes.threadMembers(thread.id, '123456789012345678')))).toMatchObject({ status: 404, code: 10007 });

    await h.rest.delete(Routes.threadMembers(thread.id, s.alice));
    expect(await refusal(h.rest.get(Routes.threadMembers(thread.id, s.alice)))).toMatchObject({ status: 404, code: 10007 });
    expect((await h.client.permissions(thread.id, s.alice)).view).toBe(false);

    // A thread someone else started and made non-invitable: the bot needs Manage Threads to add people.
    const other = h.emu.state.channels.get(thread.id)!;
    other.owner_id = s.alice;
    expect(await refusal(h.rest.put(Routes.threadMembers(thread.id, s.bob)))).toMatchObject({ status: 403, code: 50013 });
    expect(await refusal(h.rest.delete(Routes.threadMembers(thread.id, h.emu.state.botUser.id)))).toMatchObject({ status: 403, code: 50013 });
  });

  it('adding needs Send Messages in Threads, not Send Messages (Discord: threads do not inherit Send Messages)', async () => {
    h = await startEmulator();
    const s = await seed(h);
    const thread = await createThread(h, s.supportId);
    await h.client.setOverwrite(s.supportId, s.botRoleId, { type: 0, deny: PermissionFlagsBits.SendMessagesInThreads.toString() });
    expect(await refusal(h.rest.put(Routes.threadMembers(thread.id, s.alice)))).toMatchObject({ status: 403, code: 50013 });
    expect(await refusal(h.rest.post(Routes.channelMessages(thread.id), { body: { content: 'hi' } }))).toMatchObject({ status: 403, code: 50013 });
    // The reverse: no Send Messages in the parent, Send Messages in Threads allowed → the thread takes messages.
    await h.client.setOverwrite(s.supportId, s.botRoleId, { type: 0, deny: PermissionFlagsBits.SendMessages.toString() });
    await expect(h.rest.post(Routes.channelMessages(thread.id), { body: { content: 'hi' } })).resolves.toMatchObject({ channel_id: thread.id });
    expect(await refusal(h.rest.post(Routes.channelMessages(s.supportId), { body: { content: 'hi' } }))).toMatchObject({ status: 403, code: 50013 });
  });

  it('THREAD_MEMBERS_UPDATE about others goes only to sessions with Guild Members; THREAD_CREATE and THREAD_UPDATE only with Guilds', async () => {
    h = await startEmulator();
    await h.client.setApplicationFlags(1 << 15); // GatewayGuildMembersLimited: the Guild Members intent may be asked for
    const s = await seed(h, DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageThreads);
    const guildsOnly = gatewayClient(h.rest, { intents: GatewayIntentBits.Guilds });
    const withMembers = gatewayClient(h.rest, { intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMembers });
    const messagesOnly = gatewayClient(h.rest, { intents: GatewayIntentBits.GuildMessages });
    managers.push(guildsOnly, withMembers, messagesOnly);
    const a = collect(guildsOnly);
    const b = collect(withMembers);
    const c = collect(messagesOnly);
    await Promise.all([guildsOnly.connect(), withMembers.connect(), messagesOnly.connect()]);
    await a.waitFor((e) => e.some((x) => x.t === 'GUILD_CREATE'));
    await b.waitFor((e) => e.some((x) => x.t === 'GUILD_CREATE'));
    await c.waitFor((e) => e.some((x) => x.t === 'READY'));

    const thread = await createThread(h, s.supportId);
    await h.rest.put(Routes.threadMembers(thread.id, s.alice));
    await h.rest.patch(Routes.channel(thread.id), { body: { archived: true, locked: true } });
    await h.rest.post(Routes.channelMessages(thread.id), { body: { content: 'reopened by a message' } });
    await h.rest.delete(Routes.channel(thread.id));
    for (const session of [a, b]) await session.waitFor((e) => e.some((x) => x.t === 'THREAD_DELETE'));
    await c.waitFor((e) => e.some((x) => x.t === 'MESSAGE_CREATE'));

    const kinds = (events: { t: string }[]) => events.map((e) => e.t).filter((t) => t.startsWith('THREAD_'));
    expect(kinds(b.events)).toEqual(['THREAD_CREATE', 'THREAD_MEMBERS_UPDATE', 'THREAD_UPDATE', 'THREAD_UPDATE', 'THREAD_DELETE']);
    expect(kinds(a.events)).toEqual(['THREAD_CREATE', 'THREAD_UPDATE', 'THREAD_UPDATE', 'THREAD_DELETE']);
    expect(kinds(c.events)).toEqual([]);
    const created = a.events.find((e) => e.t === 'THREAD_CREATE')!.d;
    expect(created).toMatchObject({ id: thread.id, newly_created: true, thread_metadata: { archived: false } });
    const added = b.events.find((e) => e.t === 'THREAD_MEMBERS_UPDATE')!.d;
    expect(added).toMatchObject({
      id: thread.id,
      guild_id: s.guildId,
      member_count: 2,
      added_members: [{ user_id: s.alice, member: { user: { id: s.alice } } }],
    });
    expect(a.events.find((e) => e.t === 'THREAD_DELETE')!.d).toEqual({
      id: thread.id,
      guild_id: s.guildId,
      parent_id: s.supportId,
      type: ChannelType.PrivateThread,
    });
  });
});

describe('threads: archive and lock', () => {
  it('the owner archives its thread; locking needs Manage Threads; an archived thread takes no edits or members (50083); a message unarchives an unlocked one', async () => {
    h = await startEmulator();
    const s = await seed(h);
    const thread = await createThread(h, s.supportId);
    expect(await refusal(h.rest.patch(Routes.channel(thread.id), { body: { archived: true, locked: true } }))).toMatchObject({ status: 403, code: 50013 });
    await expect(h.rest.patch(Routes.channel(thread.id), { body: { archived: true } })).resolves.toMatchObject({
      thread_metadata: { archived: true, locked: false },
    });
    expect(await refusal(h.rest.patch(Routes.channel(thread.id), { body: { name: 'renamed' } }))).toMatchObject({ status: 400, code: 50083 });
    expect(await refusal(h.rest.put(Routes.threadMembers(thread.id, s.alice)))).toMatchObject({ status: 400, code: 50083 });
    await h.rest.post(Routes.channelMessages(thread.id), { body: { content: 'back' } });
    expect(h.emu.state.channels.get(thread.id)?.thread_metadata).toMatchObject({ archived: false });
    // Deleting a thread needs Manage Threads (Manage Channels is not enough).
    expect(await refusal(h.rest.delete(Routes.channel(thread.id)))).toMatchObject({ status: 403, code: 50013 });
  });

  it('with Manage Threads: archive and lock in one request; a locked archived thread refuses messages without unarchiving', async () => {
    h = await startEmulator();
    const s = await seed(h, DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageThreads);
    const thread = await createThread(h, s.supportId);
    await h.rest.put(Routes.threadMembers(thread.id, s.alice));
    await h.rest.patch(Routes.channel(thread.id), { body: { name: 'closed-0001' } });
    const closed = (await h.rest.patch(Routes.channel(thread.id), { body: { archived: true, locked: true } })) as APIThreadChannel;
    expect(closed).toMatchObject({ name: 'closed-0001', thread_metadata: { archived: true, locked: true } });
    // A moderator's message would unarchive it; take Manage Threads away and it stays shut.
    await h.client.setOverwrite(s.supportId, s.botRoleId, { type: 0, deny: PermissionFlagsBits.ManageThreads.toString() });
    expect(await refusal(h.rest.post(Routes.channelMessages(thread.id), { body: { content: 'x' } }))).toMatchObject({ status: 400, code: 50083 });
    expect(await refusal(h.rest.patch(Routes.channel(thread.id), { body: { archived: false } }))).toMatchObject({ status: 403, code: 50013 });
    // Members are still members (and still see the thread's history).
    expect((await h.client.permissions(thread.id, s.alice)).view).toBe(true);
  });

  it('a deleted parent channel takes its threads with it', async () => {
    h = await startEmulator();
    const s = await seed(h);
    const thread = await createThread(h, s.supportId);
    await h.rest.delete(Routes.channel(s.supportId));
    expect(await refusal(h.rest.get(Routes.channel(thread.id)))).toMatchObject({ status: 404, code: 10003 });
  });
});
