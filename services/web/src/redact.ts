/**
 * Interaction tokens are credentials for 15 minutes. They sit in job data and can
 * reach error messages through webhook URLs; nothing the owner's pages show may
 * carry one.
 */
const WEBHOOK_TOKEN = /(\/(?:webhooks|interactions)\/\d+\/)[^/\s?#"']+/g;
const AUTH_HEADER = /\b(Bot|Bearer)\s+[A-Za-z0-9._~+/-]{20,}=*/g;

export function redactText(text: string): string {
  return text.replace(WEBHOOK_TOKEN, '$1[redacted]').replace(AUTH_HEADER, '$1 [redacted]');
}

/** Deep copy with every `*token*` field blanked and every string passed through redactText. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 12 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      /token/i.test(k) && v !== null && v !== undefined ? '[redacted]' : redactSecrets(v, depth + 1),
    ]),
  );
}
