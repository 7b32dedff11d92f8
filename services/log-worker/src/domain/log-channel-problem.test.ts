import { describe, expect, it } from 'vitest';
import { t, type MessageKey } from '@promton/shared/domain';
import { logChannelProblem } from './log-channel-problem.js';

/** The problem as /config show words it for an English admin. */
const english = (key: MessageKey | undefined) => (key === undefined ? undefined : t('en-US', key as never));

describe('logChannelProblem', () => {
  it('names the permission each path needs', () => {
    expect(english(logChannelProblem(50013, 'webhook'))).toBe('the bot lacks Manage Webhooks in the log channel');
    expect(english(logChannelProblem(50013, 'bot'))).toBe('the bot lacks Send Messages or Embed Links in the log channel');
  });

  it('treats a missing or hidden channel alike on both paths, and a full channel only for webhooks', () => {
    for (const path of ['webhook', 'bot'] as const) {
      expect(english(logChannelProblem(10003, path))).toBe('the log channel no longer exists');
      expect(english(logChannelProblem(50001, path))).toBe('the bot cannot see the log channel');
    }
    expect(english(logChannelProblem(30007, 'webhook'))).toMatch(/15 webhooks/);
    expect(english(logChannelProblem(30007, 'bot'))).toBeUndefined();
  });

  it('leaves other refusals to the retries (an unknown webhook is recreated, not a channel problem)', () => {
    expect(english(logChannelProblem(10015, 'webhook'))).toBeUndefined();
    expect(english(logChannelProblem(50035, 'webhook'))).toBeUndefined();
    expect(english(logChannelProblem(0, 'bot'))).toBeUndefined();
  });
});
