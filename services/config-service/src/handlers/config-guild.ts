import { ApplicationFlags } from 'discord-api-types/v10';
import {
  buildEmbed,
  isMessageKey,
  isSupportedLocale,
  languageNames,
  msg,
  resolveLocale,
  supportedLocales,
  t,
  type Message,
  type SupportedLocale,
} from '@promton/shared/domain';
import { ConfigLimits, type GuildConfig } from '@promton/shared/contracts';
import { clipList, describeBlocklist } from '../domain/blocklist-commands.js';
import { ChannelKind, formatColor, validateLogChannel } from '../domain/config-rules.js';
import { parseImport, toExport, type ConfigExport } from '../domain/import-config.js';
import { listTypes } from '../domain/type-commands.js';
import { ratingSummary, serverStats, statsFields } from '../domain/server-stats.js';
import { stringOption } from '../domain/options.js';
import { DownloadTooLargeError } from '../discord.js';
import { answerLocale, failAnswer, okAnswer, type CommandJob, type CommandOutcome } from './command-types.js';
import { ARCHIVE_CATEGORY_NEEDS, CATEGORY_CHANNEL_NEEDS, checkChannel, LOG_CHANNEL_NEEDS, THREAD_CHANNEL_NEEDS } from './channel-check.js';
import { foreignEmoji } from './config-type.js';
import type { HandlerDeps } from './deps.js';
import { safeError } from '../safe-error.js';

/** Import files are small (5 types); anything bigger is not one of ours. */
export const MAX_IMPORT_BYTES = 256 * 1024;

async function logChannel(deps: HandlerDeps, job: CommandJob, subcommand: string): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  if (subcommand === 'clear') {
    await deps.repo.guilds.updateSettings(guildId, { logChannelId: null, logChannelProblem: null }, deps.now());
    await deps.projection.resumeLog(guildId);
    return { answer: okAnswer(job, msg('config.log-off')), changed: { detail: msg('change.log-channel-cleared') } };
  }
  const channelId = stringOption(job.command.options, 'channel') ?? '';
  const resolved = validateLogChannel(job.command.resolved.channels?.[channelId]);
  if (!resolved.ok) return { answer: failAnswer(job, resolved.error) };
  const problem = await checkChannel(deps, guildId, channelId, ChannelKind.text, msg('check.the-channel', { channel: `<#${channelId}>` }), LOG_CHANNEL_NEEDS);
  if (problem) return { answer: failAnswer(job, problem) };
  await deps.repo.guilds.updateSettings(guildId, { logChannelId: channelId, logChannelProblem: null }, deps.now());
  await deps.projection.resumeLog(guildId);
  return {
    answer: okAnswer(job, msg('config.log-set', { channel: `<#${channelId}>` })),
    changed: { detail: msg('change.log-channel-set', { channel: `<#${channelId}>` }) },
  };
}

/** The server language as /config show states it: the admin's choice, or Discord's guild_locale. */
function languageLine(locale: SupportedLocale, config: GuildConfig, guildLocale: string | undefined): string {
  if (config.language && isSupportedLocale(config.language)) return t(locale, 'show.language-set', { language: languageNames[config.language] });
  return t(locale, 'show.language-discord', { language: languageNames[resolveLocale(guildLocale)] });
}

