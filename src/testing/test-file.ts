/**
 * Reads a `sop test` file (`schemas/sop-test.v1.schema.json`, docs/testing.md) with the machinery
 * SOPs and scripts are read with: YAML with positions, the JSON Schema with `sop validate`'s
 * wording, then the rules the schema says badly (unique case names, scripted answers, a `script:`
 * file that loads, a `workspace:` folder that exists). Every problem is located (file:line:col) and
 * reported at once, as TEST_INVALID (exit 2).
 */

import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isSopError, SopError, type Diagnostic } from '../errors/index.js';
import { compileExpression } from '../expressions/index.js';
import { regexProblem } from '../expressions/regex.js';
import { answerKind, answerPlace, checkAnswers, loadScript, type Answer, type AnswerPlace, type Script } from '../providers/script/index.js';
import { dataFileError, missingApiVersion, readDataFile } from '../spec/data-file.js';
import { DiagnosticSink } from '../spec/diagnostic-sink.js';
import { literalEscape } from '../spec/rules/artifact-paths.js';
import { isWithin, joinPointer } from '../spec/pointer.js';
import { reportSchemaErrors } from '../spec/schema-errors.js';
import type { SourceOrigin } from '../spec/resolved.js';
import type { Position, SourceMap } from '../spec/source-map.js';
import { quotedName } from '../spec/text-encoding.js';
import { wellFormedPart } from '../spec/well-formed-part.js';
import { loadYaml } from '../spec/yaml-loader.js';
import { checkContradictions } from './expect-contradictions.js';
import { pointerOfPath } from './expect-fit.js';
import type { Case, Expectations, SopTestFile } from './sop-test.types.generated.js';
import { validate as generatedTestFileValidator } from './test-file.validator.generated.js';

const require = createRequire(import.meta.url);

/** The test file format's JSON Schema. */
export const TEST_SCHEMA = require('../../schemas/sop-test.v1.schema.json') as Record<string, unknown>;

/** One case, ready to run: the defaults applied, the script file's answers read. */
export interface TestCase {
  name: string;
  /** Index in the file's `cases`. */
  index: number;
  inputs: Record<string, string | number | boolean>;
  /** Where each of `inputs` is written: `/cases/2/inputs/idea`, or `/defaults/inputs/idea` for one the case takes from the defaults. */
  inputPlaces: Record<string, string>;
  /** Where a missing input is reported: the case's `inputs`, else `defaults.inputs`, else the case. */
  inputsAt: string;
  /** The scripted answers: defaults (those the case does not replace), the `script:` file's, the case's own. */
  script: Script;
  /** Where each of `script.answers` and its fields are written (the test file or its `script:` file), for warnings about answers that can serve no call. */
  answerPlaces: Array<AnswerPlace<FilePlace>>;
  /** Absolute folder copied into the case's workspace first. */
  workspace?: string;
  nRound?: number;
  investment?: number;
  skip?: string;
  expect: Expectations;
  /** Where the case starts in the test file. */
  position: Position;
}

/** A line and column of a named file. */
interface FilePlace extends Position {
  file: string;
}

/** A loaded test file. */
export interface TestFile {
  /** The path as given (for messages). */
  file: string;
  /** Its folder (absolute): what its relative paths are relative to. */
  dir: string;
  /** The SOP it tests (absolute). */
  sop: string;
  cases: TestCase[];
  /** Where a field of the file is (a JSON pointer, e.g. `/cases/2/expect/messages/1`): its value, or its key. */
  locate(pointer: string, at?: 'key' | 'value'): Position;
  /** Where a scalar's text is written, character by character (a `where`, so its evaluation errors name the file's line and column). */
  origin(pointer: string): SourceOrigin;
}

/**
 * The test file schema's validator, generated ahead of time by scripts/build-validator.mjs (`npm run
 * build`; a test fails when it is stale): compiling it when `sop test` starts cost ~150-200 ms before
 * the first case. Generated with `allErrors` and `verbose`, which the error mapper needs.
 */
