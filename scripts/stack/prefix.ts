import { randomUUID } from 'node:crypto';

/** A queue/key prefix no other test or run shares. */
export function testPrefix(): string {
  return `test-${randomUUID().slice(0, 13)}`;
}