function showEmbed(locale: SupportedLocale, config: GuildConfig, guildLocale: string | undefined, ratings: ReadonlyMap<string, readonly number[]>) {
  const e = config.embed;
  const look = [
    e.titlePrefix ? t(locale, 'show.embed-title-prefix', { value: e.titlePrefix }) : null,
    e.authorName ? t(locale, 'show.embed-author', { value: e.authorName }) : null,
    e.authorIconUrl ? t(locale, 'show.embed-author-icon', { value: e.authorIconUrl }) : null,
    e.bannerUrl ? t(locale, 'show.embed-banner', { value: e.bannerUrl }) : null,
    e.color !== null ? t(locale, 'show.embed-color', { value: formatColor(e.color) }) : null,
    e.footerText ? t(locale, 'show.embed-footer', { value: e.footerText }) : null,
  ].filter((line): line is string => line !== null);
  // log-worker stores a catalog key; a problem recorded before the catalog is shown as it was written.
  const problem =
    config.logChannelProblem && (isMessageKey(config.logChannelProblem) ? t(locale, config.logChannelProblem as never) : config.logChannelProblem);
  // A problem without a channel says why there is none (the log channel was deleted).
  const log = `${config.logChannelId ? `<#${config.logChannelId}>` : t(locale, 'show.log-none')}${problem ? `\n⚠️ ${problem}` : ''}`;
  return buildEmbed(config.embed, {
    title: t(locale, 'show.title'),
    fields: [
      { name: t(locale, 'show.log-channel'), value: log },
      { name: t(locale, 'show.transcripts'), value: t(locale, config.transcripts ? 'show.on' : 'show.off'), inline: true },
      { name: t(locale, 'show.feedback'), value: t(locale, config.feedback ? 'show.feedback-on' : 'show.off'), inline: true },
      { name: t(locale, 'show.transcript-dm'), value: t(locale, config.transcriptDm ? 'show.on' : 'show.off'), inline: true },
      { name: t(locale, 'show.language'), value: languageLine(locale, config, guildLocale), inline: true },
      { name: t(locale, 'show.ratings'), value: showRatings(locale, config, ratings) },
      { name: t(locale, 'show.embed'), value: look.length ? look.join('\n') : t(locale, 'show.embed-default') },
      {
        name: t(locale, 'show.types', { count: config.types.length, max: 5 }),
        value: config.types.length ? listTypes(locale, config.types) : t(locale, 'show.types-none'),
      },
      {
        name: t(locale, 'show.tags', { count: config.tags.length, max: ConfigLimits.maxTags }),
        value: config.tags.length
          ? clipList(
              locale,
              config.tags.map((tag) => `\`${tag.name}\``),
            )
          : t(locale, 'show.tags-none'),
      },
      {
        name: t(locale, 'show.blocklist', { count: config.blocklist.userIds.length + config.blocklist.roleIds.length }),
        value: describeBlocklist(locale, config.blocklist),
      },
    ],
  });
}

/** The stored rating counts per type (kept when feedback is turned off; counts only, nobody named). */
function showRatings(locale: SupportedLocale, config: GuildConfig, ratings: ReadonlyMap<string, readonly number[]>): string {
  const label = (name: string) => config.types.find((type) => type.name === name)?.label ?? t(locale, 'show.removed-type', { type: name });
  const lines = [...ratings].flatMap(([name, counts]) => {
    const summary = ratingSummary(locale, counts);
    return summary ? [`${label(name)}: ${summary}`] : [];
  });
  return lines.length ? lines.join('\n') : t(locale, 'show.ratings-none');
}

/** `/config stats`: this server's own figures, from its ticket records; the answer is ephemeral like every /config answer. */
async function stats(deps: HandlerDeps, job: CommandJob): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  const locale = answerLocale(job);
  const now = deps.now();
  const [config, tickets, ratings] = await Promise.all([
    deps.repo.guilds.loadConfig(guildId),
    deps.repo.stats.ticketsSince(guildId, new Date(now.getTime() - 30 * 86_400_000)),
    deps.repo.stats.ratings(guildId),
  ]);
  const figures = serverStats(
    tickets,
    config.types.map((t) => t.name),
    now,
  );
  const labels = new Map(config.types.map((t) => [t.name, t.label]));
  return {
    answer: okAnswer(job, msg('server-stats.intro'), {
      embeds: [
        buildEmbed(config.embed, {
          title: t(locale, 'server-stats.title'),
          description: t(locale, 'server-stats.description'),
          fields: statsFields(locale, figures, labels, ratings),
        }),
      ],
    }),
  };
}

