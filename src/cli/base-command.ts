import { Command, Errors, Flags } from '@oclif/core';
import { EXIT, isSopError, type SopError } from '../errors/index.js';
import { DiagnosticRenderer } from './render-diagnostics.js';

/**
 * What every `sop` command shares: the `--debug` flag and one error policy. A `SopError` (bad input)
 * prints one clear message and exits with its code; anything else is a bug: a one-line
 * "internal error" (the stack only with `--debug`) and exit 1. No user error prints a stack.
 */
export abstract class SopCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({ description: 'Print stack traces of internal errors.', helpGroup: 'GLOBAL' }),
  };

  /** Writes text to stdout as is (no formatting), for results other tools read. */
  protected out(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Writes a line to stderr: progress, warnings and errors, so stdout stays parseable. */
  protected note(text: string): void {
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  protected get debugEnabled(): boolean {
    return this.argv.includes('--debug');
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    // `this.exit()` works by throwing; let it through untouched.
    if (error instanceof Errors.ExitError) throw error;
    if (isSopError(error)) {
      this.note(await describeSopError(error));
      if (this.debugEnabled && error.stack) this.note(error.stack);
      return this.exit(error.exitCode);
    }
    // oclif's own parse errors (unknown flag, missing argument) carry their exit code: usage.
    if (error instanceof Errors.CLIError) {
      this.note(`error: ${error.message}`);
      return this.exit(error.oclif?.exit ?? EXIT.USAGE);
    }
    this.note(`internal error: ${error.message} (rerun with --debug for the stack)`);
    if (this.debugEnabled && error.stack) this.note(error.stack);
    return this.exit(EXIT.INTERNAL);
  }
}

/** A `SopError` as text: every diagnostic with its code frame, or `error CODE: message` and the hint. */
export async function describeSopError(error: SopError): Promise<string> {
  if (error.diagnostics.length > 0) {
    const renderer = new DiagnosticRenderer();
    const parts = await Promise.all(error.diagnostics.map((diagnostic) => renderer.render(diagnostic)));
    return parts.join('\n');
  }
  let text = `error ${error.code}: ${error.message}`;
  if (error.hint) text += `\n  hint: ${error.hint}`;
  return text;
}
