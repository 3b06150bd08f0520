/**
 * Reads an eval dataset (`sop eval SOP --dataset FILE`, docs/eval.md) in one of three formats,
 * chosen by the file's extension:
 * - `.yaml`/`.yml`: a `sop-eval/v1` document (`defaults`, `models`, `judge_model`, `cases`);
 * - `.jsonl`: one case object per line;
 * - `.csv`: one case per row; columns are input names, except `name`, `judge` and `expect.FIELD`
 *   (the cell is YAML: `completed`, `0`, `[{type: PRD, count: 2}]`).
 * JSONL and CSV take their `defaults`, `models` and `judge_model` from `--defaults FILE` (a
 * `sop-eval/v1` document without cases). Every problem is located (file:line:col; CSV: the row's
 * line and the column's name) and reported at once, as DATASET_INVALID (exit 2).
 */

import { createRequire } from 'node:module';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import type Ajv2020Module from 'ajv/dist/2020.js';
import { parse as parseYamlValue } from 'yaml';
import { SopError, withThousands, type Diagnostic } from '../errors/index.js';
import { dataFileError, missingApiVersion } from '../spec/data-file.js';
import { DiagnosticSink } from '../spec/diagnostic-sink.js';
import { formatBytes, readCappedSync, unreadableFile } from '../spec/limits.js';
import { joinPointer, valueAt } from '../spec/pointer.js';
import type { SourceOrigin } from '../spec/resolved.js';
import { reportSchemaErrors } from '../spec/schema-errors.js';
import { closestMatch, didYouMean } from '../spec/suggest.js';
import { jsonSyntaxProblem } from '../spec/json-syntax.js';
import { characterColumn, decodeUtf8Text } from '../spec/text-encoding.js';
import { loadYaml } from '../spec/yaml-loader.js';
import { SCRIPT_SCHEMA } from '../providers/script/index.js';
import { csvLayout, recordAtLine } from './csv-layout.js';
import type { Expectations } from '../testing/expectations.js';
import { checkExpressions, TEST_SCHEMA } from '../testing/test-file.js';
import type { Case, CaseFields, Judge, SopEvalDataset } from './dataset.types.generated.js';

const require = createRequire(import.meta.url);

/** The dataset format's JSON Schema. */
export const DATASET_SCHEMA = require('../../schemas/sop-eval.v1.schema.json') as Record<string, unknown>;

/** Largest dataset file read (a dataset holds many cases; an SOP file's bound is smaller). */
export const DATASET_MAX_BYTES = 64 * 1024 * 1024;
/**
 * Most cases in one dataset. Each case keeps where its fields are written (for located failures):
 * ~5 KB, so a valid 1,000,000-line JSONL file (29 MB) ran out of a 4 GB heap before any case ran.
 */
export const DATASET_MAX_CASES = 100_000;

/** A dataset of more cases than DATASET_MAX_CASES, refused before its cases are checked, as one of more bytes is before it is read. */
function refuseTooManyCases(count: number, file: string): void {
  if (count <= DATASET_MAX_CASES) return;
  throw new SopError('FILE_TOO_LARGE', `dataset ${file} has ${withThousands(count)} cases, more than the ${withThousands(DATASET_MAX_CASES)} one dataset may hold`, { hint: 'split it into several datasets, each run by its own `sop eval` (they may share --defaults)' });
}

export type DatasetFormat = 'yaml' | 'jsonl' | 'csv';

/** A judge rubric with its default filled in. */
export interface JudgeRubric {
  rubric: string;
  minScore: number;
  of: string;
}

/** One case, defaults applied. */
export interface EvalCase {
  name: string;
  inputs: Record<string, string | number | boolean>;
  /** The `sop test` expectations over the finished run (docs/testing.md); empty when none. */
  expect: Expectations;
  judge: JudgeRubric[];
  nRound?: number;
  investment?: number;
  skip?: string;
  /** Where the case is written (`cases.csv:4`), for messages. */
  place: string;
  /** The dataset's format: how a message says to write a field of the case (an input is a CSV column). */
  format: DatasetFormat;
  /** Where a field of the case is written, `file:line:col` (`/expect/artifacts/0/contains`; `` the case itself): see `EvalDataset.locate`. */
  locate(pointer: string): string;
  /** Where a field of the case is written, as `locate` finds it, as a position (its key with `at: 'key'`); undefined when not known. */
  at(pointer: string, at?: 'key' | 'value'): { file: string; line: number; column: number } | undefined;
  /**
   * Where a scalar of the case (`/expect/messages/0/where`) is written, character by character, in
   * the case or the defaults it took it from; undefined when the format does not say (a CSV cell).
   */
  origin(pointer: string): SourceOrigin | undefined;
}

