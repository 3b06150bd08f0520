import { Command, Errors, Flags } from '@oclif/core';
import { EXIT, isSopError, type Diagnostic, type SopError } from '../errors/index.js';
import type { ResolvedSop } from '../spec/resolved.js';
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

  /** Loads an SOP for a command that uses it, printing its warnings (with code frames) on stderr. */
  protected async loadSopPrintingWarnings(file: string): Promise<{ sop: ResolvedSop; warnings: Diagnostic[] }> {
    const { loadResolvedSop } = await import('../spec/index.js');
    const loaded = await loadResolvedSop(file);
    if (loaded.warnings.length > 0) {
      const renderer = new DiagnosticRenderer();
      for (const warning of loaded.warnings) this.note(await renderer.render(warning));
    }
    return loaded;
  }

  protected get debugEnabled(): boolean {
    return this.argv.includes('--debug');
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    // `this.exit()` works by throwing; let it through untouched.
    if (error instanceof Errors.ExitError) throw error;
    if (isSopError(error)) {
      // A SopError thrown by a flag's parser comes back with oclif's "Parsing --flag" text around it.
      if (error.diagnostics.length === 0) error.message = cleanParseMessage(error.message);
      this.note(await describeSopError(error));
      if (this.debugEnabled && error.stack) this.note(error.stack);
      return this.exit(error.exitCode);
    }
    // oclif's own parse errors (unknown flag, missing argument) carry their exit code: usage.
    if (error instanceof Errors.CLIError) {
      this.note(`error: ${cleanParseMessage(error.message)}\n  hint: see \`sop ${this.id ?? ''} --help\``.replace('sop  --help', 'sop --help'));
      return this.exit(error.oclif?.exit ?? EXIT.USAGE);
    }
    this.note(`internal error: ${error.message} (rerun with --debug for the stack)`);
    if (this.debugEnabled && error.stack) this.note(error.stack);
    return this.exit(EXIT.INTERNAL);
  }
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
  return `${flag}: ${detail.charAt(0).toLowerCase()}${detail.slice(1)}`;
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
