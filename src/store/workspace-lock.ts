import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { RunLock } from './run-lock.js';
import { ensureRunsFolder } from './run-store.js';

/**
 * The hold of a workspace by one run at a time: two runs of one SOP started at once would write
 * the same files, each overwriting the other's work. The lock lives in the runs folder, not in the
 * workspace (whose every file is the team's: a `reads` glob, a test command or `git status` would
 * see it), named by the workspace's real path: `<runsDir>/.workspace-<16 hex>.lock`. Runs that keep
 * their records in different runs folders do not see each other's holds.
 */
export function lockWorkspace(runsDir: string, workspace: string, runId: string, command: 'run' | 'resume'): RunLock {
  const real = realpathSync.native(workspace);
  const file = `.workspace-${createHash('sha256').update(real).digest('hex').slice(0, 16)}.lock`;
  const thing = {
    noun: 'workspace',
    file,
    label: real,
    code: 'WORKSPACE_LOCKED',
    hint: 'wait for that run to end (or stop it), or give this run a workspace of its own (--workspace DIR)',
  } as const;
  try {
    return RunLock.acquire(runsDir, `${command} ${runId}`, thing);
  } catch (error) {
    // Refusals and storage errors as they are; else the runs folder is missing (a project's first
    // run: made here, before its run folder) or is not a folder (refused as the run folder would be).
    if (error instanceof SopError) throw error;
    ensureRunsFolder(path.resolve(runsDir));
    return RunLock.acquire(runsDir, `${command} ${runId}`, thing);
  }
}
