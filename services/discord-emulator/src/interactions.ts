import { randomBytes } from 'node:crypto';
import { storeAttachments } from './messages.js';
import { DISCORD_LOCALES } from './validation.js';
import type { Attachment, Channel, DmChannel, EmulatorState, Guild, InteractionKind, InteractionRecord, Message, RegisteredCommand } from './state.js';

export interface InteractInput {
  /** Omitted (or ignored) for a click in the bot's DM channel with the user. */
  guildId?: string;
  channelId: string;
  userId: string;
  kind: InteractionKind;
  name?: string;
  options?: unknown[];
  path?: string[];
  args?: Record<string, unknown>;
  customId?: string;
  values?: string[];
  fields?: Record<string, string>;
  messageId?: string;
  attachments?: { filename: string; content?: string; contentBase64?: string; contentType?: string }[];
  /** The member's Discord language (`locale`); en-US when not given. */
  locale?: string;
  /** The server's language (`guild_locale`, `guild.locale`); en-US when not given. */
  guildLocale?: string;
  /** Autocomplete: the option being typed (its value in `args` is the partial text). */
  focused?: string;
}

export class InteractInputError extends Error {
  override name = 'InteractInputError';
}

const TYPES: Record<InteractionKind, number> = { command: 2, autocomplete: 4, button: 3, select: 3, modal: 5 };

interface CommandOption {
  type: number;
  name: string;
  autocomplete?: boolean;
  options?: CommandOption[];
  choices?: { name: string; value: unknown }[];
}

interface Resolved {
  users?: Record<string, unknown>;
  members?: Record<string, unknown>;
  roles?: Record<string, unknown>;
  channels?: Record<string, unknown>;
  attachments?: Record<string, unknown>;
}

/**
 * A click on a component of a message in the bot's DM with the user (or the submit of the
 * modal it opened): context BOT_DM, `user` instead of `member`, no guild.
 */
function buildDmInteraction(state: EmulatorState, input: InteractInput, dm: DmChannel): InteractionRecord {
  if (input.kind !== 'button' && input.kind !== 'select' && input.kind !== 'modal')
    throw new InteractInputError('a DM interaction here is a button, select or modal');
  if (input.userId !== dm.recipientId) throw new InteractInputError(`only ${dm.recipientId} can click in their DM with the bot`);
  if (!input.customId) throw new InteractInputError(`a ${input.kind} needs customId`);
  const user = state.users.get(input.userId) ?? state.ensureUser(input.userId);
  const list = state.messages.get(dm.id) ?? [];
  // A modal submit carries the message whose component opened the modal.
  const opener = () =>
    [...state.interactions.values()]
      .reverse()
      .find((r) => r.channelId === dm.id && r.response?.type === 9 && (r.response.data as { custom_id?: string } | null)?.custom_id === input.customId)
      ?.original ?? null;
  const message = input.messageId
    ? (list.find((m) => m.id === input.messageId) ?? null)
    : input.kind === 'modal'
      ? opener()
      : ([...list].reverse().find((m) => JSON.stringify(m.components).includes(JSON.stringify(input.customId))) ?? null);
  if (input.kind !== 'modal' && !message) throw new InteractInputError(`no message in DM ${dm.id} carries ${input.customId}`);
  const id = state.ids.next();
  const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString('base64url');
  const data =
    input.kind === 'modal'
      ? {
          custom_id: input.customId,
          components: Object.entries(input.fields ?? {}).map(([customId, value], i) => ({
            type: 1,
            id: i * 2 + 1,
            components: [{ type: 4, id: i * 2 + 2, custom_id: customId, value }],
          })),
        }
      : input.kind === 'button'
        ? { custom_id: input.customId, component_type: 2 }
        : { custom_id: input.customId, component_type: 3, values: input.values ?? [] };
  const payload: Record<string, unknown> = {
    id,
    application_id: state.applicationId,
    type: TYPES[input.kind],
    data,
    channel: { ...state.dmChannelObject(dm) },
    channel_id: dm.id,
    user,
    token,
    version: 1,
    app_permissions: '0',
    locale: input.locale ?? 'en-US',
    entitlements: [],
    entitlement_sku_ids: [],
    authorizing_integration_owners: { '0': '0' },
    context: 1,
    attachment_size_limit: state.uploads.limitFor(undefined),
  };
  if (message) payload.message = message;
  const record: InteractionRecord = {
    id,
    token,
    kind: input.kind,
    type: TYPES[input.kind],
    createdAt: Date.now(),
    guildId: null,
    channelId: dm.id,
    userId: user.id,
    payload,
    response: null,
    original: message,
    followups: [],
    deleted: false,
    originalEdited: false,
  };
  state.interactions.set(id, record);
  return record;
}

