#!/usr/bin/env node
/**
 * `make audit`: `npm audit --omit=dev` over what the images ship. Exit 0 when no high
 * or critical advisory is reported, 1 when one is (listed), 2 when the registry's
 * audit endpoint could not be asked (no verdict either way).
 */
import { spawnSync } from 'node:child_process';

const result = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
let report;
try {
  report = JSON.parse(result.stdout);
} catch {
  report = undefined;
}
const counts = report?.metadata?.vulnerabilities;
if (!counts) {
  const reason = report?.error?.summary || report?.message || (result.stderr || 'no report').trim().split('\n').pop();
  console.error(`npm audit could not run: ${reason}`);
  process.exit(2);
}
const serious = Object.entries(report.vulnerabilities ?? {}).filter(([, v]) => v.severity === 'high' || v.severity === 'critical');
console.log(`npm audit --omit=dev: ${counts.critical ?? 0} critical, ${counts.high ?? 0} high, ${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low`);
for (const [name, v] of serious)
  console.log(
    `  ${v.severity}: ${name} (${[v.via]
      .flat()
      .map((x) => (typeof x === 'string' ? x : x.title))
      .join('; ')})`,
  );
process.exit(serious.length > 0 ? 1 : 0);
