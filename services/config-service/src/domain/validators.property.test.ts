import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigLimits, guildConfigSchema, type TicketType } from '@promton/shared/contracts';
import {
  MAX_TITLE_PREFIX,
  validateAuthorName,
  validateColor,
  validateDescription,
  validateEmoji,
  validateFooter,
  validateLabel,
  validateQuestion,
  validateTitlePrefix,
  validateTypeName,
  validateUrl,
  validateWelcomeMessage,
} from './config-rules.js';
import { parseImport } from './import-config.js';
import { planTypeCommand } from './type-commands.js';
import { render } from '@promton/shared/domain';

const anyText = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ minLength: 4000, maxLength: 4200 }));

describe('validators (properties)', () => {
  it('never throw on random strings and accepted values respect the limits', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const name = validateTypeName(text);
        if (name.ok) expect(name.value).toMatch(ConfigLimits.typeName);
        const label = validateLabel(text);
        if (label.ok) expect(label.value.length).toBeGreaterThan(0);
        if (label.ok) expect(label.value.length).toBeLessThanOrEqual(ConfigLimits.label);
        const description = validateDescription(text);
        if (description.ok) expect(description.value?.length ?? 0).toBeLessThanOrEqual(ConfigLimits.description);
        const message = validateWelcomeMessage(text);
        if (message.ok) expect(message.value?.length ?? 0).toBeLessThanOrEqual(ConfigLimits.welcomeMessage);
        const question = validateQuestion(text);
        if (question.ok) expect(question.value.length).toBeLessThanOrEqual(ConfigLimits.question);
        const prefix = validateTitlePrefix(text);
        if (prefix.ok) expect(prefix.value?.length ?? 0).toBeLessThanOrEqual(MAX_TITLE_PREFIX);
        const author = validateAuthorName(text);
        if (author.ok) expect(author.value?.length ?? 0).toBeLessThanOrEqual(ConfigLimits.authorName);
        const footer = validateFooter(text);
        if (footer.ok) expect(footer.value?.length ?? 0).toBeLessThanOrEqual(ConfigLimits.footer);
        const url = validateUrl('field.banner', text);
        if (url.ok && url.value !== null) {
          expect(url.value).toMatch(/^https?:/i);
          expect(url.value.length).toBeLessThanOrEqual(ConfigLimits.url);
        }
        const color = validateColor(text);
        if (color.ok && color.value !== null) expect(color.value >= 0 && color.value <= 0xffffff).toBe(true);
        const emoji = validateEmoji(text);
        if (!emoji.ok) expect(render('en-US', emoji.error)).toMatch(/^The emoji/);
        for (const r of [name, label, description, message, question, prefix, author, footer, url, color, emoji]) {
          if (!r.ok) expect(render('en-US', r.error)).toMatch(/^[A-Z].*\.$/);
        }
      }),
    );
  });

  it('type commands never throw and their results always fit the projection schema', () => {
    const optionValue = fc.oneof(anyText, fc.integer({ min: -5, max: 20 }), fc.constantFrom('support', 'a', '#ff0000', '🎫'));
    const options = fc.dictionary(fc.constantFrom('name', 'label', 'description', 'emoji', 'message', 'limit', 'question', 'position', 'role'), optionValue);
    const sub = fc.constantFrom('add', 'edit', 'role-add', 'role-remove', 'question-add', 'question-remove', 'remove', 'list');
    fc.assert(
      fc.property(fc.array(fc.tuple(sub, options), { maxLength: 12 }), (steps) => {
        let types: TicketType[] = [];
        for (const [subcommand, opts] of steps) {
          const plan = planTypeCommand({ guildId: '100000000000000001', subcommand, options: opts, resolved: {}, types });
          if (plan.ok && plan.value.types) types = plan.value.types;
        }
        const config = {
          v: 1,
          guildId: '100000000000000001',
          logChannelId: null,
          embed: { titlePrefix: null, authorName: null, authorIconUrl: null, bannerUrl: null, color: null, footerText: null },
          types,
          updatedAt: new Date(0).toISOString(),
        };
        expect(guildConfigSchema.safeParse(config).success).toBe(true);
      }),
    );
  });

  it('parseImport never throws on random JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string()), (text) => {
        const result = parseImport('100000000000000001', text);
        if (result.ok) expect(result.value.types.length).toBeLessThanOrEqual(ConfigLimits.maxTypes);
      }),
    );
  });
});
