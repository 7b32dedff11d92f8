import { describe, expect, it } from 'vitest';
import { FaultError, FaultInjector } from './faults.js';

describe('FaultInjector', () => {
  it('matches method and path, honours ratio and count', () => {
    const draws = [0.1, 0.9, 0.1];
    const faults = new FaultInjector(() => draws.shift() ?? 0);
    faults.add({ method: 'post', path: '/messages$', kind: 'status', ratio: 0.5, count: 1 });
    expect(faults.match('GET', '/channels/1/messages', '/api/v10/channels/1/messages')).toBeUndefined();
    expect(faults.match('POST', '/channels/1/messages', '/api/v10/channels/1/messages')?.status).toBe(500);
    expect(faults.match('POST', '/channels/1/messages', '/api/v10/channels/1/messages')).toBeUndefined();
    expect(faults.hits).toBe(1);
  });

  it('rejects a bad kind or pattern', () => {
    const faults = new FaultInjector();
    expect(() => faults.add({ path: '(', kind: 'status' })).toThrow(FaultError);
    expect(() => faults.add({ path: 'x', kind: 'nope' as 'status' })).toThrow(FaultError);
  });
});
