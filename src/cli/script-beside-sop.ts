import { existsSync } from 'node:fs';
import path from 'node:path';
import { shownPath } from '../files/shown-path.js';
import { quoteArgument } from '../runtime/shell-argument.js';

/**
 * The hint for a script path not found in the current folder when a file of that name lies beside
 * the SOP: a script's path is relative to the current folder (as every file argument is), so
 * `sop run sub/sop.yaml --model script:answers.yaml` from `sub/`'s parent misses `sub/answers.yaml`.
 * `flag` writes the option to type with the path that works (`--model script:P`, `--script P`).
 * Undefined when that is not the mistake: the file exists here, or not beside the SOP either.
 */
export function scriptBesideSopHint(file: string, cwd: string, sopDir: string, flag: (file: string) => string): string | undefined {
  if (path.isAbsolute(file)) return undefined;
  const beside = path.resolve(sopDir, file);
  if (beside === path.resolve(cwd, file) || existsSync(path.resolve(cwd, file)) || !existsSync(beside)) return undefined;
  const shown = shownPath(beside, cwd);
  return `a script's path is relative to the current folder, not to the SOP; the one beside the SOP is ${shown}: ${flag(quoteArgument(shown))}`;
}