/** Builds and records a realistic INTERACTION_CREATE payload (what a member's click or command sends). */
export function buildInteraction(state: EmulatorState, baseUrl: string, input: InteractInput): InteractionRecord {
  const dm = state.dmChannels.get(input.channelId);
  if (dm) return buildDmInteraction(state, input, dm);
  const guild = state.guilds.get(input.guildId ?? '');
  if (!guild) throw new InteractInputError(`unknown guild ${input.guildId}`);
  const channel = state.channels.get(input.channelId);
  if (!channel || channel.guild_id !== guild.id) throw new InteractInputError(`unknown channel ${input.channelId} in guild ${guild.id}`);
  for (const [field, locale] of [
    ['locale', input.locale],
    ['guildLocale', input.guildLocale],
  ] as const) {
    if (locale !== undefined && !DISCORD_LOCALES.has(locale)) throw new InteractInputError(`${field} must be one of Discord's locales`);
  }
  if (!(input.kind in TYPES)) throw new InteractInputError('kind must be command, autocomplete, button, select or modal');
  const member = guild.members.get(input.userId) ?? state.addMember(guild, input.userId);
  const user = state.users.get(member.userId) ?? state.ensureUser(member.userId);
  const id = state.ids.next();
  const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString('base64url');
  const resolved: Resolved = {};
  const uploaded = storeAttachments(
    state,
    baseUrl,
    channel.id,
    (input.attachments ?? []).map((a, i) => ({
      key: `files[${i}]`,
      index: String(i),
      filename: a.filename,
      contentType: a.contentType ?? 'application/octet-stream',
      data: a.contentBase64 !== undefined ? Buffer.from(a.contentBase64, 'base64') : Buffer.from(a.content ?? '', 'utf8'),
    })),
    undefined,
  );

  let data: Record<string, unknown>;
  let message: Message | null = null;
  switch (input.kind) {
    case 'command': {
      const name = input.name ?? input.path?.[0];
      if (!name) throw new InteractInputError('a command needs name or path');
      const command = findCommand(state, guild.id, name);
      let options: unknown[];
      if (input.options) {
        options = input.options;
        collectResolved(state, guild, member.userId, options, resolved, uploaded);
      } else {
        const wantsOptions = (input.path?.length ?? 0) > 1 || Object.keys(input.args ?? {}).length > 0;
        if (!command && wantsOptions) throw new InteractInputError(`/${name} is not registered; register it (PUT commands) or pass raw options`);
        options = command ? buildOptions(state, guild, member.userId, command, input.path?.slice(1) ?? [], input.args ?? {}, resolved, uploaded) : [];
      }
      data = { id: command?.id ?? state.ids.next(), name, type: command?.type ?? 1, options };
      if (command?.guild_id) data.guild_id = command.guild_id;
      if (Object.keys(resolved).length > 0) data.resolved = resolved;
      break;
    }
    case 'autocomplete': {
      // Discord sends the options typed so far, the focused one as a partial string
      // (interactions/receiving-and-responding: "can be partial"), only for an option
      // registered with autocomplete.
      const name = input.path?.[0];
      const command = name ? findCommand(state, guild.id, name) : undefined;
      if (!name || !command) throw new InteractInputError('autocomplete needs the path of a registered command');
      if (!input.focused) throw new InteractInputError('autocomplete needs the focused option');
      const args = { ...(input.args ?? {}) };
      args[input.focused] ??= '';
      const options = buildOptions(state, guild, member.userId, command, input.path?.slice(1) ?? [], args, resolved, uploaded, input.focused);
      data = { id: command.id, name, type: command.type, options };
      if (command.guild_id) data.guild_id = command.guild_id;
      break;
    }
    case 'button':
    case 'select': {
      if (!input.customId) throw new InteractInputError(`a ${input.kind} needs customId`);
      message = findComponentMessage(state, channel, input.customId, input.messageId);
      data =
        input.kind === 'button'
          ? { custom_id: input.customId, component_type: 2 }
          : { custom_id: input.customId, component_type: 3, values: input.values ?? [] };
      break;
    }
    case 'modal': {
      if (!input.customId) throw new InteractInputError('a modal submit needs customId');
      const labelled = modalUsesLabels(state, input.customId);
      const fields = Object.entries(input.fields ?? {});
      data = {
        custom_id: input.customId,
        components: fields.map(([customId, value], i) =>
          labelled
            ? { type: 18, id: i * 2 + 1, component: { type: 4, id: i * 2 + 2, custom_id: customId, value } }
            : { type: 1, id: i * 2 + 1, components: [{ type: 4, id: i * 2 + 2, custom_id: customId, value }] },
        ),
      };
      if (input.messageId) message = state.findMessage(channel.id, input.messageId) ?? null;
      break;
    }
  }

  const memberPermissions = state.permissionsOf(guild, member.userId, channel);
  const payload: Record<string, unknown> = {
    id,
    application_id: state.applicationId,
    type: TYPES[input.kind],
    data,
    guild: { id: guild.id, locale: input.guildLocale ?? 'en-US', features: [] },
    guild_id: guild.id,
    guild_locale: input.guildLocale ?? 'en-US',
    channel: { ...channel, permissions: String(memberPermissions) },
    channel_id: channel.id,
    member: { ...state.memberObject(guild, member), permissions: String(memberPermissions) },
    token,
    version: 1,
    app_permissions: String(state.botPermissions(guild, channel)),
    locale: input.locale ?? 'en-US',
    entitlements: [],
    entitlement_sku_ids: [],
    authorizing_integration_owners: { '0': guild.id },
    context: 0,
    attachment_size_limit: state.uploads.limitFor(guild),
  };
  if (message) payload.message = message;
  void user;

  const record: InteractionRecord = {
    id,
    token,
    kind: input.kind,
    type: TYPES[input.kind],
    createdAt: Date.now(),
    guildId: guild.id,
    channelId: channel.id,
    userId: member.userId,
    payload,
    response: null,
    original: message,
    followups: [],
    deleted: false,
    originalEdited: false,
  };
  state.interactions.set(id, record);
  return record;
}

