import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import {
  DEFAULT_LOCALE,
  catalogs,
  command,
  commandPath,
  isMessage,
  isMessageKey,
  isSupportedLocale,
  languageNames,
  localizations,
  msg,
  render,
  resolveLocale,
  serverLocale,
  supportedLocales,
  t,
  type SupportedLocale,
} from './index.js';

const keys = Object.keys(en).sort();
/** A sentence's `{…}` tokens, sorted, repeats kept. */
const tokens = (text: string) => [...text.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]).sort();

describe('message catalog', () => {
  it('ships English, German, French, Spanish, Brazilian Portuguese, Russian and Turkish', () => {
    expect(supportedLocales.sort()).toEqual(['de', 'en-US', 'es-ES', 'fr', 'pt-BR', 'ru', 'tr'].sort());
    for (const locale of supportedLocales) expect(languageNames[locale]).toBeTruthy();
  });

  describe.each(supportedLocales)('%s', (locale) => {
    const catalog: Readonly<Record<string, string>> = catalogs[locale];

    it('has every key of the English catalog and no other', () => {
      expect(Object.keys(catalog).sort()).toEqual(keys);
    });

    it('keeps exactly the placeholders and command references of each English sentence', () => {
      for (const key of keys) expect(tokens(catalog[key]!), `${locale} ${key}`).toEqual(tokens(en[key as keyof typeof en]));
    });

    it('leaves no sentence empty or untrimmed', () => {
      for (const key of keys) expect(catalog[key], `${locale} ${key}`).toMatch(/^\S(.*\S)?$/s);
    });

    it('writes command and option names as Discord requires: 1-32 lowercase letters, digits, - or _', () => {
      for (const key of keys.filter((k) => k.startsWith('name.'))) {
        const name = catalog[key]!;
        expect(name, `${locale} ${key}`).toMatch(/^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u);
        expect(name, `${locale} ${key}`).toBe(name.toLowerCase());
      }
    });

    it('fits Discord limits: descriptions ≤ 100, choice names ≤ 100, button labels ≤ 80, modal titles and input labels ≤ 45', () => {
      for (const key of keys.filter((k) => k.startsWith('cmd.') || k.startsWith('opt.') || k.startsWith('choice.'))) {
        const text = t(locale, key as never);
        expect(text.length, `${locale} ${key}: ${text}`).toBeLessThanOrEqual(100);
        expect(text.length).toBeGreaterThan(0);
      }
      for (const key of keys.filter((k) => k.endsWith('-button') || k === 'close.button'))
        expect(t(locale, key as never).length, `${locale} ${key}`).toBeLessThanOrEqual(80);
      // Modal titles and text input labels: 45 (receiving-and-responding: modal title; components-reference: label).
      for (const key of keys.filter((k) => k.endsWith('-label') && !k.startsWith('opt.')))
        expect(t(locale, key as never).length, `${locale} ${key}`).toBeLessThanOrEqual(45);
      expect(t(locale, 'feedback.modal-title', { rating: 5 }).length).toBeLessThanOrEqual(45);
      expect(t(locale, 'close.modal-title', { ticket: '#99999' }).length).toBeLessThanOrEqual(45);
    });
  });

  it('fills placeholders, nested messages and command references in the reader’s language', () => {
    expect(t('en-US', 'ticket.claimed', { ticket: '#0007' })).toBe('You claimed ticket #0007.');
    expect(render('en-US', msg('discord.unknown-channel', { failure: msg('failure.rename') }))).toBe(
      'I could not rename the channel: the channel no longer exists.',
    );
    expect(t('en-US', 'panel.no-types')).toBe('There are no ticket types yet; add one with /config type add first.');
    expect(t('en-US', 'common.needs-manage-server', { command: command('config') })).toBe('You need the Manage Server permission to use /config.');
    for (const locale of supportedLocales) {
      const line = t(locale, 'panel.no-types');
      expect(line, locale).toContain(commandPath(locale, 'config type add'));
      expect(line, locale).not.toMatch(/\{|\}/);
    }
  });

  it('reads a locale it does not speak in English, and a close variant in its own language', () => {
    for (const unknown of ['ja', 'ko', 'xx-YY', '', undefined, null]) expect(resolveLocale(unknown)).toBe(DEFAULT_LOCALE);
    expect(t(resolveLocale('ja'), 'close.done', { ticket: '#0001' })).toBe('Ticket #0001 is closed.');
    expect(resolveLocale('en-GB')).toBe('en-US');
    expect(resolveLocale('es-419')).toBe('es-ES');
    expect(resolveLocale('de')).toBe('de');
  });

  it("puts the admin's choice of server language before Discord's guild_locale", () => {
    expect(serverLocale('de', 'en-US')).toBe('de');
    expect(serverLocale(null, 'de')).toBe('de');
    expect(serverLocale(null, 'ja')).toBe('en-US');
    expect(serverLocale(null, undefined)).toBe('en-US');
  });

  it('gives Discord a localization for every language but the default, and Latin American Spanish the Spanish one', () => {
    const names = localizations('name.close');
    expect(Object.keys(names).sort()).toEqual(['de', 'es-419', 'es-ES', 'fr', 'pt-BR', 'ru', 'tr']);
    expect(names['es-419']).toBe(names['es-ES']);
  });
  it('tells a language, a message and a message key from anything else, strings that merely convert to one included', () => {
    expect(isSupportedLocale('de')).toBe(true);
    expect(isSupportedLocale(['de'])).toBe(false);
    expect(isMessageKey('close.done')).toBe(true);
    expect(isMessageKey('close.nothing')).toBe(false);
    expect(isMessageKey(['close.done'])).toBe(false);
    expect(isMessage(msg('close.done', { ticket: '#0001' }))).toBe(true);
    for (const value of [null, undefined, 'close.done', {}, { key: 'close.nothing' }, { key: ['close.done'] }])
      expect(isMessage(value), String(value)).toBe(false);
  });

  it('builds a message without parameters with an empty set of them', () => {
    expect(msg('panel.no-types')).toEqual({ key: 'panel.no-types', params: {} });
  });

  it("writes a command path with the language's names, whatever the spacing, keeping a word it has no name for", () => {
    expect(commandPath('de', ' config  type\tadd ')).toBe('/einstellungen typ hinzufügen');
    expect(commandPath('en-US', 'config nothing')).toBe('/config nothing');
  });

  it('writes numbers as the reader does and leaves a placeholder it has no value for as it is', () => {
    expect(t('de', 'blocklist.max', { max: 2000 })).toBe('Die Sperrliste kann höchstens 2.000 Mitglieder und Rollen enthalten.');
    expect(localizations('list.more').de).toBe('und {count} weitere');
    // A caller outside the type checks that gives no parameters at all.
    const untyped = t as (locale: SupportedLocale, key: string) => string;
    expect(untyped('en-US', 'list.more')).toBe('and {count} more');
  });
});
