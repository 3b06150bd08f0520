import type { ExpressionPlace } from '../contexts.js';

/** A word of a shell command line: a program, a flag, a path (no CEL brackets, quotes or calls). */
const COMMAND_WORD = /^[\w./:=@+,%-]+$/;

/**
 * The hint for a `command:` written as one string (`"python3 check.py"`) where a string is a CEL
 * expression giving the argv: it does not parse, or reads `python3` as a variable, and neither
 * says what the author meant. Undefined when the place takes no argv or the text is not a command line.
 */
export function commandLineHint(place: ExpressionPlace, source: string): string | undefined {
  if (place !== 'command-argv' && place !== 'gate-argv') return undefined;
  const words = source.trim().split(/\s+/);
  if (words.length === 0 || !words.every((word) => COMMAND_WORD.test(word))) return undefined;
  return `a string \`command\` is a CEL expression giving the argv (e.g. \`vars.test_command[payload.language]\`); to run a program, write its argv as a list: \`command: [${words.join(', ')}]\``;
}
