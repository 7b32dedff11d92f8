import type { UploadedFile } from './http-util.js';
import { Errors } from './errors.js';
import type { Attachment, EmulatorState, Message, User } from './state.js';

/** Message flags a bot may set when creating or editing. */
const SETTABLE_FLAGS = 4 | 64 | 4096 | 32768;
export const EPHEMERAL = 64;
export const LOADING = 128;

export interface MessageInput {
  content?: unknown;
  embeds?: unknown;
  components?: unknown;
  attachments?: unknown;
  flags?: unknown;
  tts?: unknown;
  sticker_ids?: unknown;
  poll?: unknown;
}

function normalizeEmbeds(embeds: unknown): Record<string, unknown>[] {
  if (!Array.isArray(embeds)) return [];
  return embeds.map((embed) => ({ type: 'rich', ...(embed as Record<string, unknown>) }));
}

/** Gives components Discord's numeric `id`s, as Discord does in responses. */
function normalizeComponents(components: unknown): Record<string, unknown>[] {
  if (!Array.isArray(components)) return [];
  let next = 1;
  const walk = (c: unknown): unknown => {
    if (!c || typeof c !== 'object') return c;
    const out: Record<string, unknown> = { ...(c as Record<string, unknown>) };
    if (out.id === undefined || out.id === null) out.id = next;
    next += 1;
    if (Array.isArray(out.components)) out.components = out.components.map(walk);
    if (out.component) out.component = walk(out.component);
    return out;
  };
  // The body was validated against Discord's schema: each top-level component is an object.
  return components.map(walk) as Record<string, unknown>[];
}

/** Stores uploaded files as attachments served by the emulator under `/attachments/...`. */
export function storeAttachments(state: EmulatorState, baseUrl: string, channelId: string, files: readonly UploadedFile[], meta: unknown): Attachment[] {
  const described = Array.isArray(meta) ? (meta as Record<string, unknown>[]) : [];
  // The guild's upload limit (413/40005 over it); a DM has the default.
  state.uploads.check(state.guilds.get(state.channels.get(channelId)?.guild_id ?? ''), files);
  return files.map((file) => {
    const id = state.ids.next();
    const info = described.find((a) => String(a.id) === file.index);
    const filename = typeof info?.filename === 'string' ? info.filename : file.filename;
    state.attachmentData.set(id, file.data);
    const path = `/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    const url = `${baseUrl}${path}${state.uploads.sign(path)}`;
    const attachment: Attachment = { id, filename, size: file.data.length, url, proxy_url: url, content_type: file.contentType };
    if (typeof info?.description === 'string') attachment.description = info.description;
    return attachment;
  });
}

export function isEmpty(input: MessageInput, files: readonly UploadedFile[]): boolean {
  const has = (v: unknown) => (Array.isArray(v) ? v.length > 0 : typeof v === 'string' ? v.length > 0 : v !== undefined && v !== null);
  return !has(input.content) && !has(input.embeds) && !has(input.components) && files.length === 0 && !has(input.sticker_ids) && !has(input.poll);
}

export function newMessage(
  state: EmulatorState,
  input: MessageInput & {
    channelId: string;
    guildId?: string;
    author: User;
    attachments?: Attachment[];
    webhookId?: string;
    applicationId?: string;
    extraFlags?: number;
  },
): Message {
  const message: Message = {
    id: state.ids.next(),
    type: 0,
    channel_id: input.channelId,
    author: input.author,
    content: typeof input.content === 'string' ? input.content : '',
    embeds: normalizeEmbeds(input.embeds),
    components: normalizeComponents(input.components),
    attachments: input.attachments ?? [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: input.tts === true,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: ((typeof input.flags === 'number' ? input.flags : 0) & SETTABLE_FLAGS) | (input.extraFlags ?? 0),
  };
  if (input.guildId) message.guild_id = input.guildId;
  if (input.webhookId) message.webhook_id = input.webhookId;
  if (input.applicationId) message.application_id = input.applicationId;
  return message;
}

/**
 * Applies an edit like Discord: given fields replace, `attachments` (when present) is
 * the list of existing attachments to keep, new files are appended.
 */
export function applyEdit(message: Message, input: MessageInput, newAttachments: Attachment[]): void {
  if (input.content !== undefined) message.content = typeof input.content === 'string' ? input.content : '';
  if (input.embeds !== undefined) message.embeds = normalizeEmbeds(input.embeds);
  if (input.components !== undefined) message.components = normalizeComponents(input.components);
  if (input.flags !== undefined && typeof input.flags === 'number') message.flags = (message.flags & ~(4 | 32768)) | (input.flags & (4 | 32768));
  if (Array.isArray(input.attachments)) {
    const keep = new Set((input.attachments as Record<string, unknown>[]).map((a) => String(a.id)));
    message.attachments = message.attachments.filter((a) => keep.has(a.id));
  }
  message.attachments = [...message.attachments, ...newAttachments];
  if ((message.flags & LOADING) !== 0) {
    message.flags &= ~LOADING;
  } else {
    message.edited_timestamp = new Date().toISOString();
  }
}

export function requireNotEmpty(input: MessageInput, files: readonly UploadedFile[]): void {
  if (isEmpty(input, files)) throw Errors.emptyMessage();
}

/** Application flags (GET /applications/@me) that grant privileged intents: approved, or limited (under 100 servers). */
export const ApplicationFlags = {
  GatewayPresence: 1 << 12,
  GatewayPresenceLimited: 1 << 13,
  GatewayGuildMembers: 1 << 14,
  GatewayGuildMembersLimited: 1 << 15,
  GatewayMessageContent: 1 << 18,
  GatewayMessageContentLimited: 1 << 19,
} as const;

export function hasMessageContentFlag(applicationFlags: number): boolean {
  return (applicationFlags & (ApplicationFlags.GatewayMessageContent | ApplicationFlags.GatewayMessageContentLimited)) !== 0;
}

/**
 * Whether an app without the Message Content intent still sees this message's content:
 * Discord exempts direct messages, the app's own messages and messages that mention it.
 */
export function contentExempt(message: Pick<Message, 'author' | 'content' | 'mentions' | 'application_id'>, botUserId: string, inGuild: boolean): boolean {
  if (!inGuild) return true;
  if (message.author.id === botUserId || message.application_id === botUserId) return true;
  if (message.mentions.some((u) => (u as { id?: string }).id === botUserId)) return true;
  return message.content.includes(`<@${botUserId}>`) || message.content.includes(`<@!${botUserId}>`);
}

/** The message as an app without Message Content receives it: content, embeds, attachments, components and poll empty. */
export function withoutContent<M extends Pick<Message, 'content' | 'embeds' | 'attachments' | 'components'>>(message: M): M {
  const copy = { ...message, content: '', embeds: [], attachments: [], components: [] };
  delete (copy as { poll?: unknown }).poll;
  return copy;
}

/** A message as the app sees it given its flags (REST) or its session's intents (gateway). */
export function asSeenByApp<M extends Message>(message: M, botUserId: string, contentAccess: boolean, inGuild: boolean): M {
  if (contentAccess) return message;
  return contentExempt(message, botUserId, inGuild) ? message : withoutContent(message);
}
