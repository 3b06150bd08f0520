import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * A program a test needs from the machine (a browser, a server), found on PATH. Missing, the test
 * is skipped visibly (its name says which Debian package to install), unless
 * `SOP_REQUIRE_SERVICES=1` (set by `.ci/run`, which installs them): then the test file fails, so
 * CI never passes by skipping.
 */
export interface ServiceProgram {
  /** The program's absolute path; undefined when missing. */
  path: string | undefined;
  /** For `it.skipIf(program.missing)`. */
  missing: boolean;
  /** For the test's name: what is missing and how to install it. */
  skipNote: string;
}

export function serviceProgram(names: readonly string[], debianPackage: string): ServiceProgram {
  const found = names.map(onPath).find((file) => file !== undefined);
  if (!found && process.env['SOP_REQUIRE_SERVICES'] === '1') {
    throw new Error(`${names.join(' or ')} is required (SOP_REQUIRE_SERVICES=1) but not on PATH: apt-get install ${debianPackage}`);
  }
  return { path: found, missing: found === undefined, skipNote: found ? '' : ` (skipped: ${names[0]} not found; apt-get install ${debianPackage})` };
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // next folder
    }
  }
  return undefined;
}
