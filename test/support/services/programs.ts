import { spawnSync } from 'node:child_process';

/**
 * Tests that need a service program (a Debian package such as `redis-server` or `chromium`) run it
 * for real. When the program is missing they skip visibly, naming the package, unless
 * `SOP_REQUIRE_SERVICES=1` (set by `.ci/run`, which installs the packages), where a missing
 * program fails the test instead: CI never passes by skipping.
 */
export interface ServiceProgram {
  /** True when the test must be skipped (missing, and not required). */
  skip: boolean;
  /** Why it is skipped, for `it.skipIf(...)` titles and logs. */
  reason: string;
  /** Throws when the program is missing and services are required (call it in the test or `beforeAll`). */
  require(): void;
}

export function serviceProgram(program: string, debianPackage: string): ServiceProgram {
  const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).status === 0;
  const required = process.env['SOP_REQUIRE_SERVICES'] === '1';
  const reason = `needs \`${program}\` (Debian package ${debianPackage}: apt-get install -y ${debianPackage})`;
  return {
    skip: !found && !required,
    reason: found ? '' : reason,
    require: () => {
      if (!found) throw new Error(`SOP_REQUIRE_SERVICES=1 but ${reason}`);
    },
  };
}
