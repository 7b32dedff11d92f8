import { DiscordApiError, Errors, invalidFormBody, RateLimitedError, type FieldError } from './errors.js';
import { PermissionFlagsBits } from './permissions.js';
import type { RestContext, RestDeps, RestResult, RestRouteDef } from './routes/index.js';
import { isThread, type Channel, type EmulatorState, type Guild } from './state.js';
import { channelNameErrors, validateBody } from './validation.js';

// Threads (docs: resources/channel "Start Thread without Message", "Modify Channel" (thread
// params), the thread-member routes; topics: permissions "Inherited Permissions (Threads)";
// events: THREAD_CREATE / UPDATE / DELETE / MEMBERS_UPDATE). A thread is a channel of the
// guild kept apart from `channelIds`: it does not count against the 500 channels.

const P = PermissionFlagsBits;

/** Discord: at most 1,000 active (unarchived) threads per guild → 160006. */
export const MAX_ACTIVE_THREADS = 1000;
/** Discord: at most 1,000 members per thread → 30033. */
export const MAX_THREAD_MEMBERS = 1000;
/** The only values `auto_archive_duration` takes, in minutes. */
export const AUTO_ARCHIVE_DURATIONS = [60, 1440, 4320, 10080] as const;

export const ThreadErrors = {
  maxActiveThreads: () => new DiscordApiError(400, 160006, 'Maximum number of active threads reached'),
  maxThreadMembers: () => new DiscordApiError(400, 30033, 'Maximum number of thread participants has been reached (1000)'),
  archived: () => new DiscordApiError(400, 50083, 'Thread is archived'),
  locked: () => new DiscordApiError(403, 160005, 'Thread is locked'),
  wrongChannelType: () => new DiscordApiError(400, 50024, 'Cannot execute action on this channel type'),
} as const;

const ok = (body: unknown, status = 200): RestResult => ({ status, body });
const noContent = (): RestResult => ({ status: 204 });

function autoArchiveErrors(value: unknown): FieldError[] {
  if (value === undefined || value === null) return [];
  return (AUTO_ARCHIVE_DURATIONS as readonly unknown[]).includes(value)
    ? []
    : [{ path: ['auto_archive_duration'], code: 'BASE_TYPE_CHOICES', message: `Value must be one of {${AUTO_ARCHIVE_DURATIONS.join(', ')}}.` }];
}

/** A thread member object; with `member` (the guild member) when asked. */
function threadMemberObject(state: EmulatorState, guild: Guild, threadId: string, userId: string, joined: string, withMember: boolean) {
  const member = guild.members.get(userId);
  return {
    id: threadId,
    user_id: userId,
    join_timestamp: joined,
    flags: 0,
    ...(withMember && member ? { member: state.memberObject(guild, member) } : {}),
  };
}

/**
 * The thread routes, placed before the channel routes they refine: PATCH, DELETE and
 * message routes on a thread follow the thread rules, on any other channel the base route.
 */
