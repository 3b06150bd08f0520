import { SopError, type ErrorCode } from '../errors/index.js';
import type { SourceOrigin } from '../spec/resolved.js';
import { MAX_BLOCK_DEPTH } from './nesting.js';

/** A 1-based position inside the template text. */
export interface TemplatePosition {
  line: number;
  column: number;
}

/** Maps a position inside the template to the file the template came from. */
export function toFilePosition(origin: SourceOrigin, position: TemplatePosition | undefined): { line: number; column: number } {
  if (!position) return { line: origin.line + origin.lineOffset, column: origin.column };
  if (origin.runs && origin.runs.length > 0) return fromRuns(origin.runs, position);
  const line = origin.line + origin.lineOffset + position.line - 1;
  // Only the first line of an inline scalar starts at the scalar's column; block scalars keep their indentation.
  const column = position.line === 1 || origin.lineOffset > 0 ? origin.column + position.column - 1 : position.column;
  return { line, column };
}

/** The position through the run that holds it (the last that starts at or before it). */
function fromRuns(runs: NonNullable<SourceOrigin['runs']>, position: TemplatePosition): { line: number; column: number } {
  let low = 0;
  let high = runs.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    const [line, column] = runs[middle]!;
    if (line < position.line || (line === position.line && column <= position.column)) low = middle;
    else high = middle - 1;
  }
  const [line, column, fileLine, fileColumn] = runs[low]!;
  // A line of the text with no run of its own (an empty line) follows the run before it.
  if (line !== position.line) return { line: fileLine + Math.max(0, position.line - line), column: position.column };
  return { line: fileLine, column: fileColumn + Math.max(0, position.column - column) };
}

/**
 * The origin of a partial's own file, by its absolute path (its text starts at line 1, column 1;
 * `sop validate` names it as it names the SOP); `pointer` is the including template's.
 */
export function partialFileOrigin(file: string, pointer: string): SourceOrigin {
  return { file, line: 1, column: 1, pointer, lineOffset: 0 };
}

/** Builds a located template error. */
export function templateError(
  code: ErrorCode,
  origin: SourceOrigin,
  position: TemplatePosition | undefined,
  message: string,
  hint?: string,
): SopError {
  const at = toFilePosition(origin, position);
  return new SopError(code, `${origin.file}:${at.line}:${at.column}: ${message}`, {
    hint,
    diagnostics: [
      {
        code,
        severity: 'error',
        message,
        file: origin.file,
        line: at.line,
        column: at.column,
        pointer: origin.pointer,
        ...(hint ? { hint } : {}),
      },
    ],
  });
}

/** A template nested deeper than the engine's parser can follow ("Maximum call stack size exceeded"). */
export function tooDeepError(origin: SourceOrigin): SopError {
  return templateError('TEMPLATE_SYNTAX', origin, undefined, `the template nests blocks too deeply to be read (more than ${MAX_BLOCK_DEPTH} levels)`,
    'flatten it: a few levels of {% if %}/{% for %} (or {{#if}}/{{#each}}) are enough; move repeated parts into a partial');
}

/** Data nested deeper than rendering can follow (a model's JSON output thousands of levels deep). */
export function tooDeepDataError(origin: SourceOrigin): SopError {
  return templateError('TEMPLATE_RENDER', origin, undefined, 'a value the template renders nests too deeply to render',
    'constrain the data with the message type\'s schema (a model\'s JSON output can nest without end)');
}
