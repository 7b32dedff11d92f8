import { planBlocklistCommand } from '../domain/blocklist-commands.js';
import { answerLocale, failAnswer, okAnswer, type CommandJob, type CommandOutcome } from './command-types.js';
import type { HandlerDeps } from './deps.js';

/** `/config blocklist …` */
export async function configBlocklist(deps: HandlerDeps, job: CommandJob, subcommand: string): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  const current = await deps.repo.guilds.loadConfig(guildId);
  const plan = planBlocklistCommand(answerLocale(job), guildId, subcommand, job.command.options, job.command.resolved, current.blocklist);
  if (!plan.ok) return { answer: failAnswer(job, plan.error) };
  if (plan.value.blocklist === null || plan.value.detail === null) return { answer: okAnswer(job, plan.value.answer) };
  await deps.repo.guilds.replaceBlocklist(guildId, plan.value.blocklist, deps.now());
  return { answer: okAnswer(job, plan.value.answer), changed: { detail: plan.value.detail } };
}
