import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { RunLock } from './run-lock.js';

/**
 * The hold of a workspace by one run at a time: two runs of one SOP started at once would write
 * the same files, each overwriting the other's work. The lock lives in the runs folder, not in the
 * workspace (whose every file is the team's: a `reads` glob, a test command or `git status` would
 * see it), named by the workspace's real path: `<runsDir>/.workspace-<16 hex>.lock`. Runs that keep
 * their records in different runs folders do not see each other's holds.
 *
 * Taken once the run holds its run folder (`runLock`), as a second name of that lock's file (see
 * `RunLock.acquireLinked`): a refusal names the run from its journal's `run-info` line (or its
 * resume's `run.lock`), and the caller removes the run folder a refused new run made.
 */
export function lockWorkspace(runsDir: string, workspace: string, runLock: RunLock): RunLock {
  const real = realpathSync.native(workspace);
  const file = `.workspace-${createHash('sha256').update(real).digest('hex').slice(0, 16)}.lock`;
  const thing = {
    noun: 'workspace',
    file,
    label: real,
    code: 'WORKSPACE_LOCKED',
    hint: 'wait for that run to end (or stop it), or give this run a workspace of its own (--workspace DIR; runSop\'s `workspace` option)',
  } as const;
  return RunLock.acquireLinked(runsDir, thing, runLock);
}
