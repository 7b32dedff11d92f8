import { describe, expect, it } from 'vitest';
import { customId, customIdActions, parseCustomId, ratingArg, ticketNumberArg } from './custom-ids.js';

describe('custom ids', () => {
  it('uses the documented pt:v1 scheme', () => {
    expect(customId('open', 'support')).toBe('pt:v1:open:support');
    expect(customId('close', 12)).toBe('pt:v1:close:12');
    expect(customId('close-confirm', 12)).toBe('pt:v1:close-confirm:12');
    expect(customId('claim', 3)).toBe('pt:v1:claim:3');
    expect(customId('unclaim', 3)).toBe('pt:v1:unclaim:3');
    expect(customId('open-select')).toBe('pt:v1:open-select:');
  });

  it.each(customIdActions)('round-trips %s', (action) => {
    expect(parseCustomId(customId(action, 'arg-1'))).toEqual({ action, arg: 'arg-1' });
    expect(parseCustomId(customId(action))).toEqual({ action, arg: '' });
  });

  it('keeps colons inside the argument', () => {
    expect(parseCustomId('pt:v1:open:a:b')).toEqual({ action: 'open', arg: 'a:b' });
  });

  it('accepts up to 100 characters and refuses longer', () => {
    const arg = 'x'.repeat(100 - 'pt:v1:open:'.length);
    expect(customId('open', arg)).toHaveLength(100);
    expect(() => customId('open', `${arg}x`)).toThrow(RangeError);
    // The error names the id, so the log says which component would have broken.
    expect(() => customId('open', `${arg}x`)).toThrow(`custom id longer than 100 characters: pt:v1:open:${arg}x`);
  });

  it.each(['', 'close:1', 'pt:v2:close:1', 'pt:v1:close', 'pt:v1:delete-everything:1', 'other-bot:v1:close:1', 'PT:V1:close:1', 'pt:v1:claims'])(
    'returns null for foreign id %j',
    (id) => {
      expect(parseCustomId(id)).toBeNull();
    },
  );
});

describe('ticketNumberArg', () => {
  it('reads a positive decimal number', () => {
    expect(ticketNumberArg({ action: 'close', arg: '1' })).toBe(1);
    expect(ticketNumberArg({ action: 'close', arg: '10000' })).toBe(10000);
    expect(ticketNumberArg({ action: 'close', arg: '0007' })).toBe(7);
  });

  it('refuses ticket number 0, which no ticket has', () => {
    expect(ticketNumberArg({ action: 'close-confirm', arg: '0' })).toBeNull();
  });

  it.each(['', 'abc', '1.5', '-1', '1e3', ' 1', '1234567890'])('returns null for %j', (arg) => {
    expect(ticketNumberArg({ action: 'close', arg })).toBeNull();
  });
});

describe('ratingArg', () => {
  const rate = (arg: string) => ratingArg({ action: 'rate', arg });

  it('reads a rating of 1 to 5 and the signed offer after it', () => {
    expect(rate('1.abc_DEF-0.9')).toEqual({ rating: 1, offer: 'abc_DEF-0.9' });
    expect(rate(`5.${'o'.repeat(90)}`)).toEqual({ rating: 5, offer: 'o'.repeat(90) });
  });

  it.each(['0.offer', '6.offer', '4.', '4offer', 'x4.offer', '4.offer!', '4.of fer', `4.${'o'.repeat(91)}`, ''])('returns null for %j', (arg) => {
    expect(rate(arg)).toBeNull();
  });
});
