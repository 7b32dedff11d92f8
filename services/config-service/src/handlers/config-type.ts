import { fail, ok } from '@promton/shared';
import { planTypeCommand } from '../domain/type-commands.js';
import type { CommandJob, CommandOutcome } from './command-types.js';
import type { HandlerDeps } from './deps.js';

/** `/config type …` */
export async function configType(deps: HandlerDeps, job: CommandJob, subcommand: string): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  const current = await deps.repo.loadConfig(guildId);
  const plan = planTypeCommand({ guildId, subcommand, options: job.command.options, resolved: job.command.resolved, types: current.types });
  if (!plan.ok) return { answer: { content: fail(plan.error) } };
  if (plan.value.types === null) return { answer: { content: ok(plan.value.answer) } };
  await deps.repo.replaceTypes(guildId, plan.value.types, deps.now());
  return { answer: { content: ok(plan.value.answer) }, changed: { detail: plan.value.detail } };
}
