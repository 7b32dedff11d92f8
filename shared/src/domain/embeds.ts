import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import type { EmbedCustomization } from '../contracts/guild-config.js';

/** Discord's embed limits (messages docs, "Embed Limits"). */
export const EmbedLimits = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  total: 6000,
  embedsPerMessage: 10,
} as const;

export interface EmbedContent {
  title: string;
  description?: string;
  fields?: APIEmbedField[];
  timestamp?: string;
  /** Overrides the guild's color (e.g. red for a close). */
  color?: number;
  /** Only the welcome and panel embeds show the guild's banner. */
  withBanner?: boolean;
}

export const DEFAULT_EMBED_COLOR = 0x5865f2;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Characters Discord counts toward an embed's 6,000 total. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/**
 * The one builder every embed the bot sends goes through: applies the guild's
 * customization and keeps every part within Discord's limits.
 */
export function buildEmbed(custom: EmbedCustomization, content: EmbedContent): APIEmbed {
  const embed: APIEmbed = {
    title: clip(`${custom.titlePrefix ?? ''}${content.title}`, EmbedLimits.title),
    color: content.color ?? custom.color ?? DEFAULT_EMBED_COLOR,
  };
  if (content.description) embed.description = clip(content.description, EmbedLimits.description);
  if (content.timestamp) embed.timestamp = content.timestamp;
  if (custom.authorName) {
    embed.author = { name: clip(custom.authorName, EmbedLimits.authorName) };
    if (custom.authorIconUrl) embed.author.icon_url = custom.authorIconUrl;
  }
  if (custom.footerText) embed.footer = { text: clip(custom.footerText, EmbedLimits.footer) };
  if (content.withBanner && custom.bannerUrl) embed.image = { url: custom.bannerUrl };
  if (content.fields?.length) {
    embed.fields = content.fields.slice(0, EmbedLimits.fields).map((field) => ({
      name: clip(field.name, EmbedLimits.fieldName),
      value: clip(field.value || '\u200b', EmbedLimits.fieldValue),
      ...(field.inline === undefined ? {} : { inline: field.inline }),
    }));
  }
  return fitEmbed(embed);
}

/**
 * Keeps an embed within Discord's 6,000 characters: trims the description, then drops
 * trailing fields (with `keepLastField`, the last one — a status line such as "Claimed
 * by" — is kept and the ones before it go). Used when an embed is built, and again when a
 * sent embed is edited and grows.
 */
export function fitEmbed<E extends APIEmbed>(embed: E, { keepLastField = false } = {}): E {
  const fitted: E = { ...embed, ...(embed.fields ? { fields: [...embed.fields] } : {}) };
  let excess = embedLength(fitted) - EmbedLimits.total;
  if (excess > 0 && fitted.description) {
    fitted.description = clip(fitted.description, Math.max(1, fitted.description.length - excess));
    excess = embedLength(fitted) - EmbedLimits.total;
  }
  while (excess > 0 && fitted.fields?.length) {
    fitted.fields.splice(keepLastField && fitted.fields.length > 1 ? -2 : -1, 1);
    excess = embedLength(fitted) - EmbedLimits.total;
  }
  return fitted;
}

/** Splits embeds into messages of at most 10 embeds and 6,000 characters in all. */
export function packEmbeds(embeds: readonly APIEmbed[]): APIEmbed[][] {
  const messages: APIEmbed[][] = [];
  let current: APIEmbed[] = [];
  let length = 0;
  for (const embed of embeds) {
    const size = embedLength(embed);
    if (current.length === EmbedLimits.embedsPerMessage || (current.length > 0 && length + size > EmbedLimits.total)) {
      messages.push(current);
      current = [];
      length = 0;
    }
    current.push(embed);
    length += size;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}
