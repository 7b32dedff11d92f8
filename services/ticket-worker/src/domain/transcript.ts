import type { APIEmbed, APIMessage } from 'discord-api-types/v10';
import { t, type SupportedLocale } from '@promton/shared/domain';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Bytes as people read them: 512 B, 3.4 KB, 12.0 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * A regular message with nothing in it: Discord never lets a member send that, so its
 * content was withheld (no Message Content intent), not empty.
 */
export function contentWithheld(message: APIMessage): boolean {
  if (message.type !== 0 && message.type !== 19) return false;
  return !message.content && message.embeds.length === 0 && message.attachments.length === 0 && (message.sticker_items ?? []).length === 0 && !message.poll;
}

function renderEmbed(embed: APIEmbed): string {
  const parts = [
    embed.title ? `<div class="embed-title">${escapeHtml(embed.title)}</div>` : '',
    embed.description ? `<div class="embed-description">${escapeHtml(embed.description)}</div>` : '',
    ...(embed.fields ?? []).map((field) => `<div class="embed-field"><b>${escapeHtml(field.name)}</b><br>${escapeHtml(field.value)}</div>`),
    embed.footer?.text ? `<div class="embed-footer">${escapeHtml(embed.footer.text)}</div>` : '',
  ];
  const color = embed.color === undefined ? '#5865f2' : `#${embed.color.toString(16).padStart(6, '0')}`;
  return `<div class="embed" style="border-color:${color}">${parts.join('')}</div>`;
}

function renderMessage(locale: SupportedLocale, message: APIMessage): string {
  // By name and size: attachment links expire, a transcript is read later.
  const attachments = message.attachments.map((attachment) => `<li>${escapeHtml(attachment.filename)} (${formatSize(attachment.size)})</li>`);
  const text = contentWithheld(message)
    ? `<div class="content missing">${escapeHtml(t(locale, 'transcript.missing-content'))}</div>`
    : message.content
      ? `<div class="content">${escapeHtml(message.content)}</div>`
      : '';
  return [
    `<article class="message" id="m${escapeHtml(message.id)}">`,
    `<header><span class="author">${escapeHtml(message.author.username)}</span>`,
    message.author.bot ? ' <span class="bot">BOT</span>' : '',
    ` <span class="id">${escapeHtml(message.author.id)}</span>`,
    ` <time datetime="${escapeHtml(message.timestamp)}">${escapeHtml(message.timestamp)}</time></header>`,
    text,
    ...message.embeds.map(renderEmbed),
    attachments.length > 0 ? `<ul class="attachments">${attachments.join('')}</ul>` : '',
    '</article>',
  ].join('');
}

export interface TranscriptInput {
  title: string;
  guildId: string;
  channelId: string;
  closedAt: string;
  /** The server's language: headings and notes. */
  locale: SupportedLocale;
  /** Oldest first. */
  messages: readonly APIMessage[];
}

/** A self-contained HTML transcript: no scripts, no external requests, every piece of content escaped. */
export function renderTranscript({ title, guildId, channelId, closedAt, locale, messages }: TranscriptInput): string {
  return `<!doctype html>
<html lang="${escapeHtml(locale)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src https: data:">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#313338;color:#dbdee1;margin:0;padding:24px}
h1{font-size:20px}.meta{color:#949ba4;font-size:13px;margin-bottom:16px}
.message{padding:8px 0;border-bottom:1px solid #3f4147}.author{font-weight:600;color:#f2f3f5}
.bot{background:#5865f2;color:#fff;border-radius:3px;font-size:10px;padding:1px 4px}
.id,time{color:#949ba4;font-size:12px}.content{white-space:pre-wrap;margin-top:4px}.missing{color:#949ba4;font-style:italic}
.embed{border-left:4px solid;background:#2b2d31;padding:8px 12px;margin-top:6px;border-radius:4px;white-space:pre-wrap}
.embed-title{font-weight:600}.embed-footer{font-size:12px;color:#949ba4}a{color:#00a8fc}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<div class="meta">${escapeHtml(t(locale, 'transcript.meta', { guild: guildId, channel: channelId, count: messages.length, closedAt }))}</div>
${messages.map((message) => renderMessage(locale, message)).join('\n')}
</body></html>
`;
}
