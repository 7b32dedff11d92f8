import { describe, expect, it } from 'vitest';
import type { Tag } from '@promton/shared/contracts';
import { msg } from '@promton/shared/domain';
import { accept, refuse } from './result.js';
import { checkTagList, listTags, planTagCommand, validateTagContent, validateTagName } from './tag-commands.js';

const tagsOf = (count: number): Tag[] => Array.from({ length: count }, (_, i) => ({ name: `tag-${i}`, content: `content ${i}` }));

describe('validateTagName', () => {
  it('accepts a trimmed type-like name and refuses others with the tag sentence', () => {
    expect(validateTagName('  hours ')).toEqual(accept('hours'));
    expect(validateTagName('Hours!')).toEqual(refuse('tag.name-invalid'));
    expect(validateTagName('')).toEqual(refuse('tag.name-invalid'));
  });
});

describe('validateTagContent', () => {
  it('trims, refuses empty content and accepts up to 2,000 characters', () => {
    expect(validateTagContent('  hello \n')).toEqual(accept('hello'));
    expect(validateTagContent(' \n ')).toEqual(refuse('tag.content-empty'));
    expect(validateTagContent('x'.repeat(2000))).toEqual(accept('x'.repeat(2000)));
    expect(validateTagContent('x'.repeat(2001))).toEqual(refuse('tag.content-long', { max: 2000 }));
  });
});

describe('checkTagList', () => {
  it('accepts up to 50 tags with unique names', () => {
    expect(checkTagList([])).toEqual(accept(true));
    expect(checkTagList(tagsOf(50))).toEqual(accept(true));
    expect(checkTagList(tagsOf(51))).toEqual(refuse('tag.max', { max: 50 }));
    expect(checkTagList([{ name: 'a' }, { name: 'b' }, { name: 'a' }])).toEqual(refuse('tag.duplicate', { tag: 'a' }));
  });
});

describe('listTags', () => {
  it('writes one line a tag with its content on one line, cut after 59 characters past 60', () => {
    expect(listTags([])).toBe('');
    const sixty = 'y'.repeat(60);
    const long = 'z'.repeat(61);
    expect(
      listTags([
        { name: 'a', content: 'one\n\n two\tthree' },
        { name: 'b', content: sixty },
        { name: 'c', content: long },
      ]),
    ).toBe(`\`a\` — one two three\n\`b\` — ${sixty}\n\`c\` — ${'z'.repeat(59)}…`);
  });
});

describe('planTagCommand', () => {
  it('adds a tag after the others, with the count in the answer and the log detail', () => {
    const tags = tagsOf(2);
    expect(planTagCommand('add', { name: ' hours ', content: ' 9 to 5 ' }, tags)).toEqual(
      accept({
        tags: [...tags, { name: 'hours', content: '9 to 5' }],
        answer: msg('tag.added', { tag: 'hours', count: 3, max: 50 }),
        detail: msg('change.tag-added', { tag: 'hours' }),
      }),
    );
    expect(tags).toHaveLength(2);
  });

  it('refuses a missing name or content, an existing name, and a 51st tag', () => {
    expect(planTagCommand('add', { content: 'x' }, [])).toEqual(refuse('tag.name-invalid'));
    expect(planTagCommand('add', { name: 'hours' }, [])).toEqual(refuse('tag.content-empty'));
    expect(planTagCommand('add', { name: 'tag-1', content: 'x' }, tagsOf(2))).toEqual(refuse('tag.exists', { tag: 'tag-1' }));
    expect(planTagCommand('add', { name: 'new', content: 'x' }, tagsOf(50))).toEqual(refuse('tag.full', { max: 50 }));
    expect(planTagCommand('add', { name: 'new', content: 'x' }, tagsOf(49))).toMatchObject({
      ok: true,
      value: { answer: msg('tag.added', { tag: 'new', count: 50, max: 50 }) },
    });
  });

  it('removes only the named tag, its name trimmed', () => {
    const tags = tagsOf(3);
    expect(planTagCommand('remove', { name: ' tag-1 ' }, tags)).toEqual(
      accept({ tags: [tags[0], tags[2]], answer: msg('tag.removed', { tag: 'tag-1' }), detail: msg('change.tag-removed', { tag: 'tag-1' }) }),
    );
    expect(planTagCommand('remove', { name: 'gone' }, tags)).toEqual(refuse('tag.unknown', { tag: 'gone' }));
    expect(planTagCommand('remove', {}, tags)).toEqual(refuse('tag.unknown', { tag: '""' }));
  });

  it('lists without storing anything', () => {
    expect(planTagCommand('list', {}, [])).toEqual(accept({ tags: null, answer: msg('tag.list-none'), detail: null }));
    expect(planTagCommand('list', {}, tagsOf(3))).toEqual(accept({ tags: null, answer: msg('tag.list', { count: 3, max: 50 }), detail: null }));
  });

  it('refuses an unknown subcommand, naming it', () => {
    expect(planTagCommand('edit', {}, [])).toEqual(refuse('common.unknown-command', { command: '/config tag edit' }));
  });
});
