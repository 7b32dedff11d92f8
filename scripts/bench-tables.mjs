// Writes the tables of docs/benchmarks.md from the JSON results of `make bench`, between
// the marker comments `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`, so the document
// always shows a real run. Each table comes from the newest result file that has its
// section without an error; the files used are copied to docs/bench-results/ (committed)
// and named under each table.
//
//   node scripts/bench-tables.mjs [result.json ...]   (default: bench/results/*.json and docs/bench-results/*.json)
//   node scripts/bench-tables.mjs --check             (exit 1 when the document differs from what the files give)
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const usable = (value) => value !== undefined && value !== null && !(typeof value === 'object' && 'error' in value && Object.keys(value).length === 1);

const fmt = (n, digits = 1) => (typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : '—');
const ms = (n) => (typeof n === 'number' ? `${fmt(n, 0)} ms` : '—');
const mb = (n) => (typeof n === 'number' ? `${fmt(n)} MB` : '—');
const median = (values) => {
  const sorted = values.filter((v) => typeof v === 'number').sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : undefined;
};
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
/**
 * The document with every marked table rewritten from `results` ({ file, data } of each
 * result file, any order). Returns the new text, the files used and the tables no result has.
 */
export function renderTables(doc, results) {
  // Newest first: by startedAt, else by name (the bench names files by their start time).
  const sorted = [...results].sort((a, b) => String(b.data.startedAt ?? basename(b.file)).localeCompare(String(a.data.startedAt ?? basename(a.file))));
  const used = new Set();
  const source = (r) => {
    used.add(r.file);
    const m = r.data.machine ?? {};
    return `<sub>From \`docs/bench-results/${basename(r.file)}\` (run of ${String(r.data.startedAt ?? '?')
      .slice(0, 16)
      .replace('T', ' ')} UTC; ${m.cores ?? '?'} cores, Node ${m.node ?? '?'}).</sub>`;
  };
  const verdict = (met, text) => `${met ? '**Met**' : '**Missed**'}: ${text}.`;

  const sections = {
    ack(r) {
      if (!usable(r.data.ack)) return undefined;
      const rows = Object.entries(r.data.ack).map(([rate, { runs = [], median: m = {} }]) => [
        `${fmt(Number(rate), 0)}/s`,
        `${fmt(m.achievedPerSecond)}/s`,
        ms(m.p50),
        `**${ms(m.p99)}**`,
        ms(m.max),
        fmt(m.unanswered, 0),
        runs.map((x) => `${fmt(x.p50, 0)}/${fmt(x.p99, 0)}/${fmt(x.max, 0)} (${fmt(x.unanswered, 0)})`).join(' · '),
      ]);
      const at500 = r.data.ack['500']?.median;
      const at1000 = r.data.ack['1000']?.median;
      return [
        table(['requested', 'achieved', 'p50', 'p99', 'max', 'unanswered', 'each run: p50/p99/max (unanswered)'], rows),
        '',
        at500 ? verdict(at500.p99 <= 20 && at500.unanswered === 0, `p99 ${ms(at500.p99)} at 500/s (target ≤ 20 ms, 0 unanswered)`) : '',
        at1000
          ? verdict(
              at1000.p99 <= 20 && at1000.unanswered === 0,
              `p99 ${ms(at1000.p99)} and ${fmt(at1000.unanswered, 0)} unanswered at 1,000/s (target ≤ 20 ms, 0 unanswered)`,
            )
          : '',
        '',
        source(r),
      ].join('\n');
    },
    sustain(r) {
      const m = r.data.sustain?.median;
      if (!m) return undefined;
      const runs = r.data.sustain.runs.filter((x) => !('error' in x));
      const rows = runs.map((x) => [
        `${fmt(x.requested, 0)}/s for ${fmt(x.seconds, 0)} s`,
        `${fmt(x.achievedPerSecond)}/s`,
        fmt(x.sent, 0),
        `**${fmt(x.unanswered, 0)}**`,
        ms(x.p50),
        `**${ms(x.p99)}**`,
        ms(x.max),
        `${fmt(x.gatewayCpuMsPerInteraction, 3)} ms`,
        fmt(x.interactionsPerCoreSecond, 0),
        fmt(x.loadAverageAtStart, 2),
      ]);
      const first = runs[0] ?? {};
      return [
        table(
          [
            'run',
            'achieved',
            'sent',
            'unanswered',
            'p50',
            'p99',
            'max',
            'gateway CPU per interaction',
            'interactions/s one core answers',
            'load average at start',
          ],
          rows,
        ),
        '',
        verdict(
          m.unanswered === 0 && m.p99 <= 20,
          `${fmt(m.unanswered, 0)} unanswered and p99 ${ms(m.p99)} over ${fmt(first.seconds, 0)} s at ${fmt(first.requested, 0)}/s (target 0 unanswered, p99 ≤ 20 ms)${m.runs > 1 ? `; medians of ${m.runs} runs` : ''}`,
        ),
        '',
        `One core answers **${fmt(m.interactionsPerCoreSecond, 0)} interactions/s**: 1 s ÷ the gateway's ${fmt(m.gatewayCpuMsPerInteraction, 3)} ms of CPU per interaction (its process's utime + stime over the run ÷ interactions).`,
        first.redisCommandsPerInteraction
          ? `\nRedis commands per interaction over the run (all processes): ${Object.entries(first.redisCommandsPerInteraction)
              .slice(0, 8)
              .map(([name, n]) => `${name} ${fmt(n, 2)}`)
              .join(', ')}.`
          : '',
        first.gatewayLog
          ? `\nThe gateway's process ${first.gatewayAlive ? 'still ran at the end' : '**was gone at the end**'}; it dropped at least ${fmt(first.gatewayLog.dropped, 0)} interactions that waited over 2 s for their turn (reported every 5 s), and logged: ${
              Object.entries(first.gatewayLog.lines)
                .sort((a, b) => b[1] - a[1])
                .slice(0, 6)
                .map(([msg, n]) => `"${msg}" ×${fmt(n, 0)}`)
                .join(', ') || 'nothing at warn or above'
            }.`
          : '',
        '',
        source(r),
      ].join('\n');
    },
    cpu(r) {
      const s = r.data.sustain?.runs?.find((x) => x && !('error' in x) && x.cpu);
      const ceilings = usable(r.data.ceiling) ? Object.entries(r.data.ceiling) : [];
      const perOpen = ceilings
        .map(([mode, value]) => [mode, (Array.isArray(value) ? value : [value]).filter((x) => x && !('error' in x) && x.cpuPerOpen)])
        .filter(([, runs]) => runs.length);
      if (!s && !perOpen.length) return undefined;
      const names = ['gateway', 'config-service', 'ticket-worker', 'log-worker', 'redis'];
      const rows = [];
      if (s) {
        const medianSustain = r.data.sustain.median;
        rows.push([
          `per interaction (${fmt(s.requested, 0)}/s for ${fmt(s.seconds, 0)} s)`,
          ...names.map((n) => (n === 'gateway' ? `**${fmt(medianSustain.gatewayCpuMsPerInteraction, 3)}**` : fmt(s.cpu.cpuMsPer[n], 3))),
          fmt(s.cpu.totalCpuMsPer, 3),
          '1',
        ]);
      }
      for (const [mode, runs] of perOpen)
        rows.push([
          `per ticket open, ${mode}`,
          ...names.map((n) => fmt(median(runs.map((x) => x.cpuPerOpen.cpuMsPer[n])), 1)),
          `**${fmt(median(runs.map((x) => x.cpuPerOpen.totalCpuMsPer)), 1)}**`,
          fmt(runs.length, 0),
        ]);
      return [
        'CPU milliseconds (utime + stime from `/proc/<pid>/stat`), medians of the runs:',
        '',
        table(['', 'gateway', 'config-service', 'ticket-worker', 'log-worker', 'Redis', 'stack', 'runs'], rows),
        '',
        s ? 'Per interaction: the other processes over the same window (the workers, at nice 10, had not drained their backlog by then).' : '',
        perOpen.length ? 'Per ticket open: the four services and Redis from the first click until 5 s after the last answer, ÷ tickets opened.' : '',
        '',
        source(r),
      ].join('\n');
    },
    open(r) {
      if (!usable(r.data.open)) return undefined;
      const rows = Object.entries(r.data.open)
        .filter(([, v]) => usable(v))
        .map(([mode, { runs = [], median: m = {} }]) => [
          mode,
          ms(m.p50),
          ms(m.p99),
          ms(m.max),
          runs.map((x) => `${fmt(x.answered, 0)} / ${fmt(x.opens, 0)}`).join(' · '),
        ]);
      return [table(['mode', 'p50', 'p99', 'max', 'opens answered ✅ (each run)'], rows), '', source(r)].join('\n');
    },
    ceiling(r) {
      if (!usable(r.data.ceiling)) return undefined;
      // Whatever modes and runs the file has; each figure is the median over the runs that finished.
      const rows = Object.entries(r.data.ceiling).map(([mode, value]) => {
        const runs = (Array.isArray(value) ? value : [value]).filter((x) => x && !('error' in x));
        const med = (key) => median(runs.map((x) => x[key]));
        const share = med('shareOfCeiling');
        return [
          mode,
          fmt(runs.length, 0),
          fmt(median(runs.map((x) => x.opened ?? x.opens)), 0),
          fmt(med('k'), 3),
          `${fmt(med('ceilingPerSecond'), 2)}/s`,
          `${fmt(med('sustainedPerSecond'), 2)}/s`,
          share === undefined ? '—' : `**${fmt(share)} %**`,
          fmt(med('rateLimited'), 0),
          runs.map((x) => `k ${fmt(x.k, 3)}, ${fmt(x.shareOfCeiling)} %, ${fmt(x.rateLimited, 0)} × 429`).join(' · '),
        ];
      });
      return [
        table(['mode', 'runs', 'opened', 'k', 'ceiling 50/k', 'sustained', 'share', '429s', 'each run'], rows),
        '',
        'Figures are medians over the runs listed (`BENCH_CEILING_RUNS`).',
        '',
        source(r),
      ].join('\n');
    },
    memory(r) {
      if (!Array.isArray(r.data.memory)) return undefined;
      const split = r.data.memory.filter((c) => c.shape === 'split' && c.median);
      if (!split.length) return undefined;
      const names = Object.keys(split[0].median.services);
      const rows = split.map((c) => [
        fmt(c.guilds, 0),
        ...names.map((n) => `${fmt(c.median.services[n]?.rssMB)} / ${fmt(c.median.services[n]?.pssMB)}`),
        `${fmt(c.median.redis?.rssMB)} / ${fmt(c.median.redis?.pssMB)}`,
        `${fmt(c.median.total?.rssMB)} / **${fmt(c.median.total?.pssMB)}**`,
        fmt(c.median.runs, 0),
      ]);
      const at10k = split.find((c) => c.guilds === 10000)?.median.total;
      const flags = r.data.memory.find((c) => c.runs?.[0]?.nodeOptions)?.runs[0].nodeOptions;
      return [
        'RSS / PSS in MB, medians of the runs:',
        '',
        table(['guilds', ...names, 'Redis', 'total', 'runs'], rows),
        '',
        at10k ? verdict(at10k.pssMB <= 180, `${mb(at10k.pssMB)} PSS in total at 10,000 guilds (target ≤ 180 MB; ${mb(at10k.rssMB)} by summed RSS)`) : '',
        flags ? `\nV8 flags of every service: \`${flags}\` (the Dockerfile's).` : '',
        '',
        source(r),
      ].join('\n');
    },
    peer(r) {
      if (!Array.isArray(r.data.memory)) return undefined;
      const cases = r.data.memory.filter((c) => c.shape === 'split' && c.median?.discordJs);
      if (!cases.length) return undefined;
      const rows = cases.map((c) => {
        const cached = c.runs.find((x) => x.discordJs?.cached)?.discordJs.cached ?? {};
        return [
          fmt(c.guilds, 0),
          `${fmt(c.median.total.rssMB)} / **${fmt(c.median.total.pssMB)}**`,
          `${fmt(c.median.discordJs.rssMB)} / **${fmt(c.median.discordJs.pssMB)}**`,
          `${fmt(cached.guilds, 0)} guilds, ${fmt(cached.channels, 0)} channels, ${fmt(cached.roles, 0)} roles, ${fmt(cached.members, 0)} members`,
        ];
      });
      return [
        'RSS / PSS in MB, medians of the runs:',
        '',
        table(['guilds', 'PROMTON: four services + Redis', 'discord.js Client, default caches', 'what the Client cached'], rows),
        '',
        source(r),
      ].join('\n');
    },
    single(r) {
      if (!Array.isArray(r.data.memory)) return undefined;
      const cases = r.data.memory.filter((c) => c.shape === 'single' && c.median);
      if (!cases.length) return undefined;
      const split = (guilds) => r.data.memory.find((c) => c.shape === 'split' && c.guilds === guilds)?.median;
      const rows = cases.map((c) => {
        const one = c.median.services['all-in-one'];
        const four = split(c.guilds);
        return [
          fmt(c.guilds, 0),
          `**${fmt(one?.rssMB)}** / ${fmt(one?.pssMB)}`,
          `${fmt(c.median.redis?.rssMB)} / ${fmt(c.median.redis?.pssMB)}`,
          four ? `${fmt(four.total.rssMB - four.redis.rssMB)} / ${fmt(four.total.pssMB - four.redis.pssMB)}` : '—',
          fmt(c.median.runs, 0),
        ];
      });
      const at100 = cases.find((c) => c.guilds === 100)?.median.services['all-in-one'];
      return [
        'RSS / PSS in MB, medians of the runs:',
        '',
        table(['guilds', 'all-in-one process', 'Redis', 'the four processes (same guilds)', 'runs'], rows),
        '',
        at100 ? verdict(at100.rssMB <= 110, `${mb(at100.rssMB)} RSS for the one process at 100 guilds (target ≤ 110 MB)`) : '',
        '',
        source(r),
      ].join('\n');
    },
  };

  const missing = [];
  for (const [name, render] of Object.entries(sections)) {
    const pattern = new RegExp(`(<!-- bench:${name} -->)[\\s\\S]*?(<!-- /bench:${name} -->)`);
    if (!pattern.test(doc)) continue;
    // The newest result that has this table's figures.
    let body;
    for (const r of sorted) if ((body = render(r)) !== undefined) break;
    // No result has the figures, but the newest run of the scenario failed: say so, with its error.
    const failed = body === undefined ? sorted.find((r) => r.data[name]?.error !== undefined) : undefined;
    if (failed)
      body = `The run of ${String(failed.data.startedAt).slice(0, 16).replace('T', ' ')} UTC did not finish this scenario: \`${String(failed.data[name].error).split('\n')[0]}\`.\n\n${source(failed)}`;
    if (body === undefined) {
      missing.push(name);
      continue;
    }
    doc = doc.replace(pattern, (_all, open, close) => `${open}\n${body.replace(/\n{3,}/g, '\n\n').trim()}\n${close}`);
  }
  return { doc, used: [...used], missing };
}

