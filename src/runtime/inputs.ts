import { SopError } from '../errors/index.js';
import type { ResolvedBound, ResolvedInput, ResolvedSop } from '../spec/resolved.js';
import { MAX_ROUNDS } from '../spec/limits.js';
import { joinPointer } from '../spec/pointer.js';
import { isSecretKey } from '../spec/secret-names.js';
import { closestMatch, didYouMean, listNames } from '../spec/suggest.js';
import { inputFlag, neededInputFlag, sopRunCommand, typedBack, type InputValue } from './run-command-hint.js';
import { quoteArgument } from './shell-argument.js';

export type { InputValue } from './run-command-hint.js';

/** Most characters of a refused value its error shows: the error lands in terminal and CI logs. */
const SHOWN_VALUE_CHARS = 40;

export interface CoerceOptions {
  /** `all`: every given value is a secret (a resume's masked inputs), never shown; default: those named like one. */
  secrets?: 'named' | 'all';
  /** The SOP file as the user named it, for the `sop run` command a missing input's hint gives (default `FILE`). */
  sopFile?: string;
  /** Flags that command keeps after the inputs (`--inc --workspace DIR`): without them it ran on another folder. */
  commandFlags?: readonly string[];
  /** The files inputs were read from (`--input notes=@notes.md`), by input name: that command gives `@FILE` again, not the file's text. */
  inputFiles?: Readonly<Record<string, string>>;
}

/**
 * Checks the given inputs against the declared ones: unknown names, missing required inputs,
 * wrong types and values outside `enum` are usage errors (exit 2) naming the input and its type.
 * Strings (from the command line) are parsed to the declared type; defaults fill the rest.
 * A refused value is shown cut short, and not at all for an input named like a secret (`api_key`,
 * `*_token`) or when `secrets` says every given value is one (a resume's masked inputs).
 */
export function coerceInputs(declared: readonly ResolvedInput[], given: Record<string, InputValue>, options: CoerceOptions = {}): Record<string, unknown> {
  const { secrets = 'named', sopFile = 'FILE', commandFlags = [], inputFiles = {} } = options;
  const canonical = givenByInput(declared, given, { secrets, sopFile, inputFiles });
  refuseMissing(requiredNotGiven(declared, canonical.keys()), sopFile, () => givenArguments(declared, canonical, secrets, inputFiles), commandFlags);
  const values: Record<string, unknown> = {};
  for (const input of declared) {
    const type = input.type ?? 'string';
    const raw = canonical.get(input.name);
    if (raw === undefined) {
      if (input.default !== undefined) for (const name of [input.name, ...input.aliases]) values[name] = input.default;
      continue;
    }
    // A required text given empty is as good as missing (`sop run FILE ""`).
    if (input.required && type === 'string' && String(raw).trim() === '') {
      throw new SopError('INPUT_MISSING', `input "${input.name}" (${type}) is required and was given empty`, {
        pointer: inputPointer(input),
        hint: isIdea(input) ? positionalHint(input, sopRunCommand(sopFile, { idea: `"the ${input.name}"`, flags: [...commandFlags] })) : `pass it as ${neededInputFlag(input)}`,
      });
    }
    const value = coerceValue(raw, type);
    if (value === undefined) {
      throw new SopError('INPUT_INVALID', `input "${input.name}" must be ${article(type)} ${type}${gotValue(raw, secrets === 'all' || isSecretInput(input))}`, {
        pointer: inputPointer(input),
        hint: type === 'boolean' ? 'use true or false' : `pass --input ${input.name}=<${type}>`,
      });
    }
    if (input.enum && !input.enum.some((allowed) => allowed === value)) {
      const secret = secrets === 'all' || isSecretInput(input);
      throw new SopError('INPUT_INVALID', `input "${input.name}" must be one of ${input.enum.map((v) => JSON.stringify(v)).join(', ')}${gotValue(value, secret)}`, {
        pointer: inputPointer(input),
        // A secret's nearest value would say something of it: the first one stands for any.
        hint: `pass --input ${input.name}=${quoteArgument(String(secret ? input.enum[0] : nearestAllowed(input.enum, value)))}`,
      });
    }
    for (const name of [input.name, ...input.aliases]) values[name] = value;
  }
  return values;
}

