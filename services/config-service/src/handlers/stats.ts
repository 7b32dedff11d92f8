import { buildEmbed, fail, ok } from '@promton/shared/domain';
import { emptyEmbedCustomization } from '@promton/shared/contracts';
import type { CommandJob, CommandOutcome } from './command-types.js';
import type { HandlerDeps } from './deps.js';

/** `/stats`: aggregated, anonymous counts for the bot's owner only. */
export async function stats(deps: HandlerDeps, job: CommandJob): Promise<CommandOutcome> {
  if (!deps.config.ownerId || job.ctx.member.userId !== deps.config.ownerId) {
    return { answer: { content: fail('Only the owner of PROMTON-TICKETS can use /stats.') } };
  }
  const s = await deps.repo.stats(deps.now());
  const embed = buildEmbed(emptyEmbedCustomization, {
    title: 'PROMTON-TICKETS statistics',
    fields: [
      { name: 'Servers', value: String(s.servers), inline: true },
      { name: 'Members', value: String(s.members), inline: true },
      { name: 'Ticket types', value: String(s.ticketTypes), inline: true },
      { name: 'Tickets today', value: `${s.openedToday} opened · ${s.closedToday} closed`, inline: true },
      { name: 'Tickets in all', value: `${s.openedTotal} opened · ${s.closedTotal} closed`, inline: true },
    ],
  });
  return {
    answer: { content: ok(`PROMTON-TICKETS is on ${s.servers} servers with ${s.members} members in all.`), embeds: [embed] },
  };
}
