// Runs vitest with its JSON reporter and prints the plain summary line CI reads:
// "N passed, N failed, N skipped". Exit code is vitest's. SUMMARY_NAME (default
// `test-summary`) names the files it writes in .tmp/, so two runs can keep their own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

mkdirSync('.tmp', { recursive: true });
const name = process.env.SUMMARY_NAME || 'test-summary';
const report = `.tmp/${name}-vitest.json`;
rmSync(report, { force: true });
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const run = spawnSync('npx', args, { stdio: 'inherit' });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed = result.numPassedTests ?? 0;
  // A file that failed outside any test (an import error, a beforeAll) counts as one failure.
  const brokenFiles = (result.testResults ?? []).filter((file) => file.status === 'failed' && !(file.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  failed = (result.numFailedTests ?? 0) + brokenFiles;
  skipped = (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
} else {
  failed = 1;
}
if (run.status !== 0 && failed === 0) failed = 1;
// The last line is exactly "N passed, N failed": CI reads it. Skipped tests, if any, are said just before.
const line = `${passed} passed, ${failed} failed`;
writeFileSync(`.tmp/${name}.txt`, `${line}\n`);
if (skipped) console.log(`${skipped} skipped`);
console.log(line);
process.exit(run.status ?? 1);