export interface EvalDataset {
  /** The path as given. */
  file: string;
  /** The dataset's (or the defaults file's) model list. */
  models?: string[];
  judgeModel?: string;
  cases: EvalCase[];
  /**
   * Where a field of case `index` is written, `file:line:col` (`/expect/not_ran/0/role`, `/judge/1/of`):
   * in the case, or in the defaults it took the field from; a field written in neither (the implied
   * `expect.status`) at the nearest field of the case that is; the case's line when not known.
   */
  locate(index: number, pointer: string): string;
  /** Where a field of the dataset, or of the `--defaults` file it took it from, is written (`/judge_model`, `/models/1`). */
  locateField(pointer: string): { file: string; line: number; column: number } | undefined;
}

const DEFAULT_MIN_SCORE = 7;

const validators = new Map<string, ValidateFunction>();

/** The validator of the whole document (`#`) or of one case (`#/$defs/Case`), compiled on first use. */
function validatorFor(pointer: '#' | '#/$defs/Case'): ValidateFunction {
  let validate = validators.get(pointer);
  if (!validate) {
    const Ajv2020 = (require('ajv/dist/2020.js') as typeof Ajv2020Module).default;
    // Not strict: `tsType` is json-schema-to-typescript's keyword.
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false, logger: false });
    // `expect` is a `sop test` case's (`sop-test.v1.schema.json#/$defs/Expectations`), whose schema refers to the script schema.
    ajv.addSchema(SCRIPT_SCHEMA).addSchema(TEST_SCHEMA).addSchema(DATASET_SCHEMA);
    validate = ajv.compile(pointer === '#' ? DATASET_SCHEMA : { $ref: `${String(DATASET_SCHEMA['$id'])}${pointer}` });
    validators.set(pointer, validate);
  }
  return validate;
}

/** The format a file's extension names; USAGE for any other. */
export function datasetFormat(file: string): DatasetFormat {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  if (extension === '.csv') return 'csv';
  throw new SopError('USAGE', `dataset ${file}: unknown format "${extension || '(no extension)'}"`, {
    hint: 'name the file cases.yaml (sop-eval/v1), cases.jsonl (one case per line) or cases.csv (one case per row); see docs/eval.md',
  });
}

/** Reads and checks a dataset (and its `--defaults` file), relative to `cwd`. */
export function loadDataset(file: string, cwd: string, defaultsFile?: string, onRead?: (file: string, bytes: Buffer) => void): EvalDataset {
  const format = datasetFormat(file);
  if (defaultsFile !== undefined && format === 'yaml') {
    throw new SopError('USAGE', '--defaults is for JSONL and CSV datasets', { hint: `put the defaults in ${file} itself, under \`defaults:\`` });
  }
  const defaults = defaultsFile === undefined ? undefined : parseDatasetDocument(readText(defaultsFile, cwd, onRead), defaultsFile, false);
  return parseDataset(readText(file, cwd, onRead), file, format, defaults);
}

