import { RESTJSONErrorCodes, ChannelType } from 'discord-api-types/v10';
import { discordCode, channelMention, msg } from '@promton/shared/domain';
import { type TicketJob } from '@promton/shared/contracts';
import type { JobRun, TicketDeps } from '../deps.js';
import { panelMessage, typeWithRefusedEmoji, type PanelStyle } from '../domain/panel-message.js';
import type { DiscordAPIError } from '@discordjs/rest';
import { channelLocale, explainDiscordError, refuse, succeed } from './common.js';

export async function sendPanel(deps: TicketDeps, job: TicketJob<'panel.send'>, run: JobRun): Promise<void> {
  const { ctx, command } = job;
  const channelId = String(command.options.channel ?? '');
  const channel = command.resolved.channels?.[channelId];
  if (!channel || channel.type !== ChannelType.GuildText) {
    await refuse(deps, ctx, msg('invalid.channel-missing'));
    return;
  }
  const guild = await deps.readConfig(ctx.guildId);
  if (!guild || guild.types.length === 0) {
    await refuse(deps, ctx, msg('panel.no-types'));
    return;
  }
  const style: PanelStyle = command.options.style === 'select' ? 'select' : 'buttons';
  const title = typeof command.options.title === 'string' ? command.options.title : undefined;
  const text = typeof command.options.text === 'string' ? command.options.text : undefined;
  try {
    // A retry after the post must not post a second panel.
    if (!run.steps.panel) {
      const message = await deps.api.channels.createMessage(
        channelId,
        panelMessage({ types: guild.types, style, title, text, embed: guild.embed, locale: channelLocale(guild, ctx.guildLocale) }),
      );
      await run.record('panel', message.id);
    }
  } catch (error) {
    if (discordCode(error) === undefined) throw error;
    const refused =
      discordCode(error) === RESTJSONErrorCodes.InvalidFormBodyOrContentType
        ? typeWithRefusedEmoji(guild.types, ((error as DiscordAPIError).rawError as { errors?: unknown }).errors)
        : undefined;
    if (refused) {
      await refuse(deps, ctx, msg('panel.emoji-refused', { type: refused.name }));
      return;
    }
    await refuse(deps, ctx, explainDiscordError(error, msg('failure.post-panel', { channel: channelMention(channelId) })));
    return;
  }
  await succeed(deps, ctx, msg('panel.posted', { channel: channelMention(channelId), count: guild.types.length }));
}
