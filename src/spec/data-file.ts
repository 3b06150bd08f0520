import path from 'node:path';
import { SopError, type Diagnostic } from '../errors/index.js';
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
 * diagnostic the caller reports with its own error code.
 */
export function readDataFile(file: string, cwd: string, kind: DataFileKind): { ok: true; text: string } | { ok: false; diagnostic: Diagnostic } {
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
  return { ok: true, text: decoded.text };
}
