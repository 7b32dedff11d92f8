import type { Channel, EmulatorState, Guild, InteractionRecord, Message, RegisteredCommand } from '../state.js';

/** Discord's permission bits the playground needs (the emulator keeps its own copy: it never imports the bot's code). */
export const Bits = {
  Administrator: 1n << 3n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
} as const;

const EPHEMERAL = 64;
const LOADING = 128;

export interface Persona {
  id: string;
  username: string;
  /** What the person is in this server: owner, role names, "member" or "not in this server". */
  label: string;
  member: boolean;
}

export interface ChannelView {
  id: string;
  name: string;
  type: number;
  parentId: string | null;
  position: number;
  canSend: boolean;
}

export interface MessageView extends Message {
  /** Only the person acting sees it (an ephemeral interaction answer). */
  ephemeral: boolean;
  /** A deferred answer not yet edited: Discord shows "<bot> is thinking…". */
  loading: boolean;
  /** Set on ephemeral messages: the interaction they answer. */
  interactionId?: string;
}

export interface ModalField {
  customId: string;
  label: string;
  description?: string;
  style: number;
  required: boolean;
  minLength?: number;
  maxLength?: number;
  placeholder?: string;
  value?: string;
}

export interface ModalView {
  interactionId: string;
  customId: string;
  title: string;
  channelId: string;
  fields: ModalField[];
}

export interface PlaygroundView {
  guilds: { id: string; name: string }[];
  guild: { id: string; name: string; botUserId: string } | null;
  personas: Persona[];
  me: Persona | null;
  channels: ChannelView[];
  channel: ChannelView | null;
  messages: MessageView[];
  modal: ModalView | null;
  commands: RegisteredCommand[];
  /** Names for mentions: users, roles (with colour), channels (all of the guild's, as Discord resolves them). */
  names: { users: Record<string, string>; roles: Record<string, { name: string; color: number }>; channels: Record<string, string> };
  members: { id: string; username: string }[];
  roles: { id: string; name: string }[];
}

const byId = (a: { id: string }, b: { id: string }) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0);

/** The people a visitor can act as: the owner, every human member, and someone not in the server. */
export function personas(state: EmulatorState, guild: Guild, strangerId: string): Persona[] {
  const out: Persona[] = [];
  const roleNames = (ids: string[]) =>
    ids
      .map((id) => guild.roles.get(id))
      .filter((r) => r !== undefined)
      .sort((a, b) => b.position - a.position)
      .map((r) => r.name);
  const owner = guild.members.get(guild.ownerId);
  out.push({
    id: guild.ownerId,
    username: state.users.get(guild.ownerId)?.username ?? guild.ownerId,
    label: ['owner', ...roleNames(owner?.roles ?? [])].join(', '),
    member: true,
  });
  for (const member of guild.members.values()) {
    if (member.userId === guild.ownerId || state.users.get(member.userId)?.bot) continue;
    const names = roleNames(member.roles);
    out.push({
      id: member.userId,
      username: state.users.get(member.userId)?.username ?? member.userId,
      label: names.length > 0 ? names.join(', ') : 'member',
      member: true,
    });
  }
  out.push({ id: strangerId, username: state.users.get(strangerId)?.username ?? 'a stranger', label: 'not in this server', member: false });
  return out;
}

function canView(state: EmulatorState, guild: Guild, userId: string, channel: Channel): boolean {
  if (!guild.members.has(userId)) return false;
  const perms = state.permissionsOf(guild, userId, channel);
  return (perms & Bits.Administrator) !== 0n || (perms & Bits.ViewChannel) !== 0n;
}

function canSend(state: EmulatorState, guild: Guild, userId: string, channel: Channel): boolean {
  const perms = state.permissionsOf(guild, userId, channel);
  return (perms & Bits.Administrator) !== 0n || ((perms & Bits.ViewChannel) !== 0n && (perms & Bits.SendMessages) !== 0n);
}

/** Channels a person sees, as Discord lists them: categories only when they hold a visible channel or are visible and empty. */
export function visibleChannels(state: EmulatorState, guild: Guild, userId: string): ChannelView[] {
  const all = state.channelsOf(guild);
  const visible = all.filter((c) => c.type !== 4 && canView(state, guild, userId, c));
  const categories = all.filter(
    (c) => c.type === 4 && (visible.some((v) => v.parent_id === c.id) || (canView(state, guild, userId, c) && !all.some((x) => x.parent_id === c.id))),
  );
  return [...categories, ...visible].map((c) => ({
    id: c.id,
    name: c.name,
    type: c.type,
    parentId: c.parent_id,
    position: c.position,
    canSend: c.type !== 4 && canSend(state, guild, userId, c),
  }));
}

function asView(message: Message, ephemeral: boolean, interactionId?: string): MessageView {
  return { ...message, ephemeral, loading: (message.flags & LOADING) !== 0, ...(interactionId ? { interactionId } : {}) };
}

