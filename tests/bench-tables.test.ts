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

  it('writes the sustained first-response table with its verdict and the interactions one core answers, and the CPU table from the same result', () => {
    const doc = ['<!-- bench:sustain -->', 'old', '<!-- /bench:sustain -->', '<!-- bench:cpu -->', 'old', '<!-- /bench:cpu -->', ''].join('\n');
    const cpuPer = (per: Record<string, number>, total: number) => ({ cpuMs: {}, cpuMsPer: per, totalCpuMsPer: total });
    const sustainRun = (p99: number, unanswered: number, gatewayCpuMsPerInteraction: number) => ({
      requested: 1000,
      seconds: 60,
      achievedPerSecond: 998.5,
      sent: 60000,
      unanswered,
      p50: 4,
      p99,
      max: 80,
      gatewayCpuMsPerInteraction,
      interactionsPerCoreSecond: Math.round(1000 / gatewayCpuMsPerInteraction),
      cpu: cpuPer({ gateway: gatewayCpuMsPerInteraction, 'config-service': 0.5, 'ticket-worker': 0.25, 'log-worker': 0, redis: 0.125 }, 3),
      loadAverageAtStart: 0.42,
      redisCommandsPerInteraction: { evalsha: 2, get: 1.5, xread: 0.25 },
    });
    const ceilingRun = (total: number) => ({
      k: 2,
      shareOfCeiling: 97,
      opened: 1500,
      cpuPerOpen: cpuPer({ gateway: 1, 'config-service': 10, 'ticket-worker': 20, 'log-worker': 5, redis: 2 }, total),
    });
    const data = {
      startedAt: '2026-02-01T00:00:00.000Z',
      sustain: {
        runs: [sustainRun(12, 0, 2)],
        median: { runs: 1, unanswered: 0, p50: 4, p99: 12, max: 80, gatewayCpuMsPerInteraction: 2, interactionsPerCoreSecond: 500 },
      },
      ceiling: { optimized: [ceilingRun(38), ceilingRun(40), { error: 'failed' }, ceilingRun(50)] },
    };
    const { doc: out, missing } = render(doc, [{ file: '/r/2026-02-01T00-00-00.000Z.json', data }]);
    expect(missing).toEqual([]);
    expect(out).toContain('| 1,000/s for 60 s | 998.5/s | 60,000 | **0** | 4 ms | **12 ms** | 80 ms | 2 ms | 500 | 0.42 |');
    expect(out).toContain('**Met**: 0 unanswered and p99 12 ms over 60 s at 1,000/s (target 0 unanswered, p99 ≤ 20 ms).');
    expect(out).toContain('One core answers **500 interactions/s**');
    expect(out).toContain('Redis commands per interaction over the run (all processes): evalsha 2, get 1.5, xread 0.25.');
    expect(out).toContain('| per interaction (1,000/s for 60 s) | **2** | 0.5 | 0.25 | 0 | 0.125 | 3 | 1 |');
    expect(out).toContain('| per ticket open, optimized | 1 | 10 | 20 | 5 | 2 | **40** | 3 |');

    const missed = { ...data, sustain: { runs: [sustainRun(35, 7, 2)], median: { ...data.sustain.median, unanswered: 7, p99: 35 } } };
    expect(render(doc, [{ file: '/r/x.json', data: missed }]).doc).toContain('**Missed**: 7 unanswered and p99 35 ms over 60 s at 1,000/s');
  });
});
