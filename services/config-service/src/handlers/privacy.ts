import { fail, ok } from '@promton/shared/domain';
import type { CommandJob, CommandOutcome } from './command-types.js';
import type { HandlerDeps } from './deps.js';

/** `/privacy export|delete`: the member's own data (policy §6), everywhere it is stored. */
export async function privacy(deps: HandlerDeps, job: CommandJob, subcommand: string): Promise<CommandOutcome> {
  const { guildId, member } = job.ctx;
  if (subcommand === 'export') {
    const data = await deps.repo.privacyExport(member.userId, deps.now());
    return {
      answer: {
        content: ok(
          `Everything stored with your user id is attached as JSON (${data.tickets.length} ticket records, ${data.blockedOn.length} server blocklists).`,
        ),
        files: [{ name: `promton-privacy-${member.userId}.json`, data: Buffer.from(`${JSON.stringify(data, null, 2)}\n`) }],
      },
      // The log line names nobody, and the job carries no member id into Redis.
      events: [{ guildId, kind: 'privacy.export' }],
    };
  }
  if (subcommand === 'delete') {
    if (job.command.options.confirmed !== true) return { answer: { content: fail('Confirm the deletion with the button first; nothing was erased.') } };
    const erased = await deps.repo.privacyDelete(member.userId, deps.now(), deps.config.openCooldownMs);
    deps.analytics.changed();
    // The projection carries blocked member ids: publish it again where the id was.
    for (const blockedGuildId of erased.blocklistGuildIds) await deps.projection.publish(blockedGuildId);
    // Redis too: finished jobs and queue events that name the member.
    const inRedis = await deps.eraseFromRedis(member.userId);
    deps.logger.info({ guildId, jobs: inRedis.jobs, events: inRedis.events }, 'privacy delete: erased from Redis');
    const open =
      erased.openTickets === 0
        ? 'none of them was open'
        : `your ${erased.openTickets} open ticket(s) stay open for staff to answer and close, no longer linked to you`;
    const blocked = erased.blocklistGuildIds.length === 0 ? '' : ` and from ${erased.blocklistGuildIds.length} server blocklist(s)`;
    return {
      answer: { content: ok(`Your user id was erased from ${erased.tickets} ticket record(s)${blocked}; ${open}.`) },
      events: [{ guildId, kind: 'privacy.delete', detail: `erased from ${erased.tickets} ticket record(s)${blocked}` }],
    };
  }
  return { answer: { content: fail(`Unknown subcommand /privacy ${subcommand}.`) } };
}
