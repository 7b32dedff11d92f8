import { command as commandRef, fail, has, msg, PermissionFlagsBits, render, serverLocale, t } from '@promton/shared/domain';
import { INTERACTION_TOKEN_TTL_MS } from '@promton/shared/contracts';
import { UnrecoverableError } from 'bullmq';
import { answerLocale, failAnswer, type CommandJob, type CommandOutcome } from './command-types.js';
import { configBlocklist } from './config-blocklist.js';
import { configEmbed } from './config-embed.js';
import { configGuild } from './config-guild.js';
import { configTag } from './config-tag.js';
import { configType } from './config-type.js';
import type { HandlerDeps } from './deps.js';
import { privacy } from './privacy.js';
import { stats } from './stats.js';
import { ticketList } from './ticket-list.js';
import { safeError } from '../safe-error.js';

async function route(deps: HandlerDeps, job: CommandJob): Promise<CommandOutcome> {
  const [command, first = '', second = ''] = job.command.path;
  switch (command) {
    case 'config':
      // The command's default_member_permissions can be overridden by a server: check again.
      if (!has(job.ctx.member.permissions, PermissionFlagsBits.ManageGuild)) {
        return { answer: failAnswer(job, msg('common.needs-manage-server', { command: commandRef('config') })) };
      }
      if (first === 'type') return configType(deps, job, second);
      if (first === 'embed') return configEmbed(deps, job, second);
      if (first === 'tag') return configTag(deps, job, second);
      if (first === 'blocklist') return configBlocklist(deps, job, second);
      return configGuild(deps, job, first, second);
    case 'privacy':
      return privacy(deps, job, first);
    case 'ticket':
      // Only /ticket list reads the database; the other /ticket commands go to ticket-worker.
      return ticketList(deps, job);
    case 'stats':
      return stats(deps, job);
    default:
      return { answer: failAnswer(job, msg('common.unknown-command', { command: `/${command}` })) };
  }
}

/**
 * `config.command`: run the command, store and publish what changed, then edit the
 * gateway's deferred response. Nothing is stored when the answer is a refusal.
 */
export async function configCommand(deps: HandlerDeps, job: CommandJob): Promise<{ answered: boolean }> {
  const { ctx } = job;
  const logger = deps.logger.child({ guildId: ctx.guildId, command: job.command.path.join(' ') });
  if (deps.now().getTime() - Date.parse(ctx.receivedAt) > INTERACTION_TOKEN_TTL_MS) {
    // Nobody could see the result: do not change anything on their behalf.
    logger.warn('interaction token expired before the command ran; skipped');
    return { answered: false };
  }
  let outcome: CommandOutcome;
  try {
    if (job.command.path[0] === 'config') {
      // load → change → write → publish under the guild's lock: two edits of one guild
      // never read the same old configuration. The projection is published after every
      // /config command, changed or not, so a retry of a job that crashed between the
      // database commit and the publish (and now answers "already exists") repairs it.
      outcome = await deps.guildLock.run(ctx.guildId, async () => {
        const result = await route(deps, job);
        await deps.projection.publish(ctx.guildId);
        return result;
      });
    } else {
      outcome = await route(deps, job);
    }
    const events = [
      ...(outcome.changed ? [{ guildId: ctx.guildId, kind: 'config.changed' as const, actorId: ctx.member.userId, detail: outcome.changed.detail }] : []),
      ...(outcome.events ?? []),
    ];
    // Type added, removed or imported: the owner's type count may have moved.
    if (outcome.changed) deps.analytics.changed();
    if (events.length > 0) {
      // The log channel reads the server's language, as it is after this command.
      const { language } = await deps.repo.guilds.loadConfig(ctx.guildId);
      const locale = serverLocale(language, ctx.guildLocale);
      for (const { detail, ...event } of events) {
        await deps.log({ ...event, ...(detail ? { detail: render(locale, detail) } : {}), ...(ctx.guildLocale ? { locale: ctx.guildLocale } : {}) });
      }
    }
  } catch (error) {
    logger.error({ err: safeError(error) }, 'command failed');
    outcome = { answer: { content: fail(t(answerLocale(job), 'common.command-may-have-failed')) } };
  }
  try {
    await deps.discord.editOriginal(ctx.applicationId, ctx.token, outcome.answer);
  } catch (error) {
    // @discordjs/rest already retried 429/5xx/timeouts. Re-running the job would apply the
    // command twice (and answer "already exists"), so this stops here, loudly.
    logger.error({ err: safeError(error) }, 'could not answer the interaction');
    throw new UnrecoverableError(`could not answer the interaction: ${safeError(error).message}`);
  }
  return { answered: true };
}
