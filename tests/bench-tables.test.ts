import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { renderTables } from '../scripts/bench-tables.mjs';

type Render = (doc: string, results: { file: string; data: unknown }[]) => { doc: string; used: string[]; missing: string[] };
const render = renderTables as Render;

const DOC = [
  '# Benchmarks',
  '<!-- bench:memory -->',
  'old memory table',
  '<!-- /bench:memory -->',
  'prose',
  '<!-- bench:ceiling -->',
  'old ceiling table',
  '<!-- /bench:ceiling -->',
  '',
].join('\n');
const footprint = (rssMB: number, pssMB: number) => ({ rssMB, pssMB });
const memoryCase = (guilds: number, pss: number) => ({
  guilds,
  shape: 'split',
  runs: [{ nodeOptions: '--v8-pool-size=1', discordJs: { cached: { guilds, channels: 2 * guilds, roles: 3 * guilds, members: 0 } } }],
  median: {
    runs: 3,
    services: { gateway: footprint(80, pss / 4), 'config-service': footprint(90, pss / 4) },
    redis: footprint(14, 6),
    total: footprint(300, pss),
    discordJs: footprint(120, 70),
  },
});

describe('scripts/bench-tables.mjs', () => {
  it('writes the memory table from the newest result that has it, with its verdict and source, and leaves tables no result has', () => {
    const older = { file: '/r/2026-01-01T00-00-00.000Z.json', data: { startedAt: '2026-01-01T00:00:00.000Z', memory: [memoryCase(10000, 150)] } };
    const newer = { file: '/r/2026-02-01T00-00-00.000Z.json', data: { startedAt: '2026-02-01T00:00:00.000Z', memory: [memoryCase(10000, 190)] } };
    const broken = { file: '/r/2026-03-01T00-00-00.000Z.json', data: { startedAt: '2026-03-01T00:00:00.000Z', memory: { error: 'failed' } } };
    const { doc, used, missing } = render(DOC, [older, broken, newer]);
    expect(used).toEqual([newer.file]);
    expect(missing).toEqual(['ceiling']);
    expect(doc).toContain('| 10,000 | 80 / 47.5 | 90 / 47.5 | 14 / 6 | 300 / **190** | 3 |');
    expect(doc).toContain('**Missed**: 190 MB PSS in total at 10,000 guilds (target ≤ 180 MB; 300 MB by summed RSS).');
    expect(doc).toContain('docs/bench-results/2026-02-01T00-00-00.000Z.json');
    expect(doc).not.toContain('old memory table');
    expect(doc).toContain('old ceiling table');
    expect(doc).toContain('prose');
  });

  it('takes medians over whatever ceiling runs and modes a result holds', () => {
    const run = (k: number, share: number, rateLimited: number) => ({
      k,
      ceilingPerSecond: 50 / k,
      sustainedPerSecond: (50 / k) * (share / 100),
      shareOfCeiling: share,
      rateLimited,
      opened: 100,
    });
    const data = {
      startedAt: '2026-02-01T00:00:00.000Z',
      ceiling: { webhooks: [run(2, 96, 0), run(2, 98, 1), run(2.1, 90, 0)], 'bot-token': [run(3, 97, 0)] },
    };
    const { doc } = render(DOC, [{ file: '/r/x.json', data }]);
    expect(doc).toMatch(/\| webhooks \| 3 \| 100 \| 2 \| 25\/s \| 24(\.0)?\/s \| \*\*96 %\*\* \| 0 \|/);
    expect(doc).toMatch(/\| bot-token \| 1 \| 100 \| 3 \|/);
  });
});
