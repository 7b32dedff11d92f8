import { PermissionFlagsBits, buildEmbed, fail, has, ok } from '@promton/shared/domain';
import { ConfigLimits, type GuildConfig } from '@promton/shared/contracts';
import { describeBlocklist } from '../domain/blocklist-commands.js';
import { ChannelKind, formatColor, validateLogChannel } from '../domain/config-rules.js';
import { parseImport, toExport, type ConfigExport } from '../domain/import-config.js';
import { listTypes } from '../domain/type-commands.js';
import { ratingSummary, serverStats, statsFields } from '../domain/server-stats.js';
import { stringOption } from '../domain/options.js';
import { DownloadTooLargeError } from '../discord.js';
import type { CommandJob, CommandOutcome } from './command-types.js';
import { foreignEmoji } from './config-type.js';
import type { HandlerDeps } from './deps.js';
import { safeError } from '../safe-error.js';

/** Import files are small (5 types); anything bigger is not one of ours. */
export const MAX_IMPORT_BYTES = 256 * 1024;

/**
 * What the bot needs in the log channel: see it, and manage its webhooks there (log-worker
 * posts log lines, transcripts included, through a webhook of its own, which needs no
 * Send Messages, Embed Links or Attach Files of the bot).
 */
const LOG_CHANNEL_NEEDS: readonly [bigint, string][] = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.ManageWebhooks, 'Manage Webhooks'],
];

/**
 * Whether the channel exists in this server and is of the wanted kind; for the log
 * channel also whether the bot may post there, computed from its roles and the
 * channel's overwrites as Discord does.
 */
async function checkChannel(deps: HandlerDeps, guildId: string, channelId: string, kind: number, field: string): Promise<string | null> {
  let channel;
  try {
    channel = await deps.discord.getChannel(channelId);
  } catch (error) {
    deps.logger.warn({ err: safeError(error), guildId, channelId }, 'channel lookup failed');
    return `Discord could not be asked about the ${field} right now; please try again.`;
  }
  const what = kind === ChannelKind.category ? 'a category channel' : 'a text channel';
  if (!channel || (channel.guildId !== null && channel.guildId !== guildId))
    return `The ${field} <#${channelId}> is not a channel the bot can see in this server.`;
  if (channel.type !== kind) return `The ${field} must be ${what}.`;
  if (kind !== ChannelKind.text) return null;
  let permissions: bigint;
  try {
    permissions = await deps.discord.botPermissionsIn(guildId, channel);
  } catch (error) {
    deps.logger.warn({ err: safeError(error), guildId, channelId }, 'permission lookup failed');
    return `Discord could not be asked about the bot's permissions in <#${channelId}> right now; please try again.`;
  }
  const missing = LOG_CHANNEL_NEEDS.filter(([flag]) => !has(permissions, flag)).map(([, name]) => name);
  return missing.length > 0 ? `The bot cannot post in <#${channelId}>: it lacks ${missing.join(', ')} there.` : null;
}

async function logChannel(deps: HandlerDeps, job: CommandJob, subcommand: string): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  if (subcommand === 'clear') {
    await deps.repo.updateSettings(guildId, { logChannelId: null, logChannelProblem: null }, deps.now());
    return { answer: { content: ok('Logging is off; no log channel is set.') }, changed: { detail: 'log channel cleared' } };
  }
  const channelId = stringOption(job.command.options, 'channel') ?? '';
  const resolved = validateLogChannel(job.command.resolved.channels?.[channelId]);
  if (!resolved.ok) return { answer: { content: fail(resolved.error) } };
  const problem = await checkChannel(deps, guildId, channelId, ChannelKind.text, 'channel');
  if (problem) return { answer: { content: fail(problem) } };
  await deps.repo.updateSettings(guildId, { logChannelId: channelId, logChannelProblem: null }, deps.now());
  return { answer: { content: ok(`Ticket events will be logged in <#${channelId}>.`) }, changed: { detail: `log channel set to <#${channelId}>` } };
}

/** Items joined by spaces within a field's 1,024 characters, with a count of those left out. */
function clipList(items: readonly string[], max = 1024): string {
  let text = '';
  for (const [i, item] of items.entries()) {
    const more = ` and ${items.length - i} more`;
    const next = text ? `${text} ${item}` : item;
    if (next.length + (i < items.length - 1 ? more.length : 0) > max) return `${text}${more}`;
    text = next;
  }
  return text;
}

