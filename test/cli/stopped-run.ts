import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { repoRoot, sop, tempDir } from './run-cli.js';

const W1 = path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml');

/** A fresh project with one real run, stopped by its round limit (exit 5): the folder, the run's id and its runs folder. */
export async function projectWithStoppedRun(prefix: string): Promise<{ cwd: string; id: string; runs: string }> {
  const cwd = tempDir(prefix);
  const run = await sop(['run', W1, 'owls', '--n-round', '1'], { cwd });
  expect(run.code, run.stderr).toBe(5);
  const runs = path.join(cwd, '.sop', 'runs');
  return { cwd, id: readdirSync(runs).find((name) => !name.startsWith('.')) as string, runs };
}
