/** Discord's JSON error code from a @discordjs/rest DiscordAPIError, if any. */
export function discordErrorCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}
