import { buildEmbed, msg, t } from '@promton/shared/domain';
import { emptyEmbedCustomization } from '@promton/shared/contracts';
import { answerLocale, failAnswer, okAnswer, type CommandJob, type CommandOutcome } from './command-types.js';
import type { HandlerDeps } from './deps.js';

/** `/stats`: aggregated, anonymous counts for the bot's owner only. */
export async function stats(deps: HandlerDeps, job: CommandJob): Promise<CommandOutcome> {
  if (!deps.config.ownerId || job.ctx.member.userId !== deps.config.ownerId) {
    return { answer: failAnswer(job, msg('stats.owner-only')) };
  }
  const s = await deps.repo.stats.botStats(deps.now());
  const locale = answerLocale(job);
  const embed = buildEmbed(emptyEmbedCustomization, {
    title: t(locale, 'stats.title'),
    fields: [
      { name: t(locale, 'stats.servers'), value: String(s.servers), inline: true },
      { name: t(locale, 'stats.members'), value: String(s.members), inline: true },
      { name: t(locale, 'stats.types'), value: String(s.ticketTypes), inline: true },
      { name: t(locale, 'stats.today'), value: t(locale, 'stats.counts', { opened: s.openedToday, closed: s.closedToday }), inline: true },
      { name: t(locale, 'stats.total'), value: t(locale, 'stats.counts', { opened: s.openedTotal, closed: s.closedTotal }), inline: true },
    ],
  });
  return { answer: okAnswer(job, msg('stats.summary', { servers: s.servers, members: s.members }), { embeds: [embed] }) };
}