function getValidator(): ValidateFunction {
  return generatedTestFileValidator as unknown as ValidateFunction;
}

const TEST_FILE = {
  noun: 'test file',
  splitHint: 'split it into several test files (`tests/*.yaml` beside the SOP)',
  pathHint: 'pass an SOP, a test file (`X.test.yaml`) or a folder: see docs/testing.md',
};

/** Reads and checks `file` (relative to `cwd`); throws FILE_NOT_FOUND, FILE_TOO_LARGE or TEST_INVALID. */
export function loadTestFile(file: string, cwd: string = process.cwd()): TestFile {
  const read = readDataFile(file, cwd, TEST_FILE);
  if (!read.ok) throw invalid([read.diagnostic]);
  return parseTestFile(read.text, file, cwd);
}

/**
 * A test file with problems: what they are and, when the rest of it still reads, its well-formed
 * part, which `sop test` checks against its SOP too, so that one refusal names every mistake.
 */
export interface BrokenTestFile {
  /** The path as given (for messages). */
  file: string;
  diagnostics: Diagnostic[];
  /** Each case's name as written, by index (undefined where none is readable): what `--filter` selects by. */
  caseNames: Array<string | undefined>;
  /**
   * The file with each broken value taken out, and the pointers of those values; absent when its
   * YAML or its skeleton is broken or no SOP is found for it.
   */
  wellFormed?: { testFile: TestFile; removed: readonly string[] };
}

/**
 * Reads every test file of a `sop test`: the ones that load, and the problems of the others, so
 * that one TEST_INVALID (`invalidTestFiles`) names the mistakes of all of them at once.
 */
export function readTestFiles(files: string[], cwd: string = process.cwd()): { files: TestFile[]; broken: BrokenTestFile[]; diagnostics: Diagnostic[] } {
  const loaded: TestFile[] = [];
  const broken: BrokenTestFile[] = [];
  for (const file of files) {
    const read = readDataFile(file, cwd, TEST_FILE);
    if (!read.ok) {
      broken.push({ file, diagnostics: [read.diagnostic], caseNames: [] });
      continue;
    }
    const examined = examineTestFile(read.text, file, cwd);
    if (examined.diagnostics.some(({ severity }) => severity === 'error')) broken.push({ file, ...examined });
    else if (examined.wellFormed) loaded.push(examined.wellFormed.testFile);
  }
  return { files: loaded, broken, diagnostics: broken.flatMap((entry) => entry.diagnostics) };
}

/** One TEST_INVALID for the problems of several test files, each file's in order of line. */
export function invalidTestFiles(diagnostics: Diagnostic[]): SopError {
  return invalid(diagnostics);
}

/** Checks a test file's text; `file` (relative to `cwd`) names it and anchors its relative paths. */
export function parseTestFile(text: string, file: string, cwd: string = process.cwd()): TestFile {
  const { diagnostics, wellFormed } = examineTestFile(text, file, cwd);
  if (!wellFormed || diagnostics.some(({ severity }) => severity === 'error')) throw invalid(diagnostics);
  return wellFormed.testFile;
}