/** The channel's messages plus the ephemeral answers only this person sees, in order. */
export function messagesFor(state: EmulatorState, userId: string, channel: Channel): MessageView[] {
  const out: MessageView[] = (state.messages.get(channel.id) ?? []).map((m) => asView(m, false));
  for (const rec of state.interactions.values()) {
    if (rec.userId !== userId || rec.channelId !== channel.id || rec.deleted) continue;
    // The interaction's own answer (a component's `original` may be the message it sits on).
    if (rec.original && (rec.original.flags & EPHEMERAL) !== 0 && rec.original.interaction_metadata?.id === rec.id)
      out.push(asView(rec.original, true, rec.id));
    for (const followup of rec.followups) if ((followup.flags & EPHEMERAL) !== 0) out.push(asView(followup, true, rec.id));
  }
  const seen = new Set<string>();
  return out.sort(byId).filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
}

/** The modal the bot opened for this person, unless they already submitted it. */
export function openModal(state: EmulatorState, userId: string): ModalView | null {
  const recs = [...state.interactions.values()].filter((r) => r.userId === userId);
  for (let i = recs.length - 1; i >= 0; i -= 1) {
    const rec = recs[i] as InteractionRecord;
    if (rec.kind === 'modal') return null;
    if (rec.response?.type !== 9) continue;
    const data = rec.response.data as { custom_id?: string; title?: string; components?: Record<string, unknown>[] } | null;
    if (!data?.custom_id) return null;
    const fields: ModalField[] = [];
    for (const row of data.components ?? []) {
      const label = row.type === 18 ? String(row.label ?? '') : undefined;
      const inputs = row.type === 18 ? [row.component as Record<string, unknown>] : ((row.components as Record<string, unknown>[] | undefined) ?? []);
      for (const input of inputs) {
        if (input?.type !== 4) continue;
        fields.push({
          customId: String(input.custom_id),
          label: label ?? String(input.label ?? ''),
          ...(row.type === 18 && typeof row.description === 'string' ? { description: row.description } : {}),
          style: Number(input.style ?? 1),
          required: input.required !== false,
          ...(typeof input.min_length === 'number' ? { minLength: input.min_length } : {}),
          ...(typeof input.max_length === 'number' ? { maxLength: input.max_length } : {}),
          ...(typeof input.placeholder === 'string' ? { placeholder: input.placeholder } : {}),
          ...(typeof input.value === 'string' ? { value: input.value } : {}),
        });
      }
    }
    return { interactionId: rec.id, customId: data.custom_id, title: String(data.title ?? ''), channelId: rec.channelId, fields };
  }
  return null;
}

/** Commands a person is offered: Discord hides those whose default_member_permissions they lack. */
export function commandsFor(state: EmulatorState, guild: Guild, userId: string): RegisteredCommand[] {
  const perms = guild.members.has(userId) ? state.permissionsOf(guild, userId) : 0n;
  const all = [...(state.guildCommands.get(guild.id)?.values() ?? []), ...state.globalCommands.values()].filter((c) => c.type === 1);
  return all
    .filter((c) => {
      const needed = c.default_member_permissions;
      if (needed === null || needed === undefined) return true;
      const bits = BigInt(String(needed));
      return (perms & Bits.Administrator) !== 0n || (perms & bits) === bits;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function buildView(
  state: EmulatorState,
  query: { guild?: string | null; as?: string | null; channel?: string | null },
  strangerId: string,
): PlaygroundView {
  const guilds = [...state.guilds.values()].filter((g) => !g.unavailable);
  const guild = (query.guild ? state.guilds.get(query.guild) : undefined) ?? guilds[0];
  const empty: PlaygroundView = {
    guilds: guilds.map((g) => ({ id: g.id, name: g.name })),
    guild: null,
    personas: [],
    me: null,
    channels: [],
    channel: null,
    messages: [],
    modal: null,
    commands: [],
    names: { users: {}, roles: {}, channels: {} },
    members: [],
    roles: [],
  };
  if (!guild) return empty;
  const people = personas(state, guild, strangerId);
  const me = people.find((p) => p.id === query.as) ?? people[0] ?? null;
  const channels = me ? visibleChannels(state, guild, me.id) : [];
  const channel = channels.find((c) => c.id === query.channel && c.type !== 4) ?? null;
  const stored = channel ? state.channels.get(channel.id) : undefined;
  const names: PlaygroundView['names'] = { users: {}, roles: {}, channels: {} };
  for (const member of guild.members.values()) names.users[member.userId] = state.users.get(member.userId)?.username ?? member.userId;
  for (const role of guild.roles.values()) names.roles[role.id] = { name: role.name, color: role.color };
  for (const c of state.channelsOf(guild)) names.channels[c.id] = c.name;
  return {
    ...empty,
    guild: { id: guild.id, name: guild.name, botUserId: state.botUser.id },
    personas: people,
    me,
    channels,
    channel,
    messages: me && stored ? messagesFor(state, me.id, stored) : [],
    modal: me ? openModal(state, me.id) : null,
    commands: me?.member ? commandsFor(state, guild, me.id) : [],
    names,
    members: [...guild.members.values()].map((m) => ({ id: m.userId, username: state.users.get(m.userId)?.username ?? m.userId })),
    roles: [...guild.roles.values()].sort((a, b) => b.position - a.position).map((r) => ({ id: r.id, name: r.name })),
  };
}
