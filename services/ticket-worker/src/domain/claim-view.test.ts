import type { APIComponentInContainer, APIComponentInMessageActionRow, APIMessage } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { embedLength } from '@promton/shared/domain';
import { withClaimer } from './claim-view.js';

const message = {
  embeds: [
    {
      title: 'Ticket #0003 · Support',
      fields: [
        { name: 'Invoice', value: 'INV-1' },
        { name: 'Claimed by', value: 'Nobody yet' },
      ],
    },
    { title: 'second', fields: [{ name: 'Claimed by', value: 'untouched' }] },
  ],
  components: [],
} as unknown as Pick<APIMessage, 'embeds' | 'components'>;

const ids = (patch: ReturnType<typeof withClaimer>) =>
  (patch.components ?? [])
    .flatMap<APIComponentInMessageActionRow | APIComponentInContainer>((row) => ('components' in row ? row.components : []))
    .map((c) => ('custom_id' in c ? ['label' in c ? c.label : undefined, c.custom_id] : []));

describe('withClaimer', () => {
  it('keeps a welcome built at the 6,000-character limit within it when the mention replaces "Nobody yet"', () => {
    const fields = [
      { name: 'Invoice', value: 'i'.repeat(1000) },
      { name: 'Claimed by', value: 'Nobody yet' },
    ];
    const title = 'Ticket #0003 · Support';
    const description = 'd'.repeat(6000 - title.length - 7 - 1000 - 'Claimed by'.length - 'Nobody yet'.length);
    const full = { embeds: [{ title, description, fields }], components: [] } as unknown as Pick<APIMessage, 'embeds' | 'components'>;
    expect(embedLength(full.embeds[0]!)).toBe(6000);
    const embed = withClaimer(full, 3, '200000000000000002', 'en-US').embeds![0]!;
    expect(embedLength(embed)).toBeLessThanOrEqual(6000);
    expect(embed.fields).toEqual([
      { name: 'Invoice', value: 'i'.repeat(1000) },
      { name: 'Claimed by', value: '<@200000000000000002>' },
    ]);
    expect(embed.description).toMatch(/^d+…$/);
  });

  it('keeps the Claimed by field and drops the answer before it when a welcome without description outgrows 6,000', () => {
    const title = 'Ticket #0003 · Support';
    const answers = Array.from({ length: 6 }, (_, i) => ({ name: `Q${i}`, value: 'a'.repeat(1000 - 2) }));
    const last = { name: 'Claimed by', value: 'Nobody yet' };
    const room = 6000 - title.length - 6 * 1000 - last.name.length - last.value.length;
    const fields = [...answers.slice(0, 5), { ...answers[5]!, value: 'a'.repeat(998 + room) }, last];
    const full = { embeds: [{ title, fields }], components: [] } as unknown as Pick<APIMessage, 'embeds' | 'components'>;
    expect(embedLength(full.embeds[0]!)).toBe(6000);
    const embed = withClaimer(full, 3, '200000000000000002', 'en-US').embeds![0]!;
    expect(embedLength(embed)).toBeLessThanOrEqual(6000);
    expect(embed.fields!.map((f) => f.name)).toEqual(['Q0', 'Q1', 'Q2', 'Q3', 'Q4', 'Claimed by']);
    expect(embed.fields!.at(-1)).toEqual({ name: 'Claimed by', value: '<@200000000000000002>' });
  });

  it('replaces the Claimed by field of the first embed and shows Unclaim', () => {
    const patch = withClaimer(message, 3, '200000000000000002', 'en-US');
    expect(patch.embeds![0]!.fields).toEqual([
      { name: 'Invoice', value: 'INV-1' },
      { name: 'Claimed by', value: '<@200000000000000002>' },
    ]);
    expect(patch.embeds![0]!.title).toBe('Ticket #0003 · Support');
    expect(patch.embeds![1]).toEqual(message.embeds[1]);
    expect(ids(patch)).toEqual([
      ['Close', 'pt:v1:close:3'],
      ['Unclaim', 'pt:v1:unclaim:3'],
    ]);
  });

  it('goes back to Nobody yet and a Claim button on unclaim', () => {
    const claimed = withClaimer(message, 3, '200000000000000002', 'en-US') as Pick<APIMessage, 'embeds' | 'components'>;
    const patch = withClaimer(claimed, 3, null, 'en-US');
    expect(patch.embeds![0]!.fields!.filter((f) => f.name === 'Claimed by')).toEqual([{ name: 'Claimed by', value: 'Nobody yet' }]);
    expect(ids(patch)).toEqual([
      ['Close', 'pt:v1:close:3'],
      ['Claim', 'pt:v1:claim:3'],
    ]);
  });

  it('adds the field when the embed had none', () => {
    const patch = withClaimer({ embeds: [{ title: 't' }], components: [] } as unknown as Pick<APIMessage, 'embeds' | 'components'>, 1, null, 'en-US');
    expect(patch.embeds![0]!.fields).toEqual([{ name: 'Claimed by', value: 'Nobody yet' }]);
  });
});
