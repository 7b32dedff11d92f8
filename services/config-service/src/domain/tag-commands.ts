import { ConfigLimits, type Tag } from '@promton/shared/contracts';
import { validateTypeName } from './config-rules.js';
import { stringOption, type CommandOptions } from './options.js';
import { msg, type Message } from '@promton/shared/domain';
import { accept, refuse, type Result } from './result.js';

/** The new list of tags (null: nothing to store) and the sentence to answer with. */
export interface TagCommandPlan {
  tags: Tag[] | null;
  answer: Message;
  /** What the log says changed; null when nothing did. */
  detail: Message | null;
}

export function validateTagName(input: string): Result<string> {
  const name = validateTypeName(input);
  return name.ok ? name : refuse('tag.name-invalid');
}

export function validateTagContent(input: string): Result<string> {
  const content = input.trim();
  if (content.length === 0) return refuse('tag.content-empty');
  if (content.length > ConfigLimits.tagContent) return refuse('tag.content-long', { max: ConfigLimits.tagContent });
  return accept(content);
}

/** Whole-list checks (commands and import): at most 50, names unique. */
export function checkTagList(tags: readonly Pick<Tag, 'name'>[]): Result<true> {
  if (tags.length > ConfigLimits.maxTags) return refuse('tag.max', { max: ConfigLimits.maxTags });
  const seen = new Set<string>();
  for (const tag of tags) {
    if (seen.has(tag.name)) return refuse('tag.duplicate', { tag: tag.name });
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
      if (tags.some((t) => t.name === name.value)) return refuse('tag.exists', { tag: name.value });
      if (tags.length >= ConfigLimits.maxTags) return refuse('tag.full', { max: ConfigLimits.maxTags });
      const content = validateTagContent(stringOption(options, 'content') ?? '');
      if (!content.ok) return content;
      const next = [...tags, { name: name.value, content: content.value }];
      return accept({
        tags: next,
        answer: msg('tag.added', { tag: name.value, count: next.length, max: ConfigLimits.maxTags }),
        detail: msg('change.tag-added', { tag: name.value }),
      });
    }
    case 'remove': {
      const name = (stringOption(options, 'name') ?? '').trim();
      if (!tags.some((t) => t.name === name)) return refuse('tag.unknown', { tag: name || '""' });
      return accept({ tags: tags.filter((t) => t.name !== name), answer: msg('tag.removed', { tag: name }), detail: msg('change.tag-removed', { tag: name }) });
    }
    case 'list':
      return accept({
        tags: null,
        // The handler adds the list below the heading.
        answer: tags.length === 0 ? msg('tag.list-none') : msg('tag.list', { count: tags.length, max: ConfigLimits.maxTags }),
        detail: null,
      });
    default:
      return refuse('common.unknown-command', { command: `/config tag ${subcommand}` });
  }
}
