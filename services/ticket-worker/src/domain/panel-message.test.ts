import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { emptyEmbedCustomization, type TicketType } from '@promton/shared/contracts';
import { describe, expect, it } from 'vitest';
import { ticketType } from '../../../../tests/support/ticket-type.js';
import { componentEmoji, panelMessage, typeWithRefusedEmoji } from './panel-message.js';

const type = (name: string, over: Partial<TicketType> = {}): TicketType => ticketType(name, { label: `${name} label`, ...over });

const types = [type('support', { emoji: '🎫', description: 'General help' }), type('billing', { emoji: '<:invoice:123456789012345678>' }), type('bugs')];

describe('componentEmoji', () => {
  it('parses unicode, custom and animated custom emoji', () => {
    expect(componentEmoji('🎫')).toEqual({ name: '🎫' });
    expect(componentEmoji('<:invoice:123456789012345678>')).toEqual({ id: '123456789012345678', name: 'invoice', animated: false });
    expect(componentEmoji('<a:party_cat:123456789012345678>')).toEqual({ id: '123456789012345678', name: 'party_cat', animated: true });
  });

  it('reads a custom emoji only when the whole text is one, else the text as a unicode emoji', () => {
    expect(componentEmoji('x<:invoice:123456789012345678>')).toEqual({ name: 'x<:invoice:123456789012345678>' });
    expect(componentEmoji('<:invoice:123456789012345678>x')).toEqual({ name: '<:invoice:123456789012345678>x' });
  });

  it('returns undefined for no emoji', () => {
    expect(componentEmoji(null)).toBeUndefined();
    expect(componentEmoji('')).toBeUndefined();
  });
});

describe('panelMessage', () => {
  it('has one button per type, in order, with open custom ids and emoji', () => {
    const message = panelMessage({ types, style: 'buttons', title: undefined, text: undefined, embed: emptyEmbedCustomization, locale: 'en-US' });
    expect(message.components).toHaveLength(1);
    expect(message.components![0]).toEqual({
      type: ComponentType.ActionRow,
      components: [
        { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'support label', custom_id: 'pt:v1:open:support', emoji: { name: '🎫' } },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Primary,
          label: 'billing label',
          custom_id: 'pt:v1:open:billing',
          emoji: { id: '123456789012345678', name: 'invoice', animated: false },
        },
        { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'bugs label', custom_id: 'pt:v1:open:bugs' },
      ],
    });
  });

  it('has one select menu with an option per type', () => {
    const message = panelMessage({ types, style: 'select', title: 'Help', text: 'Pick one', embed: emptyEmbedCustomization, locale: 'en-US' });
    const row = message.components![0] as { components: { type: number; custom_id: string; min_values: number; max_values: number; options: unknown[] }[] };
    expect(row.components).toHaveLength(1);
    const menu = row.components[0]!;
    expect(menu).toMatchObject({ type: ComponentType.StringSelect, custom_id: 'pt:v1:open-select:', min_values: 1, max_values: 1 });
    expect(menu.options).toEqual([
      { label: 'support label', value: 'support', description: 'General help', emoji: { name: '🎫' } },
      { label: 'billing label', value: 'billing', emoji: { id: '123456789012345678', name: 'invoice', animated: false } },
      { label: 'bugs label', value: 'bugs' },
    ]);
  });

  it('uses the given title and text, or defaults, with the banner', () => {
    const embed = { ...emptyEmbedCustomization, titlePrefix: '» ', bannerUrl: 'https://cdn.example.com/b.png' };
    const custom = panelMessage({ types, style: 'buttons', title: 'Help desk', text: 'Click', embed, locale: 'en-US' }).embeds![0]!;
    expect(custom).toMatchObject({ title: '» Help desk', description: 'Click', image: { url: 'https://cdn.example.com/b.png' } });
    const plain = panelMessage({ types, style: 'buttons', title: undefined, text: undefined, embed: emptyEmbedCustomization, locale: 'en-US' }).embeds![0]!;
    expect(plain.title).toBe('Open a ticket');
    expect(plain.description).toBeTruthy();
  });
});

describe('typeWithRefusedEmoji', () => {
  const invalid = { _errors: [{ code: 'BUTTON_COMPONENT_INVALID_EMOJI', message: 'Invalid emoji' }] };
  it('names the type whose button or select option emoji Discord refused', () => {
    expect(typeWithRefusedEmoji(types, { components: { 0: { components: { 1: { emoji: { id: invalid } } } } } })?.name).toBe('billing');
    expect(typeWithRefusedEmoji(types, { components: { 0: { components: { 0: { options: { 2: { emoji: { name: invalid } } } } } } } })?.name).toBe('bugs');
  });
  it('names the type of a select option past the tenth', () => {
    const many = Array.from({ length: 13 }, (_, i) => type(`t${i}`, { emoji: '🎫' }));
    expect(typeWithRefusedEmoji(many, { components: { 0: { components: { 0: { options: { 12: { emoji: { name: invalid } } } } } } } })?.name).toBe('t12');
  });
  it('names none for other refusals', () => {
    expect(typeWithRefusedEmoji(types, { components: { 0: { components: { 1: { label: invalid } } } } })).toBeUndefined();
    expect(typeWithRefusedEmoji(types, undefined)).toBeUndefined();
  });
  it('names none for a refusal outside the panel row (an emoji path under another part of the body)', () => {
    expect(typeWithRefusedEmoji(types, { embeds: { 0: { components: { 0: { components: { 1: { emoji: { id: invalid } } } } } } } })).toBeUndefined();
  });
  it('names none, without throwing, for errors that are not an error tree (null, a bare string)', () => {
    expect(typeWithRefusedEmoji(types, null)).toBeUndefined();
    expect(typeWithRefusedEmoji(types, { message: 'Invalid Form Body' })).toBeUndefined();
  });
});
