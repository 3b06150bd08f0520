/**
 * A case's inputs against the inputs its SOP declares, before any case runs: a name the SOP does
 * not declare (`ideaz`), a required input no case field gives, a value of the wrong type or outside
 * `enum`. Each would refuse the case's run (INPUT_INVALID, INPUT_MISSING), which then failed every
 * expectation at their own lines; instead each is located where the input is written (or where it
 * is missing), as the test file's other mistakes are. A case that expects that refusal is left to run.
 */

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { isSopError, type Diagnostic } from '../errors/index.js';
import { shownPath } from '../files/index.js';
import { checkFile } from '../runtime/file-inputs.js';
import { coerceInputs, requiredNotGiven } from '../runtime/inputs.js';
import type { ResolvedInput, ResolvedSop } from '../spec/resolved.js';
import { closestMatch, didYouMean, listNames } from '../spec/suggest.js';
import { quotedName } from '../spec/text-encoding.js';
import type { TestCase, TestFile } from './test-file.js';

/** Errors a run reports when it refuses its inputs. */
const INPUT_ERRORS = new Set(['INPUT_INVALID', 'INPUT_MISSING', 'INPUT_FILE_INVALID']);
type InputRefusal = 'INPUT_INVALID' | 'INPUT_MISSING' | 'INPUT_FILE_INVALID';

export function inputsThatMissTheSop(file: TestFile, sop: ResolvedSop, cases: readonly TestCase[] = file.cases): Diagnostic[] {
  const owner = new Map<string, ResolvedInput>();
  for (const input of sop.inputs) for (const name of [input.name, ...input.aliases]) owner.set(name, input);
  const declared = listNames(owner.keys());
  const diagnostics: Diagnostic[] = [];
  const report = (code: InputRefusal, pointer: string, at: 'key' | 'value', message: string, details: { expected?: string; hint: string }): void => {
    diagnostics.push({ code, severity: 'error', message, file: file.file, ...file.locate(pointer, at), pointer, ...details });
  };
  for (const entry of cases) {
    // A skipped case does not run; one that expects the refusal tests it.
    if (entry.skip !== undefined || expectsInputRefusal(entry)) continue;
    const givenAs = new Map<string, string>();
    // `incidnet` for `incident`: the misspelt name is the one mistake, not also the input it misses.
    const misspelt = new Set<string>();
    for (const [name, value] of Object.entries(entry.inputs)) {
      const place = entry.inputPlaces[name] ?? entry.inputsAt;
      const input = owner.get(name);
      if (!input) {
        const meant = closestMatch(name, owner.keys());
        if (meant !== undefined) misspelt.add(owner.get(meant)!.name);
        report('INPUT_INVALID', place, 'key', `the SOP has no input \`${name}\``, {
          expected: `an input the SOP declares: ${declared}`,
          hint: didYouMean(name, owner.keys()) ?? 'remove it, or declare it in the SOP\'s `inputs`',
        });
        continue;
      }
      const earlier = givenAs.get(input.name);
      if (earlier !== undefined) {
        report('INPUT_INVALID', place, 'key', `input \`${input.name}\` is given twice in case ${quotedName(entry.name)} (as \`${earlier}\` and as \`${name}\`)`, {
          hint: `\`${input.name}\` and its aliases (${input.aliases.join(', ')}) name one input: give it once`,
        });
        continue;
      }
      givenAs.set(input.name, name);
      // The run's own check of one value: its type, `enum`, a required text given empty.
      const problem = refusal(() => coerceInputs([input], { [name]: value }));
      if (problem) report(problem.code, place, 'value', problem.message, { expected: valueWords(input), hint: 'write a value the SOP\'s `inputs` declare for it' });
      // A file input's file, relative to the test file: a missing one refused every case's run, each expectation failing at its own line.
      else if (input.type === 'file' && typeof value === 'string' && value.replace(/^@/, '').trim() !== '') {
        const given = value.replace(/^@/, '');
        const missing = refusal(() => checkFile(name, path.resolve(file.dir, given)));
        if (missing) report(missing.code, place, 'value', missing.message, { expected: 'a file\'s path, relative to the test file', hint: nearFile(file.dir, given) ?? `write the file's path relative to the test file's folder, ${shownDir(file.dir)}` });
      }
    }
    for (const input of requiredNotGiven(sop.inputs, givenAs.keys())) {
      if (misspelt.has(input.name)) continue;
      report('INPUT_MISSING', entry.inputsAt, 'key', `case ${quotedName(entry.name)} does not give the required input \`${input.name}\` (${input.type ?? 'string'})`, {
        expected: `\`${input.name}: ${valueWords(input)}\` in the case's \`inputs\` or in \`defaults.inputs\``,
        hint: `add \`${input.name}\` to the case's \`inputs\` (or to \`defaults.inputs\`, for every case); a case that tests the refusal expects it: \`error: INPUT_MISSING\``,
      });
    }
  }
  return diagnostics;
}

/** `expect: { error: INPUT_MISSING }`, or `exit_code: 2` without an error code: the case tests the refusal itself. */
function expectsInputRefusal(entry: TestCase): boolean {
  const { error, exit_code: exitCode } = entry.expect;
  return error !== undefined ? INPUT_ERRORS.has(error) : exitCode === 2;
}

function refusal(check: () => unknown): { code: InputRefusal; message: string } | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (!isSopError(error) || !INPUT_ERRORS.has(error.code)) throw error;
    return { code: error.code as InputRefusal, message: error.message };
  }
}

/** The test file's folder as the user sees it: relative to the current folder when inside it. */
function shownDir(dir: string): string {
  const shown = shownPath(dir);
  return shown === '.' ? 'the current folder' : shown;
}

/** `did you mean "@../gitlog.txt"?` for `@../gitlg.txt`: a file of that folder named nearly so. */
function nearFile(dir: string, given: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(path.resolve(dir, path.dirname(given)));
  } catch {
    return undefined;
  }
  const near = closestMatch(path.basename(given), names);
  return near === undefined ? undefined : `did you mean \`"@${path.join(path.dirname(given), near)}"\`?`;
}

function valueWords(input: ResolvedInput): string {
  const type = input.type ?? 'string';
  return input.enum ? `one of ${input.enum.map((value) => JSON.stringify(value)).join(', ')}` : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}
