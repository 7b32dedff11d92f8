import { listTags, planTagCommand } from '../domain/tag-commands.js';
import { failAnswer, okAnswer, type CommandJob, type CommandOutcome } from './command-types.js';
import type { HandlerDeps } from './deps.js';

/** `/config tag …` */
export async function configTag(deps: HandlerDeps, job: CommandJob, subcommand: string): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  const current = await deps.repo.guilds.loadConfig(guildId);
  const plan = planTagCommand(subcommand, job.command.options, current.tags);
  if (!plan.ok) return { answer: failAnswer(job, plan.error) };
  if (plan.value.tags === null || plan.value.detail === null) {
    const answer = okAnswer(job, plan.value.answer);
    if (subcommand === 'list' && current.tags.length > 0) answer.content += `\n${listTags(current.tags)}`;
    return { answer };
  }
  await deps.repo.guilds.replaceTags(guildId, plan.value.tags, deps.now());
  return { answer: okAnswer(job, plan.value.answer), changed: { detail: plan.value.detail } };
}
