/**
 * Runs the cases of a test file in process: each on the scripted model with its answers, in a fresh
 * temporary workspace and runs folder, then checks what the finished run shows. A passed case's
 * folder is removed; a failed case's is kept so its run record can be read (`sop runs`, events).
 */

import { cpSync, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { isSopError, SopError, type Diagnostic } from '../errors/index.js';
import { makeTemporaryFolder, shownPath } from '../files/index.js';
import { createRuntime, type SopRuntime } from '../providers/sop-runtime.js';
import { createScriptedModel } from '../providers/script/index.js';
import { runSop, scriptedApprover, type RunEnvironment, type RunResult } from '../runtime/index.js';
import { answerMisfits, answerMisfitWarning } from '../runtime/script-fit.js';
import { mapConcurrent } from '../runtime/map-concurrent.js';
import { quoteArgument } from '../runtime/shell-argument.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { loadResolvedSop } from '../spec/index.js';
import { expectationsThatMissTheSop } from './expect-fit.js';
import { inputsThatMissTheSop } from './input-fit.js';
import { whereValuesOutsideEnums, wheresThatMissTheSop } from './where-fit.js';
import { checkExpectations, type ExpectationResult } from './expectations.js';
import { observeRun, type ObservedRun } from './observed-run.js';
import { SopLocator, type SopLocation } from './sop-locations.js';
import type { Expectations } from './sop-test.types.generated.js';
import { isWithin, joinPointer } from '../spec/pointer.js';
import type { BrokenTestFile, TestCase, TestFile } from './test-file.js';

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
  run?: { status: string; exitCode: number; errorCode?: string; hint?: string };
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
  /** What can never hold or serve (`testFileWarnings`) in the cases that ran: the same warnings `sop test` prints before its cases. */
  warnings: Diagnostic[];
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
  /** Aborted (Ctrl-C): the running cases' runs stop, the cases not started yet are skipped. */
  signal?: AbortSignal;
  /** The file's SOP and its warnings, from `checkTestFilesAgainstSops` with the same `filter`; else loaded and computed here. */
  checked?: CheckedTestFile;
  /** Told of each case in the file's order, as soon as it and every case before it have ended (for live output). */
  onCase?: (result: CaseResult, file: TestFile) => void;
  /** Model-call events in each run's journal carry the rendered prompts, secrets masked (`--event-prompts`): read them in a failed case's kept record. */
  eventPrompts?: boolean;
  /** The SOP's `${env:NAME}` references read (MCP servers, HTTP tools' headers), and the values to mask, as `sop run` reads them; without it, as declared. */
  readEnvironment?: EnvironmentReader;
  /** How the hints of each case's run type `sop` (`RunOptions.sopCommand`; default `sop`). */
  sopCommand?: string;
}

/** Reads an SOP's `${env:NAME}` references (throws CONFIG_ENV_MISSING for an unset one). */
type EnvironmentReader = (sop: ResolvedSop) => RunEnvironment;

/** The SOP a test file tests, or why it does not load (every case of the file then fails with that error). */
async function loadSopUnderTest(file: TestFile): Promise<ResolvedSop | SopError> {
  try {
    return (await loadResolvedSop(shownPath(file.sop))).sop;
  } catch (error) {
    if (!isSopError(error)) throw error;
    return error;
  }
}

/** A test file's SOP, loaded once, and the `testFileWarnings` of its selected cases, computed once: `sop test` prints them, `runTestFile` returns them. */
export interface CheckedTestFile {
  sop: ResolvedSop | SopError;
  warnings: Diagnostic[];
}

/** A case `--filter` left out whose inputs its SOP would refuse: where its first problem is written. */
export interface LeftOutCase {
  name: string;
  /** `FILE:LINE:COL` */
  location: string;
}

/**
 * Each file's SOP, loaded once for `runTestFile`, and the mistakes of the files' cases against it
 * that would refuse every run they make (inputs the SOP does not declare or lacks: input-fit.ts) or
 * fail every case whatever it does (a `where` reading a field no payload has: where-fit.ts).
 * With `filter`, only the cases it selects are checked: a case left out is often work in progress
 * while the selected one is fixed, so its problems do not refuse the others (`leftOut` names it).
 * The well-formed part of each `broken` file is checked too: its refusal then names these mistakes
 * beside its own, instead of one run showing the schema's errors and the next the inputs'.
 * Each file's `warnings` are its selected cases' `testFileWarnings`: said before any case runs, not refused.
 */
