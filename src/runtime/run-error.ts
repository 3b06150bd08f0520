import { SopError, isSopError } from '../errors/index.js';
import { storageError } from '../files/index.js';

/**
 * The SopError a run ends with for anything thrown while it runs: a SopError as is; a storage
 * failure (no space, read-only, permission; e.g. from the response journal) as exit 14 naming the
 * path; anything else is a bug (`INTERNAL`).
 */
export function asRunError(error: unknown, place?: string): SopError {
  if (isSopError(error)) return error;
  return (
    storageError(error) ??
    new SopError('INTERNAL', `${place ? `${place}: ` : ''}unexpected error: ${(error as Error)?.message ?? String(error)}`, { cause: error })
  );
}
