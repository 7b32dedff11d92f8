/** Discord's epoch: snowflakes carry milliseconds since 2015-01-01. */
const DISCORD_EPOCH = 1_420_070_400_000n;

export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/**
 * When the ticket should next be checked, or 'close' when it has been quiet for the
 * whole window. Activity is the newest of the channel's last message and the open.
 */
export function autoCloseDecision(input: {
  now: number;
  openedAt: number;
  lastMessageId: string | null;
  hours: number;
}): { close: true } | { close: false; delayMs: number } {
  const lastActivity = Math.max(input.openedAt, input.lastMessageId ? snowflakeTime(input.lastMessageId) : 0);
  const due = lastActivity + input.hours * 3_600_000;
  return input.now >= due ? { close: true } : { close: false, delayMs: due - input.now };
}
