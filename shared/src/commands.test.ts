import { ApplicationCommandOptionType as T, ChannelType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { adminCommands, commandDefinitions, commandsHash } from './commands.js';

type Option = {
  name: string;
  type: number;
  required?: boolean;
  options?: Option[];
  channel_types?: number[];
  choices?: { name: string; value: string | number }[];
  autocomplete?: boolean;
};

/** DESIGN.md "Commands": path → option name → type. */
const table: Record<string, Record<string, number>> = {
  'config type add': {
    name: T.String,
    label: T.String,
    description: T.String,
    emoji: T.String,
    category: T.Channel,
    'staff-role': T.Role,
    message: T.String,
    limit: T.Integer,
    'thread-channel': T.Channel,
    tickets: T.String,
  },
  'config type edit': {
    name: T.String,
    label: T.String,
    description: T.String,
    emoji: T.String,
    category: T.Channel,
    message: T.String,
    limit: T.Integer,
    'thread-channel': T.Channel,
    tickets: T.String,
  },
  'config type role-add': { name: T.String, role: T.Role },
  'config type role-remove': { name: T.String, role: T.Role },
  'config type remove': { name: T.String },
  'config type close-mode': { name: T.String, mode: T.String, 'archive-category': T.Channel, days: T.Integer },
  'config transcript-dm on': {},
  'config transcript-dm off': {},
  'config type list': {},
  'config embed set': { 'title-prefix': T.String, 'author-name': T.String, 'author-icon': T.String, banner: T.String, color: T.String, footer: T.String },
  'config embed reset': {},
  'config log-channel set': { channel: T.Channel },
  'config log-channel clear': {},
  'config tag add': { name: T.String, content: T.String },
  'config tag remove': { name: T.String },
  'config tag list': {},
  'config blocklist add': { target: T.Mentionable },
  'config blocklist remove': { target: T.Mentionable },
  'config blocklist list': {},
  'config show': {},
  'config export': {},
  'config import': { file: T.Attachment },
  'panel send': { channel: T.Channel, style: T.String, title: T.String, text: T.String },
  'ticket close': { reason: T.String },
  'ticket claim': {},
  'ticket unclaim': {},
  'ticket add': { user: T.User },
  'ticket remove': { user: T.User },
  'ticket rename': { name: T.String },
  'ticket move': { type: T.String },
  'ticket topic': { text: T.String },
  'ticket priority': { level: T.String },
  'ticket transfer': { member: T.User },
  'ticket list': {},
  tag: { name: T.String },
  'privacy export': {},
  'privacy delete': {},
  stats: {},
};

/** Required options per DESIGN (not in brackets). */
const required: Record<string, string[]> = {
  'config type add': ['name', 'label'],
  'config type edit': ['name'],
  'config type role-add': ['name', 'role'],
  'config type role-remove': ['name', 'role'],
  'config type remove': ['name'],
  'config type close-mode': ['name', 'mode'],
  'config log-channel set': ['channel'],
  'config import': ['file'],
  'panel send': ['channel'],
  'ticket add': ['user'],
  'ticket remove': ['user'],
  'ticket rename': ['name'],
  'config tag add': ['name', 'content'],
  'config tag remove': ['name'],
  'config blocklist add': ['target'],
  'config blocklist remove': ['target'],
  'ticket move': ['type'],
  'ticket topic': ['text'],
  'ticket priority': ['level'],
  'ticket transfer': ['member'],
  tag: ['name'],
};

/** Leaf commands (path → their options) of the registered tree. */
function leaves(): Map<string, Option[]> {
  const out = new Map<string, Option[]>();
  const walk = (path: string[], options: Option[]) => {
    const nested = options.filter((o) => o.type === T.Subcommand || o.type === T.SubcommandGroup);
    if (nested.length === 0) out.set(path.join(' '), options);
    for (const o of nested) walk([...path, o.name], o.options ?? []);
  };
  for (const command of commandDefinitions) walk([command.name], (command.options ?? []) as Option[]);
  return out;
}

describe('command tree', () => {
  const tree = leaves();

  it('has exactly the top-level commands of the table', () => {
    expect(commandDefinitions.map((c) => c.name).sort()).toEqual(['config', 'panel', 'privacy', 'stats', 'tag', 'ticket']);
  });

  it.each(Object.entries(table))("%s has exactly the table's options and types", (path, options) => {
    const actual = tree.get(path);
    expect(actual, `missing /${path}`).toBeDefined();
    expect(Object.fromEntries(actual!.map((o) => [o.name, o.type]))).toEqual(options);
    const req = actual!
      .filter((o) => o.required)
      .map((o) => o.name)
      .sort();
    expect(req).toEqual([...(required[path] ?? [])].sort());
  });

  it('limits category to category channels and channel to text channels', () => {
    for (const [path, options] of tree) {
      for (const o of options) {
        if (o.name === 'category') expect(o.channel_types, path).toEqual([ChannelType.GuildCategory]);
        if (o.name === 'channel') expect(o.channel_types, path).toEqual([ChannelType.GuildText]);
        if (o.name === 'thread-channel') expect(o.channel_types, path).toEqual([ChannelType.GuildText]);
        if (o.name === 'tickets')
          expect(
            o.choices?.map((c) => c.value),
            path,
          ).toEqual(['channels', 'threads']);
      }
    }
  });

  it('offers style choices buttons and select', () => {
    const style = tree.get('panel send')!.find((o) => o.name === 'style')!;
    expect(style.choices?.map((c) => c.value)).toEqual(['buttons', 'select']);
  });

  it('suggests existing type and tag names (autocomplete) wherever one is named, but not where one is created', () => {
    const autocompleted = [...tree].flatMap(([path, options]) => options.filter((o) => o.autocomplete).map((o) => `${path} ${o.name}`)).sort();
    const typeSubs = ['auto-close', 'close-mode', 'edit', 'hours', 'hours-clear', 'question-add', 'question-remove', 'remove', 'role-add', 'role-remove'];
    expect(autocompleted).toEqual([...typeSubs.map((sub) => `config type ${sub} name`), 'config tag remove name', 'ticket move type', 'tag name'].sort());
  });

  it('offers the four priorities', () => {
    expect(tree.get('ticket priority')![0]!.choices?.map((c) => c.value)).toEqual(['low', 'normal', 'high', 'urgent']);
  });

  it("keeps the table's subcommand groups as groups", () => {
    const config = commandDefinitions.find((c) => c.name === 'config')!;
    const groups = (config.options as Option[]).filter((o) => o.type === T.SubcommandGroup).map((o) => o.name);
    expect(groups).toEqual(expect.arrayContaining(['type', 'embed', 'log-channel']));
  });

  it('gives admin commands Manage Server as default member permission, and no one else', () => {
    for (const command of commandDefinitions) {
      if (command.name === 'config' || command.name === 'panel') expect(command.default_member_permissions, command.name).toBe('32');
      else expect(command.default_member_permissions ?? null, command.name).toBeNull();
    }
    expect([...adminCommands].sort()).toEqual(['config', 'panel']);
  });
});

describe('commandsHash', () => {
  it('is stable for the same definitions', () => {
    expect(commandsHash()).toBe(commandsHash(structuredClone(commandDefinitions)));
    expect(commandsHash()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when a definition changes', () => {
    const changed = structuredClone(commandDefinitions);
    changed[0]!.description = `${changed[0]!.description}!`;
    expect(commandsHash(changed)).not.toBe(commandsHash());
    expect(commandsHash(commandDefinitions.slice(1))).not.toBe(commandsHash());
  });
});