/** The allowed value a refused one meant: the same but for case (`Engineers`), else the nearest, else the first. */
function nearestAllowed(allowed: readonly unknown[], value: unknown): unknown {
  return allowedMeant(allowed, value) ?? allowed[0];
}

/**
 * The allowed value a refused one meant, when one is close: the same but for case (`Engineers`),
 * else the nearest; for a number, the nearest in value (`5` of 1 to 5 for `9`: as text, `1` was
 * one edit away, and named first).
 */
export function allowedMeant(allowed: readonly unknown[], value: unknown): unknown {
  const numbers = typeof value === 'number' ? allowed.filter((candidate): candidate is number => typeof candidate === 'number') : [];
  if (numbers.length > 0) return numbers.reduce((best, candidate) => (Math.abs(candidate - (value as number)) < Math.abs(best - (value as number)) ? candidate : best));
  const text = String(value);
  const sameCase = allowed.find((candidate) => String(candidate).toLowerCase() === text.toLowerCase());
  const near = sameCase === undefined ? closestMatch(text, allowed.map(String)) : undefined;
  return sameCase ?? allowed.find((candidate) => String(candidate) === near);
}

/**
 * The required inputs without a default that `given` (names or aliases) leaves out: what
 * `sop run` refuses as INPUT_MISSING, and what `sop test` and `sop eval` name in a case.
 */
export function requiredNotGiven(declared: readonly ResolvedInput[], given: Iterable<string>): ResolvedInput[] {
  const names = new Set(given);
  return declared.filter((input) => input.required && input.default === undefined && ![input.name, ...input.aliases].some((name) => names.has(name)));
}

/**
 * INPUT_MISSING naming every required input not given, each with its description (what to give),
 * so a user with two missing inputs is not refused twice.
 */
function refuseMissing(missing: readonly ResolvedInput[], sopFile: string, given: () => GivenArguments, commandFlags: readonly string[]): void {
  if (missing.length === 0) return;
  // Built only for the refusal: every run passes here, and quoting each value for a shell is not free.
  const kept = given();
  const what = (input: ResolvedInput): string => (input.description ? `: ${input.description}` : '');
  const described = (input: ResolvedInput): string => `"${input.name}" (${input.type ?? 'string'})${what(input)}`;
  // What the user typed is kept in the command to paste: the inputs given, the idea after the file.
  const run = (idea: string | undefined, flags: string[]): string => sopRunCommand(sopFile, { idea, flags: [...commandFlags, ...kept.flags, ...flags] });
  if (missing.length === 1) {
    const [input] = missing as [ResolvedInput];
    throw new SopError('INPUT_MISSING', `input "${input.name}" (${input.type ?? 'string'}) is required${what(input)}`, {
      pointer: inputPointer(input),
      hint: isIdea(input) ? positionalHint(input, run(`"the ${input.name}"`, [])) : `pass it as a flag: ${run(kept.idea, [neededInputFlag(input)])}`,
    });
  }
  const idea = missing.find(isIdea);
  const flags = missing.filter((input) => input !== idea).map(neededInputFlag);
  throw new SopError('INPUT_MISSING', `${missing.length} inputs are required: ${missing.map(described).join('; ')}`, {
    pointer: inputPointer(missing[0] as ResolvedInput),
    hint: idea ? `give the ${idea.name} after the SOP file, and the rest as flags: ${run(`"the ${idea.name}"`, flags)}` : `pass them as flags: ${run(kept.idea, flags)}`,
  });
}

/** The inputs given, as a hint's command takes them again: the idea (quoted) after the SOP file, the others as flags. */
interface GivenArguments {
  idea?: string;
  flags: string[];
}