/** Checks a dataset's text; `file` names it in messages. Throws DATASET_INVALID with every problem. */
export function parseDataset(text: string, file: string, format: DatasetFormat, defaults?: SopEvalDataset): EvalDataset {
  const document = format === 'yaml' ? parseDatasetDocument(text, file, true) : { ...defaults, apiVersion: 'sop-eval/v1' as const, cases: format === 'jsonl' ? parseJsonl(text, file) : parseCsv(text, file) };
  const cases = (document.cases ?? []).map((entry) => applyDefaults(entry, document.defaults));
  // An eval of nothing would pass (exit 0) and pass any --threshold: a dataset emptied by mistake must not.
  if (cases.length === 0) throw invalid([{ code: 'SCHEMA_VIOLATION', severity: 'error', file, line: 1, column: 1, message: 'the dataset has no cases', hint: NO_CASES_HINT[format] }]);
  const places = document.cases?.map((entry) => (entry as LocatedCase)[PLACE] ?? file) ?? [];
  checkNames(cases, places, file, (index) => (document.cases?.[index] as LocatedCase | undefined)?.[LOCATE]?.('/name'));
  const defaultsOf = document as LocatedDefaults;
  /** The field in the case, or in the defaults it took it from. */
  const writtenIn = (index: number, pointer: string): { entry?: LocatedCase; defaults?: LocatedDefaults; pointer: string } => {
    const entry = document.cases?.[index] as LocatedCase | undefined;
    const own = entry === undefined ? undefined : ownField(entry, document.defaults, pointer);
    const inDefaults = own === undefined && valueAt(document.defaults, pointer) !== undefined;
    return inDefaults ? { defaults: defaultsOf, pointer } : { ...(entry ? { entry } : {}), pointer: own ?? pointer };
  };
  const position = (index: number, pointer: string, part: 'key' | 'value' = 'value'): ReturnType<Locator> => {
    const at = writtenIn(index, pointer);
    return at.defaults ? at.defaults[LOCATE_DEFAULTS]?.(at.pointer, part) : at.entry?.[LOCATE]?.(at.pointer, part);
  };
  const locate = (index: number, pointer: string): string => {
    const found = position(index, pointer);
    return found ? `${found.file}:${found.line}:${found.column}` : (places[index] ?? file);
  };
  const origin = (index: number, pointer: string): SourceOrigin | undefined => {
    const at = writtenIn(index, pointer);
    return at.defaults ? at.defaults[ORIGIN_DEFAULTS]?.(at.pointer) : at.entry?.[ORIGIN]?.(at.pointer);
  };
  return {
    file,
    ...(document.models ? { models: [...document.models] } : {}),
    ...(document.judge_model ? { judgeModel: document.judge_model } : {}),
    cases: cases.map((entry, index) => ({ ...entry, place: places[index] ?? file, format, locate: (pointer: string) => locate(index, pointer), at: (pointer: string, part?: 'key' | 'value') => position(index, pointer, part), origin: (pointer: string) => origin(index, pointer) })),
    locate,
    locateField: (pointer) => defaultsOf[LOCATE_FIELD]?.(pointer),
  };
}

/**
 * The pointer into the case itself at which a field of the merged case is written, or undefined
 * when the case took it from the defaults (applyDefaults: `expect` key by key, judges after the
 * defaults' ones, other fields whole).
 */
function ownField(entry: Case, defaults: CaseFields | undefined, pointer: string): string | undefined {
  const [, field, key, ...rest] = pointer.split('/');
  // The case itself (``) is the case's own, defaults or not.
  if (field === undefined) return pointer;
  if (field === 'expect' && key !== undefined) return entry.expect && key in entry.expect ? pointer : undefined;
  if (field === 'inputs' && key !== undefined) return entry.inputs && key in entry.inputs ? pointer : undefined;
  if (field === 'judge' && key !== undefined) {
    const inherited = defaults?.judge?.length ?? 0;
    return Number(key) < inherited ? undefined : ['', 'judge', String(Number(key) - inherited), ...rest].join('/');
  }
  return field !== undefined && field in entry ? pointer : undefined;
}

const NO_CASES_HINT: Record<DatasetFormat, string> = {
  yaml: 'add the cases to run under `cases:` (docs/eval.md)',
  jsonl: 'write one case per line: {"name": "...", "inputs": {...}, "expect": {...}} (docs/eval.md)',
  csv: 'write a header row of column names, then one row per case (docs/eval.md)',
};

/** Where a JSONL or CSV case came from; YAML cases are located by their document. */
const PLACE = Symbol('place');
/** Where a field of a case is written (a pointer into the case), when the format knows it. */
const LOCATE = Symbol('locate');
/** Where a field of the defaults is written (a pointer into `defaults`). */
const LOCATE_DEFAULTS = Symbol('locate-defaults');
/** Where a scalar of a case, or of the defaults, is written character by character (see `EvalCase.origin`). */
const ORIGIN = Symbol('origin');
const ORIGIN_DEFAULTS = Symbol('origin-defaults');
/** `at: 'key'`: where the field's key is written, when the format has one (a CSV cell has none). */
type Locator = (pointer: string, at?: 'key' | 'value') => { file: string; line: number; column: number } | undefined;
type Origins = (pointer: string) => SourceOrigin | undefined;
type LocatedCase = Case & { [PLACE]?: string; [LOCATE]?: Locator; [ORIGIN]?: Origins };
/** Where a top-level field of the document (`/judge_model`) is written; spread with the defaults into a JSONL or CSV dataset. */
const LOCATE_FIELD = Symbol('locate-field');
type LocatedDefaults = { [LOCATE_DEFAULTS]?: Locator; [ORIGIN_DEFAULTS]?: Origins; [LOCATE_FIELD]?: Locator };

