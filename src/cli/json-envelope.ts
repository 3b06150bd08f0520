import type { Diagnostic } from '../errors/index.js';
import { typedAs, withTypedHint } from '../runtime/resume-target.js';
import { didYouMean } from '../spec/suggest.js';
import { sopCommandOfProcess } from './invocation.js';

/**
 * What `--json` prints on stdout for every command, success or not (schemas/cli-envelope.v1.schema.json).
 * Built only by `SopCommand`: commands return their typed result and throw (or conclude with) a `SopError`.
 */
export const ENVELOPE_SCHEMA_VERSION = 1;

/** A warning the command printed on stderr: a validation warning keeps its code and position. */
export interface EnvelopeWarning {
  message: string;
  code?: string;
  file?: string;
  line?: number;
  column?: number;
  hint?: string;
}

/** Why the command did not succeed; `exitCode` is the process exit code. */
export interface EnvelopeError {
  code: string;
  exitCode: number;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  hint?: string;
  /** Every problem found, when the error comes from validation; or each error of several (report files not written, one per flag). */
  diagnostics?: Diagnostic[];
}

export interface CliEnvelope<T> {
  schemaVersion: typeof ENVELOPE_SCHEMA_VERSION;
  /** null when no command was recognised (`sop frobnicate --json`). */
  command: string | null;
  ok: boolean;
  exitCode: number;
  /** Absent when the command failed before it had one (refused run, bad flag). */
  result?: T;
  error?: EnvelopeError;
  warnings: EnvelopeWarning[];
}

/**
 * The error's own fields, the position of its first diagnostic (one of its code, else an error), and
 * every diagnostic; each hint's commands typed as the user started `sop`, as printed (`typedAs`).
 */
export function envelopeError(fields: { code: string; exitCode: number; message: string; hint?: string | undefined }, diagnostics: readonly Diagnostic[] = []): EnvelopeError {
  const sopCommand = sopCommandOfProcess();
  const located =
    diagnostics.find((diagnostic) => diagnostic.code === fields.code && diagnostic.file) ??
    diagnostics.find((diagnostic) => diagnostic.severity === 'error' && diagnostic.file);
  return {
    code: fields.code,
    exitCode: fields.exitCode,
    message: fields.message,
    ...(located?.file === undefined ? {} : { file: located.file }),
    ...(located?.line === undefined ? {} : { line: located.line }),
    ...(located?.column === undefined ? {} : { column: located.column }),
    ...(fields.hint ? { hint: typedAs(fields.hint, sopCommand) } : {}),
    ...(diagnostics.length > 0 ? { diagnostics: diagnostics.map((diagnostic) => withTypedHint(diagnostic, sopCommand)) } : {}),
  };
}

/** A validation warning (or a plain warning line) as the envelope lists it. */
export function envelopeWarning(warning: Diagnostic | string): EnvelopeWarning {
  if (typeof warning === 'string') return locatedText(warning);
  return {
    message: warning.message,
    code: warning.code,
    ...(warning.file === undefined ? {} : { file: warning.file }),
    ...(warning.line === undefined ? {} : { line: warning.line }),
    ...(warning.column === undefined ? {} : { column: warning.column }),
    ...(warning.hint ? { hint: typedAs(warning.hint, sopCommandOfProcess()) } : {}),
  };
}

/**
 * A warning printed as `FILE:LINE:COL: why` (a test file's expectation, a script's answer) keeps its
 * place as fields, as a validation warning does: `{ file, line, column, message: why }`.
 */
function locatedText(text: string): EnvelopeWarning {
  const located = /^(.+?):(\d+):(\d+): (.*)$/s.exec(text);
  if (!located) return { message: text };
  const [, file, line, column, message] = located as unknown as [string, string, string, string, string];
  return { message, file, line: Number(line), column: Number(column) };
}

