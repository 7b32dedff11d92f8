import { describe, expect, it } from 'vitest';
import { discordErrorCode } from './errors.js';

const codeError = (code: string) => Object.assign(new Error('network'), { code });

describe('discordErrorCode', () => {
  it('reads a numeric code only', () => {
    expect(discordErrorCode(Object.assign(new Error('x'), { code: 10003 }))).toBe(10003);
    expect(discordErrorCode(codeError('ECONNRESET'))).toBeUndefined();
    expect(discordErrorCode(null)).toBeUndefined();
  });
});
