import { MessageType, type APIEmbed, type APIMessage } from 'discord-api-types/v10';
import { formatSize, t, type SupportedLocale } from '@promton/shared/domain';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/**
 * A regular message with nothing in it: Discord never lets a member send that, so its
 * content was withheld (no Message Content intent), not empty.
 */
export function contentWithheld(message: APIMessage): boolean {
  if (message.type !== MessageType.Default && message.type !== MessageType.Reply) return false;
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

const MiB = 1024 * 1024;

/**
 * What one transcript may hold. Pages are read newest first and reading stops at the
 * first message that would pass a cap, so a long ticket keeps its newest messages and
 * says so at the top. Files are cut below Discord's smallest upload limit (10 MiB, an
 * unboosted server) and together stay under the 25 MiB a request may carry, so one
 * message with at most 10 files always holds them.
 */
export const TRANSCRIPT_LIMITS = {
  /** Messages in one transcript. */
  maxMessages: 5_000,
  /** Rendered HTML of all the messages together. */
  maxBytes: 16 * MiB,
  /** One file (its page around the messages included). */
  fileBytes: 8 * MiB,
} as const;
export type TranscriptLimits = { maxMessages: number; maxBytes: number; fileBytes: number };

/** Room left in each file for its page: head, title, notes and end. */
const PAGE_ROOM = 16 * 1024;
/** Discord: at most 10 files in one message. */
export const MAX_FILES_PER_MESSAGE = 10;

export interface TranscriptHeading {
  title: string;
  guildId: string;
  channelId: string;
  closedAt: string;
  /** The server's language: headings and notes. */
  locale: SupportedLocale;
}

export interface TranscriptFile {
  name: string;
  data: Buffer;
}

export interface Transcript {
  files: TranscriptFile[];
  /** Messages it holds. */
  messages: number;
  /** True when older messages were left out to stay within the limits. */
  truncated: boolean;
}

/** `transcript-0001.html`, or `transcript-0001-2.html` for the second of several files. */
export function transcriptFileName(ticket: string, part: number, parts: number): string {
  return parts === 1 ? `transcript-${ticket}.html` : `transcript-${ticket}-${part}.html`;
}

/** Matches the files of one ticket's transcript (`ticket` as in transcriptFileName). */
export function isTranscriptFileOf(ticket: string, filename: string): boolean {
  return filename === `transcript-${ticket}.html` || new RegExp(`^transcript-${ticket}-\\d+\\.html$`).test(filename);
}

function pageHead(heading: TranscriptHeading, count: number, part: number, parts: number, truncatedNote: string | null): string {
  const { title, guildId, channelId, closedAt, locale } = heading;
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
.truncated{border:1px solid #f0b232;color:#f0b232;padding:8px 12px;border-radius:4px;margin-bottom:16px}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<div class="meta">${escapeHtml(t(locale, 'transcript.meta', { guild: guildId, channel: channelId, count, closedAt }))}${
    parts > 1 ? ` · ${escapeHtml(t(locale, 'transcript.part', { part, parts }))}` : ''
  }</div>
${truncatedNote ? `<div class="truncated">${escapeHtml(truncatedNote)}</div>\n` : ''}`;
}

const PAGE_END = '</body></html>\n';

/**
 * Builds a transcript page by page with bounded memory: each message is rendered once
 * into its own buffer (outside the JS heap) as its page arrives, and reading stops at
 * the limits. `addPage` takes a page as Discord's REST returns it (newest first) and
 * answers whether the next, older page is wanted.
 */
export class TranscriptBuilder {
  /** Rendered messages, newest first. */
  private readonly rendered: Buffer[] = [];
  private bytes = 0;
  private cut = false;
  private readonly limits: TranscriptLimits;

  constructor(
    private readonly heading: TranscriptHeading,
    limits: Partial<TranscriptLimits> = {},
  ) {
    this.limits = { ...TRANSCRIPT_LIMITS, ...limits };
  }

  get truncated(): boolean {
    return this.cut;
  }

  get count(): number {
    return this.rendered.length;
  }

  addPage(newestFirst: readonly APIMessage[]): boolean {
    for (const message of newestFirst) {
      const html = Buffer.from(`${renderMessage(this.heading.locale, message)}\n`, 'utf8');
      const fitsFile = html.length <= this.limits.fileBytes - PAGE_ROOM;
      if (this.rendered.length >= this.limits.maxMessages || this.bytes + html.length > this.limits.maxBytes || !fitsFile) {
        this.cut = true;
        return false;
      }
      this.rendered.push(html);
      this.bytes += html.length;
    }
    return true;
  }

  /** The files, oldest messages first; the note on a cut transcript heads the first file. */
  finish(ticket: string): Transcript {
    const { locale } = this.heading;
    const note = this.cut
      ? t(locale, 'transcript.truncated', {
          count: this.rendered.length,
          maxMessages: this.limits.maxMessages,
          maxSize: formatSize(this.limits.maxBytes),
        })
      : null;
    // Oldest first, packed into files that stay under fileBytes with their page around them.
    const chronological = [...this.rendered].reverse();
    const groups: Buffer[][] = [[]];
    let size = 0;
    for (const html of chronological) {
      if (size + html.length > this.limits.fileBytes - PAGE_ROOM && groups[groups.length - 1]!.length > 0) {
        groups.push([]);
        size = 0;
      }
      groups[groups.length - 1]!.push(html);
      size += html.length;
    }
    const count = this.rendered.length;
    const files = groups.map((group, index) => ({
      name: transcriptFileName(ticket, index + 1, groups.length),
      data: Buffer.concat([
        Buffer.from(pageHead(this.heading, count, index + 1, groups.length, index === 0 ? note : null), 'utf8'),
        ...group,
        Buffer.from(PAGE_END, 'utf8'),
      ]),
    }));
    this.rendered.length = 0;
    return { files, messages: count, truncated: this.cut };
  }
}

export interface TranscriptInput extends TranscriptHeading {
  /** Oldest first. */
  messages: readonly APIMessage[];
}

/** A self-contained HTML transcript of a few messages (no limits): no scripts, no external requests, every piece of content escaped. */
export function renderTranscript({ messages, ...heading }: TranscriptInput): string {
  const builder = new TranscriptBuilder(heading, {
    maxMessages: Number.MAX_SAFE_INTEGER,
    maxBytes: Number.MAX_SAFE_INTEGER,
    fileBytes: Number.MAX_SAFE_INTEGER,
  });
  builder.addPage([...messages].reverse());
  return builder
    .finish('0000')
    .files.map((f) => f.data.toString('utf8'))
    .join('');
}
