import {
  ApplicationCommandOptionType,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandInteractionData,
} from 'discord-api-types/v10';
import type { CommandInput } from '@promton/shared/contracts';

/** Flattens a chat command's nested subcommand options into a path and plain values. */
export function commandInput(data: APIChatInputApplicationCommandInteractionData): CommandInput {
  const path = [data.name];
  const options: CommandInput['options'] = {};
  const walk = (list: readonly APIApplicationCommandInteractionDataOption[] | undefined): void => {
    for (const option of list ?? []) {
      if (option.type === ApplicationCommandOptionType.SubcommandGroup || option.type === ApplicationCommandOptionType.Subcommand) {
        path.push(option.name);
        walk(option.options);
      } else {
        options[option.name] = option.value;
      }
    }
  };
  walk(data.options);

  const resolved: CommandInput['resolved'] = {};
  if (data.resolved?.channels) {
    resolved.channels = Object.fromEntries(
      Object.entries(data.resolved.channels).map(([id, c]) => [
        id,
        { type: c.type, parentId: 'parent_id' in c ? (c.parent_id ?? null) : null, ...(c.name ? { name: c.name } : {}) },
      ]),
    );
  }
  if (data.resolved?.roles) {
    resolved.roles = Object.fromEntries(Object.entries(data.resolved.roles).map(([id, r]) => [id, { name: r.name, managed: r.managed }]));
  }
  if (data.resolved?.attachments) {
    resolved.attachments = Object.fromEntries(
      Object.entries(data.resolved.attachments).map(([id, a]) => [id, { url: a.url, filename: a.filename, size: a.size }]),
    );
  }
  if (data.resolved?.users) {
    const members = data.resolved.members ?? {};
    resolved.users = Object.fromEntries(
      Object.entries(data.resolved.users).map(([id, u]) => {
        const member = members[id];
        return [id, { bot: u.bot ?? false, ...(member ? { roles: member.roles, permissions: member.permissions } : {}) }];
      }),
    );
  }
  return { path, options, resolved };
}
