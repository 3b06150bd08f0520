import { existsSync } from 'node:fs';
import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import type { LoadedEnvFile } from '../config/env-file.js';
import { EXIT, isSopError, SopError, type Diagnostic } from '../errors/index.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { typedAs } from '../runtime/resume-target.js';
import { ENVELOPE_SCHEMA_VERSION, envelopeError, envelopeWarning, type CliEnvelope, type EnvelopeError, type EnvelopeWarning } from './json-envelope.js';
import { sopCommandOfProcess } from './invocation.js';
import { DiagnosticRenderer, moreProblems, renderProblems, SHOWN_PROBLEMS } from './render-diagnostics.js';
import { cleanParseMessage, extraArguments, refusedOption, refuseEmptyFlagValues, usageError } from './usage-error.js';
import { loadResolvedSopCached } from './validation-cache.js';

/**
 * What every `sop` command shares: `--debug`, `--json` and one error policy. `run()` returns the
 * command's typed result; with `--json` this class prints it in the one envelope
 * (`{schemaVersion, command, ok, exitCode, result, error, warnings}`), on success, on failure and on
 * refusal alike. A `SopError` (bad input) prints one clear message on stderr and exits with its code;
 * anything else is a bug: a one-line "internal error" (the stack only with `--debug`) and exit 1.
 * No user error prints a stack.
 */
