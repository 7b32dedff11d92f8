import { fail, ok } from '@promton/shared/domain';
import { planTagCommand } from '../domain/tag-commands.js';
import type { CommandJob, CommandOutcome } from './command-types.js';
import type { HandlerDeps } from './deps.js';

/** `/config tag …` */
export async function configTag(deps: HandlerDeps, job: CommandJob, subcommand: string): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  const current = await deps.repo.loadConfig(guildId);
  const plan = planTagCommand(subcommand, job.command.options, current.tags);
  if (!plan.ok) return { answer: { content: fail(plan.error) } };
  if (plan.value.tags === null) return { answer: { content: ok(plan.value.answer) } };
  await deps.repo.replaceTags(guildId, plan.value.tags, deps.now());
  return { answer: { content: ok(plan.value.answer) }, changed: { detail: plan.value.detail } };
}
