import { describe, expect, it } from 'vitest';
import { errorTree } from './errors.js';

describe('errorTree', () => {
  it('nests field errors the way Discord does', () => {
    expect(
      errorTree([
        { path: ['embeds', 0, 'title'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' },
        { path: ['embeds', 0, 'title'], code: 'X', message: 'second' },
        { path: ['name'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' },
      ]),
    ).toEqual({
      embeds: {
        '0': {
          title: {
            _errors: [
              { code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' },
              { code: 'X', message: 'second' },
            ],
          },
        },
      },
      name: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] },
    });
  });
});