export abstract class SopCommand<T = unknown> extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = {
    debug: Flags.boolean({ description: 'Print stack traces of internal errors.', helpGroup: 'GLOBAL' }),
    json: Flags.boolean({
      description: 'Print one JSON envelope on stdout, also when the command fails: {"schemaVersion": 1, "ok", "exitCode", "result", "error", "warnings"}.',
      helpGroup: 'GLOBAL',
    }),
  };

  /** Set by a command whose result is complete but not a success (invalid file, failed run). */
  private outcome: SopError | undefined;
  private readonly warnings: EnvelopeWarning[] = [];
  /** The envelope's `command` when it is not this command's id (`sop run --dry-run` answers as `prompts`). */
  protected answersAs: string | undefined;
  /** Masks secrets in the envelope and the error line; a command that knows the secrets replaces it. */
  protected redact: (text: string) => string = (text) => text;
  /** How the commands a hint gives type `sop`: the way this process was started (`sopCommandWord`), looked up when first needed. */
  protected get sopCommand(): string {
    return sopCommandOfProcess();
  }

  /** The variables this process took from the project's `.env`, when it has one (`loadEnvFile`). */
  protected envFile: LoadedEnvFile | undefined;

  abstract override run(): Promise<T>;

  /** Reads the project's `.env` first: every command then sees its variables (models, `${env:NAME}`, tools). */
  override async init(): Promise<void> {
    await super.init();
    // Looked for (`ENV_FILE`) before loading the reader: most projects have none, and start-up is measured.
    if (existsSync('.env')) this.envFile = (await import('../config/env-file.js')).loadEnvFile(process.cwd(), process.env);
  }

  /** The result stands, but the command ends with this error's exit code (and `ok: false`). */
  protected concludeWith(error: SopError | undefined): void {
    this.outcome = error;
  }

  /** Writes text to stdout as is (no formatting), for results other tools read; nothing with `--json`. */
  protected out(text: string): void {
    if (this.jsonEnabled()) return;
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Writes a line to stderr: progress, warnings and errors, so stdout stays parseable. */
  protected note(text: string): void {
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A warning: `warning: TEXT` on stderr, and listed in the `--json` envelope. */
  protected warning(text: string): void {
    const listed = envelopeWarning(text);
    this.warnings.push(listed);
    this.printWarning(listed, `warning: ${text}`);
  }

  /** Loads an SOP for a command that uses it, printing its warnings (with code frames) on stderr. */
  protected async loadSopPrintingWarnings(file: string): Promise<{ sop: ResolvedSop; warnings: Diagnostic[] }> {
    const loaded = await loadResolvedSopCached(file, process.cwd());
    await this.warnDiagnostics(loaded.warnings);
    return loaded;
  }

  /**
   * Warnings found in a file (an SOP's, a test file's, a script's): each as `sop validate` prints
   * it, code frame and all, on stderr, and listed in the `--json` envelope with its code and
   * position. Masked as every other line is (a script's output may quote a key the run uses).
   */
  protected async warnDiagnostics(diagnostics: readonly Diagnostic[]): Promise<void> {
    if (diagnostics.length === 0) return;
    const renderer = new DiagnosticRenderer();
    for (const [index, warning] of diagnostics.entries()) {
      const listed = envelopeWarning(warning);
      this.warnings.push(listed);
      // Printed as far as the cap of every problem list; the envelope keeps them all.
      if (index < SHOWN_PROBLEMS) this.printWarning(listed, this.redact(await renderer.render(warning)));
    }
    if (diagnostics.length > SHOWN_PROBLEMS) this.note(moreProblems(diagnostics.slice(SHOWN_PROBLEMS)));
  }

  /**
   * Where a refusal is printed: every diagnostic with its code frame, or `error CODE: message` and
   * the hint, on stderr. `failure` is the error as the envelope gives it, for a command that prints
   * it as data (`--log-format json`).
   */
  protected async printError(error: SopError, _failure: EnvelopeError): Promise<void> {
    this.note(this.redact(await describeSopError(error)));
  }

  /**
   * Where every warning is printed: `text` (for people) on stderr. `listed` is the warning as the
   * envelope lists it, for a command that prints warnings as data (`--log-format json`).
   */
  protected printWarning(_listed: EnvelopeWarning, text: string): void {
    this.note(text);
  }

  /** This command's output and error policy as plain functions, for work shared by two commands (`sop prompts`, `sop run --dry-run`). */
  protected io(): CommandIo {
    return {
      loadSop: (file) => this.loadSopPrintingWarnings(file),
      warning: (text) => this.warning(text),
      warnDiagnostics: (diagnostics) => this.warnDiagnostics(diagnostics),
      note: (text) => this.note(text),
      out: (text) => this.out(text),
      useRedact: (redact) => {
        this.redact = redact;
      },
      concludeWith: (error) => this.concludeWith(error),
    };
  }

  protected get debugEnabled(): boolean {
    return this.argv.includes('--debug');
  }

  /** oclif's parse, then no flag given an empty value (`--workspace=`, `--workspace "$UNSET"`). */
  protected override async parse<F extends Record<string, unknown>, B extends Record<string, unknown>, A extends Record<string, unknown>>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const parsed = await super.parse(options, argv);
    refuseEmptyFlagValues(parsed.flags, this.id);
    return parsed;
  }

  /** oclif runs the command (printing the success envelope); then a concluded failure sets the exit code. */
  protected override async _run<R>(): Promise<R> {
    const result = await super._run<R>();
    if (this.outcome) this.exit(this.outcome.exitCode);
    return result;
  }

  protected override toSuccessJson(result: unknown): CliEnvelope<unknown> {
    const error = this.outcome ? errorOfSopError(this.outcome) : undefined;
    return this.envelope(error, result);
  }

  /** Plain JSON (never coloured: it is read by programs), secrets masked. */
  protected override logJson(json: unknown): void {
    process.stdout.write(`${this.redact(JSON.stringify(json, null, 2))}\n`);
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    // `this.exit()` works by throwing; let it through untouched.
    if (error instanceof Errors.ExitError) throw error;
    let failure: EnvelopeError;
    // oclif's own parse errors (unknown flag, missing argument, ...) are usage errors like any other.
    if (!isSopError(error) && error instanceof Errors.CLIError) error = await this.usageErrorOf(error);
    if (isSopError(error)) {
      // A SopError thrown by a flag's parser comes back with oclif's "Parsing --flag" text around it.
      if (error.diagnostics.length === 0) error.message = cleanParseMessage(error.message);
      failure = errorOfSopError(error);
      await this.printError(error, failure);
      if (this.debugEnabled && error.stack) this.note(error.stack);
    } else {
      this.note(this.redact(`internal error: ${error.message} (rerun with --debug for the stack)`));
      if (this.debugEnabled && error.stack) this.note(error.stack);
      failure = envelopeError({ code: 'INTERNAL', exitCode: EXIT.INTERNAL, message: error.message, hint: 'a bug in sop: please report it, rerun with --debug for the stack' });
    }
    if (this.jsonEnabled()) this.logJson(this.envelope(failure));
    return this.exit(failure.exitCode);
  }

  /** A refusal of the flags, worded as the command prints it: oclif's own (`--n-round 0`), or a flag parser's SopError. */
  protected async flagRefusal(error: Error): Promise<SopError | undefined> {
    if (isSopError(error)) return error.diagnostics.length === 0 ? new SopError(error.code, cleanParseMessage(error.message), { ...(error.hint ? { hint: error.hint } : {}) }) : error;
    if (error instanceof Errors.CLIError) return this.usageErrorOf(error);
    return undefined;
  }

  /** oclif's parse error as sop's USAGE error, with the command's own hints (inputs, options, extra arguments). */
  private async usageErrorOf(error: Errors.CLIError): Promise<SopError> {
    const unknown = (error as { flags?: unknown }).flags;
    const meant = Array.isArray(unknown) ? await this.flagsMeantAsInputs(unknown.map(String)) : undefined;
    const refused = refusedOption(error);
    const extra = extraArguments(error);
    const optionHint = refused ? this.refusedOptionHint(refused.flag, refused.value) : extra ? this.extraArgumentsHint(extra) : undefined;
    return usageError(error, {
      commandId: this.id, argv: this.argv, knownFlags: Object.keys({ ...this.ctor.baseFlags, ...this.ctor.flags }),
      ...(meant === undefined ? {} : { meant }), ...(optionHint === undefined ? {} : { optionHint }),
    });
  }

  /**
   * Unknown flags meant as the SOP's inputs (`--topic x`), as the command to paste: commands that
   * take an SOP's inputs say so (`sop run`, `sop prompts`); none else.
   */
  protected async flagsMeantAsInputs(unknown: string[]): Promise<string | undefined> {
    void unknown;
    return undefined;
  }

  /** What to say of arguments the command does not take (`sop eval sop.yaml cases.csv`); undefined (the default): only `--help`. */
  protected extraArgumentsHint(extra: string[]): string | undefined {
    void extra;
    return undefined;
  }

  /**
   * What to say of a value out of a flag's options (`sop graph --format png`) when it asks for
   * something the command does another way; undefined (the default): the nearest option, if any.
   */
  protected refusedOptionHint(flag: string, value: string): string | undefined {
    void flag;
    void value;
    return undefined;
  }

  private envelope(error: EnvelopeError | undefined, result?: unknown): CliEnvelope<unknown> {
    return {
      schemaVersion: ENVELOPE_SCHEMA_VERSION,
      command: this.answersAs ?? this.id ?? '',
      ok: error === undefined,
      exitCode: error?.exitCode ?? EXIT.OK,
      ...(result === undefined ? {} : { result }),
      ...(error === undefined ? {} : { error }),
      warnings: this.warnings,
    };
  }
}