/** `onRead` gets the bytes read, so the fingerprint is of them: a named pipe can be read only once. */
function readText(file: string, cwd: string, onRead?: (file: string, bytes: Buffer) => void): string {
  let bytes: Buffer | 'too-large';
  try {
    bytes = readCappedSync(path.resolve(cwd, file), DATASET_MAX_BYTES);
  } catch (error) {
    const { code, why } = unreadableFile(error);
    throw new SopError(code, `cannot read dataset ${file}: ${why}`, { hint: 'pass the path of a dataset: --dataset cases.yaml (see docs/eval.md)' });
  }
  if (bytes === 'too-large') throw new SopError('FILE_TOO_LARGE', `dataset ${file} is more than ${formatBytes(DATASET_MAX_BYTES)}`, { hint: 'split it into several datasets' });
  onRead?.(file, bytes);
  const decoded = decodeUtf8Text(bytes);
  if (!decoded.ok) throw invalid([{ code: 'FILE_UNREADABLE', severity: 'error', file, message: `cannot read dataset ${file}: ${decoded.problem.message}`, hint: decoded.problem.hint }]);
  return decoded.text;
}

/** A `sop-eval/v1` document; `withCases` false: a `--defaults` file, which has none. */
function parseDatasetDocument(text: string, file: string, withCases: boolean): SopEvalDataset {
  const loaded = loadYaml(text, file);
  if (!loaded.ok) throw invalid(loaded.diagnostics);
  const sink = new DiagnosticSink(file, loaded.sourceMap);
  // A `sop test` file or an SOP given as the dataset: one error saying which file it is, not one
  // per field an eval case does not have (`script`, `answers`, `strict`, ...).
  const other = otherFormat(loaded.data, file, withCases);
  if (other) {
    sink.error('SCHEMA_ENUM', '/apiVersion', other.message, { expected: '`apiVersion: sop-eval/v1`', hint: other.hint });
    throw invalid(sink.diagnostics);
  }
  const validate = validatorFor('#');
  if (!validate(loaded.data)) reportSchemaErrors(validate.errors ?? [], DATASET_SCHEMA, sink);
  const data = loaded.data as unknown as SopEvalDataset;
  if (data.defaults && typeof data.defaults === 'object' && 'name' in data.defaults) {
    sink.error('SCHEMA_UNKNOWN_FIELD', '/defaults/name', '`name` belongs to a case, not to the defaults', { at: 'key', hint: 'remove it: every case names itself' });
  }
  if (withCases && !Array.isArray(data.cases) && !sink.hasErrors) {
    sink.error('SCHEMA_MISSING_FIELD', '', 'the dataset has no `cases`', { expected: 'cases: [{ name, inputs, expect }]', hint: 'add the cases to run (docs/eval.md)' });
  }
  if (!withCases && data.cases !== undefined) {
    sink.error('SCHEMA_UNKNOWN_FIELD', '/cases', 'a --defaults file holds no cases', { at: 'key', hint: 'the cases are the rows (lines) of the dataset' });
  }
  // The CEL `where`s and RE2 `matches` of each `expect` compile (as a `sop test` file's must).
  if (!sink.hasErrors) {
    checkExpressions(data.defaults?.expect, '/defaults/expect', sink);
    data.cases?.forEach((entry, index) => checkExpressions(entry.expect, joinPointer('/cases', index, 'expect'), sink));
  }
  if (sink.hasErrors) throw invalid(sink.diagnostics);
  data.cases?.forEach((entry, index) => {
    (entry as LocatedCase)[PLACE] = `${file}:${loaded.sourceMap.locate(joinPointer('/cases', index)).line}`;
    (entry as LocatedCase)[LOCATE] = (pointer, at) => ({ file, ...loaded.sourceMap.locate(`${joinPointer('/cases', index)}${pointer}`, at) });
    (entry as LocatedCase)[ORIGIN] = (pointer) => loaded.sourceMap.origin(`${joinPointer('/cases', index)}${pointer}`, file);
  });
  (data as LocatedDefaults)[LOCATE_DEFAULTS] = (pointer, at) => ({ file, ...loaded.sourceMap.locate(`/defaults${pointer}`, at) });
  (data as LocatedDefaults)[ORIGIN_DEFAULTS] = (pointer) => loaded.sourceMap.origin(`/defaults${pointer}`, file);
  (data as LocatedDefaults)[LOCATE_FIELD] = (pointer) => ({ file, ...loaded.sourceMap.locate(pointer) });
  return data;
}

