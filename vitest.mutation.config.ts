import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * What `make mutation` runs per mutant: the unit tests of the mutated files only (no Redis, no
 * processes; the repository's against an in-memory SQLite). Stryker runs, of these, only the
 * files that import the mutated code and, per mutant, only the tests that reached it.
 */
export default defineConfig({
  resolve: {
    alias: [{ find: /^@promton\/shared\/(domain|contracts|commands|runtime)$/, replacement: fileURLToPath(new URL('./shared/src/$1.ts', import.meta.url)) }],
  },
  test: {
    include: [
      'shared/src/domain/**/*.test.ts',
      'services/*/src/domain/**/*.test.ts',
      'services/config-service/src/db/*.test.ts',
      'services/web/src/owner-auth.test.ts',
      'shared/src/runtime/logger.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // One worker kept between test files: each mutant's run then costs its tests, not a fresh thread's start.
    isolate: false,
    // The machine is shared: a slow test is slow, not failed (Stryker's own timeoutMS catches endless loops).
    testTimeout: 60_000,
  },
});
