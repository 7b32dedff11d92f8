import { createHash } from 'node:crypto';
import {
  SlashCommandBuilder,
  SlashCommandChannelOption,
  SlashCommandStringOption,
  SlashCommandSubcommandBuilder,
  SlashCommandSubcommandGroupBuilder,
} from '@discordjs/builders';
import { ChannelType, PermissionFlagsBits, type LocalizationMap, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { DEFAULT_LOCALE, languageNames, localizations, supportedLocales, t, type MessageKey } from './domain/i18n/index.js';

/**
 * The command tree: the product's public interface. The gateway registers exactly
 * this, the web service renders its reference from it, and the README documents it.
 */
const manageGuild = PermissionFlagsBits.ManageGuild;

/** A command, subcommand or option name: its English form, translated under `name.<token>` in the catalog. */
export type CommandNameToken = Extract<MessageKey, `name.${string}`> extends `name.${infer Token}` ? Token : never;
type DescriptionKey = Extract<MessageKey, `cmd.${string}` | `opt.${string}`>;

interface Localizable {
  setName(name: string): this;
  setNameLocalizations(names: LocalizationMap | null): this;
  setDescription(description: string): this;
  setDescriptionLocalizations(descriptions: LocalizationMap | null): this;
}

/** Name and description in English, with every other language's as Discord's `*_localizations` (from the catalog). */
function loc<B extends Localizable>(builder: B, name: CommandNameToken, description: DescriptionKey): B {
  return builder
    .setName(name)
    .setNameLocalizations(localizations(`name.${name}`))
    .setDescription(t(DEFAULT_LOCALE, description))
    .setDescriptionLocalizations(localizations(description));
}

/** A choice whose name is shown in the member's language. */
function choice(value: string, key: Extract<MessageKey, `choice.${string}`>): { name: string; name_localizations: LocalizationMap; value: string } {
  return { name: t(DEFAULT_LOCALE, key), name_localizations: localizations(key), value };
}

/** A type's key; every subcommand but add suggests the existing ones (autocomplete). */
const typeName = (sub: SlashCommandSubcommandBuilder) =>
  sub.addStringOption((o) =>
    loc(o, 'name', 'opt.type-name')
      .setRequired(true)
      .setMaxLength(32)
      .setAutocomplete(sub.name !== 'add'),
  );

const tagName = (sub: SlashCommandSubcommandBuilder, autocomplete: boolean) =>
  sub.addStringOption((o) => loc(o, 'name', 'opt.tag-name').setRequired(true).setMaxLength(32).setAutocomplete(autocomplete));

/** Thread tickets: the text channel whose private threads a type's tickets become, and the switch between channels and threads. */
const threadChannel = (o: SlashCommandChannelOption) => loc(o, 'thread-channel', 'opt.thread-channel').addChannelTypes(ChannelType.GuildText);
const ticketsAs = (o: SlashCommandStringOption) =>
  loc(o, 'tickets', 'opt.tickets').addChoices(choice('channels', 'choice.channels'), choice('threads', 'choice.threads'));

function typeGroup(group: SlashCommandSubcommandGroupBuilder): SlashCommandSubcommandGroupBuilder {
  return loc(group, 'type', 'cmd.config.type')
    .addSubcommand((sub) =>
      typeName(loc(sub, 'add', 'cmd.config.type.add'))
        .addStringOption((o) => loc(o, 'label', 'opt.label').setRequired(true).setMaxLength(80))
        .addStringOption((o) => loc(o, 'description', 'opt.description').setMaxLength(100))
        .addStringOption((o) => loc(o, 'emoji', 'opt.emoji'))
        .addChannelOption((o) => loc(o, 'category', 'opt.category').addChannelTypes(ChannelType.GuildCategory))
        .addRoleOption((o) => loc(o, 'staff-role', 'opt.staff-role'))
        .addStringOption((o) => loc(o, 'message', 'opt.message').setMaxLength(4000))
        .addIntegerOption((o) => loc(o, 'limit', 'opt.limit-add').setMinValue(1).setMaxValue(10))
        .addChannelOption((o) => threadChannel(o))
        .addStringOption((o) => ticketsAs(o)),
    )
    .addSubcommand((sub) =>
      typeName(loc(sub, 'edit', 'cmd.config.type.edit'))
        .addStringOption((o) => loc(o, 'label', 'opt.label').setMaxLength(80))
        .addStringOption((o) => loc(o, 'description', 'opt.description').setMaxLength(100))
        .addStringOption((o) => loc(o, 'emoji', 'opt.emoji'))
        .addChannelOption((o) => loc(o, 'category', 'opt.category').addChannelTypes(ChannelType.GuildCategory))
        .addStringOption((o) => loc(o, 'message', 'opt.message').setMaxLength(4000))
        .addIntegerOption((o) => loc(o, 'limit', 'opt.limit-edit').setMinValue(1).setMaxValue(10))
        .addChannelOption((o) => threadChannel(o))
        .addStringOption((o) => ticketsAs(o)),
    )
    .addSubcommand((sub) => typeName(loc(sub, 'role-add', 'cmd.config.type.role-add')).addRoleOption((o) => loc(o, 'role', 'opt.role').setRequired(true)))
    .addSubcommand((sub) => typeName(loc(sub, 'role-remove', 'cmd.config.type.role-remove')).addRoleOption((o) => loc(o, 'role', 'opt.role').setRequired(true)))
    .addSubcommand((sub) =>
      typeName(loc(sub, 'question-add', 'cmd.config.type.question-add')).addStringOption((o) =>
        loc(o, 'question', 'opt.question').setRequired(true).setMaxLength(45),
      ),
    )
    .addSubcommand((sub) =>
      typeName(loc(sub, 'question-remove', 'cmd.config.type.question-remove')).addIntegerOption((o) =>
        loc(o, 'position', 'opt.position').setRequired(true).setMinValue(1).setMaxValue(5),
      ),
    )
    .addSubcommand((sub) =>
      typeName(loc(sub, 'auto-close', 'cmd.config.type.auto-close')).addIntegerOption((o) =>
        loc(o, 'hours', 'opt.hours').setRequired(true).setMinValue(0).setMaxValue(720),
      ),
    )
    .addSubcommand((sub) =>
      typeName(loc(sub, 'hours', 'cmd.config.type.hours'))
        .addStringOption((o) => loc(o, 'timezone', 'opt.timezone').setRequired(true).setMaxLength(64))
        .addStringOption((o) => loc(o, 'schedule', 'opt.schedule').setRequired(true).setMaxLength(200))
        .addStringOption((o) => loc(o, 'mode', 'opt.mode').addChoices(choice('notice', 'choice.notice'), choice('refuse', 'choice.refuse'))),
    )
    .addSubcommand((sub) => typeName(loc(sub, 'hours-clear', 'cmd.config.type.hours-clear')))
    .addSubcommand((sub) =>
      typeName(loc(sub, 'close-mode', 'cmd.config.type.close-mode'))
        .addStringOption((o) =>
          loc(o, 'mode', 'opt.close-mode').setRequired(true).addChoices(choice('delete', 'choice.delete'), choice('archive', 'choice.archive')),
        )
        .addChannelOption((o) => loc(o, 'archive-category', 'opt.archive-category').addChannelTypes(ChannelType.GuildCategory))
        .addIntegerOption((o) => loc(o, 'days', 'opt.archive-days').setMinValue(1).setMaxValue(90)),
    )
    .addSubcommand((sub) => typeName(loc(sub, 'remove', 'cmd.config.type.remove')))
    .addSubcommand((sub) => loc(sub, 'list', 'cmd.config.type.list'));
}

const config = loc(new SlashCommandBuilder(), 'config', 'cmd.config')
  .setDefaultMemberPermissions(manageGuild)
  .setContexts(0)
  .addSubcommandGroup(typeGroup)
  .addSubcommandGroup((group) =>
    loc(group, 'embed', 'cmd.config.embed')
      .addSubcommand((sub) =>
        loc(sub, 'set', 'cmd.config.embed.set')
          .addStringOption((o) => loc(o, 'title-prefix', 'opt.title-prefix'))
          .addStringOption((o) => loc(o, 'author-name', 'opt.author-name').setMaxLength(256))
          .addStringOption((o) => loc(o, 'author-icon', 'opt.author-icon'))
          .addStringOption((o) => loc(o, 'banner', 'opt.banner'))
          .addStringOption((o) => loc(o, 'color', 'opt.color'))
          .addStringOption((o) => loc(o, 'footer', 'opt.footer').setMaxLength(2048)),
      )
      .addSubcommand((sub) => loc(sub, 'reset', 'cmd.config.embed.reset')),
  )
  .addSubcommandGroup((group) =>
    loc(group, 'log-channel', 'cmd.config.log-channel')
      .addSubcommand((sub) =>
        loc(sub, 'set', 'cmd.config.log-channel.set').addChannelOption((o) =>
          loc(o, 'channel', 'opt.log-channel').setRequired(true).addChannelTypes(ChannelType.GuildText),
        ),
      )
      .addSubcommand((sub) => loc(sub, 'clear', 'cmd.config.log-channel.clear')),
  )
  .addSubcommandGroup((group) =>
    loc(group, 'tag', 'cmd.config.tag')
      .addSubcommand((sub) =>
        tagName(loc(sub, 'add', 'cmd.config.tag.add'), false).addStringOption((o) => loc(o, 'content', 'opt.tag-content').setRequired(true).setMaxLength(2000)),
      )
      .addSubcommand((sub) => tagName(loc(sub, 'remove', 'cmd.config.tag.remove'), true))
      .addSubcommand((sub) => loc(sub, 'list', 'cmd.config.tag.list')),
  )
  .addSubcommandGroup((group) =>
    loc(group, 'blocklist', 'cmd.config.blocklist')
      .addSubcommand((sub) => loc(sub, 'add', 'cmd.config.blocklist.add').addMentionableOption((o) => loc(o, 'target', 'opt.target').setRequired(true)))
      .addSubcommand((sub) => loc(sub, 'remove', 'cmd.config.blocklist.remove').addMentionableOption((o) => loc(o, 'target', 'opt.target').setRequired(true)))
      .addSubcommand((sub) => loc(sub, 'list', 'cmd.config.blocklist.list')),
  )
  .addSubcommandGroup((group) =>
    loc(group, 'transcripts', 'cmd.config.transcripts')
      .addSubcommand((sub) => loc(sub, 'on', 'cmd.config.transcripts.on'))
      .addSubcommand((sub) => loc(sub, 'off', 'cmd.config.transcripts.off')),
  )
  .addSubcommandGroup((group) =>
    loc(group, 'language', 'cmd.config.language')
      .addSubcommand((sub) =>
        loc(sub, 'set', 'cmd.config.language.set').addStringOption((o) =>
          loc(o, 'locale', 'opt.locale')
            .setRequired(true)
            // Each language named in itself, as Discord's own language picker does.
            .addChoices(...supportedLocales.map((locale) => ({ name: languageNames[locale], value: locale }))),
        ),
      )
      .addSubcommand((sub) => loc(sub, 'reset', 'cmd.config.language.reset')),
  )
  .addSubcommandGroup((group) =>
    loc(group, 'transcript-dm', 'cmd.config.transcript-dm')
      .addSubcommand((sub) => loc(sub, 'on', 'cmd.config.transcript-dm.on'))
      .addSubcommand((sub) => loc(sub, 'off', 'cmd.config.transcript-dm.off')),
  )
  .addSubcommandGroup((group) =>
    loc(group, 'feedback', 'cmd.config.feedback')
      .addSubcommand((sub) => loc(sub, 'on', 'cmd.config.feedback.on'))
      .addSubcommand((sub) => loc(sub, 'off', 'cmd.config.feedback.off')),
  )
  .addSubcommand((sub) => loc(sub, 'show', 'cmd.config.show'))
  .addSubcommand((sub) => loc(sub, 'stats', 'cmd.config.stats'))
  .addSubcommand((sub) => loc(sub, 'export', 'cmd.config.export'))
  .addSubcommand((sub) => loc(sub, 'import', 'cmd.config.import').addAttachmentOption((o) => loc(o, 'file', 'opt.file').setRequired(true)));

const panel = loc(new SlashCommandBuilder(), 'panel', 'cmd.panel')
  .setDefaultMemberPermissions(manageGuild)
  .setContexts(0)
  .addSubcommand((sub) =>
    loc(sub, 'send', 'cmd.panel.send')
      .addChannelOption((o) => loc(o, 'channel', 'opt.panel-channel').setRequired(true).addChannelTypes(ChannelType.GuildText))
      .addStringOption((o) => loc(o, 'style', 'opt.style').addChoices(choice('buttons', 'choice.buttons'), choice('select', 'choice.select')))
      .addStringOption((o) => loc(o, 'title', 'opt.panel-title').setMaxLength(256))
      .addStringOption((o) => loc(o, 'text', 'opt.panel-text').setMaxLength(4000)),
  );

const ticket = loc(new SlashCommandBuilder(), 'ticket', 'cmd.ticket')
  .setContexts(0)
  .addSubcommand((sub) => loc(sub, 'close', 'cmd.ticket.close').addStringOption((o) => loc(o, 'reason', 'opt.reason').setMaxLength(1000)))
  .addSubcommand((sub) => loc(sub, 'close-request', 'cmd.ticket.close-request').addStringOption((o) => loc(o, 'reason', 'opt.reason').setMaxLength(1000)))
  .addSubcommand((sub) => loc(sub, 'claim', 'cmd.ticket.claim'))
  .addSubcommand((sub) => loc(sub, 'unclaim', 'cmd.ticket.unclaim'))
  .addSubcommand((sub) => loc(sub, 'add', 'cmd.ticket.add').addUserOption((o) => loc(o, 'user', 'opt.member').setRequired(true)))
  .addSubcommand((sub) => loc(sub, 'remove', 'cmd.ticket.remove').addUserOption((o) => loc(o, 'user', 'opt.member').setRequired(true)))
  .addSubcommand((sub) =>
    loc(sub, 'rename', 'cmd.ticket.rename').addStringOption((o) => loc(o, 'name', 'opt.channel-name').setRequired(true).setMaxLength(100)),
  )
  .addSubcommand((sub) =>
    loc(sub, 'move', 'cmd.ticket.move').addStringOption((o) => loc(o, 'type', 'opt.move-type').setRequired(true).setMaxLength(32).setAutocomplete(true)),
  )
  .addSubcommand((sub) => loc(sub, 'topic', 'cmd.ticket.topic').addStringOption((o) => loc(o, 'text', 'opt.topic').setRequired(true).setMaxLength(1000)))
  .addSubcommand((sub) =>
    loc(sub, 'priority', 'cmd.ticket.priority').addStringOption((o) =>
      loc(o, 'level', 'opt.level')
        .setRequired(true)
        .addChoices(choice('low', 'choice.low'), choice('normal', 'choice.normal'), choice('high', 'choice.high'), choice('urgent', 'choice.urgent')),
    ),
  )
  .addSubcommand((sub) => loc(sub, 'transfer', 'cmd.ticket.transfer').addUserOption((o) => loc(o, 'member', 'opt.transfer-member').setRequired(true)))
  .addSubcommand((sub) => loc(sub, 'list', 'cmd.ticket.list'));

const tag = loc(new SlashCommandBuilder(), 'tag', 'cmd.tag')
  .setContexts(0)
  .addStringOption((o) => loc(o, 'name', 'opt.tag').setRequired(true).setMaxLength(32).setAutocomplete(true));

const privacy = loc(new SlashCommandBuilder(), 'privacy', 'cmd.privacy')
  .setContexts(0)
  .addSubcommand((sub) => loc(sub, 'export', 'cmd.privacy.export'))
  .addSubcommand((sub) => loc(sub, 'delete', 'cmd.privacy.delete'));

const stats = loc(new SlashCommandBuilder(), 'stats', 'cmd.stats').setContexts(0);

export const commandDefinitions: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [config, panel, ticket, tag, privacy, stats].map((c) => c.toJSON());

/** Stable hash of the definitions, so the gateway re-registers only when they changed. */
export function commandsHash(definitions = commandDefinitions): string {
  return createHash('sha256').update(JSON.stringify(definitions)).digest('hex');
}

/** Top-level commands that need Manage Server, checked again on our side. */
export const adminCommands: ReadonlySet<string> = new Set(['config', 'panel']);
