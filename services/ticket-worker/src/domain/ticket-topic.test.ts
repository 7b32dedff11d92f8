import { describe, expect, it } from 'vitest';
import { MAX_TOPIC, defaultTopic, renderTopic, topicText } from './ticket-topic.js';

describe('ticket topic with its priority mark', () => {
  it('puts the mark of every priority but normal before the text', () => {
    expect(renderTopic('normal', 'Refund')).toBe('Refund');
    expect(renderTopic('low', 'Refund')).toBe('🟢 Low · Refund');
    expect(renderTopic('high', 'Refund')).toBe('🟠 High · Refund');
    expect(renderTopic('urgent', 'Refund')).toBe('🔴 Urgent · Refund');
  });

  it('reads the text back from any marked topic, whatever word the mark carries', () => {
    for (const priority of ['low', 'normal', 'high', 'urgent'] as const) expect(topicText(renderTopic(priority, 'a · b'))).toBe('a · b');
    expect(topicText('🔴 Dringend · Erstattung')).toBe('Erstattung');
    expect(topicText(null)).toBe('');
    expect(topicText('plain · text')).toBe('plain · text');
    // Only a mark at the start is the priority's: staff text may quote one.
    expect(topicText('see 🔴 Urgent · below')).toBe('see 🔴 Urgent · below');
  });

  it("stays within Discord's 1,024 characters with the longest text the command takes", () => {
    expect(renderTopic('urgent', 'x'.repeat(1000)).length).toBeLessThanOrEqual(MAX_TOPIC);
    expect(renderTopic('urgent', 'x'.repeat(2000))).toHaveLength(MAX_TOPIC);
    // Exactly at the limit nothing is cut.
    expect(renderTopic('normal', 'x'.repeat(MAX_TOPIC))).toBe('x'.repeat(MAX_TOPIC));
  });

  it('starts as the product name, number and type', () => {
    expect(defaultTopic(7, 'Support')).toBe('PROMTON-TICKETS #0007 · Support');
  });
});
