import { SopError } from '../errors/index.js';
import { closestMatch } from '../spec/suggest.js';
import { typedAs } from '../runtime/resume-target.js';
import { sopCommandOfProcess } from './invocation.js';
import { unknownCommand } from './json-envelope.js';

/** What a command's usage error is worded with: its id, the words given and the flags it knows. */
export interface UsageContext {
  /** `report`, `runs` (oclif's id, `:` for a space). */
  commandId: string | undefined;
  argv: readonly string[];
  knownFlags: string[];
  /** Unknown flags meant as the SOP's inputs, as the command to paste (`flagsMeantAsInputs`). */
  meant?: string;
  /** What the command says of a value out of a flag's options (`refusedOption`), before a guess at the nearest one. */
  optionHint?: string;
}

/**
 * oclif's parse errors (missing argument, unknown flag, a flag without its value, an extra argument,
 * a value out of its options, flags that exclude each other) as sop's own usage error: `error USAGE:
 * one line`, exit 2, and a hint naming `sop COMMAND --help`, as every other usage error says it.
 */
export function usageError(error: Error, context: UsageContext): SopError {
  const help = `see \`sop ${context.commandId ? `${context.commandId.replaceAll(':', ' ')} ` : ''}--help\``;
  const missing = missingArgs(error, context.argv);
  const unknown = (error as { flags?: unknown }).flags;
  const guess = Array.isArray(unknown) ? flagGuesses(unknown.map(String), [...context.knownFlags, 'help']) : undefined;
  const detail = guess ?? context.meant ?? context.optionHint ?? optionGuess(error) ?? missing?.hint;
  const message = missing?.message ?? usageMessage(error);
  return new SopError('USAGE', message, { hint: detail ? `${detail} (${help})` : help });
}

/**
 * oclif's error outside sop's commands, where bin/sop.js catches it: an unknown command (with the
 * nearest one), or a parse error of a plugin's command (`sop autocomplete --zz`), worded as above.
 */
export function errorOutsideCommand(error: Error, argv: readonly string[], commands: string[]): { message: string; hint: string; command?: string } {
  const found = outsideCommand(error, argv, commands);
  // Printed by bin/sop.js, not by a command: typed here as the user types `sop`.
  return { ...found, hint: typedAs(found.hint, sopCommandOfProcess()) };
}

function outsideCommand(error: Error, argv: readonly string[], commands: string[]): { message: string; hint: string; command?: string } {
  // `sop help bogus` is `sop bogus --help`, which oclif's help refuses as "Command bogus not found.".
  const message = error.message.replace(/^Command (.+) not found\.$/s, 'command $1 not found');
  if (/^command .+ not found$/s.test(message)) return unknownCommand(message, argv, commands);
  const command = argv[0] !== undefined && commands.includes(argv[0]) ? argv[0] : undefined;
  const usage = usageError(error, { commandId: command, argv, knownFlags: [] });
  return { message: usage.message, hint: usage.hint ?? 'see `sop --help`' };
}

/** The arguments of oclif's "Unexpected argument" error; undefined for other errors. */
export function extraArguments(error: Error): string[] | undefined {
  const args = (error as { args?: unknown }).args;
  return Array.isArray(args) && /^Unexpected argument/.test(stripAnsi(error.message)) ? args.map(String) : undefined;
}

/** oclif's wording of each parse error, in sop's: lower case, the flag first, one line. */
function usageMessage(error: Error): string {
  const text = stripAnsi(error.message);
  const flags = (error as { flags?: unknown }).flags;
  if (Array.isArray(flags) && /^Nonexistent flag/.test(text)) return `unknown flag${flags.length === 1 ? '' : 's'} ${flags.join(', ')}`;
  const args = (error as { args?: unknown }).args;
  if (Array.isArray(args) && /^Unexpected argument/.test(text)) return `unexpected argument${args.length === 1 ? '' : 's'} ${args.map(String).join(', ')}`;
  const noValue = /^Flag (--[\w-]+) expects a value$/.exec(text);
  if (noValue) return `${noValue[1]} needs a value`;
  const noOption = /^Flag (--[\w-]+) expects one of these values: (.*)$/.exec(text);
  if (noOption) return `${noOption[1]} needs a value: one of ${noOption[2]}`;
  const once = /^Flag (--[\w-]+) can only be specified once$/.exec(text);
  if (once) return `${once[1]} can be given only once`;
  const option = /^Expected (--[\w-]+)=(.*) to be one of: (.*)$/m.exec(text);
  if (option) return `${option[1]}: expected one of ${option[3]}, got \`${option[2]}\``;
  const argOption = /^Expected (.*) to be one of: (.*)$/m.exec(text);
  if (argOption) return `expected one of ${argOption[2]}, got \`${argOption[1]}\``;
  // FailedFlagValidationError: "The following errors occurred:" then one reason per line.
  const reasons = /^The following errors? occurred:\n([\s\S]*?)(?:\nSee more help with --help)?$/.exec(text)?.[1];
  if (reasons !== undefined) return saidOnce(reasons.split('\n').map((line) => line.trim()).filter(Boolean).map(lowerFirst).map(requiredFlag).map(flagRelation)).join('; ');
  return cleanParseMessage(text);
}