function findCommand(state: EmulatorState, guildId: string, name: string): RegisteredCommand | undefined {
  const inGuild = [...(state.guildCommands.get(guildId)?.values() ?? [])].find((c) => c.name === name && c.type === 1);
  return inGuild ?? [...state.globalCommands.values()].find((c) => c.name === name && c.type === 1);
}

function findComponentMessage(state: EmulatorState, channel: Channel, customId: string, messageId?: string): Message | null {
  if (messageId) {
    const inChannel = state.findMessage(channel.id, messageId);
    if (inChannel) return inChannel;
    for (const rec of state.interactions.values()) {
      if (rec.original?.id === messageId) return rec.original;
      const followup = rec.followups.find((m) => m.id === messageId);
      if (followup) return followup;
    }
    throw new InteractInputError(`unknown message ${messageId}`);
  }
  const hasCustomId = (components: unknown): boolean =>
    Array.isArray(components) &&
    components.some((c) => {
      const o = c as Record<string, unknown>;
      return o?.custom_id === customId || hasCustomId(o?.components) || (o?.component !== undefined && hasCustomId([o.component]));
    });
  const messages = state.messages.get(channel.id) ?? [];
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const m = messages[i];
    if (m && hasCustomId(m.components)) return m;
  }
  // Ephemeral messages (e.g. a close confirmation) live only on their interaction.
  const recs = [...state.interactions.values()].filter((r) => r.channelId === channel.id).reverse();
  for (const rec of recs) {
    for (const m of [...rec.followups].reverse()) if (hasCustomId(m.components)) return m;
    if (rec.original && hasCustomId(rec.original.components)) return rec.original;
  }
  return null;
}

/** Answers a modal submit in the structure of the modal the bot opened (Label components or action rows). */
function modalUsesLabels(state: EmulatorState, customId: string): boolean {
  const recs = [...state.interactions.values()].reverse();
  for (const rec of recs) {
    if (rec.response?.type !== 9) continue;
    const data = rec.response.data as { custom_id?: string; components?: { type?: number }[] } | null;
    if (data?.custom_id === customId) return (data.components ?? []).some((c) => c.type === 18);
  }
  return false;
}