function main() {
  const ROOT = resolve(import.meta.dirname, '..');
  const DOC = join(ROOT, 'docs', 'benchmarks.md');
  const KEPT = join(ROOT, 'docs', 'bench-results');
  const check = process.argv.includes('--check');
  const given = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const jsonIn = (dir) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => join(dir, f))
      : [];
  const files = given.length ? given.map((f) => resolve(f)) : [...jsonIn(join(ROOT, 'bench', 'results')), ...jsonIn(KEPT)];
  const results = files.map((file) => ({ file, data: JSON.parse(readFileSync(file, 'utf8')) }));
  const before = readFileSync(DOC, 'utf8');
  const { doc, used, missing } = renderTables(before, results);
  if (missing.length) console.warn(`no result has ${missing.join(', ')}: those tables are left as they were`);
  if (check) {
    if (doc !== before) {
      console.error('docs/benchmarks.md differs from what the result files give: run node scripts/bench-tables.mjs');
      process.exit(1);
    }
    return;
  }
  writeFileSync(DOC, doc);
  mkdirSync(KEPT, { recursive: true });
  for (const file of used) if (resolve(file) !== join(KEPT, basename(file))) copyFileSync(file, join(KEPT, basename(file)));
  console.log(`docs/benchmarks.md: tables from ${used.map((f) => basename(f)).join(', ') || 'no file'}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