export async function checkTestFilesAgainstSops(
  files: TestFile[],
  filter?: string,
  broken: readonly BrokenTestFile[] = [],
): Promise<{ checked: Map<TestFile, CheckedTestFile>; diagnostics: Diagnostic[]; leftOut: LeftOutCase[] }> {
  const checked = new Map<TestFile, CheckedTestFile>();
  const diagnostics: Diagnostic[] = [];
  const leftOut: LeftOutCase[] = [];
  for (const file of files) {
    const sop = await loadSopUnderTest(file);
    const selected = file.cases.filter((entry) => filter === undefined || matchesFilter(file, entry, filter));
    checked.set(file, checkedTestFile(file, sop, selected));
    if (sop instanceof SopError) continue;
    diagnostics.push(...inputsThatMissTheSop(file, sop, selected), ...wheresThatMissTheSop(file, sop, selected));
    for (const entry of file.cases) {
      if (selected.includes(entry)) continue;
      const [first] = inputsThatMissTheSop(file, sop, [entry]).sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
      if (first) leftOut.push({ name: entry.name, location: `${first.file ?? file.file}:${first.line ?? 1}:${first.column ?? 1}` });
    }
  }
  for (const { wellFormed } of broken) {
    if (!wellFormed) continue;
    const sop = await loadSopUnderTest(wellFormed.testFile);
    if (!(sop instanceof SopError)) diagnostics.push(...inputsOfWellFormedPart(wellFormed.testFile, wellFormed.removed, sop, filter));
  }
  return { checked, diagnostics, leftOut };
}

/**
 * The inputs' and `where`s' mistakes of a broken file's selected cases, quiet where a value was taken out: the
 * schema's error is there already, and what the case gives (or expects) is not known.
 */
function inputsOfWellFormedPart(file: TestFile, removed: readonly string[], sop: ResolvedSop, filter: string | undefined): Diagnostic[] {
  const touches = (pointer: string): boolean => removed.some((gone) => isWithin(pointer, gone) || isWithin(gone, pointer));
  const diagnostics: Diagnostic[] = [];
  for (const entry of file.cases) {
    if (filter !== undefined && !matchesFilter(file, entry, filter)) continue;
    const at = joinPointer('/cases', entry.index);
    // Whether it runs, or expects the refusal, is not known.
    if (touches(joinPointer(at, 'skip')) || touches(joinPointer(at, 'expect'))) continue;
    const inputsLost = touches(joinPointer(at, 'inputs')) || touches('/defaults/inputs');
    for (const diagnostic of [...inputsThatMissTheSop(file, sop, [entry]), ...wheresThatMissTheSop(file, sop, [entry])]) {
      if (diagnostic.pointer !== undefined && touches(diagnostic.pointer)) continue;
      if (diagnostic.code === 'INPUT_MISSING' && inputsLost) continue;
      diagnostics.push(diagnostic);
    }
  }
  return diagnostics;
}

/** Runs the cases of `file` that pass the filter. An SOP that does not load fails every case with its error. */
export async function runTestFile(file: TestFile, options: RunTestsOptions): Promise<FileResult> {
  const sopDisplay = shownPath(file.sop);
  const cases = file.cases.filter((entry) => options.filter === undefined || matchesFilter(file, entry, options.filter));
  const { sop, warnings } = options.checked ?? checkedTestFile(file, await loadSopUnderTest(file), cases);
  const locator = SopLocator.read(file.sop, sopDisplay);
  const runtime = options.runtime ?? createRuntime();
  // Passed cases' folders are removed in the background (many small rmdirs are slow on some file
  // systems: half of a small case's time on overlayfs), and awaited before returning.
  const removals: Array<Promise<void>> = [];
  const remove = (folder: string): void => {
    removals.push(rm(folder, { recursive: true, force: true, maxRetries: 3 }));
  };
  let failed = false;
  // Cases run at once but are told in the file's order: a case that ends early waits for those
  // declared before it, and is told as soon as they have been.
  const ended: Array<CaseResult | undefined> = [];
  let told = 0;
  const tell = (index: number, result: CaseResult): void => {
    ended[index] = result;
    for (let next = ended[told]; next !== undefined; next = ended[told]) {
      told += 1;
      options.onCase?.(next, file);
    }
  };
  const results = await mapConcurrent(cases, options.concurrency, async (entry, index) => {
    const notRun = options.signal?.aborted ? INTERRUPTED : options.bail && failed ? BAILED : undefined;
    const result = await runCase(notRun === undefined ? entry : { ...entry, skip: notRun }, sop, {
      file,
      locator,
      runtime,
      update: options.update ?? false,
      eventPrompts: options.eventPrompts === true,
      remove,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.readEnvironment ? { readEnvironment: options.readEnvironment } : {}),
      ...(options.sopCommand === undefined ? {} : { sopCommand: options.sopCommand }),
    });
    failed ||= result.status === 'failed';
    tell(index, result);
    return result;
  });
  await Promise.all(removals);
  return { file: file.file, sop: sopDisplay, cases: results, warnings };
}

