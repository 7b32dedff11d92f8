import type { APIMessage } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { t } from '@promton/shared/domain';
import { contentWithheld, escapeHtml, isTranscriptFileOf, renderTranscript, TRANSCRIPT_LIMITS, TranscriptBuilder } from './transcript.js';

const MISSING_CONTENT = t('en-US', 'transcript.missing-content');

let seq = 0;
function msg(content: string, over: Partial<APIMessage> = {}): APIMessage {
  seq += 1;
  return {
    id: String(800000000000000000n + BigInt(seq)),
    channel_id: '400000000000000001',
    author: { id: '200000000000000001', username: 'alice', discriminator: '0', global_name: null, avatar: null },
    content,
    timestamp: '2024-05-01T12:00:00.000Z',
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    ...over,
  } as APIMessage;
}

const render = (messages: APIMessage[], title = 'Ticket #0001') =>
  renderTranscript({ title, guildId: '100000000000000001', channelId: '400000000000000001', closedAt: '2024-05-02T00:00:00.000Z', locale: 'en-US', messages });

const attachment = (url: string, filename: string) => ({ id: '700000000000000001', filename, size: 1, url, proxy_url: url });

describe('escapeHtml', () => {
  it('escapes the five HTML special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml('plain')).toBe('plain');
  });
});

describe('contentWithheld', () => {
  it('is a default message or reply with nothing in it, not one with embeds, files, stickers, a poll or text, nor a system message', () => {
    expect(contentWithheld(msg(''))).toBe(true);
    expect(contentWithheld(msg('', { type: 19 } as Partial<APIMessage>))).toBe(true);
    expect(contentWithheld(msg('', { type: 7 } as Partial<APIMessage>))).toBe(false);
    expect(contentWithheld(msg('hi'))).toBe(false);
    expect(contentWithheld(msg('', { embeds: [{ title: 'x' }] }))).toBe(false);
    expect(contentWithheld(msg('', { attachments: [attachment('https://cdn.example.com/a.png', 'a.png')] } as Partial<APIMessage>))).toBe(false);
    expect(contentWithheld(msg('', { sticker_items: [{ id: '1', name: 's', format_type: 1 }] } as Partial<APIMessage>))).toBe(false);
    expect(contentWithheld(msg('', { poll: {} } as Partial<APIMessage>))).toBe(false);
  });
});

