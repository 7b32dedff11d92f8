import { describe, expect, it } from 'vitest';
import { TICKET_MEMBER_ALLOW, BOT_CHANNEL_ALLOW } from './permissions.js';
import {
  archivedMemberOverwrite,
  lockedMemberOverwrite,
  normalizeChannelName,
  openMemberOverwrite,
  ticketChannelName,
  ticketOverwrites,
} from './ticket-channel.js';

const GUILD = '100000000000000001';
const BOT = '110000000000000001';
const CREATOR = '200000000000000002';
const STAFF = '300000000000000001';
const STAFF2 = '300000000000000002';

describe('ticketChannelName', () => {
  it('pads to 4 digits and grows past 9999', () => {
    expect(ticketChannelName(1)).toBe('ticket-0001');
    expect(ticketChannelName(42)).toBe('ticket-0042');
    expect(ticketChannelName(9999)).toBe('ticket-9999');
    expect(ticketChannelName(10000)).toBe('ticket-10000');
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('throws on %s', (n) => {
    expect(() => ticketChannelName(n)).toThrow(RangeError);
    // The error names the number that was wrong.
    expect(() => ticketChannelName(n)).toThrow(`ticket number must be a positive integer, got ${n}`);
  });
});

describe('normalizeChannelName', () => {
  it('lower-cases, turns spaces into dashes and drops punctuation', () => {
    expect(normalizeChannelName('  Billing Issue!! ')).toBe('billing-issue');
    expect(normalizeChannelName('A  --  B')).toBe('a-b');
    expect(normalizeChannelName('café_über-1')).toBe('café_über-1');
  });

  it('clips to 100 characters', () => {
    expect(normalizeChannelName('x'.repeat(150))).toBe('x'.repeat(100));
  });

  it('returns null when nothing usable is left', () => {
    expect(normalizeChannelName('')).toBeNull();
    expect(normalizeChannelName('   ')).toBeNull();
    expect(normalizeChannelName('!!!')).toBeNull();
  });
});

describe('ticketOverwrites', () => {
  const allow = TICKET_MEMBER_ALLOW.toString();

  it('hides the channel from @everyone and lets in the bot, the creator and the staff roles', () => {
    expect(ticketOverwrites({ guildId: GUILD, botUserId: BOT, memberIds: [CREATOR], staffRoleIds: [STAFF, STAFF2] })).toEqual([
      { id: GUILD, type: 0, allow: '0', deny: '1024' },
      { id: BOT, type: 1, allow: BOT_CHANNEL_ALLOW.toString(), deny: '0' },
      { id: CREATOR, type: 1, allow, deny: '0' },
      { id: STAFF, type: 0, allow, deny: '0' },
      { id: STAFF2, type: 0, allow, deny: '0' },
    ]);
  });

  it('drops duplicates and never lets @everyone in as a staff role', () => {
    const list = ticketOverwrites({ guildId: GUILD, botUserId: BOT, memberIds: [CREATOR, CREATOR], staffRoleIds: [STAFF, GUILD, STAFF] });
    expect(list.map((o) => o.id)).toEqual([GUILD, BOT, CREATOR, STAFF]);
    expect(list.filter((o) => o.id === GUILD)).toEqual([{ id: GUILD, type: 0, allow: '0', deny: '1024' }]);
  });

  it('works with no staff roles', () => {
    expect(ticketOverwrites({ guildId: GUILD, botUserId: BOT, memberIds: [CREATOR], staffRoleIds: [] })).toHaveLength(3);
  });
});

describe('lockedMemberOverwrite', () => {
  it('keeps reading, takes away sending and attaching', () => {
    expect(lockedMemberOverwrite(CREATOR)).toEqual({ id: CREATOR, type: 1, allow: String(1024 + 65536), deny: String(2048 + 32768) });
  });
});

describe('archivedMemberOverwrite and openMemberOverwrite', () => {
  it('takes everything the open gave the member, and gives it back', () => {
    expect(archivedMemberOverwrite(CREATOR)).toEqual({ id: CREATOR, type: 1, allow: '0', deny: TICKET_MEMBER_ALLOW.toString() });
    expect(openMemberOverwrite(CREATOR)).toEqual({ id: CREATOR, type: 1, allow: TICKET_MEMBER_ALLOW.toString(), deny: '0' });
    expect(BigInt(archivedMemberOverwrite(CREATOR).deny) & 1024n).toBe(1024n); // View Channel denied
  });
});
