/** Quoted for a POSIX shell when it holds anything but plain characters: a command a hint gives runs when pasted. */
export function quoteArgument(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}