/** The file is another command's (`sop-test/v1`, an SOP's `sop/v1`): what it is and what to run, or undefined. */
function otherFormat(data: unknown, file: string, withCases: boolean): { message: string; hint: string } | undefined {
  // The file as given, when a shell takes it as it is.
  const shown = /^[\w./-]+$/.test(file) ? file : 'FILE';
  const apiVersion = typeof data === 'object' && data !== null ? (data as { apiVersion?: unknown }).apiVersion : undefined;
  const flag = withCases ? '--dataset' : '--defaults';
  if (apiVersion === 'sop-test/v1') {
    return {
      message: `this is a \`sop test\` file (\`apiVersion: sop-test/v1\`), not an eval ${withCases ? 'dataset' : 'defaults file'}`,
      hint: `run its cases with \`sop test ${shown}\`; ${flag} takes a file of \`apiVersion: sop-eval/v1\` whose cases give inputs, \`expect\` and \`judge\`, no scripted answers (docs/eval.md)`,
    };
  }
  if (apiVersion === 'sop/v1') {
    return {
      message: `this is an SOP (\`apiVersion: sop/v1\`), not an eval ${withCases ? 'dataset' : 'defaults file'}`,
      hint: `give the SOP as the FILE argument and the cases with ${flag}: \`sop eval SOP.yaml --dataset cases.yaml\` (docs/eval.md)`,
    };
  }
  return undefined;
}

/** One case object per non-blank line, each checked on its own and located on its line. */
function parseJsonl(text: string, file: string): Case[] {
  const diagnostics: Diagnostic[] = [];
  const cases: Case[] = [];
  const lines = text.split(/\r?\n/);
  refuseTooManyCases(lines.reduce((count, line) => (line.trim() === '' ? count : count + 1), 0), file);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const lineNumber = index + 1;
    const onLine = (diagnostic: Diagnostic): Diagnostic => ({ ...diagnostic, line: (diagnostic.line ?? 1) + index, column: diagnostic.column ?? 1 });
    const notJson = jsonProblem(line);
    if (notJson) {
      diagnostics.push({ code: 'JSON_SYNTAX', severity: 'error', file, line: lineNumber, column: notJson.column, message: `the line is not JSON: ${notJson.message}`, expected: 'a JSON object: one case per line', hint: 'write each case as one line of JSON (double-quoted names and strings, no comments); YAML is for cases.yaml datasets (docs/eval.md)' });
      return;
    }
    // Valid JSON is YAML: the YAML loader gives the positions that schema errors are located by.
    const loaded = loadYaml(line, file);
    if (!loaded.ok) {
      diagnostics.push(...loaded.diagnostics.map(onLine));
      return;
    }
    const sink = new DiagnosticSink(file, loaded.sourceMap);
    const validate = validatorFor('#/$defs/Case');
    if (!validate(loaded.data)) reportSchemaErrors(validate.errors ?? [], DATASET_SCHEMA, sink);
    else checkExpressions((loaded.data as unknown as Case).expect, '/expect', sink);
    if (sink.hasErrors) diagnostics.push(...sink.diagnostics.map(onLine));
    else {
      cases.push(Object.assign(loaded.data as unknown as Case, {
        [PLACE]: `${file}:${lineNumber}`,
        [LOCATE]: ((pointer, at) => ({ file, line: lineNumber, column: loaded.sourceMap.locate(pointer, at).column })) satisfies Locator,
        [ORIGIN]: ((pointer) => onFileLine(loaded.sourceMap.origin(pointer, file), index)) satisfies Origins,
      }));
    }
  });
  if (diagnostics.length > 0) throw invalid(diagnostics);
  return cases;
}

/** An origin in a JSONL line read alone (its line 1) at the file's line: `index` lines further. */
function onFileLine(origin: SourceOrigin, index: number): SourceOrigin {
  const runs = origin.runs?.map(([line, column, fileLine, fileColumn]) => [line, column, fileLine + index, fileColumn] as const);
  return { ...origin, line: origin.line + index, ...(runs ? { runs } : {}) };
}

/** Where a line is not strict JSON, and why. */
function jsonProblem(line: string): { message: string; column: number } | undefined {
  const problem = jsonSyntaxProblem(line, 'the case object');
  return problem && { message: problem.message, column: characterColumn(line, 0, problem.offset) };
}

/** Columns of a CSV dataset that are not inputs. */
const EXPECT_COLUMN = /^expect\.(.+)$/;

/** An SOP input's name (the format's Identifier). */
const INPUT_NAME = /^[a-z][a-z0-9_]*$/;

