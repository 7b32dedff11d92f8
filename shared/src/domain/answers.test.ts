import { describe, expect, it } from 'vitest';
import { channelMention, fail, ok, userMention } from './answers.js';

describe('answers', () => {
  it('starts a success with ✅ and a refusal with ❌, then the sentence', () => {
    expect(ok('Ticket #0001 opened.')).toBe('✅ Ticket #0001 opened.');
    expect(fail('Only staff of this ticket type can do that.')).toBe('❌ Only staff of this ticket type can do that.');
  });

  it('writes mentions as Discord renders them', () => {
    expect(channelMention('111111111111111111')).toBe('<#111111111111111111>');
    expect(userMention('222222222222222222')).toBe('<@222222222222222222>');
  });
});
