import type { SchemaValidators } from '../spec/json-schemas.js';
import type { ResolvedSop } from '../spec/resolved.js';
import type { AnswerSink, ApprovalEntry, FirstWriteEntry, RecordSink, Workspace } from '../store/index.js';
import type { BudgetStop } from './budget.js';
import type { Compiled } from './compiled.js';
import type { GateStats } from './gate-stats.js';
import type { ApprovalDecision, Approver, GivenDecision, PendingApproval } from './approval.js';
import type { RunModels } from './models.js';
import type { ReplayBook } from './replay-book.js';
import type { RevisionPrompt } from './run-settings.js';
import type { Semaphore } from '../providers/semaphore.js';
import type { SopRuntime } from '../providers/sop-runtime.js';
import type { RunToolbox } from './toolbox.js';
import type { NoteCommand } from '../tools/run-command.js';
import type { SystemPrompts } from './system-prompt.js';
import type { CallProgress } from './call-progress.js';
import type { UsageTracker } from './usage.js';
import type { Thread } from './superstep/threads.js';
import { dictionaryOf, propertyName } from './superstep/dictionary.js';
import { changedFields, type Ledger, type LedgerPatch, type RecordedArtifact } from './superstep/ledger.js';
import type { TrackedMap } from './tracked-map.js';
import type { TrackedSet } from './tracked-set.js';

/** Everything the role and action runners share during one run. */
export interface RunState {
  sop: ResolvedSop;
  runId: string;
  /** The command hints give to continue the run: `sop resume ID`, typed as the caller says (see `resumeCommand`). */
  resumeCommand: string;
  inputs: Record<string, unknown>;
  workspace: Workspace;
  compiled: Compiled;
  validators: SchemaValidators;
  systemPrompts: SystemPrompts;
  /** The model of each call, from its references (action, role, settings). */
  models: RunModels;
  /** What the run shares on purpose with others given the same runtime (here: the secret mask). */
  runtime: SopRuntime;
  /** Live text progress of streamed replies (`RunOptions.onDelta`). */
  onDelta: ((progress: CallProgress) => void) | undefined;
  /** `RunOptions.eventPrompts`: call-start events carry the rendered messages, tool-call-end events the results. */
  eventPrompts: boolean;
  /** What a gate's revision request shows the model (the run's setting, see `RunSettings`). */
  revisionPrompt: RevisionPrompt;
  /** Bounds concurrent model calls and commands (`settings.max_concurrency`). */
  limiter: Semaphore;
  usage: UsageTracker;
  /** Aborted: nothing new starts (a call, a command, a round). `RunOptions.signal` or `drain`. */
  signal: AbortSignal | undefined;
  /** Aborted: model calls, commands and tools in flight are cut off (`RunOptions.signal` alone: a drain lets them finish). */
  callSignal: AbortSignal | undefined;
  /** Notes a started command's process group (a step's or a tool's) in the run folder until it ends (see `noteRunningCommand`). */
  noteCommand?: NoteCommand;
  now: () => Date;
  /** Each published message's thread (`message.thread`): the core's, which moves on between rounds. */
  threads: ReadonlyMap<string, Thread>;
  /** How often each action has run (for `max_runs`). */
  actionRuns: TrackedMap<string, number>;
  /** Last write of each artifact path (with what it held before the run first wrote it, when `workspaceChanges`). */
  artifacts: TrackedMap<string, RecordedArtifact>;
  /**
   * Artifact paths written for an output its gates have not decided on yet (written before the
   * gates, which check the files): a run that stops meanwhile (Ctrl-C in a gate command, an approval
   * awaited) reports them pending, not written.
   */
  undecidedArtifacts: Set<string>;
  /**
   * Artifact paths last written for an output its gates rejected (a revision, a stop, a route): the
   * drafts stay in the workspace, and the report lists them rejected, not written, until a later
   * write (a revision's, another action's) replaces them. Committed with each round's ledger, so a
   * resumed run keeps the marks of the rounds before its boundary.
   */
  rejectedArtifacts: TrackedSet<string>;
  /**
   * `RunSettings.workspaceChanges` (`sop run --inc`, kept by a resume): each artifact keeps what its
   * path held before the run first wrote it, for `report.workspaceChanges`.
   */
  workspaceChanges?: true;
  /** A resumed run's first writes of earlier attempts (`ResumePoint.firstWrites`): an artifact's `before` when the ledger has none. */
  firstWrites?: Record<string, string | null>;
  /** With it, the names of the workspace's files when the run opened (a resumed run's from its journal; absent past the inventory's bound): the report's deleted files. */
  workspaceFiles?: readonly string[];
  /** With it, where the first write of each path journals what the path held, before the write (`RunRecord.firstWrites`). */
  firstWriteJournal?: RecordSink<FirstWriteEntry>;
  /** True once any answer came from the offline model. */
  offlineAnswered: boolean;
  /** Where each completed call's answer is written before it is used (the run journal), for `sop resume`. */
  journal?: AnswerSink;
  /** A resumed run: the answers its interrupted process already received. */
  replay?: ReplayBook;
  /** Set when the budget stopped the run: where, and why. */
  budgetStop?: BudgetStop;
  /** The tools actions may offer their models (built on first use). */
  toolbox: RunToolbox;
  /** Checks per gate (`action/gate`), for the report. */
  gateStats: TrackedMap<string, GateStats>;
  /**
   * Human gates: who answers on the spot (a terminal), the decisions given to `sop resume` (by
   * `approvalKey`, each used once), and the requests nobody answered (the run then halts).
   */
  approvals: {
    approver: Approver | undefined;
    decisions: Map<string, ApprovalDecision>;
    pending: PendingApproval[];
    /** Where terminal decisions are written at once, and those an interrupted attempt of this round gave (by key and output). */
    journal: RecordSink<ApprovalEntry> | undefined;
    given: Map<string, GivenDecision>;
  };
}

