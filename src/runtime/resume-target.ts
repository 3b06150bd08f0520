import path from 'node:path';
import type { Diagnostic } from '../errors/index.js';
import { ADDED_COMMAND_NAMES, COMMAND_NAMES } from './command-names.js';

/**
 * How a hint names a run for `sop resume`: by its id when its folder is in the default runs folder
 * (`.sop/runs` under the working folder), else by its folder's path, which `sop resume` takes too
 * (relative when under the working folder, quoted for a shell when it must be): `sop resume ID`
 * does not find a run kept with `--runs-dir` elsewhere.
 */
export function resumeTarget(runDir: string, cwd: string): string {
  const folder = path.resolve(cwd, runDir);
  if (path.dirname(folder) === path.resolve(cwd, '.sop', 'runs')) return path.basename(folder);
  const relative = path.relative(path.resolve(cwd), folder);
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? folder : relative;
  return /^[\w./@%+=:,-]+$/.test(shown) ? shown : `'${shown.replaceAll("'", "'\\''")}'`;
}

/**
 * How hints type `sop` when their caller does not say (`RunOptions.sopCommand`): the CLI gives the
 * way it was started (`npx sop`, `node PATH/bin/sop.js`), so a pasted hint runs the same `sop`.
 */
export const DEFAULT_SOP_COMMAND = 'sop';

/** The command a hint gives to continue a run: `sop resume TARGET`, `sop` typed as `command`. */
export function resumeCommand(target: string, command: string = DEFAULT_SOP_COMMAND): string {
  return `${command} resume ${target}`;
}

/** The command words of `sop` (every command oclif knows, `--help` and `--version`, the `COMMAND` placeholder), as the hints name them (`sop resume ID`, `` `sop runs --queue URL` ``). */
const COMMAND_IN_HINT = new RegExp(`(^|\\n|\`|\\(|: )sop (?=(?:${[...COMMAND_NAMES, ...ADDED_COMMAND_NAMES].join('|')})\\b|--(?:help|version)\\b|COMMAND\\b)`, 'g');

/**
 * `text` (a hint written with the default `sop`) with the commands it gives typed as `command`.
 * For hints written where the word is not known: a queued run's, written by a worker (its report,
 * its failure in Redis) and printed by whoever follows the run, each typing `sop` its own way; the
 * static hints of the layers below the CLI (`see \`sop schema\``), which the CLI types as it prints
 * them. Only a command starts a line, follows a backtick, a `(` or a `: `; prose ("while sop
 * runs") is left as it is. A hint typed already is left as it is (`npx sop`, `node …/sop.js`).
 */
export function typedAs(text: string, command: string): string {
  return command === DEFAULT_SOP_COMMAND ? text : text.replace(COMMAND_IN_HINT, (_whole, before: string) => `${before}${command} `);
}

/** `diagnostic` with its hint's commands typed as `command` (`typedAs`): as printed, so in `--json`'s `diagnostics` and `--format github`'s annotations. */
export function withTypedHint(diagnostic: Diagnostic, command: string): Diagnostic {
  return diagnostic.hint === undefined ? diagnostic : { ...diagnostic, hint: typedAs(diagnostic.hint, command) };
}