function isColumnName(name: string): boolean {
  return name === 'name' || name === 'judge' || EXPECT_COLUMN.test(name) || INPUT_NAME.test(name);
}

/**
 * promptfoo's special columns (its inputs are plain columns, as here): edit distance finds nothing
 * for them, and the generic hint did not say where the case's name and checks go.
 */
const PROMPTFOO_COLUMNS: Record<string, string> = {
  __description: 'a case is named by the `name` column here: rename `__description` to `name`',
  __expected: 'what the finished run must show is written as `expect.FIELD` columns here, one field of `expect` each, its cell YAML: e.g. `expect.status` (`completed`) or `expect.artifacts` (`"[{path: draft.md, contains: tidal}]"`)',
};

/** A header cell that names no input nor `name`, `judge`, `expect.FIELD`: what was probably meant. */
function misnamedColumn(name: string, at: { line: number; column: number }, file: string): Diagnostic {
  const dot = name.indexOf('.');
  const field = dot === -1 ? undefined : name.slice(dot + 1);
  const meant = field !== undefined && didYouMean(name.slice(0, dot), ['expect']) !== undefined ? `expect.${field}` : closestMatch(name, ['name', 'judge']) ?? (INPUT_NAME.test(name.toLowerCase()) ? name.toLowerCase() : undefined);
  const hint = name.includes(';')
    ? 'the header is split by `;`: write the file with `,` between cells (quote cells that hold commas)'
    : Object.hasOwn(PROMPTFOO_COLUMNS, name)
      ? (PROMPTFOO_COLUMNS[name] as string)
      : meant !== undefined
        ? `did you mean \`${meant}\`?`
        : 'name a column after an input of the SOP (lowercase letters, digits and `_`), or `name`, `judge`, `expect.FIELD`';
  return { code: 'SCHEMA_VIOLATION', severity: 'error', file, ...at, message: `column ${name} is no input name, nor \`name\`, \`judge\` or \`expect.FIELD\``, hint };
}

