import type { APIMessage } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { t } from '@promton/shared/domain';
import { escapeHtml, renderTranscript } from './transcript.js';

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

describe('renderTranscript', () => {
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