describe('renderTranscript', () => {
  it('writes each message as its author, id, time, text, embeds and files, after the heading and count, and ends the page', () => {
    const member = msg('hello & bye', {
      attachments: [attachment('https://cdn.example.com/a.png', 'a.png'), attachment('https://cdn.example.com/b.txt', 'b.txt')],
    } as Partial<APIMessage>);
    const bot = msg('', {
      author: { id: '110000000000000001', username: 'PROMTON', discriminator: '0', global_name: null, avatar: null, bot: true },
      embeds: [
        {
          title: 'T',
          description: 'D',
          fields: [
            { name: 'N1', value: 'V1' },
            { name: 'N2', value: 'V2' },
          ],
          footer: { text: 'F' },
          color: 0xff,
        },
        { description: 'only' },
        { title: 'title only' },
      ],
    });
    const html = render([member, bot]);
    const time = '<time datetime="2024-05-01T12:00:00.000Z">2024-05-01T12:00:00.000Z</time></header>';
    const meta = t('en-US', 'transcript.meta', { guild: '100000000000000001', channel: '400000000000000001', count: 2, closedAt: '2024-05-02T00:00:00.000Z' });
    expect(html.slice(html.indexOf('<h1>'))).toBe(
      [
        '<h1>Ticket #0001</h1>',
        `<div class="meta">${escapeHtml(meta)}</div>`,
        `<article class="message" id="m${member.id}"><header><span class="author">alice</span> <span class="id">200000000000000001</span> ${time}` +
          '<div class="content">hello &amp; bye</div><ul class="attachments"><li>a.png (1 B)</li><li>b.txt (1 B)</li></ul></article>',
        `<article class="message" id="m${bot.id}"><header><span class="author">PROMTON</span> <span class="bot">BOT</span> <span class="id">110000000000000001</span> ${time}` +
          '<div class="embed" style="border-color:#0000ff"><div class="embed-title">T</div><div class="embed-description">D</div>' +
          '<div class="embed-field"><b>N1</b><br>V1</div><div class="embed-field"><b>N2</b><br>V2</div><div class="embed-footer">F</div></div>' +
          '<div class="embed" style="border-color:#5865f2"><div class="embed-description">only</div></div>' +
          '<div class="embed" style="border-color:#5865f2"><div class="embed-title">title only</div></div></article>',
        '</body></html>',
        '',
      ].join('\n'),
    );
  });

  it('keeps every message however many (no limits)', () => {
    const messages = Array.from({ length: 5_001 }, () => msg('m'));
    expect(render(messages).match(/<article class="message"/g)).toHaveLength(5_001);
  });

  it('renders a script as text and contains no <script', () => {
    const html = render(
      [
        msg('<script>alert(1)</script>'),
        msg('', {
          author: { id: '1', username: '<script>x</script>', discriminator: '0', global_name: null, avatar: null },
          embeds: [{ title: '<script>t</script>', description: '<img src=x onerror=alert(1)>', fields: [{ name: '<b>', value: '<script>' }] }],
        }),
      ],
      '<script>title</script>',
    );
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html).not.toContain('<img src=x');
  });

  it('lists attachments by name and size, never as links (they expire)', () => {
    const html = render([
      msg('files', {
        attachments: [
          { ...attachment('https://cdn.example.com/a.png', 'a.png'), size: 2048 },
          attachment('javascript:alert(1)', '<evil>.txt'),
          { ...attachment('data:text/html,<b>x</b>', 'big.zip'), size: 12 * 1024 * 1024 },
        ],
      } as Partial<APIMessage>),
    ]);
    expect(html).toContain('<li>a.png (2.0 KB)</li>');
    expect(html).toContain('<li>&lt;evil&gt;.txt (1 B)</li>');
    expect(html).toContain('<li>big.zip (12.0 MB)</li>');
    expect(html).not.toContain('href=');
  });

  it('marks a member message whose text Discord withheld (no Message Content intent), not a bot embed or an attachment-only message', () => {
    const html = render([
      msg(''),
      msg('', { embeds: [{ title: 'welcome' }] }),
      msg('', { attachments: [attachment('https://cdn.example.com/a.png', 'a.png')] } as Partial<APIMessage>),
      msg('', { type: 7 } as Partial<APIMessage>),
    ]);
    expect(html.split(MISSING_CONTENT)).toHaveLength(2);
    expect(html).toContain(`<div class="content missing">${MISSING_CONTENT}</div>`);
  });

  it('keeps all 250 messages in order', () => {
    const messages = Array.from({ length: 250 }, (_, i) => msg(`message number ${i}.`));
    const html = render(messages);
    expect(html).toContain('messages: 250');
    let last = -1;
    for (let i = 0; i < 250; i += 1) {
      const at = html.indexOf(`message number ${i}.`);
      expect(at, `message ${i}`).toBeGreaterThan(last);
      last = at;
    }
    expect(html.match(/<article class="message"/g)).toHaveLength(250);
  });

  it('marks bot authors and forbids external loads with a CSP', () => {
    const html = render([
      msg('hi', { author: { id: '110000000000000001', username: 'PROMTON', discriminator: '0', global_name: null, avatar: null, bot: true } }),
    ]);
    expect(html).toContain('<span class="bot">BOT</span>');
    expect(html).toContain("default-src 'none'");
  });
});

