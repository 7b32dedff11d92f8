import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** `make compose-test`: the stack under docker compose (tests/docker/), one file, in order. */
export default defineConfig({
  resolve: {
    alias: { '@promton/shared': fileURLToPath(new URL('./shared/src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['tests/docker/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 1_800_000,
    fileParallelism: false,
  },
});
