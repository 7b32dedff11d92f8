import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/** `make compose-test`: the stack under docker compose (tests/docker/), one file, steps in order. */
export default defineConfig({
  resolve: base.resolve,
  test: {
    include: ['tests/docker/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 1_800_000,
    fileParallelism: false,
  },
});
