export { Workspace, type WrittenFile } from './workspace.js';
export { RunStore, RUN_FILES } from './run-store.js';
export { EventLog } from './event-log.js';
export { createRunId, RUN_ID_PATTERN } from './run-id.js';
export { listRuns, type RunSummary } from './list-runs.js';
export { CHECKPOINT_FILE, readCheckpointFile, writeCheckpointFile } from './checkpoint-file.js';
export { APPROVALS_FILE, RESPONSES_FILE, ResponseJournal, readApprovals, readJournal, type ApprovalEntry, type JournalEntry } from './response-journal.js';
export { LOCK_HEARTBEAT_MS, LOCK_STALE_MS, RUN_LOCK_FILE, RunLock, type LockHolder } from './run-lock.js';
