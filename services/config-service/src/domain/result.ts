/** A validation outcome: the accepted value, or one plain sentence saying what to fix. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export function accept<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function refuse<T = never>(error: string): Result<T> {
  return { ok: false, error };
}
