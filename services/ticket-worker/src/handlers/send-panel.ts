import { ChannelType } from 'discord-api-types/v10';
import { channelMention, fail, ok } from '@promton/shared/domain';
import { type TicketJob } from '@promton/shared/contracts';
import type { JobRun, TicketDeps } from '../deps.js';
import { panelMessage, typeWithRefusedEmoji, type PanelStyle } from '../domain/panel-message.js';
import type { DiscordAPIError } from '@discordjs/rest';
import { answer, discordCode, DiscordCodes, explainDiscordError } from './common.js';

export async function sendPanel(deps: TicketDeps, job: TicketJob<'panel.send'>, run: JobRun): Promise<void> {
  const { ctx, command } = job;
  const channelId = String(command.options.channel ?? '');
  const channel = command.resolved.channels?.[channelId];
  if (!channel || channel.type !== ChannelType.GuildText) {
    await answer(deps, ctx, fail('channel must be a text channel of this server.'));
    return;
  }
  const guild = await deps.readConfig(ctx.guildId);
  if (!guild || guild.types.length === 0) {
    await answer(deps, ctx, fail('There are no ticket types yet; add one with /config type add first.'));
    return;
  }
  const style: PanelStyle = command.options.style === 'select' ? 'select' : 'buttons';
  const title = typeof command.options.title === 'string' ? command.options.title : undefined;
  const text = typeof command.options.text === 'string' ? command.options.text : undefined;
  try {
    // A retry after the post must not post a second panel.
    if (!run.steps.panel) {
      const message = await deps.api.channels.createMessage(channelId, panelMessage({ types: guild.types, style, title, text, embed: guild.embed }));
      await run.record('panel', message.id);
    }
  } catch (error) {
    if (discordCode(error) === undefined) throw error;
    const refused =
      discordCode(error) === DiscordCodes.invalidFormBody
        ? typeWithRefusedEmoji(guild.types, ((error as DiscordAPIError).rawError as { errors?: unknown }).errors)
        : undefined;
    if (refused) {
      await answer(
        deps,
        ctx,
        fail(`Discord refused the emoji of the type \`${refused.name}\`; set another with /config type edit name:${refused.name} emoji:…`),
      );
      return;
    }
    await answer(deps, ctx, explainDiscordError(error, `post the panel in ${channelMention(channelId)}`));
    return;
  }
  await answer(deps, ctx, ok(`Panel posted in ${channelMention(channelId)} with ${guild.types.length} ticket type${guild.types.length === 1 ? '' : 's'}.`));
}
