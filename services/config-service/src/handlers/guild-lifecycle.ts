import type { ConfigJob } from '@promton/shared/contracts';
import type { HandlerDeps } from './deps.js';

export function purgeJobId(guildId: string): string {
  return `purge-${guildId}`;
}

/** `guild.joined`: member count for the owner's totals, and a pending purge cancelled. */
export async function guildJoined(deps: HandlerDeps, job: ConfigJob<'guild.joined'>): Promise<void> {
  await deps.repo.guildJoined(job.guildId, job.memberCount);
  deps.analytics.changed();
  const removed = await deps.configQueue.remove(purgeJobId(job.guildId));
  if (removed) deps.logger.info({ guildId: job.guildId }, 'pending purge cancelled: the bot is back');
  await deps.guildLock.run(job.guildId, () => deps.projection.publish(job.guildId));
}

/** `guild.left`: schedule the purge as a delayed job, which survives restarts. */
export async function guildLeft(deps: HandlerDeps, job: ConfigJob<'guild.left'>): Promise<void> {
  await deps.repo.guildLeft(job.guildId, deps.now());
  deps.analytics.changed();
  const jobId = purgeJobId(job.guildId);
  const previous = await deps.configQueue.getJob(jobId);
  if (previous) {
    const state = await previous.getState();
    // A delayed purge already runs at the earliest leave; a finished one would block the new id.
    if (state === 'delayed' || state === 'waiting' || state === 'active') return;
    await previous.remove();
  }
  const data: ConfigJob<'guild.purge'> = { v: 1, guildId: job.guildId };
  await deps.configQueue.add('guild.purge', data, {
    jobId,
    delay: deps.config.guildPurgeGraceMs,
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: { count: 1000 },
  });
}

/** `guild.purge`: delete all of a guild's rows and its projection, if it is still gone. */
export async function guildPurge(deps: HandlerDeps, job: ConfigJob<'guild.purge'>): Promise<{ purged: boolean }> {
  const purged = await deps.guildLock.run(job.guildId, async () => {
    const done = await deps.repo.purgeGuild(job.guildId);
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
    const current = await deps.repo.loadConfig(job.guildId);
    if (current.logChannelProblem !== job.problem) await deps.repo.updateSettings(job.guildId, { logChannelProblem: job.problem }, deps.now());
    // Published even when unchanged: a retry after a crash before the publish repairs it.
    await deps.projection.publish(job.guildId);
  });
}
