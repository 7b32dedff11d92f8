import type { API } from '@discordjs/core';
import type { Redis } from 'ioredis';
import { commandsHashKey } from '@promton/shared/contracts';
import { commandDefinitions, commandsHash } from '@promton/shared/commands';

/**
 * Bulk-registers the command tree when it differs from the last registration (hash
 * kept in Redis), so a restart does not spend Discord's daily command-update budget.
 * A matching hash is checked against what Discord lists (one GET), because the
 * application's commands can be gone even though Redis remembers them (a fresh
 * emulator, commands removed in the developer portal).
 */
export async function registerCommands(api: API, redis: Redis, prefix: string, applicationId: string): Promise<boolean> {
  const key = commandsHashKey(prefix, applicationId, 'global');
  const hash = commandsHash();
  if ((await redis.get(key)) === hash) {
    const registered = new Set((await api.applicationCommands.getGlobalCommands(applicationId)).map((command) => command.name));
    if (commandDefinitions.every((command) => registered.has(command.name))) return false;
  }
  await api.applicationCommands.bulkOverwriteGlobalCommands(applicationId, commandDefinitions);
  await redis.set(key, hash);
  return true;
}
