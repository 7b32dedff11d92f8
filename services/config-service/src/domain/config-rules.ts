import { ConfigLimits, type EmbedCustomization, type SupportHours, type TicketType } from '@promton/shared/contracts';
import { canonicalTimeZone, formatSchedule, msg, parseSchedule } from '@promton/shared/domain';
import { accept, refuse, type Result } from './result.js';

/**
 * The bot's own embed titles ("Ticket #0001 closed", "Configuration", …) are at most
 * this long; a title prefix must leave them room within Discord's 256. Panel titles
 * are chosen by admins (up to 256) and are clipped by buildEmbed when a prefix is set.
 */
export const LONGEST_BOT_TITLE = 60;
export const MAX_TITLE_PREFIX = ConfigLimits.title - LONGEST_BOT_TITLE;

/** Discord channel types we care about. */
export const ChannelKind = { text: 0, category: 4 } as const;

const CUSTOM_EMOJI = /^<a?:[A-Za-z0-9_]{2,32}:\d{17,20}>$/;
/** Exactly one emoji as Discord accepts it on a button: one RGI emoji (the `v` flag is Node 20's, newer than the compile target). */
const ONE_UNICODE_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export function validateTypeName(input: string): Result<string> {
  const name = input.trim();
  if (!ConfigLimits.typeName.test(name)) return refuse('invalid.type-name');
  return accept(name);
}

export function validateLabel(input: string): Result<string> {
  const label = input.trim();
  if (label.length === 0) return refuse('invalid.label-empty');
  if (label.length > ConfigLimits.label) return refuse('invalid.label-long', { max: ConfigLimits.label });
  return accept(label);
}

export function validateDescription(input: string): Result<string | null> {
  const description = input.trim();
  if (description.length > ConfigLimits.description) return refuse('invalid.description-long', { max: ConfigLimits.description });
  return accept(description.length === 0 ? null : description);
}

/** The id of a custom emoji (`<:name:id>` or `<a:name:id>`), null for a unicode one. */
export function customEmojiId(emoji: string | null): string | null {
  return emoji && CUSTOM_EMOJI.test(emoji) ? (/:(\d{17,20})>$/.exec(emoji)?.[1] ?? null) : null;
}

/**
 * Exactly one Unicode emoji, or a custom emoji `<:name:id>` / `<a:name:id>` (whether the
 * server has it is asked of Discord by the handler: see `foreignEmoji`).
 */
export function validateEmoji(input: string): Result<string | null> {
  const emoji = input.trim();
  if (emoji.length === 0) return accept(null);
  if (CUSTOM_EMOJI.test(emoji)) return accept(emoji);
  if (ONE_UNICODE_EMOJI.test(emoji)) return accept(emoji);
  return refuse('invalid.emoji');
}

export function validateWelcomeMessage(input: string): Result<string | null> {
  const message = input.trim();
  if (message.length > ConfigLimits.welcomeMessage) return refuse('invalid.message-long', { max: ConfigLimits.welcomeMessage });
  return accept(message.length === 0 ? null : message);
}

export function validatePerUserLimit(input: number): Result<number> {
  if (!Number.isInteger(input) || input < ConfigLimits.perUserLimitMin || input > ConfigLimits.perUserLimitMax) {
    return refuse('invalid.limit', { min: ConfigLimits.perUserLimitMin, max: ConfigLimits.perUserLimitMax });
  }
  return accept(input);
}

/** Longest auto-close delay an admin may set: 30 days (the command's max_value). */
export const AUTO_CLOSE_MAX_HOURS = 720;

/** Hours without messages before a ticket closes itself; 0 means never (stored as null). */
export function validateAutoClose(input: number): Result<number | null> {
  if (!Number.isInteger(input) || input < 0 || input > AUTO_CLOSE_MAX_HOURS) {
    return refuse('invalid.auto-close', { max: AUTO_CLOSE_MAX_HOURS });
  }
  return accept(input === 0 ? null : input);
}

/** Support hours as typed: a known IANA zone, a schedule that parses, notice or refuse. Stored in canonical form. */
export function validateHours(timeZone: string, schedule: string, mode: string): Result<SupportHours> {
  const zone = canonicalTimeZone(timeZone);
  if (!zone) return refuse('hours.zone', { zone: timeZone.trim() || '""' });
  const parsed = parseSchedule(schedule);
  if (!parsed.ok) return refuse('hours.schedule', { error: parsed.error });
  if (mode !== 'notice' && mode !== 'refuse') return refuse('hours.mode');
  return accept({ timeZone: zone, schedule: formatSchedule(parsed.value), mode });
}

/**
 * Archiving on close is for channel tickets: a thread ticket is archived and locked when it
 * closes already, so a type opening threads cannot also archive (it would be accepted and do nothing).
 */
export function checkCloseMode(type: Pick<TicketType, 'name' | 'threadChannelId' | 'closeMode'>): Result<true> {
  if (type.threadChannelId && type.closeMode === 'archive') return refuse('type.archive-thread', { type: type.name });
  return accept(true);
}