/** The flag and value of oclif's "Expected --format=png to be one of: mermaid, dot"; undefined for other errors. */
export function refusedOption(error: Error): { flag: string; value: string } | undefined {
  const option = /^Expected --([\w-]+)=(.*) to be one of: /m.exec(stripAnsi(error.message));
  return option ? { flag: option[1] as string, value: option[2] as string } : undefined;
}

/** "missing required flag redis" names the flag as it is typed: `--redis`. */
function requiredFlag(reason: string): string {
  return reason.replace(/^missing required flag ([\w-]+)$/, 'missing required flag --$1');
}

/**
 * oclif's reasons for flags that go together or exclude each other, as sop words them elsewhere
 * (`--gate cannot be used with --queue`, `--inc needs --workspace`).
 */
function flagRelation(reason: string): string {
  const excluded = /^--([\w-]+)(?:=.*)? cannot also be provided when using --([\w-]+)$/s.exec(reason);
  if (excluded) return `--${excluded[1]} cannot be used with --${excluded[2]}`;
  const needs = /^(all|one) of the following must be provided when using --([\w-]+): (.*)$/s.exec(reason);
  if (needs) return `--${needs[2]} needs ${needs[1] === 'one' ? 'one of ' : ''}${(needs[3] ?? '').split(', ').join(needs[1] === 'one' ? ', ' : ' and ')}`;
  const exactlyOne = /^exactly one of the following must be provided: (.*)$/s.exec(reason);
  return exactlyOne ? `give exactly one of ${exactlyOne[1]}` : reason;
}

/** Each reason once: both flags of an excluding pair are refused, each naming the other (`--record`, `--replay`). */
function saidOnce(reasons: string[]): string[] {
  const pair = (reason: string) => /^(--[\w-]+) cannot be used with (--[\w-]+)$/.exec(reason);
  return reasons.filter((reason, index) => {
    const flags = pair(reason);
    return !reasons.slice(0, index).some((earlier) => earlier === reason || (flags !== null && earlier === `${flags[2]} cannot be used with ${flags[1]}`));
  });
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001B\[[0-9;]*m/g, '');
}

/**
 * `did you mean \`--dataset\`?` for oclif's unknown flags (`--datset`, `--datset=x`), each with the
 * command's nearest flag; undefined when none is close.
 */
function flagGuesses(unknown: string[], known: string[]): string | undefined {
  const guesses = unknown.flatMap((given) => {
    const name = /^--([^=]+)/.exec(given)?.[1];
    const match = name === undefined ? undefined : closestMatch(name, known);
    return match === undefined ? [] : [unknown.length === 1 ? `\`--${match}\`` : `\`--${match}\` for ${given}`];
  });
  return guesses.length === 0 ? undefined : `did you mean ${guesses.join(', ')}?`;
}

/** `did you mean \`eval\`?` for an argument out of its options (`sop schema evl`); undefined when none is close. */
function optionGuess(error: Error): string | undefined {
  // A flag's value comes as `--format=mermiad`: the value alone is compared with the options.
  const argOption = /^Expected (?:--[\w-]+=)?(.*) to be one of: (.*)$/m.exec(stripAnsi(error.message));
  const match = argOption ? closestMatch(argOption[1] as string, (argOption[2] as string).split(', ')) : undefined;
  return match === undefined ? undefined : `did you mean \`${match}\`?`;
}