/** `/config language set|reset`: the language of what whole channels see. */
async function language(deps: HandlerDeps, job: CommandJob, subcommand: string): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  if (subcommand === 'reset') {
    await deps.repo.guilds.updateSettings(guildId, { language: null }, deps.now());
    const discord = languageNames[resolveLocale(job.ctx.guildLocale)];
    return { answer: okAnswer(job, msg('config.language-reset', { language: discord })), changed: { detail: msg('change.language-reset') } };
  }
  if (subcommand !== 'set') return { answer: failAnswer(job, msg('common.unknown-command', { command: `/config language ${subcommand}` })) };
  const chosen = stringOption(job.command.options, 'locale');
  if (!isSupportedLocale(chosen)) {
    const languages = supportedLocales.map((locale) => `${languageNames[locale]} (${locale})`).join(', ');
    return { answer: failAnswer(job, msg('config.language-unknown', { languages })) };
  }
  await deps.repo.guilds.updateSettings(guildId, { language: chosen }, deps.now());
  const name = `${languageNames[chosen]} (${chosen})`;
  return { answer: okAnswer(job, msg('config.language-set', { language: name })), changed: { detail: msg('change.language-set', { language: name }) } };
}

async function importConfig(deps: HandlerDeps, job: CommandJob): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  const attachmentId = stringOption(job.command.options, 'file') ?? '';
  const attachment = job.command.resolved.attachments?.[attachmentId];
  if (!attachment) return { answer: failAnswer(job, msg('import.no-file')) };
  if (attachment.size > MAX_IMPORT_BYTES) return { answer: failAnswer(job, msg('import.too-big', { max: MAX_IMPORT_BYTES / 1024 })) };
  let text: string;
  try {
    text = await deps.discord.download(attachment.url, MAX_IMPORT_BYTES);
  } catch (error) {
    if (error instanceof DownloadTooLargeError) return { answer: failAnswer(job, msg('import.too-big', { max: MAX_IMPORT_BYTES / 1024 })) };
    deps.logger.warn({ err: safeError(error), guildId }, 'import download failed');
    return { answer: failAnswer(job, msg('import.download')) };
  }
  const parsed = parseImport(guildId, text);
  if (!parsed.ok) return { answer: failAnswer(job, parsed.error) };
  const problem = await checkReferences(deps, guildId, parsed.value);
  if (problem) return { answer: failAnswer(job, problem) };
  await deps.repo.guilds.importConfig(guildId, parsed.value, deps.now());
  await deps.projection.resumeLog(guildId);
  const { types, tags, blocklist } = parsed.value;
  const counts = { count: types.length, tags: tags.length, blocked: blocklist.userIds.length + blocklist.roleIds.length };
  return { answer: okAnswer(job, msg('config.imported', counts)), changed: { detail: msg('change.imported', counts) } };
}

/** The ids in an import must exist in this guild: channels by GET, roles from the guild's role list. */
async function checkReferences(deps: HandlerDeps, guildId: string, data: ConfigExport): Promise<Message | null> {
  if (data.logChannelId) {
    const problem = await checkChannel(
      deps,
      guildId,
      data.logChannelId,
      ChannelKind.text,
      msg('check.the-log-channel', { channel: `<#${data.logChannelId}>` }),
      LOG_CHANNEL_NEEDS,
    );
    if (problem) return problem;
  }
  for (const type of data.types) {
    if (type.categoryId) {
      const field = msg('check.the-category', { channel: `<#${type.categoryId}>`, type: type.name });
      const problem = await checkChannel(deps, guildId, type.categoryId, ChannelKind.category, field, CATEGORY_CHANNEL_NEEDS);
      if (problem) return problem;
    }
    if (type.threadChannelId) {
      const field = msg('check.the-thread-channel', { channel: `<#${type.threadChannelId}>`, type: type.name });
      const problem = await checkChannel(deps, guildId, type.threadChannelId, ChannelKind.text, field, THREAD_CHANNEL_NEEDS);
      if (problem) return problem;
    }
    if (type.closeMode === 'archive' && type.archiveCategoryId) {
      const field = msg('check.the-category', { channel: `<#${type.archiveCategoryId}>`, type: type.name });
      const problem = await checkChannel(deps, guildId, type.archiveCategoryId, ChannelKind.category, field, ARCHIVE_CATEGORY_NEEDS);
      if (problem) return problem;
    }
  }
  const foreign = await foreignEmoji(deps, guildId, data.types, []);
  if (foreign) return msg('check.foreign-emoji', { emoji: foreign });
  const roleIds = [...data.types.flatMap((t) => t.staffRoleIds), ...data.blocklist.roleIds];
  if (roleIds.length === 0) return null;
  let roles;
  try {
    roles = new Map((await deps.discord.getRoles(guildId)).map((r) => [r.id, r]));
  } catch (error) {
    deps.logger.warn({ err: safeError(error), guildId }, 'role lookup failed');
    return msg('check.discord-roles');
  }
  for (const type of data.types) {
    for (const roleId of type.staffRoleIds) {
      const role = roles.get(roleId);
      if (!role) return msg('check.role-missing', { role: roleId, type: type.name });
      if (role.managed) return msg('check.role-managed', { role: `<@&${roleId}>`, type: type.name });
    }
  }
  const missing = data.blocklist.roleIds.find((roleId) => !roles.has(roleId));
  if (missing) return msg('check.blocked-role-missing', { role: missing });
  return null;
}

