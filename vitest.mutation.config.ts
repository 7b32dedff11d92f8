import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { postgresReachable } from './scripts/stack/test-database.js';

/**
 * What `make mutation` runs per mutant: the unit tests of the mutated files only (no Redis, no
 * processes; the repository's against an in-memory SQLite and, when a server answers at
 * TEST_POSTGRES_URL, against a new Postgres database too, as in make test's `postgres`
 * project, so that the advisory-lock paths are tested). Stryker runs, of these, only the
 * files that import the mutated code and, per mutant, only the tests that reached it.
 */
const postgres = await postgresReachable();
if (!postgres) console.warn('PostgreSQL does not answer (TEST_POSTGRES_URL): the repository is mutated against SQLite only');

export default defineConfig({
  resolve: {
    alias: [{ find: /^@promton\/shared\/(domain|contracts|commands|runtime)$/, replacement: fileURLToPath(new URL('./shared/src/$1.ts', import.meta.url)) }],
  },
  test: {
    exclude: ['**/node_modules/**', '**/dist/**'],
    // One worker kept between test files: each mutant's run then costs its tests, not a fresh thread's start.
    isolate: false,
    // The machine is shared: a slow test is slow, not failed (Stryker's own timeoutMS catches endless loops).
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'shared/src/domain/**/*.test.ts',
            'services/*/src/domain/**/*.test.ts',
            'services/config-service/src/db/*.test.ts',
            'services/web/src/owner-auth.test.ts',
            'shared/src/runtime/logger.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/dist/**', '**/*.postgres.test.ts'],
        },
      },
      ...(postgres
        ? [{ extends: true as const, test: { name: 'postgres', include: ['services/config-service/src/db/*.test.ts'], env: { TEST_DATABASE: 'postgres' } } }]
        : []),
    ],
  },
});
