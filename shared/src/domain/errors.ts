/** Decides whether a failed step is worth retrying. */
export type ErrorClass = 'retry' | 'stop';

interface HttpLikeError {
  status?: number;
  code?: number | string;
}

/**
 * 429, 5xx and network failures are transient; anything else Discord refused
 * (400, 401, 403, 404) will be refused again.
 */
export function classifyError(error: unknown): ErrorClass {
  if (!(error instanceof Error)) return 'stop';
  const { status, code } = error as HttpLikeError & Error;
  if (typeof status === 'number') return status === 429 || status >= 500 ? 'retry' : 'stop';
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return 'retry';
  if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR_\w+)$/.test(code)) return 'retry';
  if (/Connection is closed|ECONNREFUSED|socket hang up|fetch failed/i.test(error.message)) return 'retry';
  return 'stop';
}

/** Discord's JSON error code from a @discordjs/rest DiscordAPIError, if any. */
export function discordErrorCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}
