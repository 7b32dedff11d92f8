import { describe, expect, it } from 'vitest';
import { abandonedBefore, cooldownRefusal, dayKey, lastDays, limitRefusal } from './reserve-rules.js';

describe('limitRefusal', () => {
  const open = [
    { number: 3, channelId: '400000000000000003' },
    { number: 5, channelId: null },
  ];

  it('lets a member below the limit open one more', () => {
    expect(limitRefusal(1, [])).toBeNull();
    expect(limitRefusal(3, open)).toBeNull();
  });

  it('refuses at the limit, naming the limit and the tickets still open', () => {
    expect(limitRefusal(2, open)).toEqual({ ok: false, reason: 'limit', limit: 2, open });
    expect(limitRefusal(1, open)).toEqual({ ok: false, reason: 'limit', limit: 1, open });
  });

  it('says only the number and channel of each open ticket', () => {
    const refusal = limitRefusal(1, [{ number: 7, channelId: '400000000000000007', creatorId: '200000000000000001' } as never]);
    expect(refusal?.open).toEqual([{ number: 7, channelId: '400000000000000007' }]);
  });
});

describe('cooldownRefusal', () => {
  const now = new Date('2026-01-01T00:00:10Z');
  it('lets a member open when they never did, or the cooldown is off or over', () => {
    expect(cooldownRefusal(null, 10_000, now)).toBeNull();
    expect(cooldownRefusal(new Date('2026-01-01T00:00:05Z'), 0, now)).toBeNull();
    expect(cooldownRefusal(new Date('2026-01-01T00:00:00Z'), 10_000, now)).toBeNull();
  });
  it('refuses within the cooldown with the wait left', () => {
    expect(cooldownRefusal(new Date('2026-01-01T00:00:04Z'), 10_000, now)).toEqual({ ok: false, reason: 'cooldown', retryAfterMs: 4_000 });
    expect(cooldownRefusal(new Date('2026-01-01T00:00:00.001Z'), 10_000, now)).toEqual({ ok: false, reason: 'cooldown', retryAfterMs: 1 });
  });
  it('refuses nothing with the cooldown off, even when another replica’s clock put the last open ahead of ours', () => {
    expect(cooldownRefusal(new Date('2026-01-01T00:00:15Z'), 0, now)).toBeNull();
  });
});

describe('days and abandoned opens', () => {
  it('keys a day by its UTC date', () => {
    expect(dayKey(new Date('2026-03-01T23:59:59.999Z'))).toBe('2026-03-01');
    expect(dayKey(new Date('2026-03-02T00:00:00.000Z'))).toBe('2026-03-02');
  });

  it('lists the last days oldest first, ending with today, across a month end', () => {
    expect(lastDays(new Date('2026-03-02T15:30:00Z'), 4)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(lastDays(new Date('2026-03-02T00:00:00Z'), 1)).toEqual(['2026-03-02']);
  });

  it('gives an open up once it outlived the interaction token by far (30 minutes)', () => {
    expect(abandonedBefore(new Date('2026-01-01T01:00:00Z'))).toEqual(new Date('2026-01-01T00:30:00Z'));
  });
});
