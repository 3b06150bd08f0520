import path from 'node:path';
import { quoteArgument } from '../runtime/shell-argument.js';

/** Where eval records go unless `--evals-dir` says otherwise. */
export const DEFAULT_EVALS_DIR = path.join('.sop', 'evals');

/**
 * The command that continues the eval recorded in `evalDir` (`sop eval --resume ID`), with
 * `--evals-dir DIR` when that record is not in the current folder's `.sop/evals`, where `--resume`
 * looks by default: relative when under the current folder, quoted for a shell when it must be.
 */
export function evalResumeCommand(evalDir: string, sopCommand = 'sop'): string {
  const folder = path.dirname(path.resolve(evalDir));
  const command = `${sopCommand} eval --resume ${path.basename(path.resolve(evalDir))}`;
  if (folder === path.resolve(DEFAULT_EVALS_DIR)) return command;
  const relative = path.relative(process.cwd(), folder);
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return `${command} --evals-dir ${quoteArgument(outside ? folder : relative || '.')}`;
}