/** One case per row: `name`, `judge` and `expect.FIELD` cells are YAML, every other column is an input (empty: not given). */
function parseCsv(text: string, file: string): Case[] {
  // csv-parse is loaded only for CSV datasets.
  const { parse } = require('csv-parse/sync') as typeof import('csv-parse/sync');
  let rows: Array<{ record: Record<string, string>; info: { lines: number } }>;
  let header: string[] = [];
  const readHeader = (names: string[]): string[] => (header = names);
  try {
    rows = parse(text, { columns: readHeader, info: true, skip_empty_lines: true, bom: true, trim: false }) as typeof rows;
  } catch (error) {
    throw invalid([csvSyntaxError(error, text, file, header)]);
  }
  // Rows in the order the parser gives them; the layout's first record is the header.
  refuseTooManyCases(rows.length, file);
  const layout = csvLayout(text);
  // A repeated column would keep one of its cells and drop the other without a word: located at its second cell.
  const again = [...new Set(header.filter((name, index) => header.indexOf(name) !== index))].map((name) => ({ name, at: layout.records[0]?.cells[header.indexOf(name, header.indexOf(name) + 1)] ?? { line: 1, column: 1 } }));
  if (again.length > 0) {
    throw invalid(again.map(({ name, at }) => ({ code: 'SCHEMA_VIOLATION', severity: 'error', file, ...at, message: `column ${name} appears ${header.filter((other) => other === name).length} times in the header row`, hint: 'give each column once: a column is one input (or `name`, `judge`, `expect.FIELD`)' })));
  }
  // A column no SOP input can be named (`expected.status`, `Idea`, `name;idea` of a file split by `;`)
  // would refuse every row's run as an unknown input and still exit 0: it is the dataset's mistake.
  const misnamed = header.map((name, index) => ({ name, at: layout.records[0]?.cells[index] ?? { line: 1, column: 1 } })).filter(({ name }) => !isColumnName(name));
  if (misnamed.length > 0) throw invalid(misnamed.map(({ name, at }) => misnamedColumn(name, at, file)));
  const diagnostics: Diagnostic[] = [];
  const cases: Case[] = [];
  rows.forEach(({ record, info }, index) => {
    const row = layout.records[index + 1];
    const line = row?.start.line ?? info.lines;
    /** Where the cell of a column starts in this row. */
    const cellAt = (column: string): { line: number; column: number } => row?.cells[header.indexOf(column)] ?? row?.start ?? { line, column: 1 };
    // The case itself (``) is its row; an input's name (its key) is its header cell, written once for every row.
    const headerCell = (column: string): { line: number; column: number } => layout.records[0]?.cells[header.indexOf(column)] ?? { line: 1, column: 1 };
    const locate: Locator = (pointer, part) => ({ file, ...(pointer === '' ? (row?.start ?? { line, column: 1 }) : part === 'key' && pointer.startsWith('/inputs/') ? headerCell(csvColumn(pointer)) : cellAt(csvColumn(pointer))) });
    const at = (column: string, message: string, hint: string): Diagnostic => ({ code: 'SCHEMA_VIOLATION', severity: 'error', file, ...cellAt(column), message: `row ${index + 1}, column ${column}: ${message}`, hint });
    const entry: Record<string, unknown> = { name: record['name'] || `row ${index + 1}` };
    const expect: Record<string, unknown> = {};
    for (const [column, cell] of Object.entries(record)) {
      if (column === 'name' || cell === '') continue;
      const expectField = EXPECT_COLUMN.exec(column)?.[1];
      if (expectField === undefined && column !== 'judge') {
        (entry['inputs'] ??= {}) as Record<string, string>;
        (entry['inputs'] as Record<string, string>)[column] = cell;
        continue;
      }
      let value: unknown;
      try {
        value = parseYamlValue(cell);
      } catch (error) {
        diagnostics.push(at(column, `the cell is not YAML: ${withinCell((error as Error).message)}`, 'write a YAML value: completed, 0, [{type: PRD, count: 2}]'));
        continue;
      }
      if (expectField === undefined) entry['judge'] = value;
      else expect[expectField] = value;
    }
    if (Object.keys(expect).length > 0) entry['expect'] = expect;
    const validate = validatorFor('#/$defs/Case');
    const sink = new DiagnosticSink(file, undefined);
    if (!validate(entry)) reportSchemaErrors(validate.errors ?? [], DATASET_SCHEMA, sink);
    else checkExpressions((entry as unknown as Case).expect, '/expect', sink);
    if (sink.hasErrors) {
      for (const diagnostic of sink.diagnostics) {
        const { pointer: _pointer, line: _line, column: _column, ...rest } = diagnostic;
        const column = csvColumn(diagnostic.pointer ?? '');
        diagnostics.push({ ...rest, ...cellAt(column), message: `row ${index + 1}, column ${column}: ${diagnostic.message}` });
      }
      return;
    }
    cases.push(Object.assign(entry as unknown as Case, { [PLACE]: `${file}:${line}`, [LOCATE]: locate }));
  });
  if (diagnostics.length > 0) throw invalid(diagnostics);
  return cases;
}

const CSV_HINT = 'a header row of column names, then one row per case; quote cells that hold commas';

/**
 * The CSV parser's refusal, located where the problem is: a quoted cell never closed at its opening
 * quote (the parser names the end of the file), the others at the offending cell.
 */
function csvSyntaxError(error: unknown, text: string, file: string, header: string[]): Diagnostic {
  const { code, lines, records, index, message } = error as { code?: string; lines?: number; records?: number; index?: number; message: string };
  const layout = csvLayout(text);
  // The row after the `records` read (and the header); the parser's line count runs ahead of the text's in quoted cells with \r\n.
  const row = (records === undefined ? undefined : layout.records[records + (header.length > 0 ? 1 : 0)]) ?? (lines === undefined ? undefined : recordAtLine(layout, lines));
  const cell = (at: number | undefined) => (at === undefined ? undefined : row?.cells[at]) ?? row?.start ?? (lines ? { line: lines, column: 1 } : undefined);
  const name = (at: number | undefined) => (at !== undefined && header[at] !== undefined ? `cell ${header[at]}` : 'cell');
  const diagnostic = (place: { line: number; column: number } | undefined, what: string, hint = CSV_HINT): Diagnostic => ({ code: 'SCHEMA_VIOLATION', severity: 'error', file, ...(place ?? {}), message: `not valid CSV: ${what}`, hint });
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return diagnostic(layout.unclosedQuote ?? cell(index), 'a quoted cell is never closed (its opening quote is here)', 'close the quote; a quote inside a quoted cell is written twice ("")');
    case 'CSV_INVALID_CLOSING_QUOTE':
      return diagnostic(cell(index), `text after the closing quote of the ${name(index)}`, 'a quoted cell ends at its closing quote: quote the whole cell, and write a quote inside it twice ("")');
    case 'INVALID_OPENING_QUOTE':
      return diagnostic(cell(index), `a quote inside the unquoted ${name(index)}`, 'quote the whole cell and write the quote twice: "say ""hi"""');
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const cells = row?.cells.length ?? index ?? 0;
      return diagnostic(cell(cells > header.length ? header.length : undefined), `the row has ${cells} cells, the header row ${header.length} columns`, 'give every row one cell per column (an empty cell is an input not given); quote cells that hold commas');
    }
    default:
      return diagnostic(cell(index), message.replace(/ (at|on) line \d+/, ''));
  }
}

