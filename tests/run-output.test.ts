import { describe, expect, it } from 'vitest';
import { describeOverwrite, permissionNames, resolveMentions } from '../scripts/plain-text.js';

describe("make run's plain words", () => {
  it('names the permissions of a bitfield instead of printing the number', () => {
    // Bits 10, 11, 14, 15 and 16: printed as "allow 117760" before.
    expect(permissionNames('117760')).toEqual(['View Channel', 'Send Messages', 'Embed Links', 'Attach Files', 'Read Message History']);
    expect(permissionNames(0n)).toEqual([]);
    expect(describeOverwrite('0', String(1n << 10n))).toBe('cannot View Channel');
    expect(describeOverwrite(String((1n << 10n) | (1n << 11n)), '0')).toBe('can View Channel, Send Messages');
    expect(describeOverwrite('0', '0')).toBe('nothing set (inherits the server roles)');
  });

  it('writes mentions as names', () => {
    const directory = {
      channels: [{ id: '1', name: 'ticket-0001' }],
      members: [{ id: '2', username: 'mia-member' }],
      roles: [{ id: '3', name: 'Support staff' }],
    };
    expect(resolveMentions('✅ Your ticket: <#1>, for <@2> and <@&3>; <@!2> again; <#9> is gone', directory)).toBe(
      '✅ Your ticket: #ticket-0001, for @mia-member and @Support staff; @mia-member again; #9 is gone',
    );
  });
});