/** Every problem of a test file's text, and what of it is well formed (the whole file when nothing is wrong). */
function examineTestFile(text: string, file: string, cwd: string): Omit<BrokenTestFile, 'file'> {
  const loaded = loadYaml(text, file);
  if (!loaded.ok) return { diagnostics: loaded.diagnostics, caseNames: [] };
  const sink = new DiagnosticSink(file, loaded.sourceMap);
  const validate = getValidator();
  const schemaErrors = (document: unknown): ErrorObject[] => (validate(document) ? [] : [...(validate.errors ?? [])]);
  const errors = schemaErrors(loaded.data);
  const meant = reportSchemaErrors(errors, TEST_SCHEMA, sink);
  const defaults = loaded.data['defaults'];
  if (defaults && typeof defaults === 'object') checkAnswers((defaults as Record<string, unknown>)['answers'], '/defaults/answers', sink, meant);
  const rawCases = Array.isArray(loaded.data['cases']) ? (loaded.data['cases'] as unknown[]) : [];
  rawCases.forEach((entry, index) => {
    if (entry && typeof entry === 'object') checkAnswers((entry as Record<string, unknown>)['answers'], `/cases/${index}/answers`, sink, meant);
  });
  checkUniqueNames(rawCases, sink);
  const caseNames = rawCases.map((entry) => {
    const name = entry && typeof entry === 'object' ? (entry as { name?: unknown }).name : undefined;
    return typeof name === 'string' ? name : undefined;
  });
  // With schema errors, the rest is still checked on what is well formed (each broken value taken
  // out, as `sop validate` does with an SOP): every mistake of the file at once.
  const part = errors.length > 0 ? wellFormedPart(loaded.data, schemaErrors, errors) : { document: loaded.data, removed: [] };
  if (!part) return { diagnostics: sink.diagnostics, caseNames };

  const data = part.document as SopTestFile;
  const dir = path.dirname(path.resolve(cwd, file));
  const before = sink.diagnostics.length;
  const sop = sopUnderTest(data, file, dir, sink);
  const cases = data.cases.map((entry, index) => toCase(entry, index, data, { file, dir, sink, sourceMap: loaded.sourceMap, ...(sop === undefined ? {} : { sopDir: path.dirname(sop) }) }));
  data.cases.forEach((entry, index) => checkExpressions(entry.expect, `/cases/${index}/expect`, sink));
  if (part.removed.length > 0) {
    // Around a value taken out, a check sees its absence (no `sop:`, so no SOP found): that is noise.
    const found = sink.diagnostics.splice(before, Infinity);
    sink.add(...found.filter(({ pointer }) => pointer === undefined || !part.removed.some((removed) => isWithin(pointer, removed) || isWithin(removed, pointer))));
  }
  if (sop === undefined) return { diagnostics: sink.diagnostics, caseNames };
  const testFile: TestFile = { file, dir, sop, cases, locate: (pointer, at) => loaded.sourceMap.locate(pointer, at), origin: (pointer) => loaded.sourceMap.origin(pointer, file) };
  return { diagnostics: sink.diagnostics, caseNames, wellFormed: { testFile, removed: part.removed } };
}

/** Checked on the cases as read (also when some are broken), so a repeated name is reported with the schema's errors. */
function checkUniqueNames(cases: unknown[], sink: DiagnosticSink): void {
  const seen = new Map<string, number>();
  cases.forEach((entry, index) => {
    const name = entry && typeof entry === 'object' ? (entry as { name?: unknown }).name : undefined;
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first === undefined) seen.set(name, index);
    else {
      sink.error('DUPLICATE_ID', `/cases/${index}/name`, `case name "${name}" is already the name of cases[${first}]`, {
        expected: 'a name no other case of the file has',
        hint: 'rename one: the name is how output, --filter and JUnit tell cases apart',
      });
    }
  });
}

/**
 * The SOP a test file tests: its `sop:` field, else `X.yaml` beside `X.test.yaml`, else (a file in
 * a `tests/` folder) the SOP of the parent folder: its `sop.yaml`, or its only `*.yaml`.
 */
