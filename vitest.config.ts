import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most tests wait on child processes and loopback servers, not the CPU: three workers on the
    // 2-core CI machine take the suite from ~235 s to ~155 s (vitest's default there is one).
    maxWorkers: 3,
    globalSetup: ['test/global-setup.ts'],
  },
});
