import { createHash } from 'node:crypto';
import path from 'node:path';
import { formatDiagnostic, SopError, type Diagnostic, type ErrorCode } from '../errors/index.js';
import { sortDiagnostics } from './diagnostic-sink.js';
import { formatBytes, LIMITS, readCappedSync, sizeAbove, unreadableFile } from './limits.js';
import { decodeUtf8Text } from './text-encoding.js';

/** How a data file (a script, a test file) is named in messages, and what to do about a bad path. */
export interface DataFileKind {
  /** `script`, `test file`. */
  noun: string;
  /** Where it ends up when it is too large: `split it: ...`. */
  splitHint: string;
  /** What to pass instead of an unreadable path. */
  pathHint: string;
}

/**
 * The text of a YAML data file other than an SOP (a script, a `sop test` file), with the SOP's size
 * bound: throws FILE_NOT_FOUND, FILE_UNREADABLE or FILE_TOO_LARGE; text that is not UTF-8 is a
 * diagnostic the caller reports with its own error code. `sha256`: of the file's bytes (what a run
 * records of its script, so that `sop resume` notices a changed one).
 */
export function readDataFile(file: string, cwd: string, kind: DataFileKind): { ok: true; text: string; sha256: string } | { ok: false; diagnostic: Diagnostic } {
  const absolute = path.resolve(cwd, file);
  const size = sizeAbove(absolute, LIMITS.sopBytes);
  if (size !== undefined) {
    throw new SopError('FILE_TOO_LARGE', `${kind.noun} ${file} is ${formatBytes(size)}, more than the ${formatBytes(LIMITS.sopBytes)} a ${kind.noun} may have`, { hint: kind.splitHint });
  }
  let bytes: Buffer | 'too-large';
  try {
    bytes = readCappedSync(absolute, LIMITS.sopBytes);
  } catch (error) {
    const { code, why } = unreadableFile(error);
    throw new SopError(code, `cannot read ${kind.noun} ${file}: ${why}`, { hint: kind.pathHint });
  }
  if (bytes === 'too-large') {
    throw new SopError('FILE_TOO_LARGE', `${kind.noun} ${file} is endless or more than the ${formatBytes(LIMITS.sopBytes)} a ${kind.noun} may have`, { hint: kind.pathHint });
  }
  const decoded = decodeUtf8Text(bytes);
  if (!decoded.ok) {
    return { ok: false, diagnostic: { code: 'FILE_UNREADABLE', severity: 'error', file, message: `cannot read ${kind.noun} ${file}: ${decoded.problem.message}`, hint: decoded.problem.hint } };
  }
  return { ok: true, text: decoded.text, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * One error for every problem of a data file (`code`, e.g. SCRIPT_INVALID): the first error in the
 * message, every diagnostic (in file order, worded for that kind of file by `wording`) in `diagnostics`.
 */
export function dataFileError(code: ErrorCode, noun: string, diagnostics: Diagnostic[], wording: (diagnostic: Diagnostic) => Diagnostic): SopError {
  const sorted = sortDiagnostics(diagnostics).map(wording);
  const errors = sorted.filter((diagnostic) => diagnostic.severity === 'error');
  const first = errors[0] ?? sorted[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new SopError(code, `invalid ${noun}: ${first ? formatDiagnostic(first) : 'unreadable'}${more}`, { diagnostics: sorted });
}

/**
 * The schema's "missing required field `apiVersion`" of a data file, said as what to write
 * (`add \`apiVersion: sop-test/v1\``): a new user's first file often lacks that line.
 */
export function missingApiVersion(diagnostic: Diagnostic, noun: string, apiVersion: string): Diagnostic | undefined {
  if (diagnostic.code !== 'SCHEMA_MISSING_FIELD' || diagnostic.message !== 'missing required field `apiVersion`') return undefined;
  return {
    ...diagnostic,
    message: `missing \`apiVersion\`: a ${noun} says which format it is written in`,
    expected: `\`apiVersion: ${apiVersion}\``,
    hint: `add \`apiVersion: ${apiVersion}\` as the first line`,
  };
}
