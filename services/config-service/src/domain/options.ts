/** Flat slash-command options as the gateway forwards them. */
export type CommandOptions = Record<string, string | number | boolean>;

export function stringOption(options: CommandOptions, name: string): string | undefined {
  const value = options[name];
  return value === undefined ? undefined : String(value);
}

export function integerOption(options: CommandOptions, name: string): number | undefined {
  const value = options[name];
  return value === undefined ? undefined : Number(value);
}
