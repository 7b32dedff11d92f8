/**
 * The slash-command box's rules, as Discord's client applies them before anything is
 * sent: a command's leaf paths, and the checks of each option (required, choices,
 * lengths, ranges, integer-ness). Pure, shared by the browser bundle and its tests.
 */

export interface OptionDef {
  type: number;
  name: string;
  description?: string;
  required?: boolean;
  choices?: { name: string; value: string | number }[];
  options?: OptionDef[];
  channel_types?: number[];
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
  autocomplete?: boolean;
}

export interface CommandDef {
  name: string;
  description?: string;
  options?: OptionDef[];
}

/** One thing a person can type: `/config type add` and the options it takes. */
export interface LeafCommand {
  command: string;
  /** Subcommand group and subcommand names after the command's name. */
  path: string[];
  label: string;
  description: string;
  options: OptionDef[];
}

export const OptionType = {
  SubCommand: 1,
  SubCommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;

export const OPTION_TYPE_NAMES: Record<number, string> = {
  3: 'text',
  4: 'integer',
  5: 'true/false',
  6: 'user',
  7: 'channel',
  8: 'role',
  9: 'user or role',
  10: 'number',
  11: 'file',
};

export function leafCommands(commands: readonly CommandDef[]): LeafCommand[] {
  const out: LeafCommand[] = [];
  for (const command of commands) {
    const options = command.options ?? [];
    const subs = options.filter((o) => o.type === OptionType.SubCommand || o.type === OptionType.SubCommandGroup);
    if (subs.length === 0) {
      out.push({ command: command.name, path: [], label: `/${command.name}`, description: command.description ?? '', options });
      continue;
    }
    for (const sub of subs) {
      if (sub.type === OptionType.SubCommand) {
        out.push({
          command: command.name,
          path: [sub.name],
          label: `/${command.name} ${sub.name}`,
          description: sub.description ?? '',
          options: sub.options ?? [],
        });
        continue;
      }
      for (const leaf of sub.options ?? []) {
        if (leaf.type !== OptionType.SubCommand) continue;
        out.push({
          command: command.name,
          path: [sub.name, leaf.name],
          label: `/${command.name} ${sub.name} ${leaf.name}`,
          description: leaf.description ?? '',
          options: leaf.options ?? [],
        });
      }
    }
  }
  return out;
}

/** Raw values as typed (strings; an attachment is its file name); empty strings mean "not given". */
export type RawValues = Record<string, string | undefined>;

export interface CheckResult {
  /** Values to send, typed as the command declared them (integers, numbers, booleans; ids and names as strings). */
  args: Record<string, string | number | boolean>;
  /** Option name → what is wrong, in Discord's words. */
  errors: Record<string, string>;
}

/** Checks typed values against a leaf command's options, as Discord's client does before sending. */
export function checkCommand(leaf: LeafCommand, values: RawValues): CheckResult {
  const args: CheckResult['args'] = {};
  const errors: CheckResult['errors'] = {};
  for (const option of leaf.options) {
    const raw = values[option.name]?.trim() ?? '';
    if (raw === '') {
      if (option.required) errors[option.name] = 'This field is required.';
      continue;
    }
    const choice = option.choices?.find((c) => String(c.value) === raw || c.name === raw);
    if (option.choices && option.choices.length > 0 && !choice) {
      errors[option.name] = `Pick one of: ${option.choices.map((c) => c.name).join(', ')}.`;
      continue;
    }
    switch (option.type) {
      case OptionType.Integer:
      case OptionType.Number: {
        const value = choice ? Number(choice.value) : Number(raw);
        if (!Number.isFinite(value) || (option.type === OptionType.Integer && !Number.isInteger(value))) {
          errors[option.name] = option.type === OptionType.Integer ? 'Enter a whole number.' : 'Enter a number.';
        } else if (option.min_value !== undefined && value < option.min_value) {
          errors[option.name] = `Must be at least ${option.min_value}.`;
        } else if (option.max_value !== undefined && value > option.max_value) {
          errors[option.name] = `Must be at most ${option.max_value}.`;
        } else {
          args[option.name] = value;
        }
        break;
      }
      case OptionType.Boolean:
        if (raw !== 'true' && raw !== 'false') errors[option.name] = 'Pick True or False.';
        else args[option.name] = raw === 'true';
        break;
      case OptionType.String: {
        const value = choice ? String(choice.value) : raw;
        if (option.min_length !== undefined && value.length < option.min_length) errors[option.name] = `Must be at least ${option.min_length} characters long.`;
        else if (option.max_length !== undefined && value.length > option.max_length)
          errors[option.name] = `Must be at most ${option.max_length} characters long.`;
        else args[option.name] = value;
        break;
      }
      default:
        args[option.name] = raw;
    }
  }
  return { args, errors };
}
