import { EventEmitter } from 'node:events';
import { computePermissions, DEFAULT_BOT_PERMISSIONS, PermissionFlagsBits } from './permissions.js';
import { SnowflakeGenerator } from './snowflake.js';
import { Uploads } from './uploads.js';

export interface Overwrite {
  id: string;
  type: 0 | 1;
  allow: string;
  deny: string;
}

export interface User {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
}

export interface Role {
  id: string;
  name: string;
  permissions: string;
  position: number;
  color: number;
  colors: { primary_color: number; secondary_color: null; tertiary_color: null };
  hoist: boolean;
  managed: boolean;
  mentionable: boolean;
  icon: null;
  unicode_emoji: null;
  flags: number;
  tags?: { bot_id: string };
}

export interface Member {
  userId: string;
  roles: string[];
  joinedAt: string;
}

export interface Channel {
  id: string;
  type: number;
  guild_id: string;
  name: string;
  parent_id: string | null;
  position: number;
  permission_overwrites: Overwrite[];
  topic: string | null;
  nsfw: boolean;
  last_message_id: string | null;
  rate_limit_per_user: number;
  flags: number;
  /** Threads (types 10, 11, 12) only: who started it, its metadata and counts. */
  owner_id?: string;
  thread_metadata?: ThreadMetadata;
  member_count?: number;
  message_count?: number;
  total_message_sent?: number;
}

/** Discord's thread metadata object (docs: resources/channel "Thread Metadata Object"). */
export interface ThreadMetadata {
  archived: boolean;
  auto_archive_duration: number;
  archive_timestamp: string;
  locked: boolean;
  invitable?: boolean;
  create_timestamp: string;
}

/** Announcement (10), public (11) and private (12) threads. */
export const isThread = (channel: { type: number }): boolean => channel.type === 10 || channel.type === 11 || channel.type === 12;

/** A DM channel between the bot and one user (type 1): no guild, no overwrites. */
export interface DmChannel {
  id: string;
  type: 1;
  last_message_id: string | null;
  flags: number;
  recipientId: string;
}

export interface Attachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
  description?: string;
}

export interface Message {
  id: string;
  type: number;
  channel_id: string;
  guild_id?: string;
  author: User;
  content: string;
  embeds: Record<string, unknown>[];
  components: Record<string, unknown>[];
  attachments: Attachment[];
  mentions: unknown[];
  mention_roles: string[];
  mention_everyone: boolean;
  pinned: boolean;
  tts: boolean;
  timestamp: string;
  edited_timestamp: string | null;
  flags: number;
  webhook_id?: string;
  application_id?: string;
  interaction_metadata?: Record<string, unknown>;
}

export interface Guild {
  id: string;
  name: string;
  ownerId: string;
  memberCount: number;
  joinedAt: string;
  roles: Map<string, Role>;
  members: Map<string, Member>;
  channelIds: string[];
  botRoleId: string;
  unavailable: boolean;
  /** The guild's custom emojis. */
  emojis: Emoji[];
}

export interface Emoji {
  id: string;
  name: string;
  animated: boolean;
  roles: string[];
  require_colons: boolean;
  managed: boolean;
  available: boolean;
}

export interface InteractionResponse {
  type: number;
  data: unknown;
  at: string;
  latencyMs: number;
}

export type InteractionKind = 'command' | 'autocomplete' | 'button' | 'select' | 'modal';

export interface InteractionRecord {
  id: string;
  token: string;
  kind: InteractionKind;
  type: number;
  createdAt: number;
  /** null for an interaction in a DM with the bot. */
  guildId: string | null;
  channelId: string;
  userId: string;
  payload: Record<string, unknown>;
  response: InteractionResponse | null;
  /** The original response message (or, for components, the message the component sits on). */
  original: Message | null;
  followups: Message[];
  deleted: boolean;
  /** True once the bot PATCHed @original or the response carried content. */
  originalEdited: boolean;
  /** Set when the interaction went to the application's Interactions Endpoint URL instead of the gateway. */
  delivery?: { status: number | null; error?: string };
}

