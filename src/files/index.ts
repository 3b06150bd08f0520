export { isProcessAlive, removeStaleTemporaries, writeFileAtomicSync, type AtomicWriteOptions } from './atomic-write.js';
export { checkWritable, ensureFolder, guardWrite, makeTemporaryFolder, mkdirCode, storageError } from './storage-error.js';
export { shownPath } from './shown-path.js';