function sopUnderTest(data: SopTestFile, file: string, dir: string, sink: DiagnosticSink): string | undefined {
  if (data.sop !== undefined) {
    const named = path.resolve(dir, data.sop);
    if (!isFile(named)) sink.error('FILE_NOT_FOUND', '/sop', `the SOP ${data.sop} does not exist (relative to ${file})`, { hint: 'give the SOP file relative to the test file' });
    return named;
  }
  const base = path.basename(file);
  if (base.endsWith('.test.yaml') || base.endsWith('.test.yml')) {
    const beside = path.join(dir, base.replace(/\.test\.ya?ml$/, '.yaml'));
    if (isFile(beside)) return beside;
  }
  if (path.basename(dir) === 'tests') {
    const parent = path.dirname(dir);
    const candidates = readdirSync(parent).filter((name) => /\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name) && isFile(path.join(parent, name)));
    const chosen = candidates.includes('sop.yaml') ? 'sop.yaml' : candidates.length === 1 ? candidates[0] : undefined;
    if (chosen) return path.join(parent, chosen);
  }
  sink.error('SCHEMA_MISSING_FIELD', '', `no SOP found for ${file}`, {
    expected: '`sop: FILE` (relative to the test file), or the test file named `X.test.yaml` beside `X.yaml`, or in a `tests/` folder beside `sop.yaml` (or a single SOP)',
    hint: 'add `sop: my-sop.yaml`',
  });
  return undefined;
}

interface CaseContext {
  file: string;
  dir: string;
  /** The folder of the SOP under test, when found: a `script:` written relative to it is named as it should be written. */
  sopDir?: string;
  sink: DiagnosticSink;
  sourceMap: SourceMap;
}

function toCase(entry: Case, index: number, data: SopTestFile, context: CaseContext): TestCase {
  const defaults = data.defaults ?? {};
  const at = `/cases/${index}`;
  const fromFile = entry.script === undefined ? undefined : caseScript(entry.script, joinPointer(at, 'script'), context);
  const own = entry.answers ?? [];
  const ownKeys = new Set(own.map(answerKey));
  const inTestFile = ({ line, column }: Position): FilePlace => ({ file: context.file, line, column });
  const kept = (defaults.answers ?? []).map((answer, at) => ({ answer, at })).filter(({ answer }) => !ownKeys.has(answerKey(answer)));
  const answers: Answer[] = [...kept.map(({ answer }) => answer), ...(fromFile?.answers ?? []), ...own];
  const scriptFile = path.join(path.dirname(context.file), entry.script ?? '');
  const inScriptFile = ({ line, column }: Position): FilePlace => ({ file: scriptFile, line, column });
  const answerPlaces: Array<AnswerPlace<FilePlace>> = [
    ...kept.map(({ answer, at: index }) => answerPlace(answer, joinPointer('/defaults/answers', index), context.sourceMap, inTestFile)),
    ...(fromFile?.answers ?? []).map((_, index) => {
      const place = fromFile?.places?.[index] ?? { at: { line: 1, column: 1 }, fields: {} };
      return { at: inScriptFile(place.at), fields: Object.fromEntries(Object.entries(place.fields).map(([field, where]) => [field, inScriptFile(where)])) };
    }),
    ...own.map((answer, index) => answerPlace(answer, joinPointer(at, 'answers', index), context.sourceMap, inTestFile)),
  ];
  const strict = entry.strict ?? defaults.strict ?? fromFile?.strict ?? false;
  let workspace: string | undefined;
  if (entry.workspace !== undefined) {
    workspace = path.resolve(context.dir, entry.workspace);
    if (!isFolder(workspace)) {
      context.sink.error('FILE_NOT_FOUND', joinPointer(at, 'workspace'), `the workspace folder ${entry.workspace} does not exist (relative to ${context.file})`, {
        hint: 'give a folder relative to the test file; its files are copied into the case\'s workspace',
      });
    }
  }
  const nRound = entry.n_round ?? defaults.n_round;
  const investment = entry.investment ?? defaults.investment;
  const inputPlaces = Object.fromEntries([
    ...Object.keys(defaults.inputs ?? {}).map((name) => [name, joinPointer('/defaults/inputs', name)]),
    ...Object.keys(entry.inputs ?? {}).map((name) => [name, joinPointer(at, 'inputs', name)]),
  ]);
  return {
    name: entry.name,
    index,
    inputs: { ...defaults.inputs, ...entry.inputs },
    inputPlaces,
    inputsAt: entry.inputs !== undefined ? joinPointer(at, 'inputs') : defaults.inputs !== undefined ? '/defaults/inputs' : at,
    script: { file: `${context.file} (case ${quotedName(entry.name)})`, strict, answers },
    answerPlaces,
    ...(workspace === undefined ? {} : { workspace }),
    ...(nRound === undefined ? {} : { nRound }),
    ...(investment === undefined ? {} : { investment }),
    ...(entry.skip === undefined ? {} : { skip: entry.skip }),
    expect: entry.expect ?? {},
    position: context.sourceMap.locate(at),
  };
}