/** An incoming webhook (type 1) of a guild channel. */
export interface Webhook {
  id: string;
  type: 1;
  guild_id: string;
  channel_id: string;
  name: string;
  avatar: string | null;
  token: string;
  /** The application that created it (the bot's), or null when a person made it. */
  application_id: string | null;
  /** Who created it. */
  user: User;
}

export interface RegisteredCommand {
  id: string;
  application_id: string;
  guild_id?: string;
  name: string;
  type: number;
  version: string;
  [key: string]: unknown;
}

/** Discord's defaults for @everyone in a new guild (text, voice and basic chat permissions). */
export const DEFAULT_EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.ChangeNickname |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseExternalStickers |
  PermissionFlagsBits.MentionEveryone |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak |
  PermissionFlagsBits.UseVAD;

export const MAX_GUILD_CHANNELS = 500;
/** Discord: 15 webhooks per channel (30007), 1000 per guild (30058). */
export const MAX_CHANNEL_WEBHOOKS = 15;
export const MAX_GUILD_WEBHOOKS = 1000;
export const MAX_CATEGORY_CHANNELS = 50;

export interface StateEvents {
  /** A guild-scoped gateway dispatch. */
  dispatch: [guildId: string | null, event: string, data: unknown];
  interaction: [id: string];
}

export function makeRole(id: string, name: string, permissions: bigint | string, position: number, botId?: string): Role {
  const role: Role = {
    id,
    name,
    permissions: String(permissions),
    position,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    managed: botId !== undefined,
    mentionable: false,
    icon: null,
    unicode_emoji: null,
    flags: 0,
  };
  if (botId) role.tags = { bot_id: botId };
  return role;
}

/** The emulator's in-memory Discord: guilds, channels, messages, interactions, commands. */
export class EmulatorState extends EventEmitter<StateEvents> {
  readonly ids = new SnowflakeGenerator();
  readonly users = new Map<string, User>();
  readonly guilds = new Map<string, Guild>();
  readonly channels = new Map<string, Channel>();
  /** Messages per channel, oldest first. */
  readonly messages = new Map<string, Message[]>();
  readonly attachmentData = new Map<string, Buffer>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly webhooks = new Map<string, Webhook>();
  readonly globalCommands = new Map<string, RegisteredCommand>();
  readonly guildCommands = new Map<string, Map<string, RegisteredCommand>>();
  /** DM channels of the bot, by channel id (one per recipient). */
  readonly dmChannels = new Map<string, DmChannel>();
  /** Users whose privacy settings refuse DMs from server members (Discord answers 50007). */
  readonly refusesDms = new Set<string>();
  /** Members of each thread: thread id → user id → join timestamp. */
  readonly threadMembers = new Map<string, Map<string, string>>();
  /** Thread ids per guild (threads live in `channels` but not in a guild's `channelIds`). */
  readonly guildThreads = new Map<string, Set<string>>();
  /** Timestamps of name changes per channel (for the 2-per-10-minutes rule). */
  readonly renames = new Map<string, number[]>();
  readonly botUser: User;
  /** The application's flags (GET /applications/@me): privileged intents are off unless set. Survives reset, like the developer portal. */
  applicationFlags = 0;
  /** Upload limits by boost tier and signed attachment URLs (uploads.ts). */
  readonly uploads = new Uploads();

  constructor(
    readonly applicationId: string,
    botUsername = 'PROMTON-TICKETS',
  ) {
    super();
    this.setMaxListeners(0);
    this.botUser = { id: applicationId, username: botUsername, global_name: null, discriminator: '0', avatar: null, bot: true };
    this.users.set(this.botUser.id, this.botUser);
  }

  reset(): void {
    this.users.clear();
    this.users.set(this.botUser.id, this.botUser);
    this.guilds.clear();
    this.channels.clear();
    this.messages.clear();
    this.dmChannels.clear();
    this.refusesDms.clear();
    this.attachmentData.clear();
    this.interactions.clear();
    this.webhooks.clear();
    this.globalCommands.clear();
    this.guildCommands.clear();
    this.renames.clear();
    this.uploads.reset();
    this.threadMembers.clear();
    this.guildThreads.clear();
  }

