// Runs vitest with its JSON reporter and prints the plain summary line CI reads:
// "N passed, N failed, N skipped". Exit code is vitest's. SUMMARY_NAME (default
// `test-summary`) names the files it writes in .tmp/, so two runs can keep their own.
// The `postgres` project (config-service and the open/close e2e tests on PostgreSQL) runs
// when a server answers at TEST_POSTGRES_URL; otherwise the summary says it was skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import pg from 'pg';

const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
async function postgresAnswers() {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
// Another config (make compose-test) has no postgres project to leave out.
const postgres = process.argv.includes('--config') || (await postgresAnswers());
const where = postgresUrl.replace(/\/\/[^@]*@/, '//');

mkdirSync('.tmp', { recursive: true });
const name = process.env.SUMMARY_NAME || 'test-summary';
const report = `.tmp/${name}-vitest.json`;
rmSync(report, { force: true });
const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...(postgres ? [] : ['--project', 'sqlite', '--project', 'http-interactions', '--project', 'single-process']),
  ...process.argv.slice(2),
];
if (!postgres) console.log(`PostgreSQL does not answer at ${where}: the postgres project is skipped`);
const run = spawnSync('npx', args, { stdio: 'inherit' });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed = result.numPassedTests ?? 0;
  // A file that failed outside any test (an import error, a beforeAll) counts as one failure.
  const brokenFiles = (result.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
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
if (!postgres) console.log(`postgres: skipped (no server at ${where})`);
console.log(line);
process.exit(run.status ?? 1);
