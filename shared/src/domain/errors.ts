/**
 * Discord's JSON error code (RESTJSONErrorCodes) of a refusal, read from a @discordjs/rest
 * DiscordAPIError (whose name is `DiscordAPIError[code]`); undefined for anything else (a
 * timeout, a network error, a rate limit). The one place a Discord error code is read.
 */
export function discordCode(error: unknown): number | undefined {
  if (!(error instanceof Error) || !error.name.startsWith('DiscordAPIError')) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}
