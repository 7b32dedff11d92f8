import {
  ApplicationCommandOptionType,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOptionChoice,
  type APIInteractionResponse,
  InteractionResponseType,
} from 'discord-api-types/v10';
import { has, PermissionFlagsBits } from '@promton/shared/domain';
import type { GuildConfig, InteractionContext } from '@promton/shared/contracts';

/** Discord shows at most 25 suggestions; a choice's name is at most 100 characters. */
const MAX_CHOICES = 25;
const MAX_NAME = 100;

/** The options whose values the gateway suggests, by command path and option name. */
function sourceOf(path: readonly string[], option: string): 'types' | 'tags' | null {
  const key = path.join(' ');
  if (option === 'name' && path[0] === 'config' && path[1] === 'type' && path[2] !== 'add') return 'types';
  if (option === 'name' && key === 'config tag remove') return 'tags';
  if (option === 'type' && key === 'ticket move') return 'types';
  if (option === 'name' && key === 'tag') return 'tags';
  return null;
}

/** The command path and the focused option (its partial text) of an autocomplete interaction. */
export function focusedOption(
  name: string,
  options: readonly APIApplicationCommandInteractionDataOption[] | undefined,
): { path: string[]; option: string; typed: string } | null {
  const path = [name];
  let level = options ?? [];
  for (;;) {
    const nested = level.find((o) => o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup);
    if (!nested || !('options' in nested)) break;
    path.push(nested.name);
    level = nested.options ?? [];
  }
  const focused = level.find((o) => 'focused' in o && o.focused);
  if (!focused || !('value' in focused)) return null;
  return { path, option: focused.name, typed: String(focused.value ?? '') };
}

/** Admins and the staff of at least one type may see type and tag names; nobody else is offered any. */
function maySee(member: InteractionContext['member'], path: readonly string[], config: GuildConfig): boolean {
  if (has(member.permissions, PermissionFlagsBits.ManageGuild)) return true;
  if (path[0] === 'config') return false;
  return config.types.some((type) => type.staffRoleIds.some((roleId) => member.roles.includes(roleId)));
}

function matches(typed: string, ...texts: (string | null)[]): boolean {
  const needle = typed.trim().toLowerCase();
  return needle === '' || texts.some((text) => text?.toLowerCase().includes(needle));
}

const clip = (text: string) => (text.length > MAX_NAME ? `${text.slice(0, MAX_NAME - 1)}…` : text);

/** The suggestions for what the member is typing, from the guild's projection (no job, no database). */
export function autocompleteChoices(
  focused: ReturnType<typeof focusedOption>,
  member: InteractionContext['member'],
  config: GuildConfig | null,
): APIApplicationCommandOptionChoice<string>[] {
  if (!focused || !config) return [];
  const source = sourceOf(focused.path, focused.option);
  if (!source || !maySee(member, focused.path, config)) return [];
  const choices =
    source === 'types'
      ? config.types.filter((t) => matches(focused.typed, t.name, t.label)).map((t) => ({ name: clip(`${t.label} (${t.name})`), value: t.name }))
      : config.tags.filter((t) => matches(focused.typed, t.name)).map((t) => ({ name: clip(`${t.name} — ${t.content.replace(/\s+/g, ' ')}`), value: t.name }));
  return choices.slice(0, MAX_CHOICES);
}

export function autocompleteResponse(choices: APIApplicationCommandOptionChoice<string>[]): APIInteractionResponse {
  return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } };
}
