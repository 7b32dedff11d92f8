import { describe, expect, it } from 'vitest';
import { integerOption, stringOption } from './options.js';

describe('command options as the gateway forwards them', () => {
  const options = { name: 'support', limit: 3, enabled: true, count: '7' };

  it('reads a string option, writing a number or boolean as text, and undefined when absent', () => {
    expect(stringOption(options, 'name')).toBe('support');
    expect(stringOption(options, 'limit')).toBe('3');
    expect(stringOption(options, 'enabled')).toBe('true');
    expect(stringOption(options, 'missing')).toBeUndefined();
  });

  it('reads an integer option, from a number or its text, and undefined when absent', () => {
    expect(integerOption(options, 'limit')).toBe(3);
    expect(integerOption(options, 'count')).toBe(7);
    expect(integerOption(options, 'missing')).toBeUndefined();
  });
});
