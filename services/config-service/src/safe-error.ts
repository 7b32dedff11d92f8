/**
 * What may be logged of an error. @discordjs/rest errors carry the request URL, and a
 * webhook URL contains the interaction token: never log the error object itself.
 */
export function safeError(error: unknown): { name: string; message: string; status?: number; code?: number | string; stack?: string } {
  if (!(error instanceof Error)) return { name: 'NonError', message: redact(String(error).slice(0, 200)) };
  const { status, code } = error as Error & { status?: unknown; code?: unknown };
  return {
    name: error.name,
    message: redact(error.message),
    ...(error.stack ? { stack: redact(error.stack) } : {}),
    ...(typeof status === 'number' ? { status } : {}),
    ...(typeof code === 'number' || typeof code === 'string' ? { code } : {}),
  };
}

function redact(text: string): string {
  return text.replace(/\/webhooks\/\d+\/[^/\s]+/g, '/webhooks/:id/[redacted]');
}
