import { ConfigLimits, type Tag } from '@promton/shared/contracts';
import { validateTypeName } from './config-rules.js';
import { stringOption, type CommandOptions } from './options.js';
import { accept, refuse, type Result } from './result.js';

/** The new list of tags (null: nothing to store) and the sentence to answer with. */
export interface TagCommandPlan {
  tags: Tag[] | null;
  answer: string;
  detail: string;
}

export function validateTagName(input: string): Result<string> {
  const name = validateTypeName(input);
  return name.ok ? name : refuse('The tag name must be 1 to 32 characters of a-z, 0-9 and -.');
}

export function validateTagContent(input: string): Result<string> {
  const content = input.trim();
  if (content.length === 0) return refuse('The content must not be empty.');
  if (content.length > ConfigLimits.tagContent) return refuse(`The content must be at most ${ConfigLimits.tagContent.toLocaleString('en-US')} characters.`);
  return accept(content);
}

/** Whole-list checks (commands and import): at most 50, names unique. */
export function checkTagList(tags: readonly Pick<Tag, 'name'>[]): Result<true> {
  if (tags.length > ConfigLimits.maxTags) return refuse(`A server can have at most ${ConfigLimits.maxTags} tags.`);
  const seen = new Set<string>();
  for (const tag of tags) {
    if (seen.has(tag.name)) return refuse(`The tag name ${tag.name} is used twice; names must be unique.`);
    seen.add(tag.name);
  }
  return accept(true);
}

/** `name — first words of its content`, one tag a line. */
export function listTags(tags: readonly Tag[]): string {
  return tags.map((tag) => `\`${tag.name}\` — ${preview(tag.content)}`).join('\n');
}

function preview(content: string): string {
  const line = content.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/** Pure rules of `/config tag …`. */
export function planTagCommand(subcommand: string, options: CommandOptions, tags: readonly Tag[]): Result<TagCommandPlan> {
  switch (subcommand) {
    case 'add': {
      const name = validateTagName(stringOption(options, 'name') ?? '');
      if (!name.ok) return name;
      if (tags.some((t) => t.name === name.value)) return refuse(`A tag named ${name.value} already exists; remove it first to replace it.`);
      if (tags.length >= ConfigLimits.maxTags) return refuse(`This server already has ${ConfigLimits.maxTags} tags, the most allowed; remove one first.`);
      const content = validateTagContent(stringOption(options, 'content') ?? '');
      if (!content.ok) return content;
      const next = [...tags, { name: name.value, content: content.value }];
      return accept({
        tags: next,
        answer: `Tag ${name.value} was added (${next.length} of ${ConfigLimits.maxTags}); staff post it with /tag ${name.value}.`,
        detail: `tag ${name.value} added`,
      });
    }
    case 'remove': {
      const name = (stringOption(options, 'name') ?? '').trim();
      if (!tags.some((t) => t.name === name)) return refuse(`There is no tag named ${name || '(empty)'}; see /config tag list.`);
      return accept({ tags: tags.filter((t) => t.name !== name), answer: `Tag ${name} was removed.`, detail: `tag ${name} removed` });
    }
    case 'list':
      return accept({
        tags: null,
        answer: tags.length === 0 ? 'No tags yet; add one with /config tag add.' : `Tags (${tags.length} of ${ConfigLimits.maxTags}):\n${listTags(tags)}`,
        detail: '',
      });
    default:
      return refuse(`Unknown subcommand /config tag ${subcommand}.`);
  }
}