/** A case's `script:` file; one that does not load is reported at the `script:` line, with its own first problem. */
function caseScript(script: string, pointer: string, context: CaseContext): Script | undefined {
  try {
    return loadScript(script, context.dir, caseScriptPathHint(script, context));
  } catch (error) {
    if (!isSopError(error)) throw error;
    const first = error.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
    const where = first?.line === undefined ? '' : `${first.file}:${first.line}:${first.column}: `;
    context.sink.error('TEST_INVALID', pointer, `the script ${script} cannot be used: ${first ? `${where}${first.message}` : error.message}`, {
      hint: first?.hint ?? error.hint ?? 'fix the script (see docs/scripted-model.md), or give the answers inline with `answers:`',
    });
    return undefined;
  }
}

/**
 * The CEL `where`s and RE2 `matches` of an `expect` compile, its artifact paths stay inside the
 * workspace (a check never reads `../../etc/passwd`) and no check contradicts itself, or each is
 * reported where it is written.
 */
export function checkExpressions(expect: Expectations | undefined, at: string, sink: DiagnosticSink): void {
  const where = (source: string | undefined, pointer: string): void => {
    if (source === undefined) return;
    // Where the file writes it, so a problem on the expression's third line is named at that line; a
    // CSV cell (no source map) at the cell.
    const origin = sink.sourceMap?.origin(pointer, sink.file);
    try {
      compileExpression({ source, origin: origin ?? { file: sink.file, line: 1, column: 1, pointer, lineOffset: 0 } });
    } catch (error) {
      if (!isSopError(error)) throw error;
      const first = error.diagnostics[0];
      const position = origin && first?.line !== undefined && first.column !== undefined ? { position: { line: first.line, column: first.column } } : {};
      sink.error('EXPRESSION_SYNTAX', pointer, `\`where\` ${first?.message ?? error.message}`, { hint: error.hint ?? 'CEL, e.g. `payload.passed`, `size(payload.items) == 3`', ...position });
    }
  };
  (expect?.messages ?? []).forEach((entry, index) => where(entry.where, joinPointer(at, 'messages', index, 'where')));
  (expect?.artifacts ?? []).forEach((entry, index) => {
    where(entry.where, joinPointer(at, 'artifacts', index, 'where'));
    const escape = literalEscape(entry.path);
    if (escape !== undefined) {
      sink.error('ARTIFACT_PATH_ESCAPE', joinPointer(at, 'artifacts', index, 'path'), `artifact path \`${entry.path}\` ${escape}`, {
        expected: 'a path relative to the run\'s workspace, staying inside it (e.g. `docs/prd.md`)',
        hint: 'expectations check the files a run wrote in its workspace; remove the leading `/` or the `..` segments',
      });
    }
    // A golden file belongs with the test file: an absolute one is found on one machine only, and
    // `--update` would write it there, outside the project.
    if (entry.golden !== undefined && path.isAbsolute(entry.golden)) {
      sink.error('TEST_INVALID', joinPointer(at, 'artifacts', index, 'golden'), `golden file \`${entry.golden}\` is absolute`, {
        expected: 'a path relative to this file (a test file, or an eval dataset), e.g. `golden/plan.json`',
        hint: `move the golden file into the project and name it from this file (\`golden: golden/${path.basename(entry.golden)}\`)`,
      });
    }
    const problem = entry.matches === undefined ? undefined : regexProblem(entry.matches);
    if (problem !== undefined) {
      sink.error('SCHEMA_PATTERN', joinPointer(at, 'artifacts', index, 'matches'), `invalid regular expression: ${problem}`, { hint: 'patterns are RE2 syntax: no lookaround or backreferences' });
    }
  });
  checkContradictions(expect, at, sink);
}

