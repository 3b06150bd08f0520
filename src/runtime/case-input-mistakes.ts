/**
 * A case's inputs (a `sop test` case, an eval dataset's case) against the inputs its SOP declares:
 * a name the SOP does not declare, an input given twice (by name and alias), a value the run would
 * refuse (its type, `enum`, a required text given empty), a required input not given. One check
 * for both, in the same words; each caller says where, with its own code and hints.
 */

import { isSopError } from '../errors/index.js';
import type { ResolvedInput } from '../spec/resolved.js';
import { closestMatch, didYouMean, listNames } from '../spec/suggest.js';
import { quotedName } from '../spec/text-encoding.js';
import { allowedMeant, coerceInputs, isSecretInput, requiredNotGiven } from './inputs.js';

export type CaseInputMistake =
  | { kind: 'unknown'; name: string; message: string; expected: string; hint: string }
  | { kind: 'twice'; name: string; input: ResolvedInput; message: string; hint: string }
  | { kind: 'value'; name: string; input: ResolvedInput; refusal: 'INPUT_INVALID' | 'INPUT_MISSING'; message: string; expected: string; hint: string }
  | { kind: 'missing'; name: string; input: ResolvedInput; message: string; expected: string }
  | { kind: 'other'; name: string; input: ResolvedInput; mistake: unknown };

/**
 * The mistakes of `inputs`, in the order they are written, the missing required inputs last (an
 * input whose misspelt name is one mistake is not also missing). `checkTaken` looks further at a
 * value the run would take (a file input's file): what it returns goes in as `other`, in its place.
 */
export function caseInputMistakes(declared: readonly ResolvedInput[], inputs: Readonly<Record<string, string | number | boolean>>, caseName: string, checkTaken?: (name: string, input: ResolvedInput, value: string | number | boolean) => unknown): CaseInputMistake[] {
  const owner = new Map<string, ResolvedInput>();
  for (const input of declared) for (const name of [input.name, ...input.aliases]) owner.set(name, input);
  const mistakes: CaseInputMistake[] = [];
  const givenAs = new Map<string, string>();
  // `idae` for `idea`: the misspelt name is the one mistake, not also the input it misses.
  const misspelt = new Set<string>();
  for (const [name, value] of Object.entries(inputs)) {
    const input = owner.get(name);
    if (!input) {
      const meant = closestMatch(name, owner.keys());
      if (meant !== undefined) misspelt.add(owner.get(meant)!.name);
      mistakes.push({ kind: 'unknown', name, message: `the SOP has no input \`${name}\``, expected: `an input the SOP declares: ${listNames(owner.keys())}`, hint: didYouMean(name, owner.keys()) ?? 'remove it, or declare it in the SOP\'s `inputs`' });
      continue;
    }
    const earlier = givenAs.get(input.name);
    if (earlier !== undefined) {
      mistakes.push({ kind: 'twice', name, input, message: `input \`${input.name}\` is given twice in case ${quotedName(caseName)} (as \`${earlier}\` and as \`${name}\`)`, hint: `\`${input.name}\` and its aliases (${input.aliases.join(', ')}) name one input: give it once` });
      continue;
    }
    givenAs.set(input.name, name);
    // The run's own check of one value (its type, `enum`, a required text given empty), in its words: a secret's value is not shown.
    const refused = inputRefusal(() => coerceInputs([input], { [name]: value }));
    if (refused) mistakes.push({ kind: 'value', name, input, refusal: refused.code as 'INPUT_INVALID' | 'INPUT_MISSING', message: refused.message, expected: valueWords(input), hint: valueHint(input, value) });
    else {
      const mistake = checkTaken?.(name, input, value);
      if (mistake !== undefined) mistakes.push({ kind: 'other', name, input, mistake });
    }
  }
  for (const input of requiredNotGiven(declared, givenAs.keys())) {
    if (misspelt.has(input.name)) continue;
    mistakes.push({ kind: 'missing', name: input.name, input, message: `case ${quotedName(caseName)} does not give the required input \`${input.name}\` (${input.type ?? 'string'})`, expected: `\`${input.name}: ${valueWords(input)}\`` });
  }
  return mistakes;
}

/** The run's refusal of inputs that `check` throws (INPUT_INVALID, INPUT_MISSING, INPUT_FILE_INVALID); anything else is thrown. */
export function inputRefusal(check: () => unknown): { code: InputRefusal; message: string } | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (!isSopError(error) || !INPUT_REFUSALS.has(error.code)) throw error;
    return { code: error.code as InputRefusal, message: error.message };
  }
}

/** The codes a run refuses its inputs with. */
export type InputRefusal = 'INPUT_INVALID' | 'INPUT_MISSING' | 'INPUT_FILE_INVALID';
const INPUT_REFUSALS = new Set<string>(['INPUT_INVALID', 'INPUT_MISSING', 'INPUT_FILE_INVALID']);

/**
 * `Engineers` for an `enum` of `engineers`: the value meant, as `sop run`'s `--input` hint names it
 * (a secret's is not: it would say something of the value).
 */
function valueHint(input: ResolvedInput, value: string | number | boolean): string {
  const meant = input.enum && !isSecretInput(input) ? allowedMeant(input.enum, value) : undefined;
  return meant === undefined ? 'write a value the SOP\'s `inputs` declare for it' : `did you mean ${JSON.stringify(meant)}?`;
}

function valueWords(input: ResolvedInput): string {
  const type = input.type ?? 'string';
  return input.enum ? `one of ${input.enum.map((value) => JSON.stringify(value)).join(', ')}` : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}
