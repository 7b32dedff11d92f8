import { describe, expect, it } from 'vitest';
import { DiscordApiError } from './errors.js';
import { coerceDiscordTypes, messageLimitErrors, modalLimitErrors, normalizeChannelName, schemaErrors, validateBody } from './validation.js';

describe('coerceDiscordTypes', () => {
  it('turns bitfield strings into numbers and numeric snowflakes into strings', () => {
    expect(coerceDiscordTypes({ permission_overwrites: [{ id: 123, allow: '1024', deny: '0' }], parent_id: 5 })).toEqual({
      permission_overwrites: [{ id: '123', allow: 1024, deny: 0 }],
      parent_id: '5',
    });
  });
});

describe('validateBody', () => {
  it('accepts overwrites with string allow/deny, as Discord does', () => {
    expect(() =>
      validateBody('createChannel', { name: 'ticket-0001', permission_overwrites: [{ id: '123456789012345678', type: 0, allow: '1024', deny: '0' }] }),
    ).not.toThrow();
  });

  it('reports a missing required field as BASE_TYPE_REQUIRED', () => {
    expect(schemaErrors('createChannel', {})).toEqual([{ path: ['name'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
  });

  it('names the nested path of a bad component inside a union', () => {
    const body = { content: 'x', components: [{ type: 1, components: [{ type: 2, style: 1, label: 'l'.repeat(81), custom_id: 'a' }] }] };
    const errors = schemaErrors('createMessage', body);
    expect(errors.map((e) => e.path.join('.'))).toContain('components.0.components.0.label');
  });

  it('throws Discord’s 50035 with an errors tree', () => {
    try {
      validateBody('createMessage', { content: 'x'.repeat(2001) }, messageLimitErrors);
      throw new Error('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(DiscordApiError);
      expect((error as DiscordApiError).toJSON()).toEqual({
        message: 'Invalid Form Body',
        code: 50035,
        errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: expect.stringContaining('or fewer in length') }] } },
      });
    }
  });
});

describe('documented limits', () => {
  it('counts embed totals over 6000 and fields over 25', () => {
    const embeds = [{ description: 'd'.repeat(4000), fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v'.repeat(100) })) }];
    const codes = messageLimitErrors({ embeds }).map((e) => `${e.path.join('.')}:${e.code}`);
    expect(codes).toContain('embeds.0.fields:BASE_TYPE_MAX_LENGTH');
    expect(codes).toContain('embeds:MAX_EMBED_SIZE_EXCEEDED');
  });

  it('allows 5 buttons per row and 25 select options, not more', () => {
    const row = (n: number) => ({ type: 1, components: Array.from({ length: n }, (_, i) => ({ type: 2, style: 1, custom_id: `b${i}` })) });
    expect(messageLimitErrors({ components: [row(5)] })).toEqual([]);
    expect(messageLimitErrors({ components: [row(6)] })[0]?.path).toEqual(['components', 0, 'components']);
    const select = { type: 1, components: [{ type: 3, custom_id: 's', options: Array.from({ length: 26 }, (_, i) => ({ label: `${i}`, value: `${i}` })) }] };
    expect(messageLimitErrors({ components: [select] })[0]?.path).toEqual(['components', 0, 'components', 0, 'options']);
  });

  it('needs 1 to 5 modal components', () => {
    expect(modalLimitErrors({ components: [] })).toHaveLength(1);
    const input = { type: 1, components: [{ type: 4, custom_id: 'a', label: 'A', style: 1 }] };
    expect(modalLimitErrors({ components: Array.from({ length: 5 }, () => input) })).toEqual([]);
    expect(modalLimitErrors({ components: Array.from({ length: 6 }, () => input) })).toHaveLength(1);
  });

  it('lower-cases text channel names and replaces spaces, leaves categories alone', () => {
    expect(normalizeChannelName('Ticket 0001', 0)).toBe('ticket-0001');
    expect(normalizeChannelName('Support Tickets', 4)).toBe('Support Tickets');
  });
});
