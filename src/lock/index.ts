/**
 * Pinned SOPs: `sop.lock` (what an SOP and the files it references hash to, its runner range, the
 * models it resolves to), drift detection for `sop run --frozen`, and the `apiVersion` migrations
 * behind `sop migrate`.
 */
export { formatLock, readLockFile, writeLockFile, type SopLock } from './lock-file.js';
export { createLock, lockedModels, referenceLabel, relativePath } from './fingerprint.js';
export { assertNoDrift, compareLocks } from './drift.js';
export { unpinnedServers, type UnpinnedServer } from './unpinned-packages.js';
export { findPartialFiles, partialNames } from '../spec/referenced-files.js';
export { MIGRATIONS, MigrationRegistry, migrateSopText, type Migration } from './migrations.js';
