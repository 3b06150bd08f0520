/**
 * Runs the cases of a test file in process: each on the scripted model with its answers, in a fresh
 * temporary workspace and runs folder, then checks what the finished run shows. A passed case's
 * folder is removed; a failed case's is kept so its run record can be read (`sop runs`, events).
 */

import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isSopError, SopError } from '../errors/index.js';
import { createRuntime, type SopRuntime } from '../providers/sop-runtime.js';
import { createScriptedModel } from '../providers/script/index.js';
import { runSop, scriptedApprover, type RunResult } from '../runtime/index.js';
import { mapConcurrent } from '../runtime/map-concurrent.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { loadResolvedSop } from '../spec/index.js';
import { checkExpectations, type ExpectationResult } from './expectations.js';
import { observeRun, type ObservedRun } from './observed-run.js';
import { SopLocator, type SopLocation } from './sop-locations.js';
import type { Expectations } from './sop-test.types.generated.js';
import type { TestCase, TestFile } from './test-file.js';

export type CaseStatus = 'passed' | 'failed' | 'skipped';

export interface CaseResult {
  name: string;
  status: CaseStatus;
  durationMs: number;
  /** Where the case starts in the test file. */
  location: SopLocation;
  /** Why it was skipped. */
  skipped?: string;
  /** How the case's run ended (also a run refused before it started: status `failed`, the error's code). */
  run?: { status: string; exitCode: number; errorCode?: string };
  /** Every expectation checked, passed or not. */
  expectations: ExpectationResult[];
  /** A failed case's kept folder (workspace and run record). */
  kept?: string;
  /** Calls the case's answers did not script (the offline model answered), each once: what to script next. */
  unscripted: string[];
}

export interface FileResult {
  file: string;
  sop: string;
  cases: CaseResult[];
}

export interface RunTestsOptions {
  /** Cases of the file run at once. */
  concurrency: number;
  /** Rewrite golden files (`--update`). */
  update?: boolean;
  /** Only cases whose name (or the file's path) contains it. */
  filter?: string;
  /** Stop at the first failed case: the cases not started yet are skipped (`--bail`). */
  bail?: boolean;
  /** Shared by every case (endpoint limits, secret mask); default a new one. */
  runtime?: SopRuntime;
  /** Told as each case ends (for live output). */
  onCase?: (result: CaseResult, file: TestFile) => void;
}

/** Runs the cases of `file` that pass the filter. An SOP that does not load fails every case with its error. */
export async function runTestFile(file: TestFile, options: RunTestsOptions): Promise<FileResult> {
  const sopDisplay = displayPath(file.sop);
  const cases = file.cases.filter((entry) => options.filter === undefined || entry.name.includes(options.filter) || file.file.includes(options.filter));
  let sop: ResolvedSop | SopError;
  try {
    sop = (await loadResolvedSop(sopDisplay)).sop;
  } catch (error) {
    if (!isSopError(error)) throw error;
    sop = error;
  }
  const locator = SopLocator.read(file.sop, sopDisplay);
  const runtime = options.runtime ?? createRuntime();
  // Passed cases' folders are removed in the background (many small rmdirs are slow on some file
  // systems: half of a small case's time on overlayfs), and awaited before returning.
  const removals: Array<Promise<void>> = [];
  const remove = (folder: string): void => {
    removals.push(rm(folder, { recursive: true, force: true, maxRetries: 3 }));
  };
  let failed = false;
  const results = await mapConcurrent(cases, options.concurrency, async (entry) => {
    const skipped = options.bail && failed ? { ...entry, skip: BAILED } : entry;
    const result = await runCase(skipped, sop, { file, locator, runtime, update: options.update ?? false, remove });
    failed ||= result.status === 'failed';
    options.onCase?.(result, file);
    return result;
  });
  await Promise.all(removals);
  return { file: file.file, sop: sopDisplay, cases: results };
}

/** Why a case did not run with `bail`. */
export const BAILED = 'not run: an earlier case failed (--bail)';

interface CaseContext {
  file: TestFile;
  locator: SopLocator;
  runtime: SopRuntime;
  update: boolean;
  /** Removes a passed case's folder. */
  remove(folder: string): void;
}

async function runCase(entry: TestCase, sop: ResolvedSop | SopError, context: CaseContext): Promise<CaseResult> {
  const location = { file: context.file.file, line: entry.position.line, column: entry.position.column };
  const base = { name: entry.name, location };
  if (entry.skip !== undefined) return { ...base, status: 'skipped', durationMs: 0, skipped: entry.skip, expectations: [], unscripted: [] };
  const clock = performance.now();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sop-test-'));
  const workspace = path.join(folder, 'workspace');
  if (entry.workspace !== undefined) cpSync(entry.workspace, workspace, { recursive: true });
  else mkdirSync(workspace);
  let observed: ObservedRun;
  const scripted = createScriptedModel(entry.script);
  try {
    if (sop instanceof SopError) throw sop;
    const result: RunResult = await runSop(sop, {
      inputs: entry.inputs,
      cwd: folder,
      workspace,
      runsDir: path.join(folder, 'runs'),
      model: scripted,
      modelName: 'script',
      approve: scriptedApprover(scripted),
      runtime: context.runtime,
      ...(entry.nRound === undefined ? {} : { nRound: entry.nRound }),
      ...(entry.investment === undefined ? {} : { investment: entry.investment }),
    });
    observed = await observeRun(result);
  } catch (error) {
    // Refused before it ran (bad inputs, an SOP that does not load): a failing case, unless it expects that error.
    if (!isSopError(error)) throw error;
    observed = refusedRun(error, workspace, folder);
  }
  const expectations = checkExpectations(observed, withImplicitStatus(entry.expect), {
    baseDir: context.file.dir,
    update: context.update,
    sop: context.locator,
  });
  const passed = expectations.every((expectation) => expectation.passed);
  if (passed) context.remove(folder);
  return {
    ...base,
    status: passed ? 'passed' : 'failed',
    durationMs: Math.round(performance.now() - clock),
    run: { status: observed.status, exitCode: observed.exitCode, ...(observed.errorCode === undefined ? {} : { errorCode: observed.errorCode }) },
    expectations,
    ...(passed ? {} : { kept: folder }),
    unscripted: scripted.unscripted(),
  };
}

/** A case that says nothing of how the run ends expects it to complete. */
function withImplicitStatus(expect: Expectations): Expectations {
  return expect.status === undefined && expect.exit_code === undefined && expect.error === undefined ? { status: 'completed', ...expect } : expect;
}

/** A run refused before it started, as an observed run: failed with the error's code and exit code, nothing published. */
function refusedRun(error: SopError, workspace: string, folder: string): ObservedRun {
  return {
    status: 'failed',
    exitCode: error.exitCode,
    errorCode: error.code,
    errorMessage: error.message,
    messages: [],
    steps: [],
    gates: [],
    usage: { costUsd: 0, inputTokens: 0, outputTokens: 0, calls: 0 },
    workspace,
    runDir: folder,
  };
}

/** Relative to the current folder when inside it: how files are named in output. */
export function displayPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}
