import { describe, expect, it } from 'vitest';
import { parseCustomId, ratingArg } from '@promton/shared/domain';
import { feedbackMessage, firstReply } from './feedback-message.js';

const offer = `123456789012345678.7.${'t'.repeat(6)}.${'s'.repeat(22)}`;

describe('feedbackMessage', () => {
  it('offers five rating buttons carrying the signed offer', () => {
    const message = feedbackMessage({ ticketNumber: 7, typeLabel: 'Support', guildName: 'PROMTON demo', offer, locale: 'en-US' });
    expect(message.content).toMatch(/#0007 \(Support\) on \*\*PROMTON demo\*\*/);
    const row = message.components?.[0] as { components: { custom_id: string; label: string }[] };
    expect(row.components.map((b) => b.label)).toEqual(['1', '2', '3', '4', '5']);
    expect((row.components as { emoji?: { name: string } }[]).map((b) => b.emoji?.name)).toEqual(['⭐', '⭐', '⭐', '⭐', '⭐']);
    // A server name such as "@everyone's place" pings nobody.
    expect(message.allowed_mentions).toEqual({ parse: [] });
    for (const [i, button] of row.components.entries()) {
      const parsed = parseCustomId(button.custom_id);
      expect(parsed?.action).toBe('rate');
      expect(ratingArg(parsed!)).toEqual({ rating: i + 1, offer });
      expect(button.custom_id.length).toBeLessThanOrEqual(100);
    }
  });

  it('leaves the server out when its name is unknown', () => {
    expect(feedbackMessage({ ticketNumber: 7, typeLabel: 'Support', guildName: null, offer, locale: 'en-US' }).content).toMatch(/#0007 \(Support\) was closed/);
  });

  it("is written in the language given (the server's)", () => {
    expect(feedbackMessage({ ticketNumber: 7, typeLabel: 'Support', guildName: 'Demo', offer, locale: 'de' }).content).toMatch(
      /^Wie waren wir\? Dein Ticket #0007 \(Support\) auf \*\*Demo\*\* wurde geschlossen\./,
    );
  });
});

describe('firstReply', () => {
  const creator = '100000000000000001';
  const message = (id: string, author: string, bot = false) => ({ id, timestamp: new Date(Number(id) * 1000).toISOString(), author: { id: author, bot } });
  it('is the oldest message by someone other than the member and bots', () => {
    const messages = [
      message('5', '300000000000000001'),
      message('4', creator),
      message('2', '200000000000000001', true),
      message('3', '300000000000000002'),
    ].map((m) => m as unknown as Parameters<typeof firstReply>[0][number]);
    expect(firstReply(messages, creator)).toBe(new Date(3000).toISOString());
    expect(firstReply(messages.slice(1, 3), creator)).toBeNull();
    // Oldest by id, wherever it comes in the page Discord returned.
    const scrambled = ['7', '9', '3', '8', '5', '6'].map((id) => message(id, `30000000000000000${id}`) as unknown as Parameters<typeof firstReply>[0][number]);
    expect(firstReply(scrambled, creator)).toBe(new Date(3000).toISOString());
    expect(firstReply([...scrambled].reverse(), creator)).toBe(new Date(3000).toISOString());
  });
});