export function threadRoutes(deps: RestDeps, base: readonly RestRouteDef[]): RestRouteDef[] {
  const { state } = deps;
  const baseHandler = (method: string, pattern: string) => {
    const def = base.find((d) => d.method === method && d.pattern === pattern);
    if (!def) throw new Error(`no base route ${method} ${pattern}`);
    return def.handler;
  };
  const basePatch = baseHandler('PATCH', '/channels/:channel_id');
  const baseDelete = baseHandler('DELETE', '/channels/:channel_id');
  const baseSend = baseHandler('POST', '/channels/:channel_id/messages');
  const baseEditMessage = baseHandler('PATCH', '/channels/:channel_id/messages/:message_id');

  const managerOf = (perms: bigint) => (perms & (P.ManageThreads | P.Administrator)) !== 0n;
  const need = (perms: bigint, flag: bigint) => {
    if ((perms & flag) !== flag && (perms & P.Administrator) === 0n) throw Errors.missingPermissions();
  };
  /** A channel the bot can see, with its guild and the bot's permissions there (50001 otherwise). */
  const visible = (id: string): { channel: Channel; guild: Guild; perms: bigint } => {
    const channel = state.channels.get(id);
    const guild = channel ? state.guilds.get(channel.guild_id) : undefined;
    if (!channel || !guild) throw Errors.unknownChannel();
    const perms = state.botPermissions(guild, channel);
    if ((perms & P.ViewChannel) === 0n) throw Errors.missingAccess();
    return { channel, guild, perms };
  };
  const threadOf = (id: string) => {
    const found = visible(id);
    if (!isThread(found.channel)) throw ThreadErrors.wrongChannelType();
    return found;
  };
  const threadMeta = (thread: Channel) => thread.thread_metadata!;
  const members = (thread: Channel) => {
    let map = state.threadMembers.get(thread.id);
    if (!map) state.threadMembers.set(thread.id, (map = new Map()));
    return map;
  };
  const activeThreads = (guildId: string) => state.threadsOf(guildId).filter((t) => !threadMeta(t).archived).length;
  const threadUpdate = (thread: Channel) => {
    if (state.botCanView(thread)) state.dispatch(thread.guild_id, 'THREAD_UPDATE', thread);
  };
  const withOwnMember = (thread: Channel) => {
    const joined = state.threadMembers.get(thread.id)?.get(state.botUser.id);
    const guild = state.guilds.get(thread.guild_id);
    return joined && guild ? { ...thread, member: threadMemberObject(state, guild, thread.id, state.botUser.id, joined, false) } : thread;
  };

  const addMember = (thread: Channel, guild: Guild, userId: string) => {
    const map = members(thread);
    if (map.has(userId)) return;
    if (map.size >= MAX_THREAD_MEMBERS) throw ThreadErrors.maxThreadMembers();
    const joined = new Date().toISOString();
    map.set(userId, joined);
    thread.member_count = Math.min(50, map.size);
    state.dispatch(guild.id, 'THREAD_MEMBERS_UPDATE', {
      id: thread.id,
      guild_id: guild.id,
      member_count: thread.member_count,
      added_members: [{ ...threadMemberObject(state, guild, thread.id, userId, joined, true), presence: null }],
    });
    // The bot added to a private thread learns of it through THREAD_CREATE with its thread member.
    if (userId === state.botUser.id) state.dispatch(guild.id, 'THREAD_CREATE', withOwnMember(thread));
  };

  const createThread = (ctx: RestContext): RestResult => {
    const { channel: parent, guild, perms } = visible(ctx.params.channel_id ?? '');
    const body = validateBody('createThread', ctx.body, (b) => [...channelNameErrors(b.name), ...autoArchiveErrors(b.auto_archive_duration)]);
    // `type` still defaults to PRIVATE_THREAD (docs: "Start Thread without Message").
    const type = typeof body.type === 'number' ? body.type : 12;
    if (isThread(parent) || (type === 10 ? parent.type !== 5 : parent.type !== 0 && !(type === 11 && parent.type === 5))) throw ThreadErrors.wrongChannelType();
    need(perms, type === 12 ? P.CreatePrivateThreads : P.CreatePublicThreads);
    if (activeThreads(guild.id) >= MAX_ACTIVE_THREADS) throw ThreadErrors.maxActiveThreads();
    const now = new Date().toISOString();
    const thread: Channel = {
      id: state.ids.next(),
      type,
      guild_id: guild.id,
      name: String(body.name),
      parent_id: parent.id,
      position: 0,
      permission_overwrites: [],
      topic: null,
      nsfw: parent.nsfw,
      last_message_id: null,
      rate_limit_per_user: typeof body.rate_limit_per_user === 'number' ? body.rate_limit_per_user : 0,
      flags: 0,
      owner_id: state.botUser.id,
      member_count: 1,
      message_count: 0,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: typeof body.auto_archive_duration === 'number' ? body.auto_archive_duration : 1440,
        archive_timestamp: now,
        locked: false,
        ...(type === 12 ? { invitable: body.invitable !== false } : {}),
        create_timestamp: now,
      },
    };
    state.addThread(thread, state.botUser.id);
    state.dispatch(guild.id, 'THREAD_CREATE', { ...withOwnMember(thread), newly_created: true });
    return ok(withOwnMember(thread), 201);
  };

  const modifyThread = (ctx: RestContext, thread: Channel, guild: Guild, perms: bigint): RestResult => {
    const body = validateBody('modifyThread', ctx.body, (b) => [
      ...(b.name !== undefined ? channelNameErrors(b.name) : []),
      ...autoArchiveErrors(b.auto_archive_duration),
    ]);
    const meta = threadMeta(thread);
    const archived = typeof body.archived === 'boolean' ? body.archived : meta.archived;
    const locked = typeof body.locked === 'boolean' ? body.locked : meta.locked;
    // An archived thread takes no change unless the same request unarchives it.
    if (meta.archived && archived) throw ThreadErrors.archived();
    const onlyUnarchive = Object.keys(body).every((k) => k === 'archived' || k === 'locked') && !archived && !locked && !meta.locked;
    const touchesLock = locked !== meta.locked || meta.locked;
    if (onlyUnarchive) need(perms, P.SendMessages);
    // Locking, anything on a locked thread, or someone else's thread: Manage Threads.
    else if (touchesLock || thread.owner_id !== state.botUser.id) {
      if (!managerOf(perms)) throw Errors.missingPermissions();
    }
    if (body.invitable !== undefined && body.invitable !== null && thread.type !== 12)
      throw invalidFormBody([{ path: ['invitable'], code: 'BASE_TYPE_BAD_VALUE', message: 'Only private threads can be invitable.' }]);
    if (!archived && meta.archived && activeThreads(guild.id) >= MAX_ACTIVE_THREADS) throw ThreadErrors.maxActiveThreads();
    if (typeof body.name === 'string' && body.name !== thread.name) {
      const wait = deps.limiter.checkRename(thread.id);
      if (wait > 0) throw new RateLimitedError(wait);
      thread.name = body.name;
    }
    if (archived !== meta.archived) meta.archive_timestamp = new Date().toISOString();
    meta.archived = archived;
    meta.locked = locked;
    if (typeof body.auto_archive_duration === 'number') meta.auto_archive_duration = body.auto_archive_duration;
    if (typeof body.invitable === 'boolean') meta.invitable = body.invitable;
    if (typeof body.rate_limit_per_user === 'number') thread.rate_limit_per_user = body.rate_limit_per_user;
    threadUpdate(thread);
    return ok(thread);
  };

  /** Sending in an archived thread unarchives it (docs), unless it is locked and the bot may not manage threads. */
  const unarchiveForSend = (thread: Channel, perms: bigint) => {
    const meta = threadMeta(thread);
    if (!meta.archived) return;
    if (meta.locked && !managerOf(perms)) throw ThreadErrors.archived();
    meta.archived = false;
    meta.archive_timestamp = new Date().toISOString();
    threadUpdate(thread);
  };

  const requireActive = (thread: Channel) => {
    if (threadMeta(thread).archived) throw ThreadErrors.archived();
  };

  return [
    { method: 'POST', pattern: '/channels/:channel_id/threads', auth: true, handler: createThread },
    {
      method: 'PATCH',
      pattern: '/channels/:channel_id',
      auth: true,
      handler: (ctx) => {
        const channel = state.channels.get(ctx.params.channel_id ?? '');
        if (!channel || !isThread(channel)) return basePatch(ctx);
        const { guild, perms } = visible(channel.id);
        return modifyThread(ctx, channel, guild, perms);
      },
    },
    {
      method: 'DELETE',
      pattern: '/channels/:channel_id',
      auth: true,
      handler: (ctx) => {
        const channel = state.channels.get(ctx.params.channel_id ?? '');
        if (!channel || !isThread(channel)) return baseDelete(ctx);
        const { perms } = visible(channel.id);
        // Deleting a thread needs Manage Threads, not Manage Channels.
        if (!managerOf(perms)) throw Errors.missingPermissions();
        state.deleteThread(channel);
        return ok(channel);
      },
    },
    {
      method: 'POST',
      pattern: '/channels/:channel_id/messages',
      auth: true,
      handler: (ctx) => {
        const channel = state.channels.get(ctx.params.channel_id ?? '');
        if (channel && isThread(channel)) {
          const { guild, perms } = visible(channel.id);
          need(perms, P.SendMessages); // Send Messages in Threads, as the permissions of a thread say
          unarchiveForSend(channel, perms);
          // Sending adds the sender to the thread (docs: "Threads also track membership").
          addMember(channel, guild, state.botUser.id);
        }
        return baseSend(ctx);
      },
    },
    {
      method: 'PATCH',
      pattern: '/channels/:channel_id/messages/:message_id',
      auth: true,
      handler: (ctx) => {
        const channel = state.channels.get(ctx.params.channel_id ?? '');
        if (channel && isThread(channel)) requireActive(visible(channel.id).channel);
        return baseEditMessage(ctx);
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channel_id/thread-members',
      auth: true,
      handler: (ctx) => {
        const { channel, guild } = threadOf(ctx.params.channel_id ?? '');
        const withMember = ctx.query.get('with_member') === 'true';
        const limit = Number(ctx.query.get('limit') ?? 100);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100)
          throw invalidFormBody([{ path: ['limit'], code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 100.' }]);
        const after = ctx.query.get('after');
        let list = [...members(channel).entries()].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1));
        if (after) list = list.filter(([id]) => BigInt(id) > BigInt(after));
        return ok(list.slice(0, limit).map(([id, joined]) => threadMemberObject(state, guild, channel.id, id, joined, withMember)));
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channel_id/thread-members/:user_id',
      auth: true,
      handler: (ctx) => {
        const { channel, guild } = threadOf(ctx.params.channel_id ?? '');
        const userId = ctx.params.user_id === '@me' ? state.botUser.id : (ctx.params.user_id ?? '');
        const joined = members(channel).get(userId);
        if (!joined) throw Errors.unknownMember();
        return ok(threadMemberObject(state, guild, channel.id, userId, joined, ctx.query.get('with_member') === 'true'));
      },
    },
    {
      method: 'PUT',
      pattern: '/channels/:channel_id/thread-members/:user_id',
      auth: true,
      handler: (ctx) => {
        const { channel, guild, perms } = threadOf(ctx.params.channel_id ?? '');
        const self = ctx.params.user_id === '@me';
        const userId = self ? state.botUser.id : (ctx.params.user_id ?? '');
        requireActive(channel);
        if (!guild.members.has(userId)) throw Errors.unknownMember();
        if (!self) {
          // Adding someone needs the right to send messages in the thread; in a private
          // thread that is not invitable, only its owner or a moderator may add people.
          need(perms, P.SendMessages);
          if (channel.type === 12 && threadMeta(channel).invitable === false && channel.owner_id !== state.botUser.id && !managerOf(perms))
            throw Errors.missingPermissions();
        }
        addMember(channel, guild, userId);
        return noContent();
      },
    },
    {
      method: 'DELETE',
      pattern: '/channels/:channel_id/thread-members/:user_id',
      auth: true,
      handler: (ctx) => {
        const { channel, guild, perms } = threadOf(ctx.params.channel_id ?? '');
        const self = ctx.params.user_id === '@me';
        const userId = self ? state.botUser.id : (ctx.params.user_id ?? '');
        requireActive(channel);
        // Removing another member: Manage Threads, or the creator of a private thread.
        if (!self && !managerOf(perms) && !(channel.type === 12 && channel.owner_id === state.botUser.id)) throw Errors.missingPermissions();
        const map = members(channel);
        if (!map.delete(userId)) return noContent();
        channel.member_count = Math.min(50, map.size);
        state.dispatch(guild.id, 'THREAD_MEMBERS_UPDATE', {
          id: channel.id,
          guild_id: guild.id,
          member_count: channel.member_count,
          removed_member_ids: [userId],
        });
        return noContent();
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild_id/threads/active',
      auth: true,
      handler: (ctx) => {
        const guild = state.guilds.get(ctx.params.guild_id ?? '');
        if (!guild || guild.unavailable) throw Errors.unknownGuild();
        const threads = state
          .threadsOf(guild.id)
          .filter((t) => !threadMeta(t).archived && state.botCanView(t))
          .sort((a, b) => (BigInt(a.id) > BigInt(b.id) ? -1 : 1));
        const own = threads.flatMap((t) => {
          const joined = state.threadMembers.get(t.id)?.get(state.botUser.id);
          return joined ? [threadMemberObject(state, guild, t.id, state.botUser.id, joined, false)] : [];
        });
        return ok({ threads, members: own });
      },
    },
    ...base,
  ];
}

/** Control API: what a person may do in a channel or thread (e.g. whether they see a private thread), and a thread's members. */
export function threadControlRoutes(state: EmulatorState) {
  type Result = { status: number; body?: unknown };
  const notFound = (what: string): Result => ({ status: 404, body: { error: `unknown ${what}` } });
  return [
    {
      method: 'GET',
      pattern: '/channels/:id/permissions/:user',
      handler: ({ params }: { params: Record<string, string> }): Result => {
        const channel = state.channels.get(params.id ?? '');
        const guild = channel ? state.guilds.get(channel.guild_id) : undefined;
        if (!channel || !guild) return notFound('channel');
        const perms = state.permissionsOf(guild, params.user ?? '', channel);
        return { status: 200, body: { permissions: perms.toString(), view: (perms & P.ViewChannel) !== 0n } };
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:id/thread-members',
      handler: ({ params }: { params: Record<string, string> }): Result => {
        const map = state.threadMembers.get(params.id ?? '');
        return map ? { status: 200, body: [...map.keys()] } : notFound('thread');
      },
    },
  ];
}
