import type { CommandRef, Message, MessageKey, ParamArgs, ParamValue, Translation } from './catalog.js';
import { en } from './en.js';
import { de } from './de.js';
import { esES } from './es-ES.js';
import { fr } from './fr.js';
import { ptBR } from './pt-BR.js';
import { ru } from './ru.js';
import { tr } from './tr.js';

export type { CommandRef, Message, MessageKey, ParamArgs, ParamValue, Params, Translation } from './catalog.js';

/**
 * The languages the bot speaks, by Discord's locale codes (reference#locales).
 * To add one: write `xx.ts` typed `satisfies Translation`, add it to `catalogs` and
 * give it a name in `languageNames`; the compiler and the catalog test do the rest.
 */
export const catalogs = {
  'en-US': en,
  de,
  fr,
  'es-ES': esES,
  'pt-BR': ptBR,
  ru,
  tr,
} as const satisfies Record<string, Translation>;

export type SupportedLocale = keyof typeof catalogs;
export const supportedLocales = Object.keys(catalogs) as SupportedLocale[];
export const DEFAULT_LOCALE: SupportedLocale = 'en-US';

/** Each language's name in itself, for choices and /config show. */
export const languageNames: Record<SupportedLocale, string> = {
  'en-US': 'English',
  de: 'Deutsch',
  fr: 'Français',
  'es-ES': 'Español',
  'pt-BR': 'Português do Brasil',
  ru: 'Русский',
  tr: 'Türkçe',
};

/** Discord locales read with a catalog of a close variant. */
const VARIANTS: Readonly<Record<string, string>> = { 'en-GB': 'en-US', 'es-419': 'es-ES' };

export function isSupportedLocale(locale: unknown): locale is SupportedLocale {
  return typeof locale === 'string' && Object.hasOwn(catalogs, locale);
}

/** The catalog for a Discord locale: its own, a close variant's, or English. */
export function resolveLocale(locale: string | null | undefined): SupportedLocale {
  if (isSupportedLocale(locale)) return locale;
  const variant = locale ? VARIANTS[locale] : undefined;
  return variant && isSupportedLocale(variant) ? variant : DEFAULT_LOCALE;
}

/**
 * The language of what a whole channel sees (welcome, panel, log, transcript): the
 * one an admin chose with /config language, else the server's Discord locale.
 */
export function serverLocale(language: string | null | undefined, guildLocale: string | null | undefined): SupportedLocale {
  return resolveLocale(language ?? guildLocale);
}

/** A sentence to render later, in the reader's language. */
export function msg<K extends MessageKey>(key: K, ...[params]: ParamArgs<K>): Message {
  return { key, params: params ?? {} } as Message;
}

export function isMessage(value: unknown): value is Message {
  return (
    typeof value === 'object' &&
    value !== null &&
    'key' in value &&
    typeof (value as { key: unknown }).key === 'string' &&
    Object.hasOwn(en, (value as { key: string }).key)
  );
}

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && Object.hasOwn(en, value);
}

function catalog(locale: SupportedLocale): Readonly<Record<MessageKey, string>> {
  return catalogs[locale];
}

/** `/config type add` written with the command's names in this language. */
export function commandPath(locale: SupportedLocale, path: string): string {
  const names = catalog(locale) as Readonly<Record<string, string>>;
  return `/${path
    .trim()
    .split(/\s+/)
    .map((token) => names[`name.${token}`] ?? token)
    .join(' ')}`;
}

function renderValue(locale: SupportedLocale, value: ParamValue): string {
  if (typeof value === 'string') return value;
  // Counts and limits as the reader writes numbers (2,000 · 2.000 · 2 000).
  if (typeof value === 'number') return value.toLocaleString(locale);
  if ('command' in value) return commandPath(locale, value.command);
  return render(locale, value);
}

function fill(locale: SupportedLocale, template: string, params: Readonly<Record<string, ParamValue>>): string {
  return template.replace(/\{([^{}]+)\}/g, (token, name: string) => {
    if (name.startsWith('/')) return commandPath(locale, name.slice(1));
    const value = params[name];
    return value === undefined ? token : renderValue(locale, value);
  });
}

/** One sentence of the catalog in a language, its placeholders filled. */
export function t<K extends MessageKey>(locale: SupportedLocale, key: K, ...[params]: ParamArgs<K>): string {
  return fill(locale, catalog(locale)[key], (params ?? {}) as Readonly<Record<string, ParamValue>>);
}

/** A message built earlier with msg(), in a language. */
export function render(locale: SupportedLocale, message: Message): string {
  return fill(locale, catalog(locale)[message.key], message.params as Readonly<Record<string, ParamValue>>);
}

/** `{ de: …, fr: … }` of one key for Discord's `*_localizations` (English is the default, not a localization). */
export function localizations(key: MessageKey): Partial<Record<SupportedLocale | 'es-419' | 'en-GB', string>> {
  const out: Partial<Record<string, string>> = {};
  for (const locale of supportedLocales) if (locale !== DEFAULT_LOCALE) out[locale] = fill(locale, catalog(locale)[key], {});
  for (const [variant, locale] of Object.entries(VARIANTS)) if (locale !== DEFAULT_LOCALE && out[locale] !== undefined) out[variant] = out[locale];
  return out;
}

/** A command reference for a placeholder: `{ command: 'config type add' }`. */
export function command(path: string): CommandRef {
  return { command: path };
}
