/**
 * The value of `--NAME` in a command's raw arguments (`--NAME value`, `--NAME=value`), before oclif
 * parses them: for what must hold from the first line a command prints, a refusal of its other
 * flags included (`--format json`'s envelope, `--log-format json`'s lines).
 */
export function rawFlagValue(argv: readonly string[], name: string): string | undefined {
  const flag = `--${name}`;
  // Past `--`, a word is an argument, not a flag.
  const end = argv.indexOf('--');
  const words = end === -1 ? argv : argv.slice(0, end);
  const index = words.findIndex((arg) => arg === flag || arg.startsWith(`${flag}=`));
  if (index === -1) return undefined;
  const arg = words[index] as string;
  return arg.includes('=') ? arg.slice(flag.length + 1) : words[index + 1];
}
