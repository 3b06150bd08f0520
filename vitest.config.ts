import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A guard against hangs, not a speed target: the end-to-end tests run the CLI several times each
    // and take 20-30 s on a loaded 2-core machine.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most tests wait on child processes and loopback servers, not the CPU: three workers on the
    // 2-core CI machine take the suite from ~235 s to ~155 s (vitest's default there is one).
    maxWorkers: 3,
    globalSetup: ['test/global-setup.ts'],
  },
});