function buildOptions(
  state: EmulatorState,
  guild: Guild,
  invokerId: string,
  command: RegisteredCommand,
  path: string[],
  args: Record<string, unknown>,
  resolved: Resolved,
  uploaded: Attachment[],
  focused?: string,
): unknown[] {
  let level = (command.options as CommandOption[] | undefined) ?? [];
  const wrappers: { type: number; name: string }[] = [];
  for (const segment of path) {
    const next = level.find((o) => o.name === segment && (o.type === 1 || o.type === 2));
    if (!next) throw new InteractInputError(`/${command.name} has no subcommand or group "${segment}"`);
    wrappers.push({ type: next.type, name: next.name });
    level = next.options ?? [];
  }
  const leaf: unknown[] = [];
  let attachmentIndex = 0;
  for (const [name, value] of Object.entries(args)) {
    const def = level.find((o) => o.name === name);
    if (!def) throw new InteractInputError(`/${[command.name, ...path].join(' ')} has no option "${name}"`);
    if (name === focused) {
      if (def.autocomplete !== true || ![3, 4, 10].includes(def.type)) {
        throw new InteractInputError(`option "${name}" of /${[command.name, ...path].join(' ')} is not registered with autocomplete`);
      }
      leaf.push({ name, type: def.type, value: String(value), focused: true });
      continue;
    }
    let optionValue: unknown = value;
    switch (def.type) {
      case 4:
        optionValue = Math.trunc(Number(value));
        break;
      case 10:
        optionValue = Number(value);
        break;
      case 5:
        optionValue = value === true || value === 'true';
        break;
      case 3:
        optionValue = String(value);
        break;
      case 11: {
        const attachment = uploaded.find((a) => a.filename === value) ?? uploaded[attachmentIndex++];
        if (!attachment) throw new InteractInputError(`option "${name}" needs an entry in attachments`);
        optionValue = attachment.id;
        break;
      }
      default:
        optionValue = String(value);
    }
    leaf.push({ name, type: def.type, value: optionValue });
  }
  collectResolved(state, guild, invokerId, leaf, resolved, uploaded);
  let options: unknown[] = leaf;
  for (const wrapper of wrappers.reverse()) options = [{ name: wrapper.name, type: wrapper.type, options }];
  return options;
}

/** Fills `data.resolved` for user, channel, role, mentionable and attachment options, as Discord does. */
function collectResolved(state: EmulatorState, guild: Guild, invokerId: string, options: unknown[], resolved: Resolved, uploaded: Attachment[]): void {
  for (const raw of options) {
    const option = raw as { type?: number; value?: unknown; options?: unknown[] };
    if (Array.isArray(option.options)) collectResolved(state, guild, invokerId, option.options, resolved, uploaded);
    const id = typeof option.value === 'string' ? option.value : undefined;
    if (!id) continue;
    const addUser = () => {
      const user = state.users.get(id) ?? state.ensureUser(id);
      (resolved.users ??= {})[id] = user;
      const member = guild.members.get(id);
      if (member) {
        const { user: _user, ...rest } = state.memberObject(guild, member);
        void _user;
        (resolved.members ??= {})[id] = { ...rest, permissions: String(state.permissionsOf(guild, id)) };
      }
    };
    const addRole = () => {
      const role = guild.roles.get(id);
      if (role) (resolved.roles ??= {})[id] = role;
    };
    switch (option.type) {
      case 6:
        addUser();
        break;
      case 8:
        addRole();
        break;
      case 9:
        if (guild.roles.has(id)) addRole();
        else addUser();
        break;
      case 7: {
        const channel = state.channels.get(id);
        if (channel)
          (resolved.channels ??= {})[id] = {
            id: channel.id,
            name: channel.name,
            type: channel.type,
            parent_id: channel.parent_id,
            // channel.md: `permissions` are the invoking member's in that channel, `app_permissions` the bot's.
            permissions: String(state.permissionsOf(guild, invokerId, channel)),
            app_permissions: String(state.botPermissions(guild, channel)),
            flags: 0,
          };
        break;
      }
      case 11: {
        const attachment = uploaded.find((a) => a.id === id);
        if (attachment) (resolved.attachments ??= {})[id] = { ...attachment, ephemeral: true };
        break;
      }
      default:
        break;
    }
  }
}
