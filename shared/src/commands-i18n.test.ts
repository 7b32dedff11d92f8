import { describe, expect, it } from 'vitest';
import type { APIApplicationCommandOption } from 'discord-api-types/v10';
import { commandDefinitions } from './commands.js';
import { en } from './domain/i18n/en.js';
import { supportedLocales } from './domain/i18n/index.js';

interface Node {
  name: string;
  name_localizations?: Record<string, string> | null;
  description: string;
  description_localizations?: Record<string, string> | null;
  options?: APIApplicationCommandOption[];
}

/** Every command path (`config type add`), from the registered definitions. */
function paths(nodes: readonly Node[], prefix: string[] = []): string[] {
  return nodes.flatMap((node) => {
    const here = [...prefix, node.name];
    const children = (node.options ?? []).filter((o) => o.type === 1 || o.type === 2) as unknown as Node[];
    return [here.join(' '), ...paths(children, here)];
  });
}

function siblings(nodes: readonly Node[], visit: (group: readonly Node[]) => void): void {
  visit(nodes);
  for (const node of nodes) if (node.options?.length) siblings(node.options as unknown as Node[], visit);
}

describe('localized commands', () => {
  const roots = commandDefinitions as unknown as Node[];

  it('name and describe every command, subcommand and option in every language', () => {
    siblings(roots, (group) => {
      for (const node of group) {
        for (const locale of supportedLocales.filter((l) => l !== 'en-US')) {
          expect(node.name_localizations?.[locale], `${node.name} ${locale}`).toBeTruthy();
          expect(node.description_localizations?.[locale], `${node.name} ${locale}`).toBeTruthy();
        }
      }
    });
  });

  it('keep localized names unique among siblings, as Discord requires', () => {
    siblings(roots, (group) => {
      for (const locale of supportedLocales.filter((l) => l !== 'en-US')) {
        const names = group.map((node) => node.name_localizations?.[locale] ?? node.name);
        expect(new Set(names).size, `${locale}: ${names.join(', ')}`).toBe(names.length);
      }
    });
  });

  it('refer only to commands that exist when a sentence names one', () => {
    const known = new Set(paths(roots));
    const referenced = Object.values(en).flatMap((text) => [...text.matchAll(/\{\/([^{}]+)\}/g)].map((m) => m[1]!));
    expect(referenced.length).toBeGreaterThan(5);
    for (const path of referenced) expect(known, path).toContain(path);
  });
});
