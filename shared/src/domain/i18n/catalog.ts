import { en } from './en.js';

/**
 * The message catalog's types. English (`en.ts`) is the source: its keys are the
 * catalog's keys and its `{placeholders}` the parameters each key takes. A
 * translation must have every key, and each of its sentences must contain exactly
 * the placeholders of the English one (the compiler checks presence, the catalog
 * test checks that no placeholder was added).
 *
 * Placeholders: `{name}` is a parameter; `{/config type add}` is a command reference,
 * written out in the reader's language from the commands' localized names.
 */
export type MessageKey = keyof typeof en;

/** Every `{…}` token of a sentence, command references included. */
export type Tokens<S extends string> = S extends `${string}{${infer Token}}${infer Rest}` ? Token | Tokens<Rest> : never;

/** The parameter names of a sentence (its tokens less command references). */
export type ParamNames<S extends string> = Exclude<Tokens<S>, `/${string}`>;

/** A reference to a command by its English path, e.g. `{ command: 'config type add' }`: rendered in the reader's language. */
export interface CommandRef {
  command: string;
}

/** What a placeholder can be filled with: text, a number, another message (rendered in the same language) or a command. */
export type ParamValue = string | number | Message | CommandRef;

export type Params<K extends MessageKey> = { [P in ParamNames<(typeof en)[K]>]: ParamValue };

/** The arguments after the key: none for a sentence without parameters, else its parameters. */
export type ParamArgs<K extends MessageKey> = [ParamNames<(typeof en)[K]>] extends [never] ? [params?: Record<string, never>] : [params: Params<K>];

/** A sentence not yet rendered: what pure domain code returns, so the caller picks the language. */
export type Message = { [K in MessageKey]: { key: K; params: Params<K> } }[MessageKey];

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

type Contains<T extends string> = T extends string ? `${string}{${T}}${string}` : never;

/** A translated sentence must contain each token of the English one. */
type Template<S extends string> = [Tokens<S>] extends [never] ? string : UnionToIntersection<Contains<Tokens<S>>>;

/** A complete translation: every key of the English catalog, with its tokens. */
export type Translation = { readonly [K in MessageKey]: Template<(typeof en)[K]> };
