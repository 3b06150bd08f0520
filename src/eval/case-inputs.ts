/**
 * A dataset's case inputs against the inputs its SOP declares: a name the SOP does not declare, a
 * value of the wrong type or outside `enum`, an input given twice (by name and alias), a required
 * input the case does not give. Each would refuse the case's run (INPUT_INVALID, INPUT_MISSING):
 * `sop validate SOP DATASET` reports them before any run (exit 3), located at the case's field, and `sop
 * eval` fails the case with the same words when its run is refused. Said in the dataset's own
 * words (`inputs.NAME` in the case or `defaults.inputs.NAME`; a column in a CSV), not with `sop
 * run`'s hint about `--input` flags, which a dataset has none of.
 */

import { isSopError, type Diagnostic } from '../errors/index.js';
import { coerceInputs, requiredNotGiven } from '../runtime/inputs.js';
import { joinPointer } from '../spec/pointer.js';
import type { ResolvedInput, ResolvedSop } from '../spec/resolved.js';
import { closestMatch, didYouMean, listNames } from '../spec/suggest.js';
import { quotedName } from '../spec/text-encoding.js';
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
  const owner = new Map<string, ResolvedInput>();
  for (const input of sop.inputs) for (const name of [input.name, ...input.aliases]) owner.set(name, input);
  const mistakes: InputMistake[] = [];
  const givenAs = new Map<string, string>();
  // `idae` for `idea`: the misspelt name is the one mistake, not also the input it misses.
  const misspelt = new Set<string>();
  for (const [name, value] of Object.entries(evalCase.inputs)) {
    const pointer = joinPointer('/inputs', name);
    const input = owner.get(name);
    if (!input) {
      const meant = closestMatch(name, owner.keys());
      if (meant !== undefined) misspelt.add(owner.get(meant)!.name);
      const csv = evalCase.format === 'csv';
      mistakes.push({
        // A CSV's input name is its header cell (`at: 'key'`), the same for every row.
        code: 'SCHEMA_UNKNOWN_FIELD', pointer, at: 'key',
        // Worded as a test file's case input is (testing/input-fit.ts).
        message: `${csv ? `column ${name}: ` : ''}the SOP has no input \`${name}\``,
        expected: `an input the SOP declares: ${listNames(owner.keys())}${csv ? ' (or `name`, `judge`, `expect.FIELD`)' : ''}`,
        hint: didYouMean(name, owner.keys()) ?? 'remove it, or declare it in the SOP\'s `inputs`',
      });
      continue;
    }
    const earlier = givenAs.get(input.name);
    if (earlier !== undefined) {
      mistakes.push({
        // In a CSV, at the row's cell: the header cell is every row's.
        code: 'SCHEMA_VIOLATION', pointer, at: evalCase.format === 'csv' ? 'value' : 'key',
        message: `input \`${input.name}\` is given twice in case ${quotedName(evalCase.name)} (as \`${earlier}\` and as \`${name}\`)`,
        expected: 'each input once',
        hint: `\`${input.name}\` and its aliases (${input.aliases.join(', ')}) name one input: give it once`,
      });
      continue;
    }
    givenAs.set(input.name, name);
    // The run's own check of one value (its type, `enum`, a required text given empty), with its words: a secret's value is not shown.
    const refused = refusal(() => coerceInputs([input], { [name]: value }));
    // A required text given empty is refused as missing.
    if (refused) mistakes.push({ code: refused.code === 'INPUT_MISSING' ? 'SCHEMA_MISSING_FIELD' : input.enum ? 'SCHEMA_ENUM' : 'SCHEMA_TYPE', message: refused.message, pointer, at: 'value', expected: valueWords(input), hint: 'write a value the SOP\'s `inputs` declare for it' });
  }
  const missing = requiredNotGiven(sop.inputs, givenAs.keys()).filter((input) => !misspelt.has(input.name));
  for (const input of missing) {
    mistakes.push({
      code: 'SCHEMA_MISSING_FIELD',
      // At the case itself: the `inputs` it lacks may not be written at all.
      pointer: '', at: 'value',
      message: `case ${quotedName(evalCase.name)} does not give the required input \`${input.name}\` (${input.type ?? 'string'})`,
      expected: `\`${input.name}: ${valueWords(input)}\``,
      hint: howToGive(evalCase.format, input.name),
    });
  }
  return mistakes;
}

function refusal(check: () => unknown): { code: 'INPUT_INVALID' | 'INPUT_MISSING'; message: string } | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (!isSopError(error) || (error.code !== 'INPUT_INVALID' && error.code !== 'INPUT_MISSING')) throw error;
    return { code: error.code, message: error.message };
  }
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

function valueWords(input: ResolvedInput): string {
  const type = input.type ?? 'string';
  return input.enum ? `one of ${input.enum.map((value) => JSON.stringify(value)).join(', ')}` : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}
