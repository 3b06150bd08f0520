import { argvList, SHELL_SYNTAX } from '../command-line-argv.js';
import type { ExpressionPlace } from '../contexts.js';

/** A word of a shell command line: a program, a flag, a path (no CEL brackets, quotes or calls). */
const COMMAND_WORD = /^[\w./:=@+,%-]+$/;

/**
 * The hint for a `command:` written as one string (`"python3 check.py"`, `"test -s a.md && grep -q x
 * a.md"`) where a string is a CEL expression giving the argv: it does not parse, or reads `python3` as
 * a variable, and neither says what the author meant. A line using a shell's syntax after a program
 * and its first argument is shown as `sh -c` runs it. Undefined when the place takes no argv or the
 * text is not a command line.
 */
export function commandLineHint(place: ExpressionPlace, source: string): string | undefined {
  if (place !== 'command-argv' && place !== 'gate-argv') return undefined;
  const words = source.trim().split(/\s+/);
  if (words.length === 0) return undefined;
  const plain = words.every((word) => COMMAND_WORD.test(word));
  const shellLine = words.length > 2 && COMMAND_WORD.test(words[0]!) && COMMAND_WORD.test(words[1]!) && SHELL_SYNTAX.test(source.replace(/\{\{.*?\}\}/g, ''));
  if (!plain && !shellLine) return undefined;
  return `a string \`command\` is a CEL expression giving the argv (e.g. \`vars.test_command[payload.language]\`); to run a program, write its argv as a list: \`command: ${argvList(source)}\``;
}