/** A command's output and error policy (`SopCommand.io()`): stdout, stderr, warnings, the secret mask, the exit code. */
export interface CommandIo {
  /** Loads an SOP, printing its warnings. */
  loadSop(file: string): Promise<{ sop: ResolvedSop; warnings: Diagnostic[] }>;
  warning(text: string): void;
  /** Warnings with a code and a place, as `sop validate` prints them. */
  warnDiagnostics(diagnostics: readonly Diagnostic[]): Promise<void>;
  note(text: string): void;
  /** stdout, nothing with `--json`. */
  out(text: string): void;
  /** Masks secrets in the envelope and the error line from now on. */
  useRedact(redact: (text: string) => string): void;
  /** The result stands, but the command ends with this error's exit code. */
  concludeWith(error: SopError | undefined): void;
}

/** An error from diagnostics says what its first one says (its text and hint), not the formatted line. */
export function errorOfSopError(error: SopError): EnvelopeError {
  const first = error.diagnostics.find((diagnostic) => diagnostic.code === error.code);
  if (!first) return envelopeError({ code: error.code, exitCode: error.exitCode, message: error.message, hint: error.hint }, error.diagnostics);
  // An error whose first diagnostic is its summary (`sop.yaml drifted from sop.lock (1 difference)`,
  // the others each difference) keeps its own text, which lists them: "(and 1 more)" counted the list.
  if (error.message.startsWith(`${first.message}:\n`)) {
    return envelopeError({ code: error.code, exitCode: error.exitCode, message: error.message, hint: error.hint ?? first.hint }, error.diagnostics);
  }
  const more = error.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length - 1;
  const message = more > 0 ? `${first.message} (and ${more} more)` : first.message;
  return envelopeError({ code: error.code, exitCode: error.exitCode, message, hint: error.hint ?? first.hint }, error.diagnostics);
}

/** A `SopError` as text: every diagnostic with its code frame, or `error CODE: message` and the hint. */
export async function describeSopError(error: SopError): Promise<string> {
  if (error.diagnostics.length > 0) {
    const renderer = new DiagnosticRenderer();
    const parts = await renderProblems(renderer, error.diagnostics);
    return parts.join('\n');
  }
  let text = `error ${error.code}: ${error.message}`;
  // A hint of a layer below the CLI names `sop` commands with the default word: typed as the user types `sop`.
  if (error.hint) text += `\n  hint: ${typedAs(error.hint, sopCommandOfProcess())}`;
  return text;
}
