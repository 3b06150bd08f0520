/**
 * A case's inputs against the inputs its SOP declares, before any case runs: a name the SOP does
 * not declare (`ideaz`), a required input no case field gives, a value of the wrong type or outside
 * `enum`. Each would refuse the case's run (INPUT_INVALID, INPUT_MISSING), which then failed every
 * expectation at their own lines; instead each is located where the input is written (or where it
 * is missing), as the test file's other mistakes are. A case that expects that refusal is left to run.
 */

import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../errors/index.js';
import { shownPath } from '../files/index.js';
import { caseInputMistakes, inputRefusal, type InputRefusal } from '../runtime/case-input-mistakes.js';
import { checkFile } from '../runtime/file-inputs.js';
import type { ResolvedInput, ResolvedSop } from '../spec/resolved.js';
import { closestMatch } from '../spec/suggest.js';
import type { TestCase, TestFile } from './test-file.js';

/** Errors a run reports when it refuses its inputs. */
const INPUT_ERRORS = new Set<string>(['INPUT_INVALID', 'INPUT_MISSING', 'INPUT_FILE_INVALID']);

export function inputsThatMissTheSop(file: TestFile, sop: ResolvedSop, cases: readonly TestCase[] = file.cases): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (code: InputRefusal, pointer: string, at: 'key' | 'value', message: string, details: { expected?: string; hint: string }): void => {
    diagnostics.push({ code, severity: 'error', message, file: file.file, ...file.locate(pointer, at), pointer, ...details });
  };
  for (const entry of cases) {
    // A skipped case does not run; one that expects the refusal tests it.
    if (entry.skip !== undefined || expectsInputRefusal(entry)) continue;
    // A file input's file, relative to the test file: a missing one refused every case's run, each expectation failing at its own line.
    const fileMissing = (name: string, input: ResolvedInput, value: unknown): { code: InputRefusal; message: string; given: string } | undefined => {
      if (input.type !== 'file' || typeof value !== 'string' || value.replace(/^@/, '').trim() === '') return undefined;
      const given = value.replace(/^@/, '');
      const missing = inputRefusal(() => checkFile(name, path.resolve(file.dir, given)));
      return missing && { ...missing, given };
    };
    for (const mistake of caseInputMistakes(sop.inputs, entry.inputs, entry.name, fileMissing)) {
      const place = entry.inputPlaces[mistake.name] ?? entry.inputsAt;
      switch (mistake.kind) {
        case 'unknown':
          report('INPUT_INVALID', place, 'key', mistake.message, { expected: mistake.expected, hint: mistake.hint });
          break;
        case 'twice':
          report('INPUT_INVALID', place, 'key', mistake.message, { hint: mistake.hint });
          break;
        case 'value':
          report(mistake.refusal, place, 'value', mistake.message, { expected: mistake.expected, hint: mistake.hint });
          break;
        case 'other': {
          const missing = mistake.mistake as NonNullable<ReturnType<typeof fileMissing>>;
          report(missing.code, place, 'value', missing.message, { expected: 'a file\'s path, relative to the test file', hint: nearFile(file.dir, missing.given) ?? `write the file's path relative to the test file's folder, ${shownDir(file.dir)}` });
          break;
        }
        case 'missing':
          report('INPUT_MISSING', entry.inputsAt, 'key', mistake.message, {
            expected: `${mistake.expected} in the case's \`inputs\` or in \`defaults.inputs\``,
            hint: `add \`${mistake.name}\` to the case's \`inputs\` (or to \`defaults.inputs\`, for every case); a case that tests the refusal expects it: \`error: INPUT_MISSING\``,
          });
      }
    }
  }
  return diagnostics;
}

/** `expect: { error: INPUT_MISSING }`, or `exit_code: 2` without an error code: the case tests the refusal itself. */
function expectsInputRefusal(entry: TestCase): boolean {
  const { error, exit_code: exitCode } = entry.expect;
  return error !== undefined ? INPUT_ERRORS.has(error) : exitCode === 2;
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
