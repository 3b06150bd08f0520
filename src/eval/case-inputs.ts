/**
 * A dataset's case inputs against the inputs its SOP declares: a name the SOP does not declare, a
 * value of the wrong type or outside `enum`, an input given twice (by name and alias), a required
 * input the case does not give. Each would refuse the case's run (INPUT_INVALID, INPUT_MISSING):
 * `sop validate SOP DATASET` reports them before any run (exit 3), located at the case's field, and `sop
 * eval` fails the case with the same words when its run is refused. Said in the dataset's own
 * words (`inputs.NAME` in the case or `defaults.inputs.NAME`; a column in a CSV), not with `sop
 * run`'s hint about `--input` flags, which a dataset has none of.
 */

import type { Diagnostic } from '../errors/index.js';
import { caseInputMistakes as sharedMistakes } from '../runtime/case-input-mistakes.js';
import { joinPointer } from '../spec/pointer.js';
import type { ResolvedSop } from '../spec/resolved.js';
import type { DatasetFormat, EvalCase, EvalDataset } from './dataset.js';
import type { Failure } from './results.js';

/**
 * A mistake in the dataset, as `sop validate` names its other mistakes (exit 3): the SOP's `inputs`
 * are the schema of a case's `inputs`. The run itself refuses them as INPUT_INVALID, INPUT_MISSING.
 */
type MistakeCode = 'SCHEMA_UNKNOWN_FIELD' | 'SCHEMA_MISSING_FIELD' | 'SCHEMA_TYPE' | 'SCHEMA_ENUM' | 'SCHEMA_VIOLATION';

/** One mistake in a case's inputs; `pointer` into the case (`/inputs/NAME`, `` for the case itself). */
interface InputMistake {
  code: MistakeCode;
  pointer: string;
  at: 'key' | 'value';
  message: string;
  expected: string;
  hint: string;
}

/**
 * Every mistake of every case that runs (a skipped case does not), as `sop validate` reports them;
 * one written once for several cases (a CSV header cell, `defaults.inputs`) is said once.
 */
export function datasetInputDiagnostics(dataset: EvalDataset, sop: ResolvedSop): Diagnostic[] {
  return [...mistakesByPlace(dataset, sop).values()].map(({ diagnostic }) => diagnostic);
}

/**
 * The input names the SOP does not declare that are written once for several cases (a CSV header
 * cell, `defaults.inputs`), once each: every such case's run would be refused for the same word,
 * so `sop eval` refuses the dataset before any run instead of failing each case with it.
 */
export function sharedInputNamesTheSopLacks(dataset: EvalDataset, sop: ResolvedSop): Diagnostic[] {
  const csv = dataset.cases[0]?.format === 'csv';
  return [...mistakesByPlace(dataset, sop).values()].filter(({ diagnostic, cases }) => diagnostic.code === 'SCHEMA_UNKNOWN_FIELD' && (csv || cases > 1)).map(({ diagnostic }) => diagnostic);
}

/** Each distinct mistake (its text and place) and how many cases have it. */
function mistakesByPlace(dataset: EvalDataset, sop: ResolvedSop): Map<string, { diagnostic: Diagnostic; cases: number }> {
  const found = new Map<string, { diagnostic: Diagnostic; cases: number }>();
  for (const entry of dataset.cases) {
    if (entry.skip !== undefined) continue;
    for (const { code, pointer, at, message, expected, hint } of caseInputMistakes(entry, sop)) {
      const place = entry.at(pointer, at) ?? entry.at('');
      const diagnostic: Diagnostic = { code, severity: 'error', message, file: place?.file ?? dataset.file, ...(place ? { line: place.line, column: place.column } : {}), expected, hint };
      const key = JSON.stringify(diagnostic);
      const seen = found.get(key);
      if (seen) seen.cases += 1;
      else found.set(key, { diagnostic, cases: 1 });
    }
  }
  return found;
}

/** A case whose run was refused for its inputs: its mistakes in `sop validate`'s words; empty when none is known (a refusal for another reason). */
export function refusedInputsFailures(evalCase: EvalCase, sop: ResolvedSop): Failure[] {
  return caseInputMistakes(evalCase, sop).map(({ code, pointer, at, message, hint }) => {
    const place = evalCase.at(pointer, at);
    return {
      path: 'inputs',
      message: `${code}: ${message}: ${hint} (the run was refused before it started)`,
      location: place ? `${place.file}:${place.line}:${place.column}` : evalCase.locate(pointer),
    };
  });
}

function caseInputMistakes(evalCase: EvalCase, sop: ResolvedSop): InputMistake[] {
  const csv = evalCase.format === 'csv';
  return sharedMistakes(sop.inputs, evalCase.inputs, evalCase.name).flatMap((mistake): InputMistake[] => {
    const pointer = joinPointer('/inputs', mistake.name);
    switch (mistake.kind) {
      case 'unknown':
        // A CSV's input name is its header cell (`at: 'key'`), the same for every row.
        return [{ code: 'SCHEMA_UNKNOWN_FIELD', pointer, at: 'key', message: `${csv ? `column ${mistake.name}: ` : ''}${mistake.message}`, expected: `${mistake.expected}${csv ? ' (or `name`, `judge`, `expect.FIELD`)' : ''}`, hint: mistake.hint }];
      case 'twice':
        // In a CSV, at the row's cell: the header cell is every row's.
        return [{ code: 'SCHEMA_VIOLATION', pointer, at: csv ? 'value' : 'key', message: mistake.message, expected: 'each input once', hint: mistake.hint }];
      case 'value':
        // A required text given empty is refused as missing.
        return [{ code: mistake.refusal === 'INPUT_MISSING' ? 'SCHEMA_MISSING_FIELD' : mistake.input.enum ? 'SCHEMA_ENUM' : 'SCHEMA_TYPE', pointer, at: 'value', message: mistake.message, expected: mistake.expected, hint: mistake.hint }];
      case 'missing':
        // At the case itself: the `inputs` it lacks may not be written at all.
        return [{ code: 'SCHEMA_MISSING_FIELD', pointer: '', at: 'value', message: mistake.message, expected: mistake.expected, hint: howToGive(evalCase.format, mistake.name) }];
      case 'other':
        return [];
    }
  });
}

/** Where a dataset of this format gives an input: in the case, or for every case in the defaults. */
function howToGive(format: DatasetFormat, name: string): string {
  const defaults = `\`defaults.inputs.${name}\``;
  switch (format) {
    case 'yaml':
      return `add \`inputs.${name}\` to the case, or ${defaults} to the dataset for every case`;
    case 'jsonl':
      return `add "${name}" to the case's "inputs" ({"inputs": {"${name}": ...}}), or ${defaults} to a --defaults file for every case`;
    case 'csv':
      return `fill its cell in this row (column \`${name}\`; add it to the header if missing), or give ${defaults} in a --defaults file for every case`;
  }
}
