import type { APIMessage } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { escapeHtml, renderTranscript } from './transcript.js';

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
  renderTranscript({ title, guildId: '100000000000000001', channelId: '400000000000000001', closedAt: '2024-05-02T00:00:00.000Z', messages });

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
        msg('', { author: { id: '1', username: '<script>x</script>', discriminator: '0', global_name: null, avatar: null }, embeds: [{ title: '<script>t</script>', description: '<img src=x onerror=alert(1)>', fields: [{ name: '<b>', value: '<script>' }] }] }),
      ],
      '<script>title</script>',
    );
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html).not.toContain('<img src=x');
  });

  it('links http(s) attachments only', () => {
    const html = render([
      msg('files', {
        attachments: [attachment('https://cdn.example.com/a.png', 'a.png'), attachment('javascript:alert(1)', 'evil.txt'), attachment('data:text/html,<b>x</b>', 'data.html')],
      } as Partial<APIMessage>),
    ]);
    expect(html).toContain('<a href="https://cdn.example.com/a.png" rel="noreferrer">a.png</a>');
    expect(html).toContain('<li>evil.txt</li>');
    expect(html).toContain('<li>data.html</li>');
    expect(html).not.toContain('href="javascript:');
    expect(html).not.toContain('href="data:');
  });

  it('keeps all 250 messages in order', () => {
    const messages = Array.from({ length: 250 }, (_, i) => msg(`message number ${i}.`));
    const html = render(messages);
    expect(html).toContain('250 messages');
    let last = -1;
    for (let i = 0; i < 250; i += 1) {
      const at = html.indexOf(`message number ${i}.`);
      expect(at, `message ${i}`).toBeGreaterThan(last);
      last = at;
    }
    expect(html.match(/<article class="message"/g)).toHaveLength(250);
  });

  it('marks bot authors and forbids external loads with a CSP', () => {
    const html = render([msg('hi', { author: { id: '110000000000000001', username: 'PROMTON', discriminator: '0', global_name: null, avatar: null, bot: true } })]);
    expect(html).toContain('<span class="bot">BOT</span>');
    expect(html).toContain("default-src 'none'");
  });
});
