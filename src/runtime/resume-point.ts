import { existsSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { JOURNAL_FILE, journalDamaged, migrateOldRunFolder, readRunInfo, readRunJournal, runNotFound, type ApprovalEntry, type JournalRead, type JournalEntry, type JournalLine, type JournalPosition } from '../store/index.js';
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { commitFromJournal, type JournalEvent, type RoundCommitLine } from './superstep/journal-commit.js';
import type { Ledger } from './superstep/ledger.js';
import { applyCommit, fromSnapshot, toSnapshot, type RoundCommit } from './superstep/state.js';
import { actionRunsFromEvents, usageFromEvents } from './ledger-events.js';
import { rerunCommand } from './rerun-command.js';
import type { ResolvedInput } from '../spec/resolved.js';

/** Where a recorded run continues: its state at the last clean boundary and what came after. */
export interface ResumePoint {
  /** The last snapshot with the round-commits after it replayed. */
  checkpoint: Checkpoint;
  /** Answered calls of rounds after that boundary: the resumed round gets them back. */
  answers: JournalEntry[];
  /** Terminal decisions of rounds after that boundary. */
  approvals: ApprovalEntry[];
  /** Where the journal is appended to (a torn last line is cut off first). */
  position: JournalPosition;
  /** The working time of the attempts before (their last run-end's `durationMs`): the report's duration adds it. */
  earlierMs?: number;
  /**
   * The run's working time up to its journal's last record: the attempts before (`earlierMs`) and
   * the last one from its start to that record; what a killed run's report says it took.
   */
  workedMs?: number;
  /** What each artifact path held before the run first wrote it, over every attempt (`JournalRead.firstWrites`). */
  firstWrites?: Record<string, string | null>;
  /** An incremental run's inventory taken when it started (`JournalRead.workspaceFiles`): the report's deleted files. */
  workspaceFiles?: string[];
}

/**
 * Reads a run folder's resume point: the journal's last snapshot plus the replay of the
 * round-commits after it, with the core's `applyCommit` (the function the live run moved on with),
 * and the status a `run-closed` line after them gives; its `sop` is the last `sop-changed` line's
 * when one came after that snapshot (a resume that went on with a changed SOP); its `runId` is the
 * folder's name (a copied folder's journal names the run it was copied from).
 * A folder recorded before the journal is migrated first (see `migrateOldRunFolder`). Refused with
 * `RUN_NOT_FOUND` when the folder does not exist, `RUN_NOT_RESUMABLE` when the run never reached a boundary, and `RUN_JOURNAL_DAMAGED` when a line
 * before the last is not what sop wrote (see `readLines`, `commitFromJournal`).
 */
export function readResumePoint(runDir: string): ResumePoint {
  // A mistyped folder is no run at all (as readRunEvents says), not a run that stopped too early.
  if (!existsSync(runDir)) throw runNotFound(runDir);
  migrateOldRunFolder(runDir);
  const file = path.join(runDir, JOURNAL_FILE);
  const read = readRunJournal(runDir);
  if (!read?.snapshot) {
    throw new SopError('RUN_NOT_RESUMABLE', `run ${path.basename(runDir)} has no state to resume from (${read ? `${file} has no snapshot` : `no ${file}`})`, {
      hint: 'only runs that got past publishing their start messages can be resumed',
    });
  }
  const { seq: _seq, type: _type, ...snapshot } = read.snapshot;
  const snapshotSeq = read.snapshot.seq;
  const parsed = parseCheckpoint(snapshot, file, (what) => journalDamaged(file, read.lineOf(snapshotSeq), snapshotSeq, `the snapshot's ${what}`));
  // Named by its folder, as `sop runs`, `sop report` and `sop resume` find it: a copied folder's
  // journal names the run it was copied from, and hints naming that id would act on the original.
  const named = { ...parsed, runId: path.basename(path.resolve(runDir)) };
  const recorded = read.sopChanged ? { ...named, sop: sopAsChanged(read.sopChanged) } : named;
  if (read.commits.length === 0) return { checkpoint: closedAs(recorded, read.closed), answers: read.answers, approvals: read.approvals, position: read.position, earlierMs: read.earlierMs, firstWrites: read.firstWrites, ...inventoryOf(read) };
  const state = fromSnapshot(recorded);
  let options = recorded.options;
  let eventSeq = recorded.eventSeq;
  for (const { commit: line, events } of read.commits) {
    const replayed = commitFromJournal(parseCommit(line, file, read.lineOf(line.seq)), line.seq, events as JournalEvent[], state.nextMessageId);
    if ('damage' in replayed) throw journalDamaged(file, read.lineOf(replayed.damage.seq), replayed.damage.seq, replayed.damage.what);
    const { recipients, options: changed } = replayed;
    const commit = withDerived(replayed.commit, state.ledger, events as JournalEvent[], (seq, what) => journalDamaged(file, read.lineOf(seq), seq, what));
    applyCommit(state, commit, recipients);
    if (changed) options = { ...options, ...(changed as Partial<Checkpoint['options']>) };
    // The round's last event: the line before its commit (both are written in one batch).
    eventSeq = line.seq - 1;
  }
  const { awaiting: _awaiting, ...facts } = recorded;
  const checkpoint: Checkpoint = { ...facts, ...toSnapshot(state), status: 'running', eventSeq, options };
  return { checkpoint: closedAs(checkpoint, read.closed), answers: read.answers, approvals: read.approvals, position: read.position, earlierMs: read.earlierMs, firstWrites: read.firstWrites, ...inventoryOf(read) };
}

function inventoryOf(read: JournalRead): Pick<ResumePoint, 'workspaceFiles' | 'workedMs'> {
  const { attemptStartMs } = read;
  const lastMs = read.position.timeMs;
  const worked = attemptStartMs === undefined || lastMs === undefined || Number.isNaN(attemptStartMs) ? {} : { workedMs: read.earlierMs + Math.max(0, lastMs - attemptStartMs) };
  return read.workspaceFiles ? { workspaceFiles: read.workspaceFiles, ...worked } : worked;
}

/** The `sop` a `sop-changed` line records: what a later resume compares with. */
function sopAsChanged(line: JournalLine): Checkpoint['sop'] {
  const { seq: _seq, type: _type, text: _text, ...sop } = line;
  return sop as unknown as Checkpoint['sop'];
}

/**
 * The boundary's state with how the run ended, when a `run-closed` line (journal version 5) came
 * after it; older journals end with a final snapshot that says it itself.
 */
function closedAs(checkpoint: Checkpoint, closed: JournalRead['closed']): Checkpoint {
  if (!closed) return checkpoint;
  const { awaiting: _awaiting, ...rest } = checkpoint;
  return { ...rest, status: closed.status as Checkpoint['status'], ...(closed.awaiting ? { awaiting: closed.awaiting as Checkpoint['awaiting'] } : {}) };
}

/**
 * A commit without usage changes or `max_runs` counts has them in its round's events (the writer
 * leaves them out only then, see `ledger-events.ts`; a round without calls or actions has none
 * either way, in every journal version).
 */
function withDerived(commit: RoundCommit, before: Ledger, events: JournalEvent[], damaged: (seq: number, what: string) => Error): RoundCommit {
  const ledger = { ...commit.ledger };
  if (!ledger.usage) {
    const rebuilt = usageFromEvents(before.usage, events);
    if ('malformed' in rebuilt) throw damaged(rebuilt.malformed, 'the llm-call-end line needs role, model, promptTokens, completionTokens and estimated: its round-commit counts usage from them');
    if (rebuilt.usage) ledger.usage = rebuilt.usage;
  }
  if (!ledger.actionRuns) {
    const runs = actionRunsFromEvents(before.actionRuns, events);
    if (runs) ledger.actionRuns = runs;
  }
  return Object.keys(ledger).length > 0 ? { ...commit, ledger } : commit;
}

function parseCommit(line: JournalLine, file: string, lineNumber: number): Omit<RoundCommitLine, 'type'> {
  const { seq, round, nextMessageId, counters } = line;
  if (typeof seq !== 'number' || typeof round !== 'number' || typeof nextMessageId !== 'number' || (counters !== undefined && (counters === null || typeof counters !== 'object'))) {
    throw journalDamaged(file, lineNumber, seq, 'the round-commit needs round and nextMessageId (numbers) and counters (an object) when present');
  }
  return { round, nextMessageId, ...(counters === undefined ? {} : { counters: counters as RoundCommitLine['counters'] }) };
}

/**
 * A run whose last snapshot says it completed has nothing left to resume (`sop resume` and `runSop`
 * refuse it alike); the hint gives the whole command that runs it again, with its inputs
 * (`declared`, the SOP's inputs when known, names each once) and its file inputs' files as the
 * user named them (the run folder's run-info `fileInputs`), `sop` typed as `sopCommand`.
 */
export function refuseCompleted(checkpoint: Checkpoint, declared: readonly ResolvedInput[] | undefined, runDir: string, sopCommand?: string): void {
  if (checkpoint.status !== 'completed') return;
  throw new SopError('RUN_NOT_RESUMABLE', `run ${checkpoint.runId} already completed: there is nothing to resume`, {
    hint: `start a new run with \`${rerunCommand(checkpoint, declared, givenFiles(readRunInfo(runDir)), sopCommand)}\``,
  });
}

/** The run-info's `fileInputs` (files as the user named them), the entries that are text. */
function givenFiles(info: Record<string, unknown> | undefined): Record<string, string> {
  const recorded = info?.['fileInputs'];
  if (typeof recorded !== 'object' || recorded === null) return {};
  return Object.fromEntries(Object.entries(recorded).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/**
 * Bytes of the whole state a resume of `runDir` continues from, written as one snapshot line with
 * every message whole (what `checkpoint.json` held, and snapshots before they named messages by
 * seq): the measure `npm run bench` compares the bytes a run writes with.
 */
export function resumeStateBytes(runDir: string): number {
  const { checkpoint, position } = readResumePoint(runDir);
  return Buffer.byteLength(JSON.stringify({ seq: position.seq, type: 'snapshot', ...checkpoint })) + 1;
}
