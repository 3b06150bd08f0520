/**
 * A case whose run was refused for a required input the case does not give: said at the case, in
 * the dataset's own words (`inputs.NAME` in the case or `defaults.inputs.NAME`; a column in a CSV),
 * not with `sop run`'s hint about `--input` flags, which a dataset has none of.
 */

import { requiredNotGiven } from '../runtime/inputs.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { quotedName } from '../spec/text-encoding.js';
import type { DatasetFormat, EvalCase } from './dataset.js';
import type { Failure } from './results.js';

/** The failure of a case that leaves out required inputs; undefined when it gives them all (a refusal for another reason). */
export function missingInputsFailure(evalCase: EvalCase, sop: ResolvedSop): Failure | undefined {
  const missing = requiredNotGiven(sop.inputs, Object.keys(evalCase.inputs));
  if (missing.length === 0) return undefined;
  const named = missing.map((input) => `\`${input.name}\` (${input.type ?? 'string'})`).join(', ');
  const inputs = missing.length === 1 ? 'input' : 'inputs';
  return {
    path: 'inputs',
    message: `case ${quotedName(evalCase.name)} does not give the required ${inputs} ${named}: ${howToGive(evalCase.format, missing.map((input) => input.name))} (the run was refused before it started)`,
    // At the case itself: the `inputs` it lacks may not be written at all.
    location: evalCase.locate(''),
  };
}

/** Where a dataset of this format gives inputs: in the case, or for every case in the defaults. */
function howToGive(format: DatasetFormat, names: readonly string[]): string {
  const list = (each: (name: string) => string): string => names.map(each).join(', ');
  const defaults = list((name) => `\`defaults.inputs.${name}\``);
  switch (format) {
    case 'yaml':
      return `add ${list((name) => `\`inputs.${name}\``)} to the case, or ${defaults} to the dataset for every case`;
    case 'jsonl':
      return `add ${list((name) => `"${name}"`)} to the case's "inputs" ({"inputs": {"${names[0]}": ...}}), or ${defaults} to a --defaults file for every case`;
    case 'csv':
      return `fill ${names.length === 1 ? 'its cell' : 'their cells'} in this row (column${names.length === 1 ? '' : 's'} ${list((name) => `\`${name}\``)}; add ${names.length === 1 ? 'it' : 'them'} to the header if missing), or give ${defaults} in a --defaults file for every case`;
  }
}
