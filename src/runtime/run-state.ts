import type { SchemaValidators } from '../spec/index.js';
import type { ResolvedSop } from '../spec/resolved.js';
import type { ApprovalEntry, JournalEntry, RecordSink, Workspace, WrittenFile } from '../store/index.js';
import type { BudgetStop } from './budget.js';
import type { Compiled } from './compiled.js';
import type { GateStats } from './gate-stats.js';
import type { ApprovalDecision, Approver, PendingApproval } from './human-gate.js';
import type { Message } from './message.js';
import type { RunModels } from './models.js';
import type { ReplayBook } from './replay-book.js';
import type { Semaphore } from './semaphore.js';
import type { RunToolbox } from './toolbox.js';
import type { SystemPrompts } from './system-prompt.js';
import type { CallProgress } from './types.js';
import type { UsageTracker } from './usage.js';

/** Everything the role and action runners share during one run. */
export interface RunState {
  sop: ResolvedSop;
  runId: string;
  inputs: Record<string, unknown>;
  workspace: Workspace;
  compiled: Compiled;
  validators: SchemaValidators;
  systemPrompts: SystemPrompts;
  /** The model of each call, from its references (action, role, settings). */
  models: RunModels;
  /** Run calls inside a provider-event context (retries and breaker changes become run events). */
  routeProviderEvents: boolean;
  /** Live text progress of streamed replies (`RunOptions.onDelta`). */
  onDelta: ((progress: CallProgress) => void) | undefined;
  /** Bounds concurrent model calls and commands (`settings.max_concurrency`). */
  limiter: Semaphore;
  usage: UsageTracker;
  signal: AbortSignal | undefined;
  now: () => Date;
  /** Action ids whose `when.type` is written in the SOP. */
  explicitTypes: ReadonlySet<string>;
  /** How often each action has run (for `max_runs`). */
  actionRuns: Map<string, number>;
  /** Last write of each artifact path. */
  artifacts: Map<string, WrittenFile>;
  /** Every published message by id (for `chain` memory). */
  messagesById: Map<string, Message>;
  /** True once any answer came from the offline model. */
  offlineAnswered: boolean;
  /** Where each completed call's answer is written at once (the run journal), for `sop resume`. */
  journal?: RecordSink<JournalEntry>;
  /** A resumed run: the answers its interrupted process already received. */
  replay?: ReplayBook;
  /** Set when the budget stopped the run: where, and why. */
  budgetStop?: BudgetStop;
  /** The tools actions may offer their models (built on first use). */
  toolbox: RunToolbox;
  /** Checks per gate (`action/gate`), for the report. */
  gateStats: Map<string, GateStats>;
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
    given: Map<string, ApprovalDecision>;
  };
}
