import { msg, ok } from '@promton/shared/domain';
import { integerOption } from '../domain/options.js';
import { listableTypes, ticketListPage } from '../domain/ticket-list.js';
import { answerLocale, failAnswer, type CommandJob, type CommandOutcome } from './command-types.js';
import type { HandlerDeps } from './deps.js';

/** `/ticket list` and its Previous/Next buttons: the open tickets of the types the member is staff of. */
export async function ticketList(deps: HandlerDeps, job: CommandJob): Promise<CommandOutcome> {
  const { guildId, member } = job.ctx;
  const config = await deps.repo.guilds.loadConfig(guildId);
  const types = listableTypes(member, config.types);
  if (types !== null && types.length === 0) return { answer: failAnswer(job, msg('list.staff-only')) };
  const tickets = await deps.repo.tickets.openTickets(guildId, types);
  const page = ticketListPage(answerLocale(job), tickets, integerOption(job.command.options, 'page') ?? 1);
  return { answer: { content: ok(page.text), components: page.components } };
}
