import { msg } from '@promton/shared/domain';
import { planEmbedSet, resetEmbed } from '../domain/embed-commands.js';
import { failAnswer, okAnswer, type CommandJob, type CommandOutcome } from './command-types.js';
import type { HandlerDeps } from './deps.js';

/** `/config embed set|reset` */
export async function configEmbed(deps: HandlerDeps, job: CommandJob, subcommand: string): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  if (subcommand === 'reset') {
    await deps.repo.guilds.setEmbed(guildId, resetEmbed(), deps.now());
    return { answer: okAnswer(job, msg('config.embed-reset')), changed: { detail: msg('change.embed-reset') } };
  }
  if (subcommand !== 'set') return { answer: failAnswer(job, msg('common.unknown-command', { command: `/config embed ${subcommand}` })) };
  const current = await deps.repo.guilds.loadConfig(guildId);
  const plan = planEmbedSet(current.embed, job.command.options);
  if (!plan.ok) return { answer: failAnswer(job, plan.error) };
  await deps.repo.guilds.setEmbed(guildId, plan.value.embed, deps.now());
  const fields = plan.value.changed.join(', ');
  return { answer: okAnswer(job, msg('config.embed-saved', { fields })), changed: { detail: msg('change.embed-set', { fields }) } };
}
