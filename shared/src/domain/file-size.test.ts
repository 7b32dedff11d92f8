import { describe, expect, it } from 'vitest';
import { formatSize } from './file-size.js';

describe('formatSize', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [3482, '3.4 KB'],
    [1024 * 1024, '1.0 MB'],
    [12 * 1024 * 1024 + 50_000, '12.0 MB'],
  ])('%i bytes → %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});