/** What makes two answers the same entry: a case's answer replaces a default answer with the same key. */
function answerKey(answer: Answer): string {
  return JSON.stringify([answer.role, answer.action ?? null, answerKind(answer), answer.gate ?? null, answer.attempt ?? 'every', answer.item ?? null]);
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}

function isFolder(folder: string): boolean {
  return existsSync(folder) && statSync(folder).isDirectory();
}

/** The shared loader speaks of SOPs; a test file's messages speak of test files. */
function testWording(diagnostic: Diagnostic): Diagnostic {
  const noVersion = missingApiVersion(diagnostic, 'test file', 'sop-test/v1');
  if (noVersion) return noVersion;
  const shape = 'a mapping: `apiVersion: sop-test/v1` and `cases: [...]`';
  if (diagnostic.code === 'YAML_EMPTY') return { ...diagnostic, message: 'empty test file', expected: shape, hint: 'see docs/testing.md' };
  if (diagnostic.code === 'YAML_NOT_MAPPING') return { ...diagnostic, expected: shape, hint: 'a test file starts with `apiVersion: sop-test/v1`' };
  // `script: [- { role: ..., output: ... }]` or `script: { answers: [...] }`: the answers written where the script file's name goes.
  if (diagnostic.code === 'SCHEMA_TYPE' && /\/script$/.test(diagnostic.pointer ?? '') && /got a (list|mapping)$/.test(diagnostic.message)) {
    const hint = diagnostic.message.endsWith('got a list')
      ? 'answers written in the test file go under `answers:` (rename `script:` to `answers:`)'
      : 'answers written in the test file go under the case\'s own `answers:` (remove the `script:` line and move `answers:` and its list 2 spaces left)';
    return { ...diagnostic, expected: 'a sop-script/v1 file, relative to the test file (`script: scripts/reject.yaml`)', hint };
  }
  return diagnostic.hint?.includes('`sop schema`') ? { ...diagnostic, hint: diagnostic.hint.replace('`sop schema`', 'docs/testing.md') } : diagnostic;
}

function invalid(diagnostics: Diagnostic[]): SopError {
  return dataFileError('TEST_INVALID', 'test file', diagnostics, testWording);
}

/** `expect.messages[1]` of case 3 → `/cases/3/expect/messages/1`. */
export function expectationPointer(caseIndex: number, at: string): string {
  return `/cases/${caseIndex}${pointerOfPath(at)}`;
}

/**
 * What to do about a case's `script:` that cannot be read: its path is relative to the test file
 * (not `--model script:`'s current folder); a file of that name beside the SOP is named as the
 * `script:` to write, for a test file in another folder (`tests/`).
 */
function caseScriptPathHint(script: string, context: CaseContext): string {
  const here = path.resolve(context.dir, script);
  const beside = context.sopDir === undefined || path.isAbsolute(script) ? undefined : path.resolve(context.sopDir, script);
  if (beside !== undefined && beside !== here && !isFile(here) && isFile(beside)) {
    return `a case's \`script:\` is relative to the test file, not to the SOP; the one beside the SOP is written \`script: ${path.relative(context.dir, beside).split(path.sep).join('/')}\``;
  }
  return `give a script file's path relative to the test file (${path.dirname(context.file)}), or the answers inline with \`answers:\` (see docs/testing.md)`;
}
