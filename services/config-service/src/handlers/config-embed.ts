import { fail, ok } from '@promton/shared/domain';
import { planEmbedSet, resetEmbed } from '../domain/embed-commands.js';
import type { CommandJob, CommandOutcome } from './command-types.js';
import type { HandlerDeps } from './deps.js';

/** `/config embed set|reset` */
export async function configEmbed(deps: HandlerDeps, job: CommandJob, subcommand: string): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  if (subcommand === 'reset') {
    await deps.repo.setEmbed(guildId, resetEmbed(), deps.now());
    return { answer: { content: ok('The embeds are back to the default look.') }, changed: { detail: 'embed reset' } };
  }
  if (subcommand !== 'set') return { answer: { content: fail(`Unknown subcommand /config embed ${subcommand}.`) } };
  const current = await deps.repo.loadConfig(guildId);
  const plan = planEmbedSet(current.embed, job.command.options);
  if (!plan.ok) return { answer: { content: fail(plan.error) } };
  await deps.repo.setEmbed(guildId, plan.value.embed, deps.now());
  const fields = plan.value.changed.join(', ');
  return { answer: { content: ok(`The embed customization was saved (${fields}).`) }, changed: { detail: `embed set: ${fields}` } };
}
