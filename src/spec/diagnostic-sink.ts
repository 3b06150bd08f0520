import type { Diagnostic, ErrorCode, Severity } from '../errors/index.js';
import type { Position, SourceMap } from './source-map.js';

export interface DiagnosticDetails {
  expected?: string;
  hint?: string;
  /** Point at the field's key rather than its value (unknown fields, duplicate ids). */
  at?: 'key' | 'value';
  /** An explicit position (e.g. inside a template), instead of the pointer's. */
  position?: Position;
  /** Another file than the SOP (a referenced file). */
  file?: string;
}

/** Collects diagnostics for one SOP file, locating each JSON pointer in the YAML source. */
export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly file: string,
    readonly sourceMap: SourceMap | undefined,
  ) {}

  error(code: ErrorCode, pointer: string, message: string, details: DiagnosticDetails = {}): void {
    this.push('error', code, pointer, message, details);
  }

  warning(code: ErrorCode, pointer: string, message: string, details: DiagnosticDetails = {}): void {
    this.push('warning', code, pointer, message, details);
  }

  /** Adds diagnostics built elsewhere (template and expression compile errors). */
  add(...diagnostics: Diagnostic[]): void {
    this.diagnostics.push(...diagnostics);
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((diagnostic) => diagnostic.severity === 'error');
  }

  private push(severity: Severity, code: ErrorCode, pointer: string, message: string, details: DiagnosticDetails): void {
    const position = details.position ?? this.sourceMap?.locate(pointer, details.at ?? 'value');
    const diagnostic: Diagnostic = { code, severity, message, file: details.file ?? this.file, ...position, pointer };
    if (details.expected !== undefined) diagnostic.expected = details.expected;
    if (details.hint !== undefined) diagnostic.hint = details.hint;
    this.diagnostics.push(diagnostic);
  }
}

/**
 * Duplicates removed, then sorted: the SOP file's diagnostics first, then those of referenced
 * files; by line and column within a file (diagnostics without a position last).
 */
export function sortDiagnostics(diagnostics: Diagnostic[], mainFile?: string): Diagnostic[] {
  const seen = new Set<string>();
  const unique = diagnostics.filter((diagnostic) => {
    const key = [diagnostic.code, diagnostic.file, diagnostic.line, diagnostic.column, diagnostic.pointer, diagnostic.message].join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique
    .map((diagnostic, index) => ({ diagnostic, index }))
    .sort((left, right) =>
      Number(left.diagnostic.file !== mainFile) - Number(right.diagnostic.file !== mainFile) ||
      (left.diagnostic.file ?? '').localeCompare(right.diagnostic.file ?? '') ||
      (left.diagnostic.line ?? Number.MAX_SAFE_INTEGER) - (right.diagnostic.line ?? Number.MAX_SAFE_INTEGER) ||
      (left.diagnostic.column ?? 0) - (right.diagnostic.column ?? 0) ||
      left.index - right.index)
    .map((entry) => entry.diagnostic);
}