/** A test file's SOP with the warnings of its `cases` against it (none when it does not load: every case fails with its error). */
function checkedTestFile(file: TestFile, sop: ResolvedSop | SopError, cases: readonly TestCase[]): CheckedTestFile {
  return { sop, warnings: sop instanceof SopError ? [] : testFileWarnings(file, sop, cases) };
}

/**
 * Scripted answers and expectations naming a role, action, gate or message type the SOP does not
 * have (usually a typo), answers its schemas refuse, and `where`s comparing a payload field with a
 * value its enum does not list, each once: warnings (ANSWER_MISFIT, EXPECT_UNMATCHABLE,
 * EXPRESSION_VALUE_NOT_IN_ENUM) at the field, as `sop validate` says them of a test file.
 */
function testFileWarnings(file: TestFile, sop: ResolvedSop, cases: readonly TestCase[] = file.cases): Diagnostic[] {
  const all = [...unservableAnswers(file, sop, cases), ...unmatchableExpectations(file, sop, cases), ...whereValuesOutsideEnums(file, sop, cases)];
  // Defaults' answers are every case's: said once, not once per case.
  const seen = new Set<string>();
  return all.filter(({ code, file: shown, line, column, message }) => {
    const key = `${code} ${shown}:${line}:${column} ${message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The scripted answers of `cases` that can serve no call of the SOP (a role, action or gate it does
 * not have) or whose `output` or `human: { edit }` its schema refuses, as warnings at the field that
 * says so, in the test file or its `script:` file: `sop test` says them before its cases run, `sop
 * validate` with the file's other problems.
 */
function unservableAnswers(file: TestFile, sop: ResolvedSop, cases: readonly TestCase[] = file.cases): Diagnostic[] {
  return cases.flatMap((entry) =>
    answerMisfits(entry.script, sop).map(({ index, field, why }): Diagnostic => {
      const place = entry.answerPlaces[index];
      const at = place === undefined ? { file: file.file, ...entry.position } : (place.fields[field] ?? place.at);
      return answerMisfitWarning(why, at);
    }),
  );
}

/**
 * The expectations of `cases` naming a role, action, gate or message type the SOP does not have,
 * as warnings at the field that names it: `sop test` says them before its cases run, `sop validate`
 * with the file's other problems.
 */
function unmatchableExpectations(file: TestFile, sop: ResolvedSop, cases: readonly TestCase[] = file.cases): Diagnostic[] {
  return cases.flatMap((entry) =>
    expectationsThatMissTheSop(entry.expect, sop).map(({ path: at, pointer, why }): Diagnostic => {
      const place = `${joinPointer('/cases', entry.index)}${pointer}`;
      return { code: 'EXPECT_UNMATCHABLE', severity: 'warning', message: `${at} can match nothing: ${why}`, file: file.file, ...file.locate(place), pointer: place };
    }),
  );
}

/** `--filter`: a case runs when its name or its test file's path contains the text. */
export function matchesFilter(file: TestFile, entry: TestCase, filter: string): boolean {
  return entry.name.includes(filter) || file.file.includes(filter);
}

/** Why a case did not run with `bail`. */
const BAILED = 'not run: an earlier case failed (--bail)';

/** Why a case did not run, or did not finish, after Ctrl-C. */
const INTERRUPTED = 'not run: interrupted';

interface CaseContext {
  file: TestFile;
  locator: SopLocator;
  runtime: SopRuntime;
  update: boolean;
  eventPrompts: boolean;
  signal?: AbortSignal;
  readEnvironment?: EnvironmentReader;
  sopCommand?: string;
  /** Removes a passed case's folder. */
  remove(folder: string): void;
}

async function runCase(entry: TestCase, sop: ResolvedSop | SopError, context: CaseContext): Promise<CaseResult> {
  const location = { file: context.file.file, line: entry.position.line, column: entry.position.column };
  const base = { name: entry.name, location };
  if (entry.skip !== undefined) return { ...base, status: 'skipped', durationMs: 0, skipped: entry.skip, expectations: [], unscripted: [] };
  const clock = performance.now();
  const folder = makeTemporaryFolder('sop-test');
  const workspace = path.join(folder, 'workspace');
  if (entry.workspace !== undefined) cpSync(entry.workspace, workspace, { recursive: true });
  else mkdirSync(workspace);
  let observed: ObservedRun;
  let refused = false;
  const scripted = createScriptedModel(entry.script);
  try {
    if (sop instanceof SopError) throw sop;
    // Read from the environment at each case, as each `sop run` reads it: an unset one refuses the case.
    const fromEnv = context.readEnvironment?.(sop);
    const result: RunResult = await runSop(sop, {
      inputs: entry.inputs,
      // A file input (`data: "@sample/sales.csv"`) is relative to the test file, as every path it names.
      cwd: context.file.dir,
      workspace,
      runsDir: path.join(folder, 'runs'),
      model: scripted,
      modelName: 'script',
      approve: scriptedApprover(scripted),
      runtime: context.runtime,
      durableWorkspace: false,
      eventPrompts: context.eventPrompts,
      ...(context.sopCommand === undefined ? {} : { sopCommand: context.sopCommand }),
      ...(context.signal ? { signal: context.signal } : {}),
      ...(entry.nRound === undefined ? {} : { nRound: entry.nRound }),
      ...(entry.investment === undefined ? {} : { investment: entry.investment }),
      ...fromEnv,
    });
    observed = await observeRun(result);
  } catch (error) {
    // Refused before it ran (bad inputs, an SOP that does not load): a failing case, unless it expects that error.
    if (!isSopError(error)) throw error;
    observed = refusedRun(error, workspace, folder);
    refused = true;
  }
  if (observed.status === 'interrupted' && context.signal?.aborted) {
    // Stopped by Ctrl-C, not by the SOP: neither passed nor failed.
    context.remove(folder);
    return { ...base, status: 'skipped', durationMs: Math.round(performance.now() - clock), skipped: INTERRUPTED, expectations: [], unscripted: [] };
  }
  const expectations = checkExpectations(observed, withImplicitStatus(entry.expect), {
    baseDir: context.file.dir,
    update: context.update,
    // Named with its test file: `sop test --update` alone tests the current folder, which may hold
    // other test files (their goldens rewritten too) and not this one (given from elsewhere).
    updateCommand: `${context.sopCommand ?? 'sop'} test ${quoteArgument(shownPath(path.join(context.file.dir, path.basename(context.file.file))))} --update`,
    sop: context.locator,
    origin: (pointer) => context.file.origin(`${joinPointer('/cases', entry.index)}${pointer}`),
  });
  const passed = expectations.every((expectation) => expectation.passed);
  // A failed run's folder is kept to be read; a refused run left no record to read.
  const keep = !passed && !refused;
  if (!keep) context.remove(folder);
  return {
    ...base,
    status: passed ? 'passed' : 'failed',
    durationMs: Math.round(performance.now() - clock),
    run: {
      status: observed.status,
      exitCode: observed.exitCode,
      ...(observed.errorCode === undefined ? {} : { errorCode: observed.errorCode }),
      ...(observed.errorHint === undefined ? {} : { hint: observed.errorHint }),
    },
    expectations,
    ...(keep ? { kept: folder } : {}),
    unscripted: scripted.unscripted(),
  };
}

/** A case that says nothing of how the run ends expects it to complete. */
export function withImplicitStatus(expect: Expectations): Expectations {
  return expect.status === undefined && expect.exit_code === undefined && expect.error === undefined ? { status: 'completed', ...expect } : expect;
}

/** A run refused before it started, as an observed run: failed with the error's code and exit code, nothing published. */
function refusedRun(error: SopError, workspace: string, folder: string): ObservedRun {
  return {
    status: 'failed',
    exitCode: error.exitCode,
    errorCode: error.code,
    errorMessage: firstProblem(error),
    messages: [],
    steps: [],
    gates: [],
    usage: { costUsd: 0, inputTokens: 0, outputTokens: 0, calls: 0 },
    workspace,
    written: [],
    runDir: folder,
  };
}

/**
 * An SOP that does not load says so in a block of formatted diagnostics (code, excerpt, hint): a
 * failure line needs the first problem, located, on one line.
 */
function firstProblem(error: SopError): string {
  const first = error.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
  if (!first) return error.message;
  const where = first.file === undefined ? '' : `${first.file}:${first.line ?? 1}:${first.column ?? 1}: `;
  const more = error.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length - 1;
  return `${where}${first.message}${first.hint ? ` (hint: ${first.hint})` : ''}${more > 0 ? ` (and ${more} more)` : ''}`;
}