  ensureUser(id: string, username?: string): User {
    let user = this.users.get(id);
    if (!user) {
      user = { id, username: username ?? `user-${id.slice(-6)}`, global_name: null, discriminator: '0', avatar: null };
      this.users.set(id, user);
    } else if (username) {
      user.username = username;
    }
    return user;
  }

  createGuild(input: { id?: string; name: string; ownerId?: string; memberCount?: number; botPermissions?: bigint }): Guild {
    const id = input.id ?? this.ids.past();
    const ownerId = input.ownerId ?? this.ids.next();
    const now = new Date().toISOString();
    const botRoleId = this.ids.next();
    const guild: Guild = {
      id,
      name: input.name,
      ownerId,
      memberCount: 0,
      joinedAt: now,
      roles: new Map(),
      members: new Map(),
      channelIds: [],
      botRoleId,
      unavailable: false,
      emojis: [],
    };
    guild.roles.set(id, makeRole(id, '@everyone', DEFAULT_EVERYONE_PERMISSIONS, 0));
    guild.roles.set(botRoleId, makeRole(botRoleId, this.botUser.username, input.botPermissions ?? DEFAULT_BOT_PERMISSIONS, 1, this.botUser.id));
    guild.members.set(this.botUser.id, { userId: this.botUser.id, roles: [botRoleId], joinedAt: now });
    this.ensureUser(ownerId);
    guild.members.set(ownerId, { userId: ownerId, roles: [], joinedAt: now });
    guild.memberCount = input.memberCount ?? guild.members.size;
    this.guilds.set(id, guild);
    return guild;
  }

  addMember(guild: Guild, userId: string, roles: string[] = [], username?: string): Member {
    this.ensureUser(userId, username);
    const existing = guild.members.get(userId);
    if (existing) {
      existing.roles = roles;
      return existing;
    }
    const member: Member = { userId, roles, joinedAt: new Date().toISOString() };
    guild.members.set(userId, member);
    guild.memberCount += 1;
    return member;
  }

  createChannel(guild: Guild, input: Partial<Channel> & { name: string; type: number }): Channel {
    const siblings = guild.channelIds.filter((cid) => this.channels.get(cid)?.type === input.type).length;
    const channel: Channel = {
      id: input.id ?? this.ids.next(),
      type: input.type,
      guild_id: guild.id,
      name: input.name,
      parent_id: input.parent_id ?? null,
      position: input.position ?? siblings,
      permission_overwrites: input.permission_overwrites ?? [],
      topic: input.topic ?? null,
      nsfw: input.nsfw ?? false,
      last_message_id: null,
      rate_limit_per_user: input.rate_limit_per_user ?? 0,
      flags: 0,
    };
    this.channels.set(channel.id, channel);
    guild.channelIds.push(channel.id);
    this.messages.set(channel.id, []);
    return channel;
  }

  deleteChannel(channel: Channel): void {
    if (isThread(channel)) {
      this.deleteThread(channel);
      return;
    }
    // A channel's threads go with it.
    for (const thread of this.threadsOf(channel.guild_id)) if (thread.parent_id === channel.id) this.deleteThread(thread);
    this.channels.delete(channel.id);
    this.messages.delete(channel.id);
    this.renames.delete(channel.id);
    // A channel's webhooks go with it: executing one afterwards is 10015 Unknown Webhook.
    for (const webhook of this.webhooksOf(channel.id)) this.webhooks.delete(webhook.id);
    const guild = this.guilds.get(channel.guild_id);
    if (guild) guild.channelIds = guild.channelIds.filter((cid) => cid !== channel.id);
    this.dispatch(channel.guild_id, 'CHANNEL_DELETE', channel);
    if (channel.type === 4 && guild) {
      for (const cid of guild.channelIds) {
        const child = this.channels.get(cid);
        if (child?.parent_id === channel.id) {
          child.parent_id = null;
          this.dispatch(guild.id, 'CHANNEL_UPDATE', child);
        }
      }
    }
  }