/** `given` (by input name) as `sop run` takes it: a value kept as typed (quoted for a shell), a secret's not shown (`NAME=...`). */
function givenArguments(declared: readonly ResolvedInput[], given: ReadonlyMap<string, InputValue>, secrets: 'named' | 'all', inputFiles: Readonly<Record<string, string>>): GivenArguments {
  const kept: GivenArguments = { flags: [] };
  for (const [name, given_] of given) {
    const input = declared.find((candidate) => candidate.name === name);
    const fromFile = Object.hasOwn(inputFiles, name) ? inputFiles[name] : undefined;
    const value = typedBack(given_, input?.type === 'file', fromFile);
    // A secret read from a file is given as that file: its name is no secret.
    const secret = fromFile === undefined && (secrets === 'all' || (input !== undefined ? isSecretInput(input) : isSecretKey(name)));
    if (input !== undefined && isIdea(input) && !secret) kept.idea = quoteArgument(String(value));
    else kept.flags.push(inputFlag(name, value, secret));
  }
  return kept;
}

/**
 * How to give the input `sop run` takes as its positional argument (`idea`, or the input aliased
 * `idea`), with the SOP file the user named; an aliased input may be given by its name too.
 */
function positionalHint(input: ResolvedInput, command: string): string {
  const byName = input.name === 'idea' ? '' : ` (or as ${neededInputFlag(input)})`;
  return `give it as the argument after the SOP file: ${command}${byName}`;
}

/** The given values by input name (an alias gives its input); unknown names and an input given twice are usage errors. */
function givenByInput(declared: readonly ResolvedInput[], given: Record<string, InputValue>, options: { secrets: 'named' | 'all'; sopFile: string; inputFiles: Readonly<Record<string, string>> }): Map<string, InputValue> {
  const owner = new Map<string, ResolvedInput>();
  for (const input of declared) for (const name of [input.name, ...input.aliases]) owner.set(name, input);
  const byInput = new Map<string, InputValue>();
  const givenAs = new Map<string, string>();
  for (const [name, value] of Object.entries(given)) {
    const input = owner.get(name);
    if (!input) {
      const names = listNames(owner.keys());
      const suggestion = didYouMean(name, owner.keys());
      // A resume's inputs (every value a secret) are not given to `sop run`: no command to paste there.
      const meant = options.secrets === 'all' ? undefined : meantInput(name, declared, given, owner);
      throw new SopError('INPUT_INVALID', `unknown input "${name}"${suggestion === undefined ? '' : ` (${suggestion})`}; this SOP declares: ${names}`, {
        hint: meant === undefined ? 'pass declared inputs only, as --input name=value' : `pass it as \`${meant.name}\`: ${correctedCommand(declared, given, name, meant, options)}`,
      });
    }
    const earlier = givenAs.get(input.name);
    if (earlier !== undefined) {
      throw new SopError('INPUT_INVALID', `input "${input.name}" was given twice (as "${earlier}" and as "${name}")`, {
        hint: `"${input.name}" and its aliases (${input.aliases.join(', ')}) name one input: give it once`,
      });
    }
    givenAs.set(input.name, name);
    byInput.set(input.name, value);
  }
  return byInput;
}

/**
 * The input an unknown name was meant as: the nearest name, else, for `idea` (the usual IDEA: `--input
 * idea=...` for an SOP whose input is `topic`), the one required input that nothing given names.
 */
function meantInput(name: string, declared: readonly ResolvedInput[], given: Record<string, InputValue>, owner: ReadonlyMap<string, ResolvedInput>): ResolvedInput | undefined {
  const near = closestMatch(name, owner.keys());
  if (near !== undefined) return owner.get(near);
  const unnamed = requiredNotGiven(declared, Object.keys(given));
  return name === 'idea' && unnamed.length === 1 ? unnamed[0] : undefined;
}

/** The command with every input given, the unknown `name` given as `meant`: what the user typed, corrected. */
function correctedCommand(declared: readonly ResolvedInput[], given: Record<string, InputValue>, name: string, meant: ResolvedInput, options: { sopFile: string; inputFiles: Readonly<Record<string, string>> }): string {
  const owner = (written: string): ResolvedInput | undefined => declared.find((input) => [input.name, ...input.aliases].includes(written));
  const renamed = new Map(Object.entries(given).map(([written, value]) => [written === name ? meant.name : (owner(written)?.name ?? written), value] as const));
  // The unknown name's value is as typed (`@notes.md` not read, `@@x` not unescaped): given back so.
  const files = { ...options.inputFiles };
  const typed = given[name];
  if (meant.type !== 'file' && typeof typed === 'string' && typed.startsWith('@')) {
    if (typed.startsWith('@@')) renamed.set(meant.name, typed.slice(1));
    else files[meant.name] = typed.slice(1);
  }
  const kept = givenArguments(declared, renamed, isSecretKey(name) ? 'all' : 'named', files);
  // The inputs still needed too, so the command pasted is not refused next for them.
  const needed = requiredNotGiven(declared, renamed.keys()).map(neededInputFlag);
  return sopRunCommand(options.sopFile, { idea: kept.idea, flags: [...kept.flags, ...needed] });
}

