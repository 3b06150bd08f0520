import type { ResolvedInput } from '../spec/resolved.js';
import { quoteArgument } from './shell-argument.js';

/** A value given to an input (on the command line a string; in a test case or a resume's file, also a number or boolean). */
export type InputValue = string | number | boolean;

/** The words after the SOP file that give `sop run` its inputs: the idea (quoted), then the flags. */
export interface RunArguments {
  idea?: string | undefined;
  flags: readonly string[];
}

/**
 * The `sop run` command a refused run's hint gives to paste, with the SOP file as the user named it.
 * The one builder of it: the runtime's refusals (a missing input, a misspelt one) and the CLI's (an
 * IDEA for an SOP without an `idea` input) give the same command for the same inputs.
 */
export function sopRunCommand(sopFile: string, args: RunArguments): string {
  return ['sop run', quoteArgument(sopFile), ...(args.idea === undefined ? [] : [args.idea]), ...args.flags].join(' ');
}

/** `--input topic='an idea'`: a given value typed again; a secret's as `NAME=...` (never shown). */
export function inputFlag(name: string, value: InputValue, secret: boolean): string {
  return `--input ${name}=${secret ? '...' : quoteArgument(String(value))}`;
}

/**
 * A given value as `sop run` takes it again: `@FILE` for a text read from FILE (`fromFile`), a text
 * that starts with `@` as `@@` (a bare `@` reads a file), a file input's path as it is.
 */
export function typedBack(value: InputValue, fileInput: boolean, fromFile?: string): InputValue {
  if (fromFile !== undefined) return `@${fromFile}`;
  return !fileInput && typeof value === 'string' && value.startsWith('@') ? `@${value}` : value;
}

/** `--input topic=<string>`: an input still to give, its type in place of the value. */
export function neededInputFlag(input: Pick<ResolvedInput, 'name' | 'type'>): string {
  return `--input ${input.name}=<${input.type ?? 'string'}>`;
}
