/** Flat slash-command options as the gateway forwards them. */
export type CommandOptions = Record<string, string | number | boolean>;

export function stringOption(options: CommandOptions, name: string): string | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : String(value);
}

export function integerOption(options: CommandOptions, name: string): number | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  return typeof value === 'number' ? value : Number(value);
}
