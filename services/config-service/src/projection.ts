import type { Redis } from 'ioredis';
import { guildConfigSchema, logPauseKey, projectionKey, type GuildConfig } from '@promton/shared/contracts';
import type { Repository } from './db/repository.js';

/**
 * The read projection: each guild's whole configuration as JSON under one Redis key,
 * read by the gateway and workers with one GET.
 */
export class Projection {
  constructor(
    private readonly repo: Repository,
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /**
   * Reads the guild's config and SETs it. Runs as a write section of the guild so that
   * projections are published in the order the writes happened, across replicas too
   * (a slower, older read cannot win).
   */
  publish(guildId: string): Promise<GuildConfig> {
    return this.repo.writeGuild(guildId, async () => {
      const config = guildConfigSchema.parse(await this.repo.guilds.loadConfig(guildId));
      await this.redis.set(projectionKey(this.prefix, guildId), JSON.stringify(config));
      return config;
    });
  }

  /** An admin chose the log channel again (set, clear, import): log-worker posts to it at once, not after the pause. */
  async resumeLog(guildId: string): Promise<void> {
    await this.redis.del(logPauseKey(this.prefix, guildId));
  }

  async remove(guildId: string): Promise<void> {
    await this.redis.del(projectionKey(this.prefix, guildId));
  }
}
