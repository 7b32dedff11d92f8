import { describe, expect, it } from 'vitest';
import { SnowflakeGenerator, snowflakeTimestamp } from './snowflake.js';

describe('SnowflakeGenerator', () => {
  it('makes unique, increasing, 17–19 digit ids carrying the current time', () => {
    const ids = new SnowflakeGenerator();
    const list = Array.from({ length: 20_000 }, () => ids.next());
    expect(new Set(list).size).toBe(list.length);
    for (let i = 1; i < list.length; i += 1) expect(BigInt(list[i]!) > BigInt(list[i - 1]!)).toBe(true);
    expect(list[0]).toMatch(/^\d{17,19}$/);
    expect(Math.abs(snowflakeTimestamp(list[0]!) - Date.now())).toBeLessThan(60_000);
  });
});
