import type { API } from '@discordjs/core';
import type { Redis } from 'ioredis';
import { commandDefinitions, commandsHash, commandsHashKey } from '@promton/shared';

/**
 * Bulk-registers the command tree when it differs from the last registration
 * (hash kept in Redis), so a restart does not spend a request or reset Discord's cache.
 */
export async function registerCommands(api: API, redis: Redis, prefix: string, applicationId: string): Promise<boolean> {
  const key = commandsHashKey(prefix, applicationId, 'global');
  const hash = commandsHash();
  if ((await redis.get(key)) === hash) return false;
  await api.applicationCommands.bulkOverwriteGlobalCommands(applicationId, commandDefinitions);
  await redis.set(key, hash);
  return true;
}
