import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, MANAGE_GUILD, context, startHarness, type Harness } from './support.js';

describe('config-service when the answer cannot be sent', () => {
  let h: Harness;
  const lines: string[] = [];
  beforeEach(async () => {
    lines.length = 0;
    h = await startHarness({}, lines);
  });
  afterEach(async () => {
    await h.close();
  });

  it('fails the job once, unretried, and never logs the interaction token', async () => {
    h.discord.failWebhooks = true;
    const ctx = context(ADMIN, MANAGE_GUILD);
    const job = await h.client.queue.add(
      'config.command',
      { v: 1, ctx, command: { path: ['config', 'transcripts', 'on'], options: {}, resolved: {} } },
      { attempts: 3 },
    );
    await expect(job.waitUntilFinished(h.client.events, 10_000)).rejects.toThrow(/could not answer the interaction/);
    const failed = await h.client.queue.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(lines.some((line) => line.includes('could not answer the interaction'))).toBe(true);
    expect(lines.join('\n')).not.toContain(ctx.token);
    expect(failed?.failedReason).not.toContain(ctx.token);
  });
});
