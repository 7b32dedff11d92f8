import type { APIMessage } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
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
  (patch.components ?? []).flatMap((row) => ('components' in row ? row.components : [])).map((c) => ('custom_id' in c ? [c.label, c.custom_id] : []));

describe('withClaimer', () => {
  it('replaces the Claimed by field of the first embed and shows Unclaim', () => {
    const patch = withClaimer(message, 3, '200000000000000002');
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
    const claimed = withClaimer(message, 3, '200000000000000002') as Pick<APIMessage, 'embeds' | 'components'>;
    const patch = withClaimer(claimed, 3, null);
    expect(patch.embeds![0]!.fields!.filter((f) => f.name === 'Claimed by')).toEqual([{ name: 'Claimed by', value: 'Nobody yet' }]);
    expect(ids(patch)).toEqual([
      ['Close', 'pt:v1:close:3'],
      ['Claim', 'pt:v1:claim:3'],
    ]);
  });

  it('adds the field when the embed had none', () => {
    const patch = withClaimer({ embeds: [{ title: 't' }], components: [] } as unknown as Pick<APIMessage, 'embeds' | 'components'>, 1, null);
    expect(patch.embeds![0]!.fields).toEqual([{ name: 'Claimed by', value: 'Nobody yet' }]);
  });
});
