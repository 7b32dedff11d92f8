import type { ConfigJob, GuildConfig } from '@promton/shared/contracts';
import { addJob } from '@promton/shared/runtime';
import type { HandlerDeps } from './deps.js';

export function purgeJobId(guildId: string): string {
  return `purge-${guildId}`;
}

/** `guild.joined`: member count for the owner's totals, and a pending purge cancelled. */
export async function guildJoined(deps: HandlerDeps, job: ConfigJob<'guild.joined'>): Promise<void> {
  await deps.repo.guilds.guildJoined(job.guildId, job.memberCount);
  deps.analytics.changed();
  const removed = await deps.configQueue.remove(purgeJobId(job.guildId));
  if (removed) deps.logger.info({ guildId: job.guildId }, 'pending purge cancelled: the bot is back');
  await deps.guildLock.run(job.guildId, () => deps.projection.publish(job.guildId));
}

/** `guild.left`: schedule the purge as a delayed job (config-service re-derives it from left_at after a Redis loss). */
export async function guildLeft(deps: HandlerDeps, job: ConfigJob<'guild.left'>): Promise<void> {
  await deps.repo.guilds.guildLeft(job.guildId, deps.now());
  deps.analytics.changed();
  await schedulePurge(deps, job.guildId, deps.config.guildPurgeGraceMs);
}

/** Adds the guild's delayed purge unless one is pending (a pending one already runs at the earliest leave). */
export async function schedulePurge(deps: HandlerDeps, guildId: string, delayMs: number): Promise<void> {
  const jobId = purgeJobId(guildId);
  const previous = await deps.configQueue.getJob(jobId);
  if (previous) {
    const state = await previous.getState();
    if (state === 'delayed' || state === 'waiting' || state === 'active') return;
    // A finished one would block the new id.
    await previous.remove();
  }
  await addJob(deps.configQueue, 'guild.purge', { v: 1, guildId }, { jobId, delay: delayMs });
}

/** `guild.purge`: delete all of a guild's rows and its projection, if it is still gone. */
export async function guildPurge(deps: HandlerDeps, job: ConfigJob<'guild.purge'>): Promise<{ purged: boolean }> {
  const purged = await deps.guildLock.run(job.guildId, async () => {
    const done = await deps.repo.guilds.purgeGuild(job.guildId);
    if (done) await deps.projection.remove(job.guildId);
    return done;
  });
  if (purged) {
    deps.analytics.changed();
    deps.logger.info({ guildId: job.guildId }, 'guild data purged');
  }
  return { purged };
}

/**
 * `guild.log-problem`: the log-worker could not post to the log channel (or can again).
 * Shown by /config show; deliberately not logged, as the log channel is what fails.
 */
export function guildLogProblem(deps: HandlerDeps, job: ConfigJob<'guild.log-problem'>): Promise<void> {
  return deps.guildLock.run(job.guildId, async () => {
    const current = await deps.repo.guilds.loadConfig(job.guildId);
    if (current.logChannelProblem !== job.problem) await deps.repo.guilds.updateSettings(job.guildId, { logChannelProblem: job.problem }, deps.now());
    // Published even when unchanged: a retry after a crash before the publish repairs it.
    await deps.projection.publish(job.guildId);
  });
}

/** `guild.projection` (request/reply): a reader found the projection missing; publish it and return it. */
export function guildProjection(deps: HandlerDeps, job: ConfigJob<'guild.projection'>): Promise<GuildConfig> {
  return deps.guildLock.run(job.guildId, () => deps.projection.publish(job.guildId));
}
