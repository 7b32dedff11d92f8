import { describe, expect, it } from 'vitest';
import { logChannelProblem } from './log-channel-problem.js';

describe('logChannelProblem', () => {
  it('names the permission each path needs', () => {
    expect(logChannelProblem(50013, 'webhook')).toBe('the bot lacks Manage Webhooks in the log channel');
    expect(logChannelProblem(50013, 'bot')).toBe('the bot lacks Send Messages or Embed Links in the log channel');
  });

  it('treats a missing or hidden channel alike on both paths, and a full channel only for webhooks', () => {
    for (const path of ['webhook', 'bot'] as const) {
      expect(logChannelProblem(10003, path)).toBe('the log channel no longer exists');
      expect(logChannelProblem(50001, path)).toBe('the bot cannot see the log channel');
    }
    expect(logChannelProblem(30007, 'webhook')).toMatch(/15 webhooks/);
    expect(logChannelProblem(30007, 'bot')).toBeUndefined();
  });

  it('leaves other refusals to the retries (an unknown webhook is recreated, not a channel problem)', () => {
    expect(logChannelProblem(10015, 'webhook')).toBeUndefined();
    expect(logChannelProblem(50035, 'webhook')).toBeUndefined();
    expect(logChannelProblem(0, 'bot')).toBeUndefined();
  });
});
