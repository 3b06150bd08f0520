/**
 * Reads a script file (`--model script:FILE`) with the SOP loader's machinery: YAML with positions
 * and its bounds (`loadYaml`), the JSON Schema (`schemas/script.v1.schema.json`) with the same
 * error wording as `sop validate`, then the rules a schema cannot say well (exactly one answer per
 * entry, fields that only some answers take). Every problem is located (file:line:col) and reported
 * at once, as SCRIPT_INVALID (exit 2).
 */

import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import type Ajv2020Module from 'ajv/dist/2020.js';
import { SopError, type Diagnostic } from '../../errors/index.js';
import { DiagnosticSink } from '../../spec/diagnostic-sink.js';
import { dataFileError, missingApiVersion, readDataFile } from '../../spec/data-file.js';
import { isWithin, joinPointer } from '../../spec/pointer.js';
import { reportSchemaErrors } from '../../spec/schema-errors.js';
import type { Position, SourceMap } from '../../spec/source-map.js';
import { loadYaml } from '../../spec/yaml-loader.js';
import { ANSWER_KINDS, answerKind } from './match.js';
import type { Answer, SopScript } from './script.types.generated.js';

const require = createRequire(import.meta.url);

/** The script format's JSON Schema. */
export const SCRIPT_SCHEMA = require('../../../schemas/script.v1.schema.json') as Record<string, unknown>;

/** A loaded script: where it came from, whether a miss fails the run, its answers in file order. */
export interface Script {
  /** The path as given (for messages). */
  file: string;
  strict: boolean;
  answers: Answer[];
  /** Where each answer is written in the file, when it was read from one: for messages. */
  places?: AnswerPlace[];
  /** The sha256 of the file's bytes, when it was read from a file of its own (not answers embedded in a test file). */
  sha256?: string;
}

/**
 * Where one answer is written: the entry, and each of its fields (`role`, `gate`, `human/edit`, ...),
 * so a warning about a field points at that field's value, as `sop validate` does (a tool call's as `tools/N/tool`).
 */
export interface AnswerPlace<Place = Position> {
  at: Place;
  fields: Record<string, Place>;
}

/** The answer at `pointer`'s places, each as `format` makes it of a position. */
export function answerPlace<Place>(answer: unknown, pointer: string, sourceMap: SourceMap, format: (position: Position) => Place): AnswerPlace<Place> {
  const fields: Record<string, Place> = {};
  const visit = (value: unknown, prefix: string): void => {
    if (!value || typeof value !== 'object' || (Array.isArray(value) && prefix !== 'tools')) return;
    for (const key of Object.keys(value)) {
      const field = prefix === '' ? key : `${prefix}/${key}`;
      fields[field] = format(sourceMap.locate(joinPointer(pointer, ...field.split('/'))));
      // One level down: a `human: { edit: ... }`'s edit is what a bad edit's warning is about; two
      // for `tools`, whose call's `tool` (`tools/3/tool`) is what an unoffered tool's warning is about.
      if (prefix === '' || prefix === 'tools') visit((value as Record<string, unknown>)[key], field);
    }
  };
  visit(answer, '');
  return { at: format(sourceMap.locate(pointer)), fields };
}

let validator: ValidateFunction | undefined;

/** Compiled on first use: only runs with a script pay for ajv's compiler. */
function getValidator(): ValidateFunction {
  if (!validator) {
    const Ajv2020 = (require('ajv/dist/2020.js') as typeof Ajv2020Module).default;
    // Not strict: `tsType` is json-schema-to-typescript's keyword (types are generated from the schema).
    validator = new Ajv2020({ allErrors: true, verbose: true, strict: false, logger: false }).compile(SCRIPT_SCHEMA);
  }
  return validator;
}

/**
 * Reads and checks `file` (relative to `cwd`); throws FILE_NOT_FOUND, FILE_TOO_LARGE or SCRIPT_INVALID.
 * `pathHint`: what to do about a path that cannot be read, when not `--model script:...` (`sop resume` takes no --model).
 */
export function loadScript(file: string, cwd: string = process.cwd(), pathHint?: string): Script {
  return readScript(file, cwd, pathHint).script;
}

/** `loadScript`, with the text the script was read from (what a queued run carries to its worker). */
export function readScript(file: string, cwd: string, pathHint?: string): { script: Script; text: string } {
  const read = readDataFile(file, cwd, pathHint === undefined ? SCRIPT_FILE : { ...SCRIPT_FILE, pathHint });
  if (!read.ok) throw invalid([read.diagnostic]);
  return { script: { ...parseScript(read.text, file), sha256: read.sha256 }, text: read.text };
}

const SCRIPT_FILE = {
  noun: 'script',
  splitHint: 'split it: a script holds the answers of one run',
  pathHint: 'pass the path of a script file: --model script:path/to/answers.yaml (see docs/scripted-model.md)',
};

/** Checks a script's text; `file` names it in messages. Throws SCRIPT_INVALID with every problem. */
export function parseScript(text: string, file: string): Script {
  const loaded = loadYaml(text, file);
  if (!loaded.ok) throw invalid(loaded.diagnostics);
  const sink = new DiagnosticSink(file, loaded.sourceMap);
  const validate = getValidator();
  const meant = validate(loaded.data) ? new Set<string>() : reportSchemaErrors(validate.errors ?? [], SCRIPT_SCHEMA, sink);
  checkAnswers(loaded.data['answers'], '/answers', sink, meant);
  if (sink.hasErrors) throw invalid(sink.diagnostics);
  const data = loaded.data as unknown as SopScript;
  const places = data.answers.map((answer, index) => answerPlace(answer, joinPointer('/answers', index), loaded.sourceMap, ({ line, column }) => ({ line, column })));
  return { file, strict: data.strict ?? false, answers: data.answers, places };
}

