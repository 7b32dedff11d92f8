import { commandDefinitions } from '@promton/shared/commands';
import {
  ApplicationCommandOptionType,
  ChannelType,
  PermissionFlagsBits,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { html, type SafeHtml } from '../html.js';
import { layout } from './layout.js';

/** Who may use a command, where Discord's default_member_permissions cannot say it. */
const AUDIENCE: Record<string, string> = {
  ticket: 'Staff of the ticket’s type, inside a ticket channel (the ticket’s creator may close it); /ticket list anywhere, for staff',
  tag: 'Staff of the ticket’s type, inside a ticket channel',
  privacy: 'Any member, for their own data',
  stats: 'The bot’s owner only (a server’s admins have /config stats for their own server)',
};

const TYPE_NAMES: Partial<Record<ApplicationCommandOptionType, string>> = {
  [ApplicationCommandOptionType.String]: 'text',
  [ApplicationCommandOptionType.Integer]: 'integer',
  [ApplicationCommandOptionType.Boolean]: 'true/false',
  [ApplicationCommandOptionType.User]: 'user',
  [ApplicationCommandOptionType.Channel]: 'channel',
  [ApplicationCommandOptionType.Role]: 'role',
  [ApplicationCommandOptionType.Mentionable]: 'user or role',
  [ApplicationCommandOptionType.Number]: 'number',
  [ApplicationCommandOptionType.Attachment]: 'file',
};

const CHANNEL_TYPE_NAMES: Partial<Record<ChannelType, string>> = {
  [ChannelType.GuildText]: 'text channel',
  [ChannelType.GuildCategory]: 'category',
  [ChannelType.GuildVoice]: 'voice channel',
  [ChannelType.GuildAnnouncement]: 'announcement channel',
  [ChannelType.GuildForum]: 'forum',
};

const PERMISSION_LABELS: Record<string, string> = { ManageGuild: 'Manage Server', Administrator: 'Administrator' };

/** Names of the permissions in a default_member_permissions bit set, as Discord's client shows them. */
export function permissionNames(bitfield: string): string[] {
  const value = BigInt(bitfield);
  return Object.entries(PermissionFlagsBits)
    .filter(([, flag]) => flag !== 0n && (value & flag) === flag)
    .map(([name]) => PERMISSION_LABELS[name] ?? name.replace(/([a-z])([A-Z])/g, '$1 $2'));
}

export function audience(command: RESTPostAPIChatInputApplicationCommandsJSONBody): string {
  const perms = command.default_member_permissions;
  if (perms !== undefined && perms !== null) {
    if (perms === '0') return 'Nobody by default (server admins can allow roles)';
    return `Members with ${permissionNames(perms).join(' + ')} (server admins can change this in Integrations)`;
  }
  return AUDIENCE[command.name] ?? 'Any member';
}

function limits(option: APIApplicationCommandBasicOption): string[] {
  const out: string[] = [];
  if ('min_length' in option && option.min_length !== undefined) out.push(`at least ${option.min_length} characters`);
  if ('max_length' in option && option.max_length !== undefined) out.push(`up to ${option.max_length} characters`);
  const min = 'min_value' in option ? option.min_value : undefined;
  const max = 'max_value' in option ? option.max_value : undefined;
  if (min !== undefined && max !== undefined) out.push(`${min}–${max}`);
  else if (min !== undefined) out.push(`at least ${min}`);
  else if (max !== undefined) out.push(`at most ${max}`);
  if ('channel_types' in option && option.channel_types?.length) {
    out.push(option.channel_types.map((t) => CHANNEL_TYPE_NAMES[t] ?? `channel type ${t}`).join(' or ') + ' only');
  }
  if ('choices' in option && option.choices?.length) out.push(`one of: ${option.choices.map((c) => c.name).join(', ')}`);
  if ('autocomplete' in option && option.autocomplete) out.push('suggested as you type');
  return out;
}

function optionsTable(options: readonly APIApplicationCommandBasicOption[]): SafeHtml {
  if (options.length === 0) return html`<p class="muted">No options.</p>`;
  return html`<table class="options">
    <thead>
      <tr>
        <th scope="col">Option</th>
        <th scope="col">Type</th>
        <th scope="col">Required</th>
        <th scope="col">Limits</th>
        <th scope="col">Description</th>
      </tr>
    </thead>
    <tbody>
      ${options.map(
        (o) =>
          html`<tr>
            <td><code>${o.name}</code></td>
            <td>${TYPE_NAMES[o.type] ?? `type ${o.type}`}</td>
            <td>${o.required ? 'required' : 'optional'}</td>
            <td>${limits(o).join('; ') || '—'}</td>
            <td>${o.description}</td>
          </tr> `,
      )}
    </tbody>
  </table>`;
}

function usage(path: string, options: readonly APIApplicationCommandBasicOption[]): string {
  return [path, ...options.map((o) => (o.required ? o.name : `[${o.name}]`))].join(' ');
}

function anchor(path: string): string {
  return path.slice(1).replace(/\s+/g, '-');
}

function leaf(path: string, description: string, options: readonly APIApplicationCommandBasicOption[]): SafeHtml {
  return html`<section class="command" id="${anchor(path)}">
    <h3><code>${usage(path, options)}</code></h3>
    <p>${description}</p>
    ${optionsTable(options)}
  </section>`;
}

function isBasic(option: APIApplicationCommandOption): option is APIApplicationCommandBasicOption {
  return option.type !== ApplicationCommandOptionType.Subcommand && option.type !== ApplicationCommandOptionType.SubcommandGroup;
}

function commandSection(command: RESTPostAPIChatInputApplicationCommandsJSONBody): SafeHtml {
  const root = `/${command.name}`;
  const options = command.options ?? [];
  const basic = options.filter(isBasic);
  const parts: SafeHtml[] = [];
  if (basic.length === options.length) parts.push(leaf(root, command.description, basic));
  for (const option of options) {
    if (option.type === ApplicationCommandOptionType.Subcommand) {
      parts.push(leaf(`${root} ${option.name}`, option.description, option.options ?? []));
    } else if (option.type === ApplicationCommandOptionType.SubcommandGroup) {
      parts.push(
        html`<section class="group" id="${anchor(`${root} ${option.name}`)}">
          <h3 class="group-title"><code>${root} ${option.name}</code> — ${option.description}</h3>
          ${(option.options ?? []).map((sub) => leaf(`${root} ${option.name} ${sub.name}`, sub.description, sub.options ?? []))}
        </section>`,
      );
    }
  }
  return html`<article class="command-root" id="${command.name}">
    <h2><code>${root}</code></h2>
    <p>${command.description}</p>
    <p class="audience"><strong>Who may use it:</strong> ${audience(command)}</p>
    ${parts}
  </article>`;
}

/** The reference, generated from the very definitions the gateway registers. */
export function commandsPage(definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[] = commandDefinitions): string {
  const body = html` <h1>Commands</h1>
    <p class="lead">
      Every slash command PROMTON-TICKETS registers, with its options and who may use it. Every answer is private to you, starts with ✅ or ❌, and says what
      happened or what to fix.
    </p>
    <nav class="toc" aria-label="Commands">${definitions.map((c) => html`<a href="#${c.name}"><code>/${c.name}</code></a> `)}</nav>
    ${definitions.map(commandSection)}`;
  return layout({ title: 'Commands', path: '/commands', body });
}
