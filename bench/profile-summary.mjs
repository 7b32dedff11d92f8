// Where a process spent its CPU, from a `--cpu-prof` profile (BENCH_CPU_PROF=1 make bench, or
// any .cpuprofile): self time by package and the functions with the most self time.
//   node bench/profile-summary.mjs <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

/** node_modules/<package> (scoped too), node:<module>, the repo's own folder, or V8's pseudo-frames. */
const packageOf = (url) => {
  if (!url) return '(v8)';
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1];
  if (url.startsWith('node:')) return url;
  const own = /\/(services\/[^/]+|shared)\//.exec(url);
  return own ? own[1] : url;
};
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
const packages = new Map();
const functions = new Map();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  add(packages, packageOf(url), us);
  add(
    functions,
    `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(services|shared)\//, '$1/')}:${lineNumber + 1}` : ''}`,
    us,
  );
}
const pct = (us) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
print('self time by package', packages);
print('self time by function', functions);