/** The CSV column a case field's pointer comes from (`/inputs/idea` → idea, `/expect/status` → expect.status). */
function csvColumn(pointer: string): string {
  const [field, key] = pointer.split('/').slice(1);
  if (field === 'inputs' && key !== undefined) return key;
  if (field === 'expect' && key !== undefined) return `expect.${key}`;
  return field ?? 'name';
}

/** A case over the defaults: inputs and expect merge key by key, judge rubrics add up, the rest the case wins. */
function applyDefaults(entry: Case, defaults: CaseFields | undefined): Omit<EvalCase, 'place' | 'format' | 'locate' | 'at' | 'origin'> {
  const merged = { ...defaults, ...entry };
  const judge = [...(defaults?.judge ?? []), ...(entry.judge ?? [])].map(rubricOf);
  return {
    name: entry.name,
    inputs: { ...defaults?.inputs, ...entry.inputs },
    expect: { ...defaults?.expect, ...entry.expect },
    judge,
    ...(merged.n_round === undefined ? {} : { nRound: merged.n_round }),
    ...(merged.investment === undefined ? {} : { investment: merged.investment }),
    ...(merged.skip === undefined ? {} : { skip: merged.skip }),
  };
}

function rubricOf(judge: Judge): JudgeRubric {
  return { rubric: judge.rubric, minScore: judge.min_score ?? DEFAULT_MIN_SCORE, of: judge.of };
}

/** Results and baselines are keyed by case name: two cases of one name would be one. */
function checkNames(cases: Array<{ name: string }>, places: string[], file: string, locateName: (index: number) => ReturnType<Locator>): void {
  const seen = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  cases.forEach(({ name }, index) => {
    const place = places[index] ?? file;
    const first = seen.get(name);
    if (first === undefined) seen.set(name, place);
    else {
      // At the repeated name's value (the row's line in a CSV without a name column).
      const at = locateName(index) ?? { line: Number(place.slice(place.lastIndexOf(':') + 1)) || 1, column: 1 };
      diagnostics.push({ code: 'DUPLICATE_ID', severity: 'error', file, line: at.line, column: at.column, message: `case name "${name}" is already used at ${first}`, hint: 'give every case its own name: results and baselines are keyed by it' });
    }
  });
  if (diagnostics.length > 0) throw invalid(diagnostics);
}

const DATASET_SHAPE = 'a mapping: `apiVersion: sop-eval/v1` and `cases: [...]`';

/** The shared loader speaks of SOPs; a dataset's messages speak of datasets. */
function datasetWording(diagnostic: Diagnostic): Diagnostic {
  const noVersion = missingApiVersion(diagnostic, 'dataset', 'sop-eval/v1');
  if (noVersion) return noVersion;
  if (diagnostic.code === 'YAML_EMPTY') return { ...diagnostic, message: 'empty dataset file', expected: DATASET_SHAPE, hint: 'see docs/eval.md' };
  if (diagnostic.code === 'YAML_NOT_MAPPING') return { ...diagnostic, expected: diagnostic.file?.endsWith('.jsonl') ? 'a JSON object: one case per line' : DATASET_SHAPE, hint: 'see docs/eval.md' };
  return diagnostic.hint?.includes('`sop schema`') ? { ...diagnostic, hint: diagnostic.hint.replace('`sop schema`', 'docs/eval.md') } : diagnostic;
}

export function invalid(diagnostics: Diagnostic[]): SopError {
  return dataFileError('DATASET_INVALID', 'dataset', diagnostics, datasetWording);
}

/** A YAML error of a cell's text, its place said within the cell (the diagnostic gives the cell's own line and column): `... ] (at character 10 of the cell)`. */
function withinCell(message: string): string {
  return (message.split('\n')[0] as string).replace(/ at line (\d+), column (\d+):$/, (_, line: string, column: string) => (line === '1' ? ` (at character ${column} of the cell)` : ` (at line ${line}, character ${column} of the cell)`));
}