/**
 * What the round changed in the counters actions keep, as a merge patch (`recorded`: the ledger
 * before the round), usage aside: the usage tracker gives that part itself, when the boundary is
 * written (`UsageTracker.changesAtBoundary`).
 */
export function takeLedgerPatch(state: RunState, recorded: Ledger): LedgerPatch {
  const touched: LedgerPatch = {};
  const runs = state.actionRuns.takeChanged();
  // Keyed by one string per name (see `propertyName`): the patch's keys become the ledger's.
  if (runs.length > 0) touched.actionRuns = dictionaryOf(runs.map(([action, count]) => [propertyName(action), count]));
  const gates = state.gateStats.takeChanged();
  if (gates.length > 0) touched.gateStats = dictionaryOf(gates.map(([key, stats]) => [key, { ...stats }]));
  const files = state.artifacts.takeChanged();
  if (files.length > 0) touched.artifacts = dictionaryOf(files);
  const rejected = rejectedChanges(state.rejectedArtifacts, recorded.rejectedArtifacts);
  if (rejected) touched.rejectedArtifacts = rejected;
  if (state.offlineAnswered && !recorded.offlineAnswered) touched.offlineAnswered = true;
  return changedFields(recorded, touched);
}

/**
 * The rejected marks that differ from the recorded ones: a path marked (`true`) or written again
 * (`null`). A draft rejected and then revised within the round changed nothing, so it is left out.
 */
function rejectedChanges(marks: TrackedSet<string>, recorded: Readonly<Record<string, true>>): Record<string, true | null> | undefined {
  const changed = marks.takeChanged().filter((path) => marks.has(path) !== (recorded[path] === true));
  return changed.length > 0 ? dictionaryOf(changed.map((path) => [path, marks.has(path) ? true : null])) : undefined;
}

/** A resumed run continues from its recorded counters: what was spent stays spent. */
export function restoreLedger(state: RunState, ledger: Ledger): void {
  state.usage.restore(ledger.usage);
  for (const [actionId, runs] of Object.entries(ledger.actionRuns)) state.actionRuns.set(actionId, runs);
  for (const file of Object.values(ledger.artifacts)) state.artifacts.set(file.path, file);
  for (const [key, stats] of Object.entries(ledger.gateStats)) state.gateStats.set(key, { ...stats });
  for (const path of Object.keys(ledger.rejectedArtifacts)) state.rejectedArtifacts.add(path);
  state.offlineAnswered = ledger.offlineAnswered;
  // Restored, not changed.
  takeLedgerPatch(state, ledger);
  state.usage.takeChanges(ledger.usage);
}
