/**
 * Pinned SOPs: `sop.lock` (what an SOP and the files it references hash to, its runner range, the
 * models it resolves to), drift detection for `sop run --frozen`, and the `apiVersion` migrations
 * behind `sop migrate`.
 */
export { LOCK_FILE_NAME, LOCK_VERSION, formatLock, readLockFile, writeLockFile, type SopLock } from './lock-file.js';
export { createLock, lockedModels, referenceLabel, relativePath, type LockInputs } from './fingerprint.js';
export { assertNoDrift, compareLocks, describeDrift, type Drift, type ModelsFrom, type VerifyOptions } from './drift.js';
export { findPartialFiles, partialNames } from '../spec/referenced-files.js';
export { MIGRATIONS, MigrationRegistry, migrateSopText, type Migration, type MigrationResult } from './migrations.js';
