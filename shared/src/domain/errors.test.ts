import { describe, expect, it } from 'vitest';
import { classifyError, discordErrorCode } from './errors.js';

const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });
const codeError = (code: string) => Object.assign(new Error('network'), { code });
const named = (name: string) => Object.assign(new Error('aborted'), { name });

describe('classifyError', () => {
  it.each([429, 500, 502, 503, 504])('retries status %i', (status) => {
    expect(classifyError(httpError(status))).toBe('retry');
  });

  it.each([400, 401, 403, 404, 413])('stops on status %i', (status) => {
    expect(classifyError(httpError(status))).toBe('stop');
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET'])('retries network code %s', (code) => {
    expect(classifyError(codeError(code))).toBe('retry');
  });

  it('retries aborts, timeouts and closed connections', () => {
    expect(classifyError(named('AbortError'))).toBe('retry');
    expect(classifyError(named('TimeoutError'))).toBe('retry');
    expect(classifyError(new Error('Connection is closed.'))).toBe('retry');
    expect(classifyError(new TypeError('fetch failed'))).toBe('retry');
  });

  it('stops on a Discord JSON error code (a number) and on plain errors', () => {
    expect(classifyError(Object.assign(new Error('Missing Access'), { code: 50001 }))).toBe('stop');
    expect(classifyError(new Error('invalid payload'))).toBe('stop');
  });

  it.each([null, undefined, 'boom', 42, { status: 500 }])('stops on non-Error %j', (value) => {
    expect(classifyError(value)).toBe('stop');
  });
});

describe('discordErrorCode', () => {
  it('reads a numeric code only', () => {
    expect(discordErrorCode(Object.assign(new Error('x'), { code: 10003 }))).toBe(10003);
    expect(discordErrorCode(codeError('ECONNRESET'))).toBeUndefined();
    expect(discordErrorCode(null)).toBeUndefined();
  });
});
