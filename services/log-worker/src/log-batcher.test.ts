import type { APIEmbed } from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogBatcher } from './log-batcher.js';

const embed = (i: number): APIEmbed => ({ title: `event ${i}` });
const titles = (embeds: APIEmbed[]) => embeds.map((e) => e.title);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('LogBatcher', () => {
  it('sends 12 embeds of one window as 2 posts of 10 and 2, in order', async () => {
    const post = vi.fn(async (_channelId: string, _embeds: APIEmbed[]) => {});
    const batcher = new LogBatcher(post, 25);
    const done = Array.from({ length: 12 }, (_, i) => batcher.add('c1', embed(i)));
    expect(post).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(25);
    await Promise.all(done);
    expect(post).toHaveBeenCalledTimes(2);
    expect(post.mock.calls[0]![0]).toBe('c1');
    expect(titles(post.mock.calls[0]![1])).toEqual(Array.from({ length: 10 }, (_, i) => `event ${i}`));
    expect(titles(post.mock.calls[1]![1])).toEqual(['event 10', 'event 11']);
  });

  it('posts separately per channel', async () => {
    const post = vi.fn(async (_channelId: string, _embeds: APIEmbed[]) => {});
    const batcher = new LogBatcher(post, 25);
    const done = [batcher.add('c1', embed(1)), batcher.add('c2', embed(2)), batcher.add('c1', embed(3))];
    await vi.advanceTimersByTimeAsync(25);
    await Promise.all(done);
    expect(post).toHaveBeenCalledTimes(2);
    const byChannel = Object.fromEntries(post.mock.calls.map(([channel, embeds]) => [channel, titles(embeds)]));
    expect(byChannel).toEqual({ c1: ['event 1', 'event 3'], c2: ['event 2'] });
  });

  it('rejects only the entries of the failing post', async () => {
    const failure = new Error('Missing Access');
    const post = vi.fn(async (_channelId: string, embeds: APIEmbed[]) => {
      if (embeds.length === 10) throw failure;
    });
    const batcher = new LogBatcher(post, 25);
    const results = Array.from({ length: 12 }, (_, i) => batcher.add('c1', embed(i)));
    const settled = Promise.allSettled(results);
    await vi.advanceTimersByTimeAsync(25);
    const outcome = await settled;
    expect(outcome.slice(0, 10).every((r) => r.status === 'rejected' && r.reason === failure)).toBe(true);
    expect(outcome.slice(10).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(post).toHaveBeenCalledTimes(2);
  });

  it('keeps a failure on one channel away from another', async () => {
    const post = vi.fn(async (channelId: string) => {
      if (channelId === 'bad') throw new Error('Unknown Channel');
    });
    const batcher = new LogBatcher(post, 25);
    const bad = batcher.add('bad', embed(1));
    const good = batcher.add('good', embed(2));
    const settled = Promise.allSettled([bad, good]);
    await vi.advanceTimersByTimeAsync(25);
    expect((await settled).map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
  });

  it('sends events added during a post in the next message', async () => {
    let release!: () => void;
    const post = vi.fn((_channelId: string, _embeds: APIEmbed[]) =>
      post.mock.calls.length === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve(),
    );
    const batcher = new LogBatcher(post, 25);
    const first = batcher.add('c1', embed(1));
    await vi.advanceTimersByTimeAsync(25);
    expect(post).toHaveBeenCalledTimes(1);
    const second = [batcher.add('c1', embed(2)), batcher.add('c1', embed(3))];
    await vi.advanceTimersByTimeAsync(100);
    expect(post).toHaveBeenCalledTimes(1);
    release();
    await first;
    await vi.advanceTimersByTimeAsync(25);
    await Promise.all(second);
    expect(post).toHaveBeenCalledTimes(2);
    expect(titles(post.mock.calls[0]![1])).toEqual(['event 1']);
    expect(titles(post.mock.calls[1]![1])).toEqual(['event 2', 'event 3']);
  });

  it('refuses new entries once closed', async () => {
    const batcher = new LogBatcher(
      vi.fn(async () => {}),
      25,
    );
    batcher.close();
    await expect(batcher.add('c1', embed(1))).rejects.toThrow(/closed/);
  });
});