/** What `--json` prints when oclif found no command to run (an unknown one): a usage error of no command (or of `command`). */
export function unknownCommandEnvelope(message: string, exitCode: number, hint = 'see `sop --help`', command: string | null = null): CliEnvelope<never> {
  return { schemaVersion: ENVELOPE_SCHEMA_VERSION, command, ok: false, exitCode, error: envelopeError({ code: 'USAGE', exitCode, message, hint }), warnings: [] };
}

/**
 * oclif's "command X not found" in the user's words: oclif joins the words it tried as a topic
 * (`sop valdate x.yaml` was "command valdate:x.yaml not found"); the first word is the command
 * asked for, with the nearest command as the hint. A command that takes no argument given one
 * (`sop runs extra` was "command runs:extra not found") is told the argument is one too many.
 */
export function unknownCommand(message: string, argv: readonly string[], commands: Iterable<string>): { message: string; hint: string; command?: string } {
  const word = argv[0];
  const asked = /^command (.+) not found$/s.exec(message)?.[1];
  if (word === undefined || asked === undefined || !(asked === word || asked.startsWith(`${word}:`))) return { message, hint: 'see `sop --help`' };
  // `sop -q run x.yaml`: a flag where the command should be (only --json and --debug may go there).
  if (word.startsWith('-')) {
    // `sop --verison`, `sop --hlep`: the flags sop takes before any command, misspelt.
    const own = /^--[a-z]/.test(word) ? didYouMean(word.slice(2), ['version', 'help']) : undefined;
    if (own) return { message: `unknown flag ${word}`, hint: `${own.replace(/`(\w+)`/, '`sop --$1`')} (see \`sop --help\`)` };
    return { message: `${word} is not a command: a flag goes after the command`, hint: `sop COMMAND ... ${word} (see \`sop --help\` for the commands)` };
  }
  if (asked !== word && [...commands].includes(word)) {
    const extra = asked.slice(word.length + 1).split(':');
    return { message: `unexpected argument${extra.length === 1 ? '' : 's'} ${extra.join(', ')}`, hint: `see \`sop ${word} --help\``, command: word };
  }
  const guess = commandMeant(word, [...commands]);
  return { message: `command ${word} not found`, hint: guess ? `${guess} (see \`sop --help\`)` : 'see `sop --help`' };
}

/**
 * The words other tools use for sop's commands (npm, docker, git, CrewAI, promptfoo, the Salesforce
 * CLI): too far in letters from sop's word for `didYouMean` to find it.
 */
const OTHER_TOOLS_WORDS: Readonly<Record<string, string>> = {
  lint: 'validate', check: 'validate', verify: 'validate',
  exec: 'run', start: 'run', kickoff: 'run',
  continue: 'resume', retry: 'resume',
  list: 'runs', ls: 'runs', ps: 'runs', history: 'runs',
  show: 'report', logs: 'report', inspect: 'report', open: 'report',
  new: 'init', create: 'init', scaffold: 'init',
  upgrade: 'migrate', serve: 'view', ui: 'view', dashboard: 'view',
  plot: 'graph', draw: 'graph', visualize: 'graph',
};

/** What a word typed where the command goes most likely meant: a command, `--version`, or running the SOP file it names. */
function commandMeant(word: string, commands: string[]): string | undefined {
  if (word === 'version') return 'did you mean `sop --version`?';
  // A paused run's decision is given to the resume that continues it.
  if (word === 'approve') return 'did you mean `sop resume RUN --approve`?';
  if (word === 'reject') return 'did you mean `sop resume RUN --reject "what to change"`?';
  if (/\.ya?ml$/i.test(word)) return `did you mean \`sop run ${word}\` (or \`sop validate ${word}\`)?`;
  const theirs = Object.hasOwn(OTHER_TOOLS_WORDS, word.toLowerCase()) ? OTHER_TOOLS_WORDS[word.toLowerCase()] : undefined;
  if (theirs !== undefined && commands.includes(theirs)) return `did you mean \`${theirs}\`?`;
  return didYouMean(word, commands);
}
