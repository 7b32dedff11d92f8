import { emptyEmbedCustomization, type EmbedCustomization } from '@promton/shared/contracts';
import { validateAuthorName, validateColor, validateFooter, validateTitlePrefix, validateUrl } from './config-rules.js';
import { stringOption, type CommandOptions } from './options.js';
import { accept, refuse, type Result } from './result.js';

export interface EmbedPlan {
  embed: EmbedCustomization;
  changed: string[];
}

/** `/config embed set`: validates each given option; an empty string clears that field. */
export function planEmbedSet(current: EmbedCustomization, options: CommandOptions): Result<EmbedPlan> {
  const embed = { ...current };
  const changed: string[] = [];
  const steps: [option: string, apply: (raw: string) => Result<unknown>][] = [
    ['title-prefix', (raw) => mapped(validateTitlePrefix(raw), (v) => (embed.titlePrefix = v))],
    ['author-name', (raw) => mapped(validateAuthorName(raw), (v) => (embed.authorName = v))],
    ['author-icon', (raw) => mapped(validateUrl('field.author-icon', raw), (v) => (embed.authorIconUrl = v))],
    ['banner', (raw) => mapped(validateUrl('field.banner', raw), (v) => (embed.bannerUrl = v))],
    ['color', (raw) => mapped(validateColor(raw), (v) => (embed.color = v))],
    ['footer', (raw) => mapped(validateFooter(raw), (v) => (embed.footerText = v))],
  ];
  for (const [option, apply] of steps) {
    const raw = stringOption(options, option);
    if (raw === undefined) continue;
    const r = apply(raw);
    if (!r.ok) return r as Result<never>;
    changed.push(option);
  }
  if (changed.length === 0) return refuse('invalid.embed-nothing');
  return accept({ embed, changed });
}

function mapped<T>(result: Result<T>, apply: (value: T) => void): Result<T> {
  if (result.ok) apply(result.value);
  return result;
}

export function resetEmbed(): EmbedCustomization {
  return { ...emptyEmbedCustomization };
}