  /** Deletes a thread: THREAD_DELETE carries only id, guild_id, parent_id and type (to those who could see it). */
  deleteThread(thread: Channel): void {
    const visible = this.botCanView(thread);
    this.channels.delete(thread.id);
    this.messages.delete(thread.id);
    this.renames.delete(thread.id);
    this.threadMembers.delete(thread.id);
    this.guildThreads.get(thread.guild_id)?.delete(thread.id);
    if (visible) this.dispatch(thread.guild_id, 'THREAD_DELETE', { id: thread.id, guild_id: thread.guild_id, parent_id: thread.parent_id, type: thread.type });
  }

  /** A guild's threads (they are channels, but not in `channelIds`: they do not count against the 500). */
  threadsOf(guildId: string): Channel[] {
    const out: Channel[] = [];
    for (const id of this.guildThreads.get(guildId) ?? []) {
      const thread = this.channels.get(id);
      if (thread) out.push(thread);
    }
    return out;
  }

  /** Stores a new thread with its first member (its creator). */
  addThread(thread: Channel, creatorId: string): void {
    this.channels.set(thread.id, thread);
    this.messages.set(thread.id, []);
    this.threadMembers.set(thread.id, new Map([[creatorId, new Date().toISOString()]]));
    let ids = this.guildThreads.get(thread.guild_id);
    if (!ids) this.guildThreads.set(thread.guild_id, (ids = new Set()));
    ids.add(thread.id);
  }

  /** Whether the bot can see a channel or thread (a private thread: a member, or Manage Threads). */
  botCanView(channel: Channel): boolean {
    const guild = this.guilds.get(channel.guild_id);
    return guild !== undefined && (this.botPermissions(guild, channel) & PermissionFlagsBits.ViewChannel) !== 0n;
  }

  removeGuild(guild: Guild): void {
    for (const thread of this.threadsOf(guild.id)) {
      this.channels.delete(thread.id);
      this.messages.delete(thread.id);
      this.threadMembers.delete(thread.id);
    }
    this.guildThreads.delete(guild.id);
    for (const cid of guild.channelIds) {
      this.channels.delete(cid);
      this.messages.delete(cid);
      for (const webhook of this.webhooksOf(cid)) this.webhooks.delete(webhook.id);
    }
    this.guilds.delete(guild.id);
    this.guildCommands.delete(guild.id);
  }

  channelsOf(guild: Guild): Channel[] {
    const out: Channel[] = [];
    for (const cid of guild.channelIds) {
      const channel = this.channels.get(cid);
      if (channel) out.push(channel);
    }
    return out;
  }

  webhooksOf(channelId: string): Webhook[] {
    return [...this.webhooks.values()].filter((w) => w.channel_id === channelId);
  }

  guildWebhookCount(guildId: string): number {
    let count = 0;
    for (const webhook of this.webhooks.values()) if (webhook.guild_id === guildId) count += 1;
    return count;
  }

  childrenOf(guild: Guild, categoryId: string): number {
    let count = 0;
    for (const cid of guild.channelIds) if (this.channels.get(cid)?.parent_id === categoryId) count += 1;
    return count;
  }

  /** The bot's DM channel with a user, made on first use (POST /users/@me/channels). */
  dmChannelWith(userId: string): DmChannel {
    for (const dm of this.dmChannels.values()) if (dm.recipientId === userId) return dm;
    const dm: DmChannel = { id: this.ids.next(), type: 1, last_message_id: null, flags: 0, recipientId: userId };
    this.dmChannels.set(dm.id, dm);
    this.messages.set(dm.id, []);
    return dm;
  }

  dmChannelObject(dm: DmChannel): Record<string, unknown> {
    return {
      id: dm.id,
      type: 1,
      last_message_id: dm.last_message_id,
      flags: dm.flags,
      recipients: [this.users.get(dm.recipientId) ?? this.ensureUser(dm.recipientId)],
    };
  }

  /** Whether the bot may DM a user: Discord refuses (50007) when the user turned DMs from server members off, or shares no server with the bot. */
  acceptsDmFromBot(userId: string): boolean {
    if (this.refusesDms.has(userId)) return false;
    for (const guild of this.guilds.values()) if (guild.members.has(userId) && guild.members.has(this.botUser.id)) return true;
    return false;
  }