/** Days an archived channel is kept: 1–90 (the command's min and max). */
export function validateArchiveDays(days: number): Result<number> {
  if (!Number.isInteger(days) || days < ConfigLimits.archiveDaysMin || days > ConfigLimits.archiveDaysMax) {
    return refuse('invalid.archive-days', { min: ConfigLimits.archiveDaysMin, max: ConfigLimits.archiveDaysMax });
  }
  return accept(days);
}

export function validateQuestion(input: string): Result<string> {
  const question = input.trim();
  if (question.length === 0) return refuse('invalid.question-empty');
  if (question.length > ConfigLimits.question) return refuse('invalid.question-long', { max: ConfigLimits.question });
  return accept(question);
}

export interface ChannelFacts {
  type: number;
}

export function validateCategory(channel: ChannelFacts | undefined): Result<true> {
  if (!channel) return refuse('invalid.category-missing');
  if (channel.type !== ChannelKind.category) return refuse('invalid.category-kind');
  return accept(true);
}

export function validateLogChannel(channel: ChannelFacts | undefined): Result<true> {
  if (!channel) return refuse('invalid.channel-missing');
  if (channel.type !== ChannelKind.text) return refuse('invalid.channel-kind');
  return accept(true);
}

export interface RoleFacts {
  managed?: boolean | undefined;
}

export function validateStaffRole(guildId: string, roleId: string, role: RoleFacts | undefined): Result<true> {
  if (roleId === guildId) return refuse('invalid.role-everyone');
  if (role?.managed) return refuse('invalid.role-managed');
  return accept(true);
}

export function validateTitlePrefix(input: string): Result<string | null> {
  if (input.length === 0) return accept(null);
  if (input.length > MAX_TITLE_PREFIX) {
    return refuse('invalid.title-prefix', { max: MAX_TITLE_PREFIX, limit: ConfigLimits.title });
  }
  return accept(input);
}

export function validateAuthorName(input: string): Result<string | null> {
  const name = input.trim();
  if (name.length > ConfigLimits.authorName) return refuse('invalid.author-name', { max: ConfigLimits.authorName });
  return accept(name.length === 0 ? null : name);
}

/** Which URL option a refusal names. */
export type UrlField = 'field.author-icon' | 'field.banner';

export function validateUrl(field: UrlField, input: string): Result<string | null> {
  const text = input.trim();
  if (text.length === 0) return accept(null);
  if (text.length > ConfigLimits.url) return refuse('invalid.url-long', { field: msg(field), max: ConfigLimits.url });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('invalid.url', { field: msg(field) });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse('invalid.url', { field: msg(field) });
  return accept(text);
}

export function validateColor(input: string): Result<number | null> {
  const text = input.trim();
  if (text.length === 0) return accept(null);
  if (!HEX_COLOR.test(text)) return refuse('invalid.color');
  return accept(Number.parseInt(text.slice(1), 16));
}

export function validateFooter(input: string): Result<string | null> {
  const footer = input.trim();
  if (footer.length > ConfigLimits.footer) return refuse('invalid.footer', { max: ConfigLimits.footer });
  return accept(footer.length === 0 ? null : footer);
}

export function formatColor(color: number): string {
  return `#${color.toString(16).padStart(6, '0')}`;
}

/** Whole-type checks that apply to any stored type (used by add, edit and import). */
export function checkTypeList(types: readonly Pick<TicketType, 'name'>[]): Result<true> {
  if (types.length > ConfigLimits.maxTypes) return refuse('invalid.max-types', { max: ConfigLimits.maxTypes });
  const seen = new Set<string>();
  for (const type of types) {
    if (seen.has(type.name)) return refuse('invalid.duplicate-type', { type: type.name });
    seen.add(type.name);
  }
  return accept(true);
}

/** Embed customization as a whole (import path). */
export function validateEmbedCustomization(embed: EmbedCustomization): Result<EmbedCustomization> {
  const prefix = validateTitlePrefix(embed.titlePrefix ?? '');
  if (!prefix.ok) return prefix;
  const author = validateAuthorName(embed.authorName ?? '');
  if (!author.ok) return author;
  const icon = validateUrl('field.author-icon', embed.authorIconUrl ?? '');
  if (!icon.ok) return icon;
  const banner = validateUrl('field.banner', embed.bannerUrl ?? '');
  if (!banner.ok) return banner;
  const footer = validateFooter(embed.footerText ?? '');
  if (!footer.ok) return footer;
  if (embed.color !== null && (!Number.isInteger(embed.color) || embed.color < 0 || embed.color > 0xffffff)) {
    return refuse('invalid.color-range');
  }
  return accept({
    titlePrefix: prefix.value,
    authorName: author.value,
    authorIconUrl: icon.value,
    bannerUrl: banner.value,
    color: embed.color,
    footerText: footer.value,
  });
}
