import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { AnnotationBase } from './github-annotations.js';

/** What a command writes under GitHub Actions (`GITHUB_ACTIONS=true`) besides its annotations. */
export interface GithubActionsContext {
  /** `$GITHUB_STEP_SUMMARY`: the Markdown summary is appended to it. */
  stepSummary?: string | undefined;
  /** `$GITHUB_OUTPUT`: the step's outputs (`steps.<id>.outputs.<name>`) are appended to it. */
  outputs?: string | undefined;
  /** The checkout annotations name files relative to. */
  base?: AnnotationBase | undefined;
}

/** A step's outputs by name; an undefined value is not written. */
export type StepOutputs = Record<string, string | number | boolean | undefined>;

/**
 * The lines `$GITHUB_OUTPUT` reads: `name=value`, or, for a value with a line break, the
 * `name<<DELIMITER` form GitHub documents, with a random delimiter the value cannot contain.
 */
export function formatStepOutputs(outputs: StepOutputs): string {
  let text = '';
  for (const [name, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    const shown = String(value);
    if (!/[\r\n]/.test(shown)) {
      text += `${name}=${shown}\n`;
      continue;
    }
    let delimiter = `ghadelimiter_${randomBytes(8).toString('hex')}`;
    while (shown.includes(delimiter)) delimiter = `ghadelimiter_${randomBytes(8).toString('hex')}`;
    text += `${name}<<${delimiter}\n${shown}\n${delimiter}\n`;
  }
  return text;
}

/**
 * Appends to a file GitHub Actions gave (nothing without one); a file that cannot be written is a
 * warning on `stderr`, not a failure of the command whose result it carries.
 */
export function appendGithubFile(file: string | undefined, text: string, what: string, stderr: NodeJS.WritableStream): void {
  if (!file) return;
  try {
    appendFileSync(file, text);
  } catch (error) {
    stderr.write(`warning: cannot append ${what} to ${file}: ${(error as Error).message}\n`);
  }
}
