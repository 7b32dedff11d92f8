import { createHash } from 'node:crypto';
import { SlashCommandBuilder, SlashCommandSubcommandBuilder, SlashCommandSubcommandGroupBuilder } from '@discordjs/builders';
import { ChannelType, PermissionFlagsBits, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';

/**
 * The command tree: the product's public interface. The gateway registers exactly
 * this, the web service renders its reference from it, and the README documents it.
 */
const manageGuild = PermissionFlagsBits.ManageGuild;

/** A type's key; every subcommand but add suggests the existing ones (autocomplete). */
const typeName = (sub: SlashCommandSubcommandBuilder, description = "The type's key (a-z, 0-9, -; up to 32)") =>
  sub.addStringOption((o) =>
    o
      .setName('name')
      .setDescription(description)
      .setRequired(true)
      .setMaxLength(32)
      .setAutocomplete(sub.name !== 'add'),
  );

const tagName = (sub: SlashCommandSubcommandBuilder, autocomplete: boolean) =>
  sub.addStringOption((o) =>
    o.setName('name').setDescription("The tag's name (a-z, 0-9, -; up to 32)").setRequired(true).setMaxLength(32).setAutocomplete(autocomplete),
  );

function typeGroup(group: SlashCommandSubcommandGroupBuilder): SlashCommandSubcommandGroupBuilder {
  return group
    .setName('type')
    .setDescription('Ticket types (up to 5)')
    .addSubcommand((sub) =>
      typeName(sub.setName('add').setDescription('Add a ticket type'))
        .addStringOption((o) => o.setName('label').setDescription('Button label (up to 80)').setRequired(true).setMaxLength(80))
        .addStringOption((o) => o.setName('description').setDescription('Shown in the select menu (up to 100)').setMaxLength(100))
        .addStringOption((o) => o.setName('emoji').setDescription('Unicode emoji or a custom emoji of this server'))
        .addChannelOption((o) => o.setName('category').setDescription('Category the ticket channels go in').addChannelTypes(ChannelType.GuildCategory))
        .addRoleOption((o) => o.setName('staff-role').setDescription('A staff role that sees these tickets'))
        .addStringOption((o) => o.setName('message').setDescription('Welcome message (up to 4000)').setMaxLength(4000))
        .addIntegerOption((o) => o.setName('limit').setDescription('Open tickets per member (1-10, default 1)').setMinValue(1).setMaxValue(10)),
    )
    .addSubcommand((sub) =>
      typeName(sub.setName('edit').setDescription('Change the given fields of a ticket type'))
        .addStringOption((o) => o.setName('label').setDescription('Button label (up to 80)').setMaxLength(80))
        .addStringOption((o) => o.setName('description').setDescription('Shown in the select menu (up to 100)').setMaxLength(100))
        .addStringOption((o) => o.setName('emoji').setDescription('Unicode emoji or a custom emoji of this server'))
        .addChannelOption((o) => o.setName('category').setDescription('Category the ticket channels go in').addChannelTypes(ChannelType.GuildCategory))
        .addStringOption((o) => o.setName('message').setDescription('Welcome message (up to 4000)').setMaxLength(4000))
        .addIntegerOption((o) => o.setName('limit').setDescription('Open tickets per member (1-10)').setMinValue(1).setMaxValue(10)),
    )
    .addSubcommand((sub) =>
      typeName(sub.setName('role-add').setDescription('Give a staff role access to this type')).addRoleOption((o) =>
        o.setName('role').setDescription('Staff role').setRequired(true),
      ),
    )
    .addSubcommand((sub) =>
      typeName(sub.setName('role-remove').setDescription('Take a staff role off this type')).addRoleOption((o) =>
        o.setName('role').setDescription('Staff role').setRequired(true),
      ),
    )
    .addSubcommand((sub) =>
      typeName(sub.setName('question-add').setDescription('Add a form question asked when a ticket opens (up to 5)')).addStringOption((o) =>
        o.setName('question').setDescription('The question (up to 45)').setRequired(true).setMaxLength(45),
      ),
    )
    .addSubcommand((sub) =>
      typeName(sub.setName('question-remove').setDescription('Remove a form question')).addIntegerOption((o) =>
        o.setName('position').setDescription('Its position in /config type list (1-5)').setRequired(true).setMinValue(1).setMaxValue(5),
      ),
    )
    .addSubcommand((sub) =>
      typeName(sub.setName('auto-close').setDescription('Close tickets of this type after hours without messages')).addIntegerOption((o) =>
        o.setName('hours').setDescription('Hours without messages (1-720; 0 = never)').setRequired(true).setMinValue(0).setMaxValue(720),
      ),
    )
    .addSubcommand((sub) =>
      typeName(sub.setName('hours').setDescription('Support hours of this type: outside them, opens get a notice or are refused'))
        .addStringOption((o) =>
          o.setName('timezone').setDescription('IANA time zone, e.g. Europe/Berlin, America/New_York, UTC').setRequired(true).setMaxLength(64),
        )
        .addStringOption((o) =>
          o.setName('schedule').setDescription('Weekly hours, e.g. mon-fri 09:00-17:00; sat 10:00-14:00').setRequired(true).setMaxLength(200),
        )
        .addStringOption((o) =>
          o
            .setName('mode')
            .setDescription('Outside the hours: open with a notice (default) or refuse')
            .addChoices({ name: 'notice', value: 'notice' }, { name: 'refuse', value: 'refuse' }),
        ),
    )
    .addSubcommand((sub) => typeName(sub.setName('hours-clear').setDescription('Remove the support hours of this type (always open)')))
    .addSubcommand((sub) => typeName(sub.setName('remove').setDescription('Remove a ticket type')))
    .addSubcommand((sub) => sub.setName('list').setDescription('List the ticket types'));
}

const config = new SlashCommandBuilder()
  .setName('config')
  .setDescription('Configure PROMTON-TICKETS on this server')
  .setDefaultMemberPermissions(manageGuild)
  .setContexts(0)
  .addSubcommandGroup(typeGroup)
  .addSubcommandGroup((group) =>
    group
      .setName('embed')
      .setDescription("How the bot's embeds look")
      .addSubcommand((sub) =>
        sub
          .setName('set')
          .setDescription('Set embed customization')
          .addStringOption((o) => o.setName('title-prefix').setDescription('Put before every title'))
          .addStringOption((o) => o.setName('author-name').setDescription('Author line (up to 256)').setMaxLength(256))
          .addStringOption((o) => o.setName('author-icon').setDescription('Author icon URL (http/https)'))
          .addStringOption((o) => o.setName('banner').setDescription('Banner image URL (http/https)'))
          .addStringOption((o) => o.setName('color').setDescription('Color as #rrggbb'))
          .addStringOption((o) => o.setName('footer').setDescription('Footer text (up to 2048)').setMaxLength(2048)),
      )
      .addSubcommand((sub) => sub.setName('reset').setDescription('Back to the default look')),
  )
  .addSubcommandGroup((group) =>
    group
      .setName('log-channel')
      .setDescription('Where every ticket event is logged')
      .addSubcommand((sub) =>
        sub
          .setName('set')
          .setDescription('Set the log channel')
          .addChannelOption((o) =>
            o.setName('channel').setDescription('A text channel the bot can post in').setRequired(true).addChannelTypes(ChannelType.GuildText),
          ),
      )
      .addSubcommand((sub) => sub.setName('clear').setDescription('Stop logging')),
  )
  .addSubcommandGroup((group) =>
    group
      .setName('tag')
      .setDescription('Canned replies staff post with /tag (up to 50)')
      .addSubcommand((sub) =>
        tagName(sub.setName('add').setDescription('Add a tag'), false).addStringOption((o) =>
          o.setName('content').setDescription('What /tag posts (up to 2000)').setRequired(true).setMaxLength(2000),
        ),
      )
      .addSubcommand((sub) => tagName(sub.setName('remove').setDescription('Remove a tag'), true))
      .addSubcommand((sub) => sub.setName('list').setDescription('List the tags')),
  )
  .addSubcommandGroup((group) =>
    group
      .setName('blocklist')
      .setDescription('Members and roles that may not open tickets')
      .addSubcommand((sub) =>
        sub
          .setName('add')
          .setDescription('Stop a member, or the members of a role, from opening tickets')
          .addMentionableOption((o) => o.setName('target').setDescription('A member or a role').setRequired(true)),
      )
      .addSubcommand((sub) =>
        sub
          .setName('remove')
          .setDescription('Let a member or role open tickets again')
          .addMentionableOption((o) => o.setName('target').setDescription('A member or a role').setRequired(true)),
      )
      .addSubcommand((sub) => sub.setName('list').setDescription('List the blocked members and roles')),
  )
  .addSubcommandGroup((group) =>
    group
      .setName('transcripts')
      .setDescription('HTML transcripts of closed tickets in the log channel')
      .addSubcommand((sub) => sub.setName('on').setDescription('Post a transcript when a ticket closes'))
      .addSubcommand((sub) => sub.setName('off').setDescription('Post no transcripts')),
  )
  .addSubcommandGroup((group) =>
    group
      .setName('feedback')
      .setDescription('A 1-5 rating offered by DM to the member when their ticket closes')
      .addSubcommand((sub) => sub.setName('on').setDescription('Offer a rating when a ticket closes'))
      .addSubcommand((sub) => sub.setName('off').setDescription('Offer no rating')),
  )
  .addSubcommand((sub) => sub.setName('show').setDescription('Show the whole configuration'))
  .addSubcommand((sub) => sub.setName('stats').setDescription("This server's ticket statistics (last 7 and 30 days), shown only to you"))
  .addSubcommand((sub) => sub.setName('export').setDescription('Export the configuration as a JSON file'))
  .addSubcommand((sub) =>
    sub
      .setName('import')
      .setDescription('Replace the configuration with an exported JSON file')
      .addAttachmentOption((o) => o.setName('file').setDescription('A file from /config export').setRequired(true)),
  );

const panel = new SlashCommandBuilder()
  .setName('panel')
  .setDescription('Ticket panels')
  .setDefaultMemberPermissions(manageGuild)
  .setContexts(0)
  .addSubcommand((sub) =>
    sub
      .setName('send')
      .setDescription('Post the panel members click to open a ticket')
      .addChannelOption((o) => o.setName('channel').setDescription('Where to post it').setRequired(true).addChannelTypes(ChannelType.GuildText))
      .addStringOption((o) =>
        o.setName('style').setDescription('Buttons or a select menu').addChoices({ name: 'buttons', value: 'buttons' }, { name: 'select', value: 'select' }),
      )
      .addStringOption((o) => o.setName('title').setDescription('Panel title (up to 256)').setMaxLength(256))
      .addStringOption((o) => o.setName('text').setDescription('Panel text (up to 4000)').setMaxLength(4000)),
  );

const ticket = new SlashCommandBuilder()
  .setName('ticket')
  .setDescription('Act on the ticket of this channel')
  .setContexts(0)
  .addSubcommand((sub) =>
    sub
      .setName('close')
      .setDescription('Close this ticket')
      .addStringOption((o) => o.setName('reason').setDescription('Why (up to 1000)').setMaxLength(1000)),
  )
  .addSubcommand((sub) =>
    sub
      .setName('close-request')
      .setDescription('Ask the member who opened this ticket to close it')
      .addStringOption((o) => o.setName('reason').setDescription('Why (up to 1000)').setMaxLength(1000)),
  )
  .addSubcommand((sub) => sub.setName('claim').setDescription('Take this ticket'))
  .addSubcommand((sub) => sub.setName('unclaim').setDescription('Release this ticket'))
  .addSubcommand((sub) =>
    sub
      .setName('add')
      .setDescription('Let a member into this ticket')
      .addUserOption((o) => o.setName('user').setDescription('Member').setRequired(true)),
  )
  .addSubcommand((sub) =>
    sub
      .setName('remove')
      .setDescription('Take a member out of this ticket')
      .addUserOption((o) => o.setName('user').setDescription('Member').setRequired(true)),
  )
  .addSubcommand((sub) =>
    sub
      .setName('rename')
      .setDescription('Rename this ticket channel (Discord allows 2 renames per 10 minutes)')
      .addStringOption((o) => o.setName('name').setDescription('New channel name').setRequired(true).setMaxLength(100)),
  )
  .addSubcommand((sub) =>
    sub
      .setName('move')
      .setDescription("Move this ticket to another type (its category, staff and the member's limit)")
      .addStringOption((o) => o.setName('type').setDescription('The ticket type to move to').setRequired(true).setMaxLength(32).setAutocomplete(true)),
  )
  .addSubcommand((sub) =>
    sub
      .setName('topic')
      .setDescription("Set this ticket channel's topic")
      .addStringOption((o) => o.setName('text').setDescription('The topic (up to 1000)').setRequired(true).setMaxLength(1000)),
  )
  .addSubcommand((sub) =>
    sub
      .setName('priority')
      .setDescription("Set this ticket's priority (shown in the channel topic and /ticket list)")
      .addStringOption((o) =>
        o
          .setName('level')
          .setDescription('How urgent it is')
          .setRequired(true)
          .addChoices({ name: 'low', value: 'low' }, { name: 'normal', value: 'normal' }, { name: 'high', value: 'high' }, { name: 'urgent', value: 'urgent' }),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('transfer')
      .setDescription('Hand the claim of this ticket to another staff member')
      .addUserOption((o) => o.setName('member').setDescription('A staff member of this ticket type').setRequired(true)),
  )
  .addSubcommand((sub) => sub.setName('list').setDescription('The open tickets you are staff of, with who claimed them'));

const tag = new SlashCommandBuilder()
  .setName('tag')
  .setDescription('Post a tag (a canned reply) in this ticket')
  .setContexts(0)
  .addStringOption((o) => o.setName('name').setDescription('The tag').setRequired(true).setMaxLength(32).setAutocomplete(true));

const privacy = new SlashCommandBuilder()
  .setName('privacy')
  .setDescription('Your data (privacy policy §6)')
  .setContexts(0)
  .addSubcommand((sub) => sub.setName('export').setDescription('Get everything stored about you as a JSON file'))
  .addSubcommand((sub) => sub.setName('delete').setDescription('Erase your user id from everything stored'));

const stats = new SlashCommandBuilder().setName('stats').setDescription('Bot statistics (owner only)').setContexts(0);

export const commandDefinitions: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [config, panel, ticket, tag, privacy, stats].map((c) => c.toJSON());

/** Stable hash of the definitions, so the gateway re-registers only when they changed. */
export function commandsHash(definitions = commandDefinitions): string {
  return createHash('sha256').update(JSON.stringify(definitions)).digest('hex');
}

/** Top-level commands that need Manage Server, checked again on our side. */
export const adminCommands: ReadonlySet<string> = new Set(['config', 'panel']);
