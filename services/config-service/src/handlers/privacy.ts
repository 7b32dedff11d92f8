import { msg } from '@promton/shared/domain';
import { failAnswer, okAnswer, type CommandJob, type CommandOutcome } from './command-types.js';
import type { HandlerDeps } from './deps.js';

/** `/privacy export|delete`: the member's own data (policy §6), everywhere it is stored. */
export async function privacy(deps: HandlerDeps, job: CommandJob, subcommand: string): Promise<CommandOutcome> {
  const { guildId, member } = job.ctx;
  if (subcommand === 'export') {
    const data = await deps.repo.privacy.privacyExport(member.userId, deps.now());
    return {
      answer: {
        ...okAnswer(job, msg('privacy.exported', { count: data.tickets.length, blocklists: data.blockedOn.length })),
        files: [{ name: `promton-privacy-${member.userId}.json`, data: Buffer.from(`${JSON.stringify(data, null, 2)}\n`) }],
      },
      // The log line names nobody, and the job carries no member id into Redis.
      events: [{ guildId, kind: 'privacy.export' }],
    };
  }
  if (subcommand === 'delete') {
    if (job.command.options.confirmed !== true) return { answer: failAnswer(job, msg('privacy.confirm-first')) };
    const erased = await deps.repo.privacy.privacyDelete(member.userId, deps.now(), deps.config.openCooldownMs);
    deps.analytics.changed();
    // The projection carries blocked member ids: publish it again where the id was.
    for (const blockedGuildId of erased.blocklistGuildIds) await deps.projection.publish(blockedGuildId);
    // Redis too: finished jobs and queue events that name the member.
    const inRedis = await deps.eraseFromRedis(member.userId);
    deps.logger.info({ guildId, jobs: inRedis.jobs, events: inRedis.events }, 'privacy delete: erased from Redis');
    const answer =
      erased.openTickets === 0
        ? msg('privacy.erased-none-open', { count: erased.tickets, blocklists: erased.blocklistGuildIds.length })
        : msg('privacy.erased-open', { count: erased.tickets, blocklists: erased.blocklistGuildIds.length, open: erased.openTickets });
    return {
      answer: okAnswer(job, answer),
      events: [
        { guildId, kind: 'privacy.delete', detail: msg('change.privacy-delete', { count: erased.tickets, blocklists: erased.blocklistGuildIds.length }) },
      ],
    };
  }
  return { answer: failAnswer(job, msg('common.unknown-command', { command: `/privacy ${subcommand}` })) };
}
