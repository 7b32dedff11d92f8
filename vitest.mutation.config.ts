import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The pure rules' unit tests only (no Redis, no processes): what `make mutation` runs per mutant. */
export default defineConfig({
  resolve: {
    alias: [{ find: /^@promton\/shared\/(domain|contracts|commands|runtime)$/, replacement: fileURLToPath(new URL('./shared/src/$1.ts', import.meta.url)) }],
  },
  test: {
    include: ['shared/src/domain/**/*.test.ts', 'services/*/src/domain/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
  },
});
