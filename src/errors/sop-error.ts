import { CODES, EXIT, type ErrorCode } from './codes.js';

export type Severity = 'error' | 'warning';

/** One problem found in a file, located as precisely as we can. Lines and columns are 1-based. */
export interface Diagnostic {
  code: ErrorCode;
  severity: Severity;
  /** What is wrong, in one sentence. */
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** JSON pointer of the offending value inside the document (`/roles/pm/watch/0`). */
  pointer?: string;
  /** What was expected there. */
  expected?: string;
  /** How to fix it. */
  hint?: string;
}

/**
 * The one error type of the project. Carries a stable code and, when it comes from validation,
 * every diagnostic found (so a user fixes them all in one pass).
 */
export class SopError extends Error {
  readonly code: ErrorCode;
  readonly diagnostics: Diagnostic[];
  readonly hint: string | undefined;
  /** The SOP field the error is about (`/inputs/topic`), when one is: a CI annotation is placed at its line. */
  readonly pointer: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; diagnostics?: Diagnostic[]; cause?: unknown; pointer?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SopError';
    this.code = code;
    this.hint = options.hint;
    this.diagnostics = options.diagnostics ?? [];
    this.pointer = options.pointer;
  }

  get exitCode(): number {
    return CODES[this.code];
  }

  /** Builds an error from the diagnostics of a failed validation. */
  static fromDiagnostics(diagnostics: Diagnostic[]): SopError {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0] ?? diagnostics[0];
    const summary = first ? formatDiagnostic(first) : 'invalid SOP';
    // The count ends the first line, where the problem is named: after the `hint:` line it read as
    // part of the hint ("... (e.g. `Note: { description: ... }`) (and 2 more)").
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    const lineEnd = summary.indexOf('\n');
    const message = lineEnd < 0 ? summary + more : `${summary.slice(0, lineEnd)}${more}${summary.slice(lineEnd)}`;
    return new SopError(first?.code ?? 'SCHEMA_VIOLATION', message, { diagnostics });
  }
}

/**
 * Errors that do not hide each other (two flags' files that could not be written) as one: the first
 * one's code, message and hint, and each as a diagnostic, so `--json`'s error names every one.
 */
export function eachError(errors: readonly SopError[]): SopError | undefined {
  const [first] = errors;
  if (first === undefined || errors.length === 1) return first;
  const diagnostics: Diagnostic[] = errors.map((error) => ({ code: error.code, severity: 'error', message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) }));
  return new SopError(first.code, first.message, { ...(first.hint === undefined ? {} : { hint: first.hint }), diagnostics, cause: first.cause });
}

export function isSopError(value: unknown): value is SopError {
  return value instanceof SopError;
}

/** `file:line:col: severity CODE: message (expected ...) hint: ...` on one or two lines. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}: ` : '';
  const field = !d.line && d.pointer ? ` at ${d.pointer || '/'}` : '';
  let text = `${where}${d.severity} ${d.code}: ${d.message}${field}`;
  if (d.expected) text += `\n  expected: ${d.expected}`;
  if (d.hint) text += `\n  hint: ${d.hint}`;
  return text;
}

/** Maps any thrown value to an exit code: user errors by their code, everything else is a bug. */
export function exitCodeOf(error: unknown): number {
  return isSopError(error) ? error.exitCode : EXIT.INTERNAL;
}
