import { msg, type Message, type MessageKey, type ParamArgs } from '@promton/shared/domain';

/** A validation outcome: the accepted value, or one plain sentence (not yet in a language) saying what to fix. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: Message };

export function accept<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function refuse<K extends MessageKey>(key: K, ...params: ParamArgs<K>): Result<never> {
  return { ok: false, error: msg(key, ...params) };
}
