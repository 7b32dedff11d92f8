import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The end-to-end files that also run with interactions arriving over HTTP (STACK_INTERACTIONS=http). */
const httpInteractionsFiles = ['tests/e2e/open-ticket.test.ts', 'tests/e2e/lifecycle.test.ts'];
/** The end-to-end files that also run with the bot's four services in one all-in-one process (STACK_MODE=single). */
const singleProcessFiles = ['tests/e2e/open-ticket.test.ts', 'tests/e2e/lifecycle.test.ts'];
/**
 * Files that also run against Postgres (the `postgres` project, `TEST_DATABASE=postgres`):
 * config-service's suite and its repository's tests, the end-to-end open and close tests, and the files that only
 * make sense on Postgres (`*.postgres.test.ts`: replicas, the SQLite → Postgres copy);
 * `*.sqlite.test.ts` files are SQLite's own.
 */
const POSTGRES_FILES = [
  'services/config-service/test/**/*.test.ts',
  'services/config-service/src/db/*.test.ts',
  'tests/e2e/open-ticket.test.ts',
  'tests/e2e/lifecycle.test.ts',
];

export default defineConfig({
  resolve: {
    // @promton/shared/<entry> resolves to the entry's source (domain, contracts, commands, runtime),
    // @promton/discord-emulator (the emulator as a library: createEmulator, the typed client) to its source too.
    alias: [
      { find: /^@promton\/shared\/(domain|contracts|commands|runtime)$/, replacement: fileURLToPath(new URL('./shared/src/$1.ts', import.meta.url)) },
      { find: /^@promton\/discord-emulator$/, replacement: fileURLToPath(new URL('./services/discord-emulator/src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    // tests/docker/ runs under `make compose-test` (vitest.docker.config.ts).
    // Chaos scenarios that exist only at full size run under `make chaos` (CHAOS_FULL=1), never as skips in make test.
    exclude: [
      '**/node_modules/**',
      '**/dist/**',
      'tests/docker/**',
      ...(process.env.CHAOS_FULL === '1' ? [] : ['tests/chaos/redis-loss.test.ts', 'tests/chaos/guild-flood.test.ts', 'tests/chaos/scaled-workers.test.ts']),
    ],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // End-to-end files start several processes; two at a time fits these 2-core machines.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['shared/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'services/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', 'tests/docker/**', '**/*.postgres.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'http-interactions', include: httpInteractionsFiles, env: { STACK_INTERACTIONS: 'http' } },
      },
      {
        extends: true,
        // The same open and close tests against the one-process mode (services/all-in-one). Where a
        // test stops and starts one service, the whole process restarts twice (four services'
        // start each time, not one's): on a busy machine that takes minutes, hence the longer timeouts.
        test: { name: 'single-process', include: singleProcessFiles, env: { STACK_MODE: 'single' }, testTimeout: 240_000, hookTimeout: 300_000 },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: POSTGRES_FILES,
          exclude: ['**/node_modules/**', '**/dist/**', '**/*.sqlite.test.ts'],
          env: { TEST_DATABASE: 'postgres' },
          globalSetup: ['tests/support/postgres-setup.ts'],
        },
      },
    ],
  },
});
