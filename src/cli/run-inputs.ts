import { statSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { isIdea, isSecretInput, requiredNotGiven } from '../runtime/inputs.js';
import { inputFlag, neededInputFlag, sopRunCommand, typedBack } from '../runtime/run-command-hint.js';
import { quoteArgument } from '../runtime/shell-argument.js';
import { isSecretKey } from '../spec/secret-names.js';
import type { ResolvedInput } from '../spec/resolved.js';
import { closestMatch, listNames } from '../spec/suggest.js';
import { formatBytes, LIMITS, readCappedSync, unreadableFile } from '../spec/limits.js';
import { decodeUtf8Text, textStart } from '../spec/text-encoding.js';

/** The run's inputs as given, and the files those given as `@FILE` were read from. */
export interface CollectedInputs {
  inputs: Record<string, string>;
  /**
   * By the declared input's name, each regular file a value was read from (`@FILE`, not `@@`): the
   * run records them, so the command that runs it again gives `@FILE` rather than the file's text.
   * Not `@/dev/stdin` piped nor a `<(...)` pipe: it has nothing to read again.
   */
  files: Record<string, string>;
}

/**
 * Builds the run's inputs from `--input name=value` pairs and the optional positional IDEA (the
 * `idea` input, or the input with the alias `idea`). Values stay strings: the runtime parses them to each input's declared type.
 * A value `@FILE` is FILE's text (`givenText`).
 */
export function collectInputs(pairs: string[], idea: string | undefined, declared: ResolvedInput[], sopFile = 'FILE', cwd = process.cwd()): CollectedInputs {
  const inputs: Record<string, string> = {};
  const files: Record<string, string> = {};
  const take = (name: string, value: string): void => {
    const given = givenText(name, value, declared, cwd);
    inputs[name] = given.text;
    if (given.from) files[given.from.input] = given.from.file;
  };
  for (const [index, pair] of pairs.entries()) {
    const equals = pair.indexOf('=');
    const name = equals > 0 ? pair.slice(0, equals).trim() : '';
    if (!name) throw malformedInput(pair, declared, pairs.length === 1 ? '--input' : `--input (the ${ordinal(index + 1)})`);
    // The last one taken silently would lose a value a script or CI job appended (values may be secrets: not shown).
    if (Object.hasOwn(inputs, name)) {
      throw new SopError('USAGE', `input "${name}" was given twice (--input ${name}=... twice; the values are not shown)`, { hint: `give --input ${name}=VALUE once` });
    }
    take(name, pair.slice(equals + 1));
  }
  if (idea !== undefined) {
    if (!declared.some(isIdea)) throw ideaWithoutIdeaInput(declared, idea, inputs, sopFile, files);
    if (inputs['idea'] !== undefined) {
      throw new SopError('USAGE', 'the idea was given twice (IDEA and --input idea=...)', { hint: 'give it once' });
    }
    take('idea', idea);
  }
  return { inputs, files };
}

/**
 * A value given as `@FILE` is FILE's text, its trailing line ends dropped (as `$(cat FILE)` and
 * HTTPie's `field=@file`): a long requirement or a secret kept out of the shell's history. `@@`
 * starts a value with a literal `@`. A file input (`type: file`) takes `@FILE` as the file to copy,
 * and an input this SOP does not declare is left as given (the runtime names it). `from`: the
 * declared input and the regular file its text came from (`CollectedInputs.files`).
 */
function givenText(name: string, value: string, declared: readonly ResolvedInput[], cwd: string): { text: string; from?: { input: string; file: string } } {
  if (!value.startsWith('@')) return { text: value };
  const input = declared.find((one) => one.name === name || one.aliases.includes(name));
  if (input === undefined || input.type === 'file') return { text: value };
  if (value.startsWith('@@')) return { text: value.slice(1) };
  const named = value.slice(1);
  const hint = `--input ${name}=@FILE reads the value from FILE, relative to the folder sop runs in; for a value that starts with @, write @@`;
  const refused = (why: string): SopError => new SopError('INPUT_FILE_INVALID', `input "${name}": cannot read ${named || '""'}: ${why}`, { hint });
  if (named.trim() === '') throw refused('no file named after the @');
  const file = path.resolve(cwd, named);
  let bytes: Buffer | 'too-large';
  try {
    bytes = readCappedSync(file, LIMITS.inputFileBytes);
  } catch (error) {
    throw refused(unreadableFile(error).why);
  }
  if (bytes === 'too-large') throw refused(`it is larger than ${formatBytes(LIMITS.inputFileBytes)}, the most an input's text may be`);
  const decoded = decodeUtf8Text(bytes);
  if (!decoded.ok) throw refused(decoded.problem.message);
  const text = decoded.text.replace(/(\r?\n)+$/, '');
  const again = !/^\/(dev|proc)\//.test(file) && statSync(file, { throwIfNoEntry: false })?.isFile();
  return again ? { text, from: { input: input.name, file: named } } : { text };
}

/**
 * A positional IDEA for an SOP without an `idea` input: the hint gives the inputs a run needs
 * (those with a default or not required said apart, as optional), not every input alike.
 */
function ideaWithoutIdeaInput(declared: ResolvedInput[], idea: string, given: Record<string, string>, sopFile: string, files: Record<string, string>): SopError {
  const needed = requiredNotGiven(declared, Object.keys(given));
  const optional = declared.filter((input) => !needed.includes(input) && !Object.hasOwn(given, input.name)).map((input) => input.name);
  const optionalNote = optional.length > 0 ? ` (optional: ${optional.map((name) => `--input ${name}=...`).join(', ')})` : '';
  if (needed.length === 0) return new SopError('USAGE', 'an IDEA was given but this SOP has no `idea` input', { hint: `drop the IDEA argument${optionalNote}` });
  // The IDEA typed is kept: as the first input still needed, with the inputs given (secrets not shown).
  const [first, ...rest] = needed as [ResolvedInput, ...ResolvedInput[]];
  // A value is hidden when its name or its input's (name or alias) is a secret's, as the runtime's hints hide it.
  const secret = (name: string): boolean => isSecretKey(name) || declared.some((input) => (input.name === name || input.aliases.includes(name)) && isSecretInput(input));
  // As typed: a value read from a file as `@FILE` (a secret's too: the file's name is no secret), not its text.
  const owner = (name: string): ResolvedInput | undefined => declared.find((input) => input.name === name || input.aliases.includes(name));
  const kept = Object.entries(given).map(([name, value]) => {
    const fromFile = files[owner(name)?.name ?? name];
    return inputFlag(name, typedBack(value, owner(name)?.type === 'file', fromFile), fromFile === undefined && secret(name));
  });
  // A file input takes a path: the IDEA as one (`@notes.txt`); a text of several lines is no path, so the file is left to name.
  const text = first.type === 'file' && idea.includes('\n');
  const ideaFlag = first.type === 'file' ? (text ? neededInputFlag(first) : inputFlag(first.name, `@${idea.replace(/^@/, '')}`, isSecretInput(first))) : inputFlag(first.name, idea, isSecretInput(first));
  const flags = [...kept, ideaFlag, ...rest.map(neededInputFlag)];
  const what = text
    ? `\`${first.name}\` is a file input, which takes a file's path, not its text: save the text to a file and give its path`
    : needed.length === 1 ? `give it as its input \`${first.name}\`` : `give it as its first input still needed, \`${first.name}\`, and the others too`;
  return new SopError('USAGE', 'an IDEA was given but this SOP has no `idea` input', {
    hint: `${what}: ${sopRunCommand(sopFile, { flags })}${optionalNote}`,
  });
}

/**
 * `sop run sop.yaml --topic x` (or `--idea x`, the usual IDEA, for an SOP whose one required input is `topic`): unknown
 * flags meant as inputs, as the command to paste, each typed again as `--input topic=x` (a secret's
 * value not shown); undefined unless every unknown flag names an input (or near one) and has its value.
 */
export function inputsMeantByFlags(command: string, argv: readonly string[], unknown: readonly string[], declared: readonly ResolvedInput[]): string | undefined {
  const owner = new Map(declared.flatMap((input) => [input.name, ...input.aliases].map((name) => [name, input] as const)));
  const words = [...argv].map(quoteArgument);
  for (const flag of unknown) {
    const [, name, inline] = /^--([^=]+)(?:=(.*))?$/s.exec(flag) ?? [];
    const at = argv.indexOf(flag);
    if (name === undefined || at === -1) return undefined;
    const value = inline ?? argv[at + 1];
    if (value === undefined || (inline === undefined && value.startsWith('-'))) return undefined;
    const near = closestMatch(name, owner.keys());
    const unnamed = requiredNotGiven(declared, []);
    const meant = owner.get(name) ?? (near === undefined ? undefined : owner.get(near)) ?? (name === 'idea' && unnamed.length === 1 ? unnamed[0] : undefined);
    if (meant === undefined) return undefined;
    words.splice(at, inline === undefined ? 2 : 1, inputFlag(meant.name, value, isSecretInput(meant) || isSecretKey(name)));
    // Later flags are found in the words as typed: keep `argv` aligned with `words`.
    argv = [...argv.slice(0, at), '', ...argv.slice(at + (inline === undefined ? 2 : 1))];
  }
  return `inputs are given as --input NAME=VALUE: ${command} ${words.join(' ')}`;
}

/** `inputsMeantByFlags` for the SOP file among `argv` (the first `.yaml` word), when it loads; `command` as `sop run`. */
export async function sopInputsMeantByFlags(command: string, argv: readonly string[], unknown: readonly string[]): Promise<string | undefined> {
  const file = argv.find((word) => !word.startsWith('-') && /\.ya?ml$/i.test(word));
  if (file === undefined) return undefined;
  const { validateSopFileCached } = await import('./validation-cache.js');
  const sop = (await validateSopFileCached(file, process.cwd()).catch(() => undefined))?.sop;
  return sop === undefined ? undefined : inputsMeantByFlags(command, argv, unknown, sop.inputs);
}

/** Most characters of a malformed `--input`'s name part that its error shows. */
const SHOWN_NAME_CHARS = 40;

/**
 * A `--input` that is not NAME=VALUE. It may hold a secret (`--input API_KEY` meant as the key
 * itself, `--input TOKEN:abc123`), and the error lands in terminal and CI logs: it shows at most the
 * part before `:` (cut short), or the whole text only when it is an input this SOP declares.
 */
function malformedInput(pair: string, declared: ResolvedInput[], flag: string): SopError {
  const names = declared.flatMap((input) => [input.name, ...input.aliases]);
  const inputs = names.length > 0 ? `; this SOP's inputs: ${listNames(names)}` : '';
  const colon = pair.indexOf(':');
  const text = pair.trim();
  if (pair.includes('=')) {
    return new SopError('USAGE', `${flag} has no name before its \`=\` (its value is not shown)`, { hint: `write --input NAME=VALUE${inputs}` });
  }
  if (colon > 0 && pair.slice(0, colon).trim() !== '') {
    const name = pair.slice(0, colon).trim();
    const shown = name.length > SHOWN_NAME_CHARS ? `${textStart(name, SHOWN_NAME_CHARS)}…` : name;
    return new SopError('USAGE', `${flag} "${shown}:..." is not NAME=VALUE: a \`:\` does not separate the name from the value (the value is not shown)`, {
      hint: `write --input ${shown === name ? name : 'NAME'}=VALUE${inputs}`,
    });
  }
  if (names.includes(text)) {
    return new SopError('USAGE', `${flag} "${text}" has no value: expected NAME=VALUE`, { hint: `write --input ${text}=VALUE` });
  }
  return new SopError('USAGE', `${flag} is not NAME=VALUE: it has no \`=\` (its text is not shown: it may be a value)`, { hint: `write --input NAME=VALUE${inputs}` });
}

/** `1st`, `2nd`, `3rd`, `4th`, ... */
function ordinal(count: number): string {
  const tens = count % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][count % 10] ?? 'th');
  return `${count}${suffix}`;
}
