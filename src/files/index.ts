export { isProcessAlive, removeStaleTemporaries, writeAll, writeFileAtomicSync, writeFileAtomicWithSync, type AtomicWriteOptions } from './atomic-write.js';
export { checkFolderWritable, checkWritable, ensureFolder, guardWrite, makeTemporaryFolder, mkdirCode, namingFlag, storageError } from './storage-error.js';
export { shownPath } from './shown-path.js';
export { pathWithin, realPathOf } from './real-path.js';
