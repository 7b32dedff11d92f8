import { fail, ok } from '@promton/shared/domain';
import { planBlocklistCommand } from '../domain/blocklist-commands.js';
import type { CommandJob, CommandOutcome } from './command-types.js';
import type { HandlerDeps } from './deps.js';

/** `/config blocklist …` */
export async function configBlocklist(deps: HandlerDeps, job: CommandJob, subcommand: string): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  const current = await deps.repo.loadConfig(guildId);
  const plan = planBlocklistCommand(guildId, subcommand, job.command.options, job.command.resolved, current.blocklist);
  if (!plan.ok) return { answer: { content: fail(plan.error) } };
  if (plan.value.blocklist === null) return { answer: { content: ok(plan.value.answer) } };
  await deps.repo.replaceBlocklist(guildId, plan.value.blocklist, deps.now());
  return { answer: { content: ok(plan.value.answer) }, changed: { detail: plan.value.detail } };
}