function showEmbed(config: GuildConfig, ratings: ReadonlyMap<string, readonly number[]>) {
  const e = config.embed;
  const look = [
    e.titlePrefix ? `title prefix: ${e.titlePrefix}` : null,
    e.authorName ? `author: ${e.authorName}` : null,
    e.authorIconUrl ? `author icon: ${e.authorIconUrl}` : null,
    e.bannerUrl ? `banner: ${e.bannerUrl}` : null,
    e.color !== null ? `color: ${formatColor(e.color)}` : null,
    e.footerText ? `footer: ${e.footerText}` : null,
  ].filter((line): line is string => line !== null);
  const log = config.logChannelId
    ? `<#${config.logChannelId}>${config.logChannelProblem ? `\n⚠️ ${config.logChannelProblem}` : ''}`
    : 'not set (nothing is logged)';
  return buildEmbed(config.embed, {
    title: 'Configuration',
    fields: [
      { name: 'Log channel', value: log },
      { name: 'Transcripts', value: config.transcripts ? 'on' : 'off', inline: true },
      { name: 'Feedback', value: config.feedback ? 'on (a 1-5 rating is offered by DM when a ticket closes)' : 'off', inline: true },
      { name: 'Ratings', value: showRatings(config, ratings) },
      { name: 'Embed', value: look.length ? look.join('\n') : 'default look' },
      { name: `Ticket types (${config.types.length} of 5)`, value: config.types.length ? listTypes(config.types) : 'none yet: /config type add' },
      {
        name: `Tags (${config.tags.length} of ${ConfigLimits.maxTags})`,
        value: config.tags.length ? clipList(config.tags.map((tag) => `\`${tag.name}\``)) : 'none yet: /config tag add',
      },
      { name: `Blocklist (${config.blocklist.userIds.length + config.blocklist.roleIds.length})`, value: describeBlocklist(config.blocklist) },
    ],
  });
}

/** The stored rating counts per type (kept when feedback is turned off; counts only, nobody named). */
function showRatings(config: GuildConfig, ratings: ReadonlyMap<string, readonly number[]>): string {
  const label = (name: string) => config.types.find((t) => t.name === name)?.label ?? `${name} (removed type)`;
  const lines = [...ratings].flatMap(([name, counts]) => {
    const summary = ratingSummary(counts);
    return summary ? [`${label(name)}: ${summary}`] : [];
  });
  return lines.length ? lines.join('\n') : 'none yet';
}

/** `/config stats`: this server's own figures, from its ticket records; the answer is ephemeral like every /config answer. */
async function stats(deps: HandlerDeps, guildId: string): Promise<CommandOutcome> {
  const now = deps.now();
  const [config, tickets, ratings] = await Promise.all([
    deps.repo.loadConfig(guildId),
    deps.repo.ticketsSince(guildId, new Date(now.getTime() - 30 * 86_400_000)),
    deps.repo.ratings(guildId),
  ]);
  const figures = serverStats(
    tickets,
    config.types.map((t) => t.name),
    now,
  );
  const labels = new Map(config.types.map((t) => [t.name, t.label]));
  return {
    answer: {
      content: ok('Here are the ticket statistics of this server (last 7 and 30 days).'),
      embeds: [
        buildEmbed(config.embed, {
          title: 'Ticket statistics',
          description:
            'First reply: from opening to the first message by someone other than the member and the bot, measured when the ticket closes. Percentiles are of tickets closed in the last 30 days.',
          fields: statsFields(figures, labels, ratings),
        }),
      ],
    },
  };
}

async function importConfig(deps: HandlerDeps, job: CommandJob): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  const attachmentId = stringOption(job.command.options, 'file') ?? '';
  const attachment = job.command.resolved.attachments?.[attachmentId];
  if (!attachment) return { answer: { content: fail('Attach the JSON file made by /config export as the file option.') } };
  if (attachment.size > MAX_IMPORT_BYTES)
    return { answer: { content: fail(`The file must be at most ${MAX_IMPORT_BYTES / 1024} KB; use a file made by /config export.`) } };
  let text: string;
  try {
    text = await deps.discord.download(attachment.url, MAX_IMPORT_BYTES);
  } catch (error) {
    if (error instanceof DownloadTooLargeError) return { answer: { content: fail(`The file must be at most ${MAX_IMPORT_BYTES / 1024} KB.`) } };
    deps.logger.warn({ err: safeError(error), guildId }, 'import download failed');
    return { answer: { content: fail('The file could not be downloaded from Discord; please try again.') } };
  }
  const parsed = parseImport(guildId, text);
  if (!parsed.ok) return { answer: { content: fail(parsed.error) } };
  const problem = await checkReferences(deps, guildId, parsed.value);
  if (problem) return { answer: { content: fail(problem) } };
  await deps.repo.importConfig(guildId, parsed.value, deps.now());
  return {
    answer: {
      content: ok(
        `The configuration was imported (${parsed.value.types.length} ticket types, ${parsed.value.tags.length} tags, ${parsed.value.blocklist.userIds.length + parsed.value.blocklist.roleIds.length} blocked).`,
      ),
    },
    changed: { detail: `configuration imported (${parsed.value.types.length} types, ${parsed.value.tags.length} tags)` },
  };
}