describe('TranscriptBuilder (page by page, bounded)', () => {
  const heading = {
    title: 'Ticket #0007',
    guildId: '100000000000000001',
    channelId: '400000000000000001',
    closedAt: '2024-05-02T00:00:00.000Z',
    locale: 'en-US' as const,
  };
  /** `count` messages, oldest first, then cut into REST pages (newest first, 100 each). */
  function pages(count: number, text = (i: number) => `message number ${i}.`): APIMessage[][] {
    const all = Array.from({ length: count }, (_, i) => msg(text(i)));
    const newestFirst = all.reverse();
    const out: APIMessage[][] = [];
    for (let i = 0; i < newestFirst.length; i += 100) out.push(newestFirst.slice(i, i + 100));
    return out;
  }
  function feed(builder: TranscriptBuilder, all: APIMessage[][]): number {
    let read = 0;
    for (const page of all) {
      read += 1;
      if (!builder.addPage(page)) break;
    }
    return read;
  }
  const text = (files: { data: Buffer }[]) => files.map((f) => f.data.toString('utf8')).join('');

  it('keeps every message of a short ticket, oldest first, in one file named after the ticket, without a marker', () => {
    const builder = new TranscriptBuilder(heading);
    expect(feed(builder, pages(250))).toBe(3);
    const result = builder.finish('0007');
    expect(result).toMatchObject({ messages: 250, truncated: false });
    expect(result.files.map((f) => f.name)).toEqual(['transcript-0007.html']);
    const html = text(result.files);
    expect(html.indexOf('message number 0.')).toBeLessThan(html.indexOf('message number 249.'));
    expect(html).not.toContain('class="truncated"');
    expect(html).toContain('messages: 250');
  });

  it('stops reading at the message cap, keeps the newest messages and says so at the top', () => {
    const builder = new TranscriptBuilder(heading, { maxMessages: 150 });
    // The second page is where the cap is reached: no third page is asked for.
    expect(feed(builder, pages(1000))).toBe(2);
    const result = builder.finish('0007');
    expect(result).toMatchObject({ messages: 150, truncated: true });
    const html = text(result.files);
    expect(html).toContain('message number 999.');
    expect(html).toContain('message number 850.');
    expect(html).not.toContain('message number 849.');
    expect(html.match(/<article class="message"/g)).toHaveLength(150);
    const marker = html.indexOf('class="truncated"');
    expect(marker).toBeGreaterThan(0);
    expect(marker).toBeLessThan(html.indexOf('<article'));
    expect(html).toContain('Only the newest 150 messages are in this transcript: a transcript holds at most 150 messages and 16.0 MB.');
  });

  it('a ticket of exactly the cap is complete (no marker)', () => {
    const builder = new TranscriptBuilder(heading, { maxMessages: 200 });
    feed(builder, pages(200));
    expect(builder.finish('0007')).toMatchObject({ messages: 200, truncated: false });
  });

  it('splits into files under the file size, each a whole page, and caps the bytes', () => {
    const long = (i: number) => `${i}:${'x'.repeat(1900)}`;
    const builder = new TranscriptBuilder(heading, { fileBytes: 64 * 1024, maxBytes: 200 * 1024 });
    feed(builder, pages(500, long));
    const result = builder.finish('0007');
    expect(result.truncated).toBe(true);
    expect(result.files.length).toBeGreaterThan(2);
    expect(result.files.length).toBeLessThanOrEqual(10);
    expect(result.files.map((f) => f.name)).toEqual(result.files.map((_, i) => `transcript-0007-${i + 1}.html`));
    for (const [i, file] of result.files.entries()) {
      expect(file.data.length).toBeLessThanOrEqual(64 * 1024);
      const html = file.data.toString('utf8');
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html.endsWith('</body></html>\n')).toBe(true);
      expect(html).toContain(`Part ${i + 1} of ${result.files.length}`);
    }
    const total = result.files.reduce((sum, f) => sum + f.data.length, 0);
    expect(total).toBeLessThanOrEqual(200 * 1024 + result.files.length * 16 * 1024);
    expect(text(result.files)).toContain(`499:${'x'.repeat(10)}`);
    expect(text(result.files).match(/<article class="message"/g)).toHaveLength(result.messages);
  });

  it("defaults: 5,000 messages, 16 MiB, files of 8 MiB (under Discord's smallest upload limit, at most 2 files)", () => {
    expect(TRANSCRIPT_LIMITS).toEqual({ maxMessages: 5_000, maxBytes: 16 * 1024 * 1024, fileBytes: 8 * 1024 * 1024 });
    expect(TRANSCRIPT_LIMITS.fileBytes).toBeLessThan(10 * 1024 * 1024);
    expect(Math.ceil(TRANSCRIPT_LIMITS.maxBytes / (TRANSCRIPT_LIMITS.fileBytes - 16 * 1024)) + 1).toBeLessThanOrEqual(10);
  });

  it("recognises only its own ticket's files", () => {
    expect(isTranscriptFileOf('0007', 'transcript-0007.html')).toBe(true);
    expect(isTranscriptFileOf('0007', 'transcript-0007-2.html')).toBe(true);
    expect(isTranscriptFileOf('0007', 'transcript-0070.html')).toBe(false);
    expect(isTranscriptFileOf('0007', 'transcript-00071.html')).toBe(false);
    expect(isTranscriptFileOf('0007', 'transcript-0007-x.html')).toBe(false);
  });

  describe('at the exact limits', () => {
    /** The bytes one rendered message takes (all messages of `msg('same')` render to the same length). */
    const one = (() => {
      const html = render([msg('same')]);
      return Buffer.byteLength(html.slice(html.indexOf('<article'), html.indexOf('</article>') + '</article>\n'.length));
    })();
    const PAGE_ROOM = 16 * 1024;

    it('keeps a message that fills a file to the byte, less the page room, and cuts one a byte larger', () => {
      const fits = new TranscriptBuilder(heading, { fileBytes: one + PAGE_ROOM });
      expect(fits.addPage([msg('same')])).toBe(true);
      expect([fits.count, fits.truncated]).toEqual([1, false]);
      const over = new TranscriptBuilder(heading, { fileBytes: one + PAGE_ROOM - 1 });
      expect(over.addPage([msg('same')])).toBe(false);
      expect([over.count, over.truncated]).toEqual([0, true]);
    });

    it('fills the byte cap exactly and stops at the message past it', () => {
      const builder = new TranscriptBuilder(heading, { maxBytes: 2 * one });
      expect(builder.addPage([msg('same'), msg('same'), msg('same')])).toBe(false);
      expect([builder.count, builder.truncated]).toEqual([2, true]);
    });

    it('fills a file exactly before starting the next, and heads only the first with the note of a cut transcript', () => {
      const builder = new TranscriptBuilder(heading, { fileBytes: 2 * one + PAGE_ROOM, maxMessages: 3 });
      expect(builder.addPage([msg('same'), msg('same'), msg('same'), msg('same')])).toBe(false);
      const { files } = builder.finish('0007');
      expect(files.map((f) => f.data.toString('utf8').match(/<article class="message"/g)?.length)).toEqual([2, 1]);
      expect(files.map((f) => f.data.toString('utf8').includes('class="truncated"'))).toEqual([true, false]);
    });
  });
});
