export { isGitFolder, Workspace, type WrittenFile } from './workspace.js';
export { fileTree, treeFiles, type FileTree } from './file-tree.js';
export { RunStore, RUN_FILES, runStartRecords, type RecordOptions, type RunRecordStart } from './run-store.js';
export { OLD_RUN_FILES, readPinnedSop, readRunInfo, placeWithin, readSopAsRun, relativePlaces, runFolderInProject, type RelativePlaces, type RunInfoRecord, type SopAsRun, type SopTextRecord } from './run-info.js';
export {
  JOURNAL_FILE,
  JOURNAL_VERSION,
  RECORD_TYPES,
  RunJournal,
  SNAPSHOT_AFTER_BYTES_RATIO,
  type ApprovalEntry,
  type FirstWriteEntry,
  type Durability,
  type CutUsage,
  type JournalEntry,
  type JournalLine,
  type JournalPosition,
  type JournalReplica,
  type JournalOptions,
  type AnswerSink,
  type RecordSink,
  type SnapshotRequest,
} from './run-journal.js';
export { AnswerTexts, EventClock } from './journal-encoding.js';
export { journalDamaged, readLines, readRunEvents, readRunJournal, runNotFound, type JournalRead } from './journal-reader.js';
export { migrateOldRunFolder, readOldCheckpoint } from './journal-migration.js';
export { checkRunId, createRunId, RUN_ID_PATTERN } from './run-id.js';
export { ambiguousIdError, matchIdPrefix, type IdMatch } from './id-prefix.js';
export { listRunHeads, listRuns, runStanding, withStanding, type RunHead, type RunSummary } from './list-runs.js';
export { readCommittedRound, readJournalEnd, type JournalEnd } from './journal-tail.js';
export { LOCK_HEARTBEAT_MS, LOCK_STALE_MS, RUN_LOCK_FILE, RunLock, type LockedThing, type LockHolder } from './run-lock.js';
export { lockWorkspace } from './workspace-lock.js';
export { noteRunningCommand, stopLeftoverCommands, type LeftoverCommand } from './running-commands.js';