  /**
   * Permissions of a member, in the guild or (with a channel) in that channel. A thread
   * inherits its parent's, except that Send Messages there is Send Messages in Threads
   * (docs: permissions "Inherited Permissions (Threads)"); a private thread is seen only by
   * its members and those with Manage Threads.
   */
  permissionsOf(guild: Guild, userId: string, channel?: Channel): bigint {
    if (channel && isThread(channel)) {
      const parent = channel.parent_id ? this.channels.get(channel.parent_id) : undefined;
      if (!parent) return 0n;
      let perms = this.permissionsOf(guild, userId, parent);
      const manager = (perms & (PermissionFlagsBits.ManageThreads | PermissionFlagsBits.Administrator)) !== 0n;
      if (channel.type === 12 && !manager && !this.threadMembers.get(channel.id)?.has(userId)) return 0n;
      perms &= ~PermissionFlagsBits.SendMessages;
      if ((perms & PermissionFlagsBits.SendMessagesInThreads) !== 0n) perms |= PermissionFlagsBits.SendMessages;
      return perms;
    }
    const member = guild.members.get(userId);
    const input = {
      guildId: guild.id,
      ownerId: guild.ownerId,
      userId,
      memberRoleIds: member?.roles ?? [],
      roles: [...guild.roles.values()],
    };
    return channel ? computePermissions({ ...input, overwrites: channel.permission_overwrites }) : computePermissions(input);
  }

  botPermissions(guild: Guild, channel?: Channel): bigint {
    return this.permissionsOf(guild, this.botUser.id, channel);
  }

  addMessage(message: Message): void {
    const list = this.messages.get(message.channel_id);
    if (list) list.push(message);
    const channel = this.channels.get(message.channel_id);
    if (channel) channel.last_message_id = message.id;
    const dm = this.dmChannels.get(message.channel_id);
    if (dm) dm.last_message_id = message.id;
    if (channel && isThread(channel)) {
      channel.message_count = (channel.message_count ?? 0) + 1;
      channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
      // Discord syncs a thread only to those who can see it.
      if (!this.botCanView(channel)) return;
    }
    this.dispatch(channel?.guild_id ?? null, 'MESSAGE_CREATE', { ...message, ...(channel ? { guild_id: channel.guild_id } : {}) });
  }

  findMessage(channelId: string, messageId: string): Message | undefined {
    return this.messages.get(channelId)?.find((m) => m.id === messageId);
  }

  dispatch(guildId: string | null, event: string, data: unknown): void {
    this.emit('dispatch', guildId, event, data);
  }

  interactionChanged(id: string): void {
    this.emit('interaction', id);
  }

  memberObject(guild: Guild, member: Member, withUser = true): Record<string, unknown> {
    const user = this.users.get(member.userId) ?? this.ensureUser(member.userId);
    return {
      ...(withUser ? { user } : {}),
      roles: member.roles,
      joined_at: member.joinedAt,
      nick: null,
      avatar: null,
      banner: null,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
    };
  }

  guildObject(guild: Guild): Record<string, unknown> {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      region: 'us-west',
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [...guild.roles.values()],
      emojis: guild.emojis,
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      max_presences: null,
      max_members: 500000,
      vanity_url_code: null,
      premium_tier: this.uploads.premiumTier(guild.id),
      premium_subscription_count: 0,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      nsfw: false,
      premium_progress_bar_enabled: false,
    };
  }

  /** The GUILD_CREATE payload: the guild plus channels, members and the join data. */
  guildCreatePayload(guild: Guild): Record<string, unknown> {
    return {
      ...this.guildObject(guild),
      joined_at: guild.joinedAt,
      large: guild.memberCount > 250,
      unavailable: false,
      member_count: guild.memberCount,
      voice_states: [],
      members: [...guild.members.values()].map((m) => this.memberObject(guild, m)),
      channels: this.channelsOf(guild),
      // Active threads the bot can see.
      threads: this.threadsOf(guild.id).filter((t) => !t.thread_metadata?.archived && this.botCanView(t)),
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      lazy: true,
    };
  }
}