/** The ids in an import must exist in this guild: channels by GET, roles from the guild's role list. */
async function checkReferences(deps: HandlerDeps, guildId: string, data: ConfigExport): Promise<string | null> {
  if (data.logChannelId) {
    const problem = await checkChannel(deps, guildId, data.logChannelId, ChannelKind.text, 'log channel');
    if (problem) return problem;
  }
  for (const type of data.types) {
    if (type.categoryId) {
      const problem = await checkChannel(deps, guildId, type.categoryId, ChannelKind.category, `category of ${type.name}`);
      if (problem) return problem;
    }
  }
  const foreign = await foreignEmoji(deps, guildId, data.types, []);
  if (foreign) return `The emoji ${foreign} is not a custom emoji of this server.`;
  const roleIds = [...data.types.flatMap((t) => t.staffRoleIds), ...data.blocklist.roleIds];
  if (roleIds.length === 0) return null;
  let roles;
  try {
    roles = new Map((await deps.discord.getRoles(guildId)).map((r) => [r.id, r]));
  } catch (error) {
    deps.logger.warn({ err: safeError(error), guildId }, 'role lookup failed');
    return 'Discord could not be asked about the staff roles right now; please try again.';
  }
  for (const type of data.types) {
    for (const roleId of type.staffRoleIds) {
      const role = roles.get(roleId);
      if (!role) return `The staff role ${roleId} of ${type.name} does not exist in this server.`;
      if (role.managed) return `The staff role <@&${roleId}> of ${type.name} is managed by an integration or bot and cannot be a staff role.`;
    }
  }
  const missing = data.blocklist.roleIds.find((roleId) => !roles.has(roleId));
  if (missing) return `The blocked role ${missing} does not exist in this server.`;
  return null;
}

/** Application flags granting the Message Content intent: approved (1 << 18) or limited, under 100 servers (1 << 19). */
const MESSAGE_CONTENT_FLAGS = (1 << 18) | (1 << 19);

export const MESSAGE_CONTENT_NEEDED =
  'Transcripts need the Message Content intent: enable it for the bot in the Discord developer portal (Bot → Privileged Gateway Intents); above 100 servers Discord must approve it.';

/** Without Message Content, Discord sends other members' messages with empty text: a transcript would be blank. */
async function messageContentProblem(deps: HandlerDeps, guildId: string): Promise<string | null> {
  let flags: number;
  try {
    flags = await deps.discord.applicationFlags();
  } catch (error) {
    deps.logger.warn({ err: safeError(error), guildId }, 'application lookup failed');
    return 'Discord could not be asked whether the bot has the Message Content intent right now; please try again.';
  }
  return (flags & MESSAGE_CONTENT_FLAGS) === 0 ? MESSAGE_CONTENT_NEEDED : null;
}

/** `/config log-channel|transcripts|feedback|show|stats|export|import` */
export async function configGuild(deps: HandlerDeps, job: CommandJob, group: string, subcommand: string): Promise<CommandOutcome> {
  const { guildId } = job.ctx;
  switch (group) {
    case 'log-channel':
      return logChannel(deps, job, subcommand);
    case 'transcripts': {
      const on = subcommand === 'on';
      if (on) {
        const problem = await messageContentProblem(deps, guildId);
        if (problem) return { answer: { content: fail(problem) } };
      }
      await deps.repo.updateSettings(guildId, { transcripts: on }, deps.now());
      return {
        answer: { content: ok(on ? 'A transcript will be posted in the log channel when a ticket closes.' : 'No transcripts will be posted.') },
        changed: { detail: `transcripts ${on ? 'on' : 'off'}` },
      };
    }
    case 'feedback': {
      const on = subcommand === 'on';
      await deps.repo.updateSettings(guildId, { feedback: on }, deps.now());
      return {
        answer: {
          content: ok(
            on
              ? 'When a ticket closes, its member will be offered a 1-5 rating and a comment by DM; only counts are kept, comments go to the log channel.'
              : 'No rating will be offered when a ticket closes; the counts so far are kept.',
          ),
        },
        changed: { detail: `feedback ${on ? 'on' : 'off'}` },
      };
    }
    case 'stats':
      return stats(deps, guildId);
    case 'show': {
      const [config, ratings] = await Promise.all([deps.repo.loadConfig(guildId), deps.repo.ratings(guildId)]);
      return { answer: { content: ok('Here is the configuration of this server.'), embeds: [showEmbed(config, ratings)] } };
    }
    case 'export': {
      const config = await deps.repo.loadConfig(guildId);
      const data = Buffer.from(`${JSON.stringify(toExport(config), null, 2)}\n`);
      return {
        answer: {
          content: ok('The configuration is attached as JSON; load it with /config import.'),
          files: [{ name: `promton-config-${guildId}.json`, data }],
        },
      };
    }
    case 'import':
      return importConfig(deps, job);
    default:
      return { answer: { content: fail(`Unknown command /config ${group}.`) } };
  }
}
