import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { runSop } from '../../../src/runtime/index.js';
import type { RunOptions, RunResult } from '../../../src/runtime/index.js';
import { loadResolvedSop } from '../../../src/spec/index.js';
import { readRunEvents } from '../../../src/store/index.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/runtime');

const temporary: string[] = [];
afterEach(() => {
  for (const folder of temporary.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A fresh temp folder removed after the test. */
export function tempFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sop-runtime-'));
  temporary.push(folder);
  return folder;
}

export interface FixtureRun {
  result: RunResult;
  /** The run's events, read from its journal. */
  events: Array<Record<string, unknown> & { type: string; seq: number }>;
  cwd: string;
}

/** Loads a fixture SOP and runs it in a temp folder with a fixed clock. */
export async function runFixture(name: string, options: Partial<RunOptions> = {}): Promise<FixtureRun> {
  const { sop } = await loadResolvedSop(path.join(FIXTURES, name));
  const cwd = options.cwd ?? tempFolder();
  let tick = 0;
  const result = await runSop(sop, {
    inputs: { idea: 'a todo app' },
    now: () => new Date(Date.UTC(2025, 0, 2, 3, 4, 5) + tick++ * 1000),
    ...options,
    cwd,
  });
  return { result, events: readEvents(result.runDir), cwd };
}

export function readEvents(runDir: string): FixtureRun['events'] {
  return readRunEvents(runDir);
}

export function eventsOf(run: FixtureRun, type: string): FixtureRun['events'] {
  return run.events.filter((event) => event.type === type);
}
