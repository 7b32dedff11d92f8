import { describe, expect, it } from 'vitest';
import { actorOf, formatTicketNumber, refusal, type TicketAction } from './ticket-rules.js';

const CREATOR = '200000000000000001';
const STAFF = '200000000000000002';
const ADMIN = '200000000000000003';
const STRANGER = '200000000000000004';
const STAFF_ROLE = '300000000000000001';
const MEMBER_PERMS = '117760';
const MANAGE_GUILD = String(1n << 5n);

const type = { staffRoleIds: [STAFF_ROLE] };
const ticket = (claimedBy: string | null = null) => ({ creatorId: CREATOR, claimedBy });

const who = {
  stranger: { userId: STRANGER, roles: ['300000000000000009'], permissions: MEMBER_PERMS },
  creator: { userId: CREATOR, roles: [], permissions: MEMBER_PERMS },
  staff: { userId: STAFF, roles: [STAFF_ROLE], permissions: MEMBER_PERMS },
  admin: { userId: ADMIN, roles: [], permissions: MANAGE_GUILD },
};

describe('actorOf', () => {
  it('recognises creator, staff (by role), admin (Manage Server or Administrator) and claimer', () => {
    expect(actorOf(who.creator, ticket(), type)).toEqual({ isCreator: true, isStaff: false, isAdmin: false, isClaimer: false });
    expect(actorOf(who.staff, ticket(STAFF), type)).toEqual({ isCreator: false, isStaff: true, isAdmin: false, isClaimer: true });
    expect(actorOf(who.admin, ticket(), type)).toEqual({ isCreator: false, isStaff: true, isAdmin: true, isClaimer: false });
    expect(actorOf({ ...who.stranger, permissions: String(1n << 3n) }, ticket(), type).isAdmin).toBe(true);
    expect(actorOf(who.stranger, ticket(), type)).toEqual({ isCreator: false, isStaff: false, isAdmin: false, isClaimer: false });
  });

  it('treats a missing type as having no staff roles', () => {
    expect(actorOf(who.staff, ticket(), undefined).isStaff).toBe(false);
    expect(actorOf(who.admin, ticket(), undefined).isStaff).toBe(true);
  });

  it('does not count a deleted creator (null) as anyone', () => {
    expect(actorOf(who.creator, { creatorId: null, claimedBy: null }, type).isCreator).toBe(false);
  });
});

describe('refusal matrix (unclaimed ticket)', () => {
  const allowed: Record<TicketAction, (keyof typeof who)[]> = {
    claim: ['staff', 'admin'],
    unclaim: ['admin'],
    close: ['creator', 'staff', 'admin'],
    'close-request': ['staff', 'admin'],
    'member-add': ['staff', 'admin'],
    'member-remove': ['staff', 'admin'],
    rename: ['staff', 'admin'],
    tag: ['staff', 'admin'],
    move: ['staff', 'admin'],
    topic: ['staff', 'admin'],
    priority: ['staff', 'admin'],
    transfer: ['admin'],
    archive: ['staff', 'admin'],
  };
  // The sentence names why: only staff, only the claimer, only the creator or staff.
  const refusedWith: Record<TicketAction, string> = {
    claim: 'ticket.refused-staff',
    unclaim: 'ticket.refused-unclaim',
    close: 'ticket.refused-close',
    'close-request': 'ticket.refused-staff',
    'member-add': 'ticket.refused-staff',
    'member-remove': 'ticket.refused-staff',
    rename: 'ticket.refused-staff',
    tag: 'ticket.refused-staff',
    move: 'ticket.refused-staff',
    topic: 'ticket.refused-staff',
    priority: 'ticket.refused-staff',
    transfer: 'ticket.refused-transfer',
    archive: 'ticket.refused-archive',
  };
  for (const [action, yes] of Object.entries(allowed) as [TicketAction, (keyof typeof who)[]][]) {
    for (const name of Object.keys(who) as (keyof typeof who)[]) {
      it(`${name} ${yes.includes(name) ? 'may' : 'may not'} ${action}`, () => {
        const result = refusal(action, actorOf(who[name], ticket(), type));
        if (yes.includes(name)) expect(result).toBeNull();
        else expect(result).toBe(refusedWith[action]);
      });
    }
  }
});

describe('unclaim', () => {
  it('is allowed to the claimer and admins, not to other staff', () => {
    expect(refusal('unclaim', actorOf(who.staff, ticket(STAFF), type))).toBeNull();
    expect(refusal('unclaim', actorOf(who.admin, ticket(STAFF), type))).toBeNull();
    const otherStaff = { userId: '200000000000000005', roles: [STAFF_ROLE], permissions: MEMBER_PERMS };
    expect(refusal('unclaim', actorOf(otherStaff, ticket(STAFF), type))).toBe('ticket.refused-unclaim');
  });
});

describe('transfer', () => {
  it('is allowed to the claimer and admins, not to other staff nor the creator', () => {
    expect(refusal('transfer', actorOf(who.staff, ticket(STAFF), type))).toBeNull();
    expect(refusal('transfer', actorOf(who.admin, ticket(STAFF), type))).toBeNull();
    const otherStaff = { userId: '200000000000000005', roles: [STAFF_ROLE], permissions: MEMBER_PERMS };
    expect(refusal('transfer', actorOf(otherStaff, ticket(STAFF), type))).toBe('ticket.refused-transfer');
    expect(refusal('transfer', actorOf(who.creator, ticket(STAFF), type))).toBe('ticket.refused-transfer');
  });
});

describe('formatTicketNumber', () => {
  it('pads to 4 digits', () => {
    expect(formatTicketNumber(7)).toBe('#0007');
    expect(formatTicketNumber(12345)).toBe('#12345');
  });
});
