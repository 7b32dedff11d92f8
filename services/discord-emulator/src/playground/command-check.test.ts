import { describe, expect, it } from 'vitest';
import { checkCommand, leafCommands, type CommandDef } from './command-check.js';

const config: CommandDef = {
  name: 'config',
  options: [
    {
      type: 2,
      name: 'type',
      options: [
        {
          type: 1,
          name: 'add',
          description: 'Add a type',
          options: [
            { type: 3, name: 'name', required: true, min_length: 1, max_length: 32 },
            { type: 4, name: 'limit', min_value: 1, max_value: 10 },
            { type: 5, name: 'pinned' },
            {
              type: 3,
              name: 'style',
              choices: [
                { name: 'Buttons', value: 'buttons' },
                { name: 'Select menu', value: 'select' },
              ],
            },
          ],
        },
      ],
    },
    { type: 1, name: 'show' },
  ],
};

describe('the command box', () => {
  it('lists every leaf a person can type, with its options', () => {
    const leaves = leafCommands([config, { name: 'stats' }]);
    expect(leaves.map((l) => l.label)).toEqual(['/config type add', '/config show', '/stats']);
    expect(leaves[0]).toMatchObject({ command: 'config', path: ['type', 'add'], description: 'Add a type' });
    expect(leaves[0]!.options.map((o) => o.name)).toEqual(['name', 'limit', 'pinned', 'style']);
  });

  it('refuses what Discord refuses before sending: missing required, lengths, ranges, non-integers, unknown choices', () => {
    const [add] = leafCommands([config]);
    expect(checkCommand(add!, {}).errors).toEqual({ name: 'This field is required.' });
    expect(checkCommand(add!, { name: 'x'.repeat(33) }).errors).toEqual({ name: 'Must be at most 32 characters long.' });
    expect(checkCommand(add!, { name: 'a', limit: '11' }).errors).toEqual({ limit: 'Must be at most 10.' });
    expect(checkCommand(add!, { name: 'a', limit: '0' }).errors).toEqual({ limit: 'Must be at least 1.' });
    expect(checkCommand(add!, { name: 'a', limit: '2.5' }).errors).toEqual({ limit: 'Enter a whole number.' });
    expect(checkCommand(add!, { name: 'a', pinned: 'yes' }).errors).toEqual({ pinned: 'Pick True or False.' });
    expect(checkCommand(add!, { name: 'a', style: 'grid' }).errors).toEqual({ style: 'Pick one of: Buttons, Select menu.' });
  });

  it('sends values typed as the command declared them, leaving out empty optional ones', () => {
    const [add] = leafCommands([config]);
    expect(checkCommand(add!, { name: ' support ', limit: '3', pinned: 'false', style: 'select' })).toEqual({
      args: { name: 'support', limit: 3, pinned: false, style: 'select' },
      errors: {},
    });
    expect(checkCommand(add!, { name: 'a', limit: '' }).args).toEqual({ name: 'a' });
  });
});