/**
 * oclif's missing-argument error, in words: `missing argument RUN: run id (in --runs-dir) or ...`. oclif appends a note
 * on every flag that takes several values whether or not one was given (`sop resume` listed the
 * flags it refuses); it is kept, as a hint, only when such a flag is on the command line, where it
 * may have taken the argument as its value.
 */
function missingArgs(error: Error, argv: readonly string[]): { message: string; hint?: string } | undefined {
  const args = (error as { args?: unknown }).args;
  if (!Array.isArray(args) || !/^Missing \d+ required arg/.test(error.message)) return undefined;
  const named = (args as Array<{ name?: string; description?: string }>).filter((arg) => arg.name);
  if (named.length === 0) return undefined;
  const list = named.map((arg) => `${arg.name?.toUpperCase()}${arg.description ? `: ${lowerFirst(arg.description.replace(/\.$/, ''))}` : ''}`).join('; ');
  const message = `missing argument${named.length === 1 ? '' : 's'} ${list}`;
  const multiple = /Note: (.+?) allows? multiple values/.exec(error.message)?.[1]?.split(', ') ?? [];
  const given = multiple.filter((flag) => argv.some((word) => word === flag || word.startsWith(`${flag}=`)));
  if (given.length === 0) return { message };
  return { message, hint: `${given.join(', ')} take${given.length === 1 ? 's' : ''} several values and may have taken the argument: give the arguments before ${given.length === 1 ? 'it' : 'them'}, or \`--\` before the arguments` };
}

/** `Run id` → `run id`; `SOP file` stays. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? `${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
}

/**
 * oclif's parse errors on one line: `Parsing --timeout \n\tExpected an integer ...\nSee more help with
 * --help` becomes `--timeout: expected an integer ...` (the help pointer is given as a hint instead).
 */
export function cleanParseMessage(message: string): string {
  const lines = message.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !/^See more help with --help$/.test(line));
  const flag = /^Parsing (--[\w-]+)$/.exec(lines[0] ?? '')?.[1];
  if (!flag) return lines.join(': ').replace(/:: /g, ': ');
  const rest = lines.slice(1).join(' ');
  const detail = rest.startsWith(`${flag} `) ? rest.slice(flag.length + 1) : rest;
  return `${flag}: ${integerReason(detail) ?? `${detail.charAt(0).toLowerCase()}${detail.slice(1)}`}`;
}

/**
 * oclif's refusal of an integer flag's value, as sop's own flags say it (`--n-round: must be a whole
 * number from 1 to 1000000, got "abc"`): "expected an integer greater than or equal to 1 but received: 0" read as a parser's.
 */
function integerReason(detail: string): string | undefined {
  const refused = /^Expected an integer(?: (greater|less) than or equal to (-?\d+))? but received: (.*)$/s.exec(detail);
  if (!refused) return undefined;
  const [, side, bound, given] = refused;
  const rule = side === undefined ? 'must be a whole number' : `must be ${side === 'greater' ? 'at least' : 'at most'} ${bound}`;
  return `${rule}, got \`${given}\``;
}

/** Flags whose empty value their command refuses in its own words (`--input`: NAME=VALUE; `--reject`: feedback; `sop runs --sop`: no run given). */
const EMPTY_VALUE_OWN_MESSAGE = new Set(['input', 'reject', 'sop']);

/**
 * A flag given an empty value is refused (exit 2) before any work: `--workspace "$WS"` with WS unset
 * in a CI job made the current folder the workspace (the team's files written over the checkout),
 * `--runs-dir=` put run folders there, `--junit=` failed late with an internal rename path.
 */
export function refuseEmptyFlagValues(flags: Record<string, unknown>, commandId: string | undefined): void {
  for (const [name, value] of Object.entries(flags)) {
    if (EMPTY_VALUE_OWN_MESSAGE.has(name)) continue;
    const values = Array.isArray(value) ? value : [value];
    if (values.some((one) => typeof one === 'string' && one.trim() === '')) {
      throw new SopError('USAGE', `--${name} was given an empty value`, {
        hint: `give --${name} a value, or leave the flag out (an unset variable, --${name} "$VAR", gives an empty one); see \`sop ${commandId ?? ''} --help\``.replace('sop  --help', 'sop --help'),
      });
    }
  }
}
