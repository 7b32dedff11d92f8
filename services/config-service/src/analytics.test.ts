import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnalyticsPublisher, analyticsKey, type AnalyticsSnapshot } from './analytics.js';
import { lastDays } from './domain/reserve-rules.js';

const snapshot = (servers: number): AnalyticsSnapshot => ({
  servers,
  members: 0,
  ticketTypes: 0,
  days: [],
  ratings: [0, 0, 0, 0, 0],
  updatedAt: '2025-01-01T00:00:00.000Z',
});

describe('AnalyticsPublisher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function setup(options: { failSets?: number } = {}) {
    let servers = 0;
    let failures = options.failSets ?? 0;
    const compute = vi.fn(async () => snapshot(servers));
    const set = vi.fn(async (_key: string, _value: string) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('redis down');
      }
      return 'OK' as const;
    });
    const onError = vi.fn();
    const publisher = new AnalyticsPublisher({ compute, redis: { set } as never, prefix: 'p', debounceMs: 1_000, onError });
    return { publisher, compute, set, onError, setServers: (n: number) => (servers = n) };
  }

  it('coalesces changes within the window into one write of the latest counts', async () => {
    const { publisher, compute, set, setServers } = setup();
    for (let i = 1; i <= 10; i++) {
      setServers(i);
      publisher.changed();
    }
    await vi.advanceTimersByTimeAsync(999);
    expect(compute).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(set).toHaveBeenCalledWith(analyticsKey('p'), JSON.stringify(snapshot(10)));

    // Nothing changed since: no more writes.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(set).toHaveBeenCalledTimes(1);
  });

  it('writes again when a change lands while a write is reading', async () => {
    const { publisher, compute, set, setServers } = setup();
    let release!: () => void;
    compute.mockImplementationOnce(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return snapshot(1);
    });
    setServers(1);
    publisher.changed();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(compute).toHaveBeenCalledTimes(1);
    // The database moved on after the read began.
    setServers(2);
    publisher.changed();
    release();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(set).toHaveBeenCalledTimes(2);
    expect(set).toHaveBeenLastCalledWith(analyticsKey('p'), JSON.stringify(snapshot(2)));
  });

  it('tries a failed write again until it lands', async () => {
    const { publisher, set, onError, setServers } = setup({ failSets: 2 });
    setServers(3);
    publisher.changed();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(onError).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(onError).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(set).toHaveBeenCalledTimes(3);
    expect(set).toHaveBeenLastCalledWith(analyticsKey('p'), JSON.stringify(snapshot(3)));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(set).toHaveBeenCalledTimes(3);
  });

  it('writes a pending change on close, once, and close is idempotent', async () => {
    const { publisher, set, setServers } = setup();
    setServers(4);
    publisher.changed();
    await Promise.all([publisher.close(), publisher.close()]);
    expect(set).toHaveBeenCalledTimes(1);
    expect(set).toHaveBeenLastCalledWith(analyticsKey('p'), JSON.stringify(snapshot(4)));
    publisher.changed();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(set).toHaveBeenCalledTimes(1);
  });
});

describe('lastDays', () => {
  it('lists the UTC days ending today, oldest first, across month and year ends', () => {
    expect(lastDays(new Date('2025-03-01T23:59:59.999Z'), 3)).toEqual(['2025-02-27', '2025-02-28', '2025-03-01']);
    const days = lastDays(new Date('2025-01-05T00:00:00.000Z'), 30);
    expect(days).toHaveLength(30);
    expect(days[0]).toBe('2024-12-07');
    expect(days.at(-1)).toBe('2025-01-05');
  });
});