/** A bound's value for these inputs (`checkInputBounds` has made sure it is a whole number of at least 1). */
export function boundValue(bound: ResolvedBound, inputs: Record<string, unknown>): number {
  return typeof bound === 'number' ? bound : (inputs[bound.input] as number);
}

/**
 * Every bound taken from an input (`settings.n_round`, actions' `max_runs`) is a whole number of at
 * least 1 for these inputs: checked when the run starts, before anything is recorded (INPUT_INVALID, exit 2).
 */
export function checkInputBounds(sop: ResolvedSop, inputs: Record<string, unknown>): void {
  checkBound(sop, 'settings.n_round', sop.settings.nRound, inputs, MAX_ROUNDS);
  // One pass, no list of every action (a 1,000-role SOP checks each run); the field is named only when refused.
  for (const role of sop.roles) for (const action of role.actions) checkBound(sop, action, action.maxRuns, inputs);
}

function checkBound(sop: ResolvedSop, field: string | { id: string }, bound: ResolvedBound | undefined, inputs: Record<string, unknown>, max = Number.MAX_SAFE_INTEGER): void {
  if (bound === undefined || typeof bound === 'number') return;
  const value = inputs[bound.input];
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max) return;
  const name = typeof field === 'string' ? field : `max_runs of action ${field.id}`;
  const input = sop.inputs.find((declared) => declared.name === bound.input);
  const secret = input !== undefined && isSecretInput(input);
  // The n_round bound is named (the schema's, as `--n-round`'s); max_runs has none beyond a safe integer.
  const range = max === Number.MAX_SAFE_INTEGER ? 'of at least 1' : `from 1 to ${max}`;
  throw new SopError('INPUT_INVALID', `input "${bound.input}" sets ${name} and must be a whole number ${range}${gotValue(value ?? null, secret)}`, {
    hint: `pass --input ${bound.input}=<a whole number ${range}>`,
  });
}

function coerceValue(raw: InputValue, type: string): InputValue | undefined {
  switch (type) {
    case 'string':
    case 'file':
      return typeof raw === 'string' ? raw : String(raw);
    case 'number':
    case 'integer': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      if (!Number.isFinite(value)) return undefined;
      return type === 'integer' && !Number.isInteger(value) ? undefined : value;
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const text = String(raw).trim().toLowerCase();
      if (['true', 'yes', '1'].includes(text)) return true;
      if (['false', 'no', '0'].includes(text)) return false;
      return undefined;
    }
    default:
      return raw;
  }
}

/** An input named like a secret, by its name or an alias: its value is never shown. */
export function isSecretInput(input: ResolvedInput): boolean {
  return [input.name, ...input.aliases].some(isSecretKey);
}

/** `, got "abc"`, a long value cut short; a secret's value not at all. */
function gotValue(value: unknown, secret: boolean): string {
  return secret ? ' (the value given is not shown: it is a secret)' : `, got ${shownValue(value)}`;
}

/** A value a person gave, as a message quotes it: JSON, a long text cut to its start and counted. */
export function shownValue(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  const chars = [...value];
  if (chars.length <= SHOWN_VALUE_CHARS) return JSON.stringify(value);
  return `${JSON.stringify(chars.slice(0, SHOWN_VALUE_CHARS).join(''))}… (${chars.length} characters)`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? 'an' : 'a';
}

/** Given as the positional IDEA of `sop run`: the input `idea`, or one with the alias `idea`. */
export function isIdea(input: ResolvedInput): boolean {
  return input.name === 'idea' || input.aliases.includes('idea');
}

/** Where the SOP declares an input (`/inputs/topic`): a refusal about it is annotated there. */
function inputPointer(input: ResolvedInput): string {
  return joinPointer('/inputs', input.name);
}
