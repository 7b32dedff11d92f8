import { msg, type Message } from '@promton/shared/domain';
import { type TicketType } from '@promton/shared/contracts';
import { ChannelKind, customEmojiId } from '../domain/config-rules.js';
import { ARCHIVE_CATEGORY_NEEDS, CATEGORY_CHANNEL_NEEDS, checkChannel, THREAD_CHANNEL_NEEDS } from './channel-check.js';
import { listTypes, planTypeCommand } from '../domain/type-commands.js';
import { answerLocale, failAnswer, okAnswer, type CommandJob, type CommandOutcome } from './command-types.js';
import type { HandlerDeps } from './deps.js';
import { stringOption } from '../domain/options.js';

/** A newly set custom emoji that this guild does not have, if any (asked of Discord). */
export async function foreignEmoji(deps: HandlerDeps, guildId: string, next: readonly TicketType[], before: readonly TicketType[]): Promise<string | null> {
  const known = new Set(before.map((type) => type.emoji));
  for (const type of next) {
    const id = customEmojiId(type.emoji);
    if (id && !known.has(type.emoji) && !(await deps.discord.hasEmoji(guildId, id))) return type.emoji;
  }
  return null;
}

/** A newly chosen thread channel where the bot cannot run thread tickets (asked of Discord), if any. */
async function newThreadChannelProblem(
  deps: HandlerDeps,
  guildId: string,
  next: readonly TicketType[],
  before: readonly TicketType[],
): Promise<Message | null> {
  for (const type of next) {
    const previous = before.find((t) => t.name === type.name);
    if (!type.threadChannelId || previous?.threadChannelId === type.threadChannelId) continue;
    const field = msg('check.the-thread-channel', { channel: `<#${type.threadChannelId}>`, type: type.name });
    const problem = await checkChannel(deps, guildId, type.threadChannelId, ChannelKind.text, field, THREAD_CHANNEL_NEEDS);
    if (problem) return problem;
  }
  return null;
}

/** `/config type …` */
export async function configType(deps: HandlerDeps, job: CommandJob, subcommand: string): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  const current = await deps.repo.guilds.loadConfig(guildId);
  const plan = planTypeCommand({ guildId, subcommand, options: job.command.options, resolved: job.command.resolved, types: current.types });
  if (!plan.ok) return { answer: failAnswer(job, plan.error) };
  if (plan.value.types === null || plan.value.detail === null) {
    const answer = okAnswer(job, plan.value.answer);
    // The list's lines are written in the asker's language here, below its heading.
    if (subcommand === 'list' && current.types.length > 0) answer.content += `\n${listTypes(answerLocale(job), current.types)}`;
    return { answer };
  }
  // A category given now is asked of Discord: the bot must be able to open tickets in it.
  const category = subcommand === 'add' || subcommand === 'edit' ? stringOption(job.command.options, 'category') : undefined;
  if (category) {
    const problem = await checkChannel(deps, guildId, category, ChannelKind.category, `<#${category}>`, CATEGORY_CHANNEL_NEEDS);
    if (problem) return { answer: failAnswer(job, problem) };
    if (problem) return { answer: failAnswer(job, problem) };
  }
  if (subcommand === 'close-mode') {
    // Archiving moves channels into the category: the bot must see it and have Manage Channels there.
    const archiving = plan.value.types.find((type) => type.name === String(job.command.options.name ?? ''));
    if (archiving?.closeMode === 'archive' && archiving.archiveCategoryId) {
      const field = msg('check.the-category', { channel: `<#${archiving.archiveCategoryId}>`, type: archiving.name });
      const problem = await checkChannel(deps, guildId, archiving.archiveCategoryId, ChannelKind.category, field, ARCHIVE_CATEGORY_NEEDS);
      if (problem) return { answer: failAnswer(job, problem) };
    }
  }
  const foreign = await foreignEmoji(deps, guildId, plan.value.types, current.types);
  if (foreign) return { answer: failAnswer(job, msg('config.foreign-emoji', { emoji: foreign })) };
  const threads = await newThreadChannelProblem(deps, guildId, plan.value.types, current.types);
  if (threads) return { answer: failAnswer(job, threads) };
  await deps.repo.guilds.replaceTypes(guildId, plan.value.types, deps.now());
  return { answer: okAnswer(job, plan.value.answer), changed: { detail: plan.value.detail } };
}
