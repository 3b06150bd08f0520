import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, tempDir } from '../cli/run-cli.js';

/**
 * A project recorded by an older sop (test/fixtures/NAME: `project/` with its SOP and workspace,
 * `run/` its run folder) copied into a temp folder, the run under `.sop/runs/RUN_ID`, with the
 * real project path put where the recording had `@@PROJECT@@`.
 */
export function recordedProject(fixture: string, runId: string): { cwd: string; runDir: string } {
  const from = path.join(repoRoot, 'test', 'fixtures', fixture);
  const cwd = tempDir(`sop-${fixture}-`);
  cpSync(path.join(from, 'project'), cwd, { recursive: true });
  const runDir = path.join(cwd, '.sop', 'runs', runId);
  cpSync(path.join(from, 'run'), runDir, { recursive: true });
  for (const name of readdirSync(runDir)) {
    const file = path.join(runDir, name);
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('@@PROJECT@@', cwd));
  }
  return { cwd, runDir };
}