/**
 * The rules of an `answers` list that its schema (`#/$defs/Answers`) does not say, reported at
 * `pointer` in `sink` after the schema's own errors: a file that embeds answers (a `sop test` case)
 * checks them the same way. Entries the schema found broken are checked only for what it cannot see.
 * `meant`: the fields the schema's errors took an unknown one for (`reportSchemaErrors`: `/answers/0/output`
 * for `text:`, `outptu:`), whose hint already says how to write the answer.
 */
export function checkAnswers(answers: unknown, pointer: string, sink: DiagnosticSink, meant: ReadonlySet<string> = new Set()): void {
  if (!Array.isArray(answers)) return;
  answers.forEach((answer, index) => {
    const at = joinPointer(pointer, index);
    // A misspelt field (`actoin`) is reported once, by the schema, not again as a missing `action`.
    const schemaErrors = sink.diagnostics.some((diagnostic) => diagnostic.pointer !== undefined && isWithin(diagnostic.pointer, at));
    const kindMeant = ANSWER_KINDS.some((kind) => meant.has(joinPointer(at, kind)));
    if (answer && typeof answer === 'object' && !Array.isArray(answer)) checkAnswer(answer as Answer, at, sink, schemaErrors, kindMeant);
  });
}

/** Fields each kind of answer takes besides `role` (and what the others do not take). */
const TAKES: Record<(typeof ANSWER_KINDS)[number], ReadonlyArray<keyof Answer>> = {
  output: ['action', 'attempt', 'item', 'tools'],
  reask: ['action', 'attempt', 'item', 'tools'],
  judge: ['action', 'gate', 'attempt', 'item'],
  human: ['action', 'gate', 'attempt', 'item'],
  choose: [],
  plan: [],
};

function checkAnswer(answer: Answer, pointer: string, sink: DiagnosticSink, schemaErrors: boolean, kindMeant: boolean): void {
  const kinds = ANSWER_KINDS.filter((kind) => answer[kind] !== undefined);
  // `text: ...` was hinted `rename \`text:\` to \`output:\``: "the answer says nothing to answer" would say it again, less helpfully.
  if (kinds.length === 0 && kindMeant) return;
  if (kinds.length !== 1) {
    // Two answers in one entry: at the name of the one written second, the field to move or remove.
    const second = Object.keys(answer).filter((key) => (kinds as string[]).includes(key))[1];
    sink.error('SCHEMA_VIOLATION', second === undefined ? pointer : joinPointer(pointer, second), kinds.length === 0 ? 'the answer says nothing to answer' : `the answer has ${kinds.map((kind) => `\`${kind}\``).join(' and ')}; it takes one`, {
      ...(second === undefined ? {} : { at: 'key' as const }),
      expected: `exactly one of: ${ANSWER_KINDS.join(', ')}`,
      hint: kinds.length === 0 ? 'add `output: ...` (or `judge:`, `human:`, ...): see docs/scripted-model.md' : 'split it into one answer per kind, each with its own role and action',
    });
    return;
  }
  const kind = answerKind(answer);
  const takes = TAKES[kind];
  if (takes.includes('action') && answer.action === undefined && !schemaErrors) {
    sink.error('SCHEMA_MISSING_FIELD', pointer, `missing field \`action\`: ${article(kind)} \`${kind}\` answer is for one action`, { hint: 'add `action: <action id>`' });
  }
  for (const field of ['action', 'gate', 'attempt', 'item', 'tools'] as const) {
    if (answer[field] === undefined || takes.includes(field)) continue;
    sink.error('SCHEMA_UNKNOWN_FIELD', joinPointer(pointer, field), `\`${field}\` does not apply to ${article(kind)} \`${kind}\` answer`, {
      at: 'key',
      expected: takes.length === 0 ? '`role` only besides the answer' : `one of: role, ${takes.join(', ')}`,
      hint: `remove \`${field}\``,
    });
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

const SCRIPT_SHAPE = 'a mapping: `apiVersion: sop-script/v1` and `answers: [...]`';

/** The shared loader speaks of SOPs (`sop schema`, `kind: SOP`); a script's messages speak of scripts. */
function scriptWording(diagnostic: Diagnostic): Diagnostic {
  const noVersion = missingApiVersion(diagnostic, 'script', 'sop-script/v1');
  if (noVersion) return noVersion;
  if (diagnostic.code === 'YAML_EMPTY') return { ...diagnostic, message: 'empty script file', expected: SCRIPT_SHAPE, hint: 'see docs/scripted-model.md' };
  if (diagnostic.code === 'YAML_NOT_MAPPING') return { ...diagnostic, expected: SCRIPT_SHAPE, hint: 'a script starts with `apiVersion: sop-script/v1`' };
  return diagnostic.hint?.includes('`sop schema`') ? { ...diagnostic, hint: diagnostic.hint.replace('`sop schema`', 'docs/scripted-model.md') } : diagnostic;
}

function invalid(diagnostics: Diagnostic[]): SopError {
  return dataFileError('SCRIPT_INVALID', 'script', diagnostics, scriptWording);
}
