import { describe, expect, it } from 'vitest';
import { safeError } from './safe-error.js';

describe('safeError', () => {
  it('keeps name, message, status and code only, and hides webhook tokens', () => {
    const error = Object.assign(new Error('failed PATCH /webhooks/1100000000000000001/secret-token/messages/@original'), {
      status: 404,
      code: 10015,
      url: 'https://discord.com/api/v10/webhooks/1100000000000000001/secret-token/messages/@original',
    });
    const safe = safeError(error);
    expect(safe).toMatchObject({ name: 'Error', message: 'failed PATCH /webhooks/:id/[redacted]/messages/@original', status: 404, code: 10015 });
    expect(Object.keys(safe).sort()).toEqual(['code', 'message', 'name', 'stack', 'status']);
    expect(JSON.stringify(safe)).not.toContain('secret-token');
  });
});
