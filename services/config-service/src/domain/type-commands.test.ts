import { describe, expect, it } from 'vitest';
import type { TicketType } from '@promton/shared';
import { planTypeCommand } from './type-commands.js';

const GUILD = '100000000000000001';
const type = (name: string, over: Partial<TicketType> = {}): TicketType => ({
  name,
  label: name,
  description: null,
  emoji: null,
  categoryId: null,
  staffRoleIds: [],
  welcomeMessage: null,
  perUserLimit: 1,
  questions: [],
  autoCloseHours: null,
  ...over,
});

describe('planTypeCommand', () => {
  it('adds a type with the default limit of 1', () => {
    const plan = planTypeCommand({ guildId: GUILD, subcommand: 'add', options: { name: 'support', label: 'Support' }, resolved: {}, types: [] });
    expect(plan.ok && plan.value.types).toEqual([type('support', { label: 'Support' })]);
  });

  it('refuses a sixth type and a duplicate name', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((n) => type(n));
    const sixth = planTypeCommand({ guildId: GUILD, subcommand: 'add', options: { name: 'f', label: 'F' }, resolved: {}, types: five });
    expect(sixth).toEqual({ ok: false, error: 'This server already has 5 ticket types, the most allowed; remove one first.' });
    const duplicate = planTypeCommand({ guildId: GUILD, subcommand: 'add', options: { name: 'a', label: 'A' }, resolved: {}, types: [type('a')] });
    expect(duplicate.ok).toBe(false);
  });

  it('edits only the given fields', () => {
    const plan = planTypeCommand({ guildId: GUILD, subcommand: 'edit', options: { name: 'a', description: 'Help' }, resolved: {}, types: [type('a', { label: 'Keep' })] });
    expect(plan.ok && plan.value.types?.[0]).toEqual(type('a', { label: 'Keep', description: 'Help' }));
  });

  it('caps questions at 5', () => {
    const full = type('a', { questions: ['1', '2', '3', '4', '5'] });
    const plan = planTypeCommand({ guildId: GUILD, subcommand: 'question-add', options: { name: 'a', question: 'six?' }, resolved: {}, types: [full] });
    expect(plan).toEqual({ ok: false, error: 'Ticket type a already has 5 questions, the most allowed.' });
  });

  it('lists without storing anything', () => {
    const plan = planTypeCommand({ guildId: GUILD, subcommand: 'list', options: {}, resolved: {}, types: [type('a')] });
    expect(plan.ok && plan.value.types).toBeNull();
  });
});