/** Application flags granting the Message Content intent: approved, or limited (under 100 servers). */
const MESSAGE_CONTENT_FLAGS = ApplicationFlags.GatewayMessageContent | ApplicationFlags.GatewayMessageContentLimited;

/** Without Message Content, Discord sends other members' messages with empty text: a transcript would be blank. */
async function messageContentProblem(deps: HandlerDeps, guildId: string): Promise<Message | null> {
  let flags: number;
  try {
    flags = await deps.discord.applicationFlags();
  } catch (error) {
    deps.logger.warn({ err: safeError(error), guildId }, 'application lookup failed');
    return msg('check.discord-application');
  }
  return (flags & MESSAGE_CONTENT_FLAGS) === 0 ? msg('check.message-content') : null;
}

/** `/config log-channel|transcripts|feedback|language|show|stats|export|import` */
export async function configGuild(deps: HandlerDeps, job: CommandJob, group: string, subcommand: string): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  switch (group) {
    case 'log-channel':
      return logChannel(deps, job, subcommand);
    case 'transcripts': {
      const on = subcommand === 'on';
      if (on) {
        const problem = await messageContentProblem(deps, guildId);
        if (problem) return { answer: failAnswer(job, problem) };
      }
      await deps.repo.guilds.updateSettings(guildId, { transcripts: on }, deps.now());
      return {
        answer: okAnswer(job, msg(on ? 'config.transcripts-on' : 'config.transcripts-off')),
        changed: { detail: msg(on ? 'change.transcripts-on' : 'change.transcripts-off') },
      };
    }
    case 'feedback': {
      const on = subcommand === 'on';
      await deps.repo.guilds.updateSettings(guildId, { feedback: on }, deps.now());
      return {
        answer: okAnswer(job, msg(on ? 'config.feedback-on' : 'config.feedback-off')),
        changed: { detail: msg(on ? 'change.feedback-on' : 'change.feedback-off') },
      };
    }
    case 'transcript-dm': {
      const on = subcommand === 'on';
      if (on) {
        // The copy is the same transcript: without Message Content, Discord withholds members' text.
        const problem = await messageContentProblem(deps, guildId);
        if (problem) return { answer: failAnswer(job, problem) };
      }
      await deps.repo.guilds.updateSettings(guildId, { transcriptDm: on }, deps.now());
      return {
        answer: okAnswer(job, msg(on ? 'config.transcript-dm-on' : 'config.transcript-dm-off')),
        changed: { detail: msg(on ? 'change.transcript-dm-on' : 'change.transcript-dm-off') },
      };
    }
    case 'language':
      return language(deps, job, subcommand);
    case 'stats':
      return stats(deps, job);
    case 'show': {
      const [config, ratings] = await Promise.all([deps.repo.guilds.loadConfig(guildId), deps.repo.stats.ratings(guildId)]);
      return { answer: okAnswer(job, msg('config.show'), { embeds: [showEmbed(answerLocale(job), config, job.ctx.guildLocale, ratings)] }) };
    }
    case 'export': {
      const config = await deps.repo.guilds.loadConfig(guildId);
      const data = Buffer.from(`${JSON.stringify(toExport(config), null, 2)}\n`);
      return {
        answer: okAnswer(job, msg('config.exported'), { files: [{ name: `promton-config-${guildId}.json`, data }] }),
      };
    }
    case 'import':
      return importConfig(deps, job);
    default:
      return { answer: failAnswer(job, msg('common.unknown-command', { command: `/config ${group}` })) };
  }
}
