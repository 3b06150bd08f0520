import type { SopError } from '../errors/index.js';
import type { ChatModel } from '../providers/chat-model.js';
import type { SopRuntime } from '../providers/sop-runtime.js';
import type { ResolvedMcpServer } from '../spec/resolved.js';
import type { Durability, JournalReplica, RunLock } from '../store/index.js';
import type { GateStats } from './gate-stats.js';
import type { CallProgress } from './call-progress.js';
import type { ApprovalDecision, Approver, PendingApproval } from './approval.js';
import type { RunEvent } from './events.js';
import type { ModelResolver } from './models.js';
import type { ResumePoint } from './resume-point.js';
import type { RunStatus } from './status.js';
import type { UsageCount } from './usage.js';
import type { WorkspaceChanges } from './workspace-changes.js';

export interface RunOptions {
  /**
   * Input values. Strings (from the command line) are parsed to the declared input types;
   * a missing required input or a wrong type is a SopError (`INPUT_MISSING`/`INPUT_INVALID`, exit 2).
   */
  inputs: Record<string, string | number | boolean>;
  /**
   * The files inputs were read from (`--input spec=@spec.md`: `{ spec: 'spec.md' }`), by input
   * name: recorded, so the command that runs it again gives `@FILE`, not the file's whole text.
   */
  inputFiles?: Record<string, string>;
  /** Folder the defaults are relative to; default `process.cwd()`. */
  cwd?: string;
  /**
   * Where artifacts go; default `<cwd>/workspace/<sop name>`. With `resume`: where the run's
   * workspace is now, when it is at neither place the run recorded (`sop resume --workspace`): a
   * folder holding files the run wrote, else refused (FILE_NOT_FOUND, USAGE).
   */
  workspace?: string;
  /** Where run records go; default `<cwd>/.sop/runs`. */
  runsDir?: string;
  /**
   * How hints name the run for `sop resume`: default its id when its folder is in `<cwd>/.sop/runs`,
   * else its folder's path (`resumeTarget`). A queue worker's runs are named by their id.
   */
  runRef?: string;
  /**
   * How hints type `sop` in the commands they give (`sop resume ID`, `sop run FILE ...`): the CLI
   * passes the way it was started (`npx sop`, `node PATH/bin/sop.js`), so a hint pasted into the
   * same shell runs. Default `sop`.
   */
  sopCommand?: string;
  /**
   * The model of each call: given the SOP's reference for it (action `model` ?? role `model` ??
   * `settings.model`, field by field; undefined when none is set), returns the ready model
   * (`ModelRegistry.resolve`, which applies `--model` and the configuration's defaults). Every
   * reference the SOP uses is resolved once before the run starts, so a bad one throws here.
   */
  resolveModel?: ModelResolver;
  /**
   * A fixed model answering every call (tests, benchmarks); wins over `resolveModel`. Without
   * either, the built-in offline model answers.
   */
  model?: ChatModel;
  /** With `model`: the model name used when the action, role and settings name none; default `offline`. */
  modelName?: string;
  /**
   * Secret values (API keys) masked as `***` in everything the run writes or reports: events,
   * the journal, `report.json`, error messages. Added to the runtime's secret mask.
   */
  secrets?: readonly string[];
  /**
   * What this run shares with others on purpose (`createRuntime()`): endpoint breakers and
   * concurrency limits, the secret mask. Give the same one to `loadModelRegistry`. Default: a
   * private one, so two runs share nothing.
   */
  runtime?: SopRuntime;
  /** Live progress of streamed replies (characters so far of each call in flight); never logged. */
  onDelta?: (progress: CallProgress) => void;
  /**
   * `llm-call-start` events carry the call's rendered messages (system, user, ...), secrets masked,
   * so an author sees what each role is asked, and `tool-call-end` events the result each tool
   * gave (masked, cut after 8192 characters). Off by default: prompts and results are large and
   * may hold inputs a team keeps out of its event log.
   */
  eventPrompts?: boolean;
  /**
   * The report says which artifacts the run made new, changed or left unchanged, and which of the
   * workspace's files are gone (`report.workspaceChanges`). The labels come from the writes
   * themselves (each keeps the sha256 its path held before the run first wrote it), so nothing is
   * read up front, and a resume of the run labels them too (the setting is recorded with it); the
   * deleted files from the names of the workspace's files listed when the run opens (no file read;
   * none past 20,000 entries), kept in its journal, so a resume compares with the same names. `sop
   * run --inc` sets it.
   */
  workspaceChanges?: boolean;
  /** Overrides `settings.n_round`. */
  nRound?: number;
  /** Overrides `settings.investment` (USD). */
  investment?: number;
  /** Progress hook: every event, as it happens. The runtime itself never prints. */
  onEvent?: (event: RunEvent) => void;
  /** Run id; default `YYYYMMDD-HHMMSS-<6 hex>` from the clock. */
  runId?: string;
  /** Clock, injectable for reproducible records. */
  now?: () => Date;
  /** Aborting it interrupts the run (status `interrupted`, exit 130); state is saved. */
  signal?: AbortSignal;
  /**
   * Aborting it stops the run at its next safe point: no model call, command or round starts
   * after it, and the model calls in flight finish and are journaled (a resume gives them back,
   * not asks them again); commands and tools in flight finish too (not journaled: a resume runs
   * the round they were in again from its start, them included). The run then ends as
   * `signal` ends it (`interrupted`); `signal` still cuts off what is in flight (a drain's
   * deadline). A queue worker's SIGTERM (docs/queue.md).
   */
  drain?: AbortSignal;
  /**
   * How the caller chose models (`sop run`'s model flags), kept in the checkpoint so `sop resume`
   * resolves the models again the same way. Plain JSON data; never secrets.
   */
  modelOptions?: Record<string, unknown>;
  /**
   * What a write to the run journal survives: `process` (default, no fsync: the sop process
   * killed at any moment) or `machine` (fdatasync after every write: a power loss too).
   */
  durability?: Durability;
  /**
   * A second home for the run journal's bytes, appended in file order beside `journal.jsonl`
   * (a queued run's Redis copy, `src/queue/`); answered calls are saved there before they are used.
   */
  journalReplica?: JournalReplica;
  /**
   * fsync each workspace file before its rename (default true: a machine crash cannot leave an
   * empty artifact). `sop test` and `sop eval`, whose workspaces are their own throwaway or
   * per-run folders, turn it off: it costs ~1 ms or more per file on a busy disk, and their run
   * records are not fsynced either (durability `process`).
   */
  durableWorkspace?: boolean;
  /**
   * Continue a recorded run from its resume point (`sop resume`; read it with `readResumePoint`):
   * same run id, folder, inputs and workspace; `journal.jsonl` is appended to; calls the
   * interrupted process completed after the resume point are answered from the journal. A project
   * moved or copied with its `.sop/` goes on in its workspace where it is now, found as `sop resume`
   * finds it (`resumePlaces`: the same place within the project its run folder is in now, else the
   * recorded path; `workspace` when given); the `run-resume` event's `followed` names the recorded
   * paths not taken, and the SOP's when it was loaded from elsewhere. A moved run's workspace found
   * at neither place is refused (FILE_NOT_FOUND) before anything is written.
   * `runId` is ignored, and so is `inputs` but for the inputs recorded masked (their
   * values held a secret, so the record has `***`: the checkpoint's `maskedInputs`): each is taken
   * from `inputs` and masked in everything the run writes, and a resume without one is refused
   * (`INPUT_MISSING`, exit 2) before anything is written. Refused (`RUN_NOT_RESUMABLE`) once the run's
   * lock is held when the journal changed since the point was read, or the run completed.
   */
  resume?: ResumePoint & {
    runDir: string;
    /**
     * The decision for the human gates the run was awaiting (`sop resume --approve|--reject|--edit`).
     * A run that awaited none (interrupted, say) has nothing for it to decide: its gates ask `approve`.
     */
    decision?: ApprovalDecision;
    /**
     * Which awaited approvals `decision` is for (`sop resume --gate`): each a role, action, gate or
     * trigger message id, or several joined by `/` (`reviewer/approved`); all of them when absent.
     * The others ask again: with no `approve` function the run pauses again awaiting them. A name
     * no awaited approval has is refused (`USAGE`) before anything is written.
     */
    decisionFor?: string[];
    /**
     * The run folder's lock, when the caller took it before reading the checkpoint (`sop resume`);
     * the caller releases it. Without it the run takes the lock itself (refused with `RUN_LOCKED`).
     */
    lock?: RunLock;
  };
  /**
   * Asks a person to decide a human gate on the spot (the CLI's terminal prompt). Without it, a
   * human gate without a decision ends the run with status `awaiting_approval` (exit 8). The run's
   * `signal` aborting stops it as interrupted without waiting for a decision being asked.
   */
  approve?: Approver;
  /**
   * The MCP servers tools may come from, with `${env:NAME}` already expanded (the CLI merges the
   * configuration's servers with the SOP's and expands them). Default: the SOP's, as written.
   */
  mcpServers?: Record<string, ResolvedMcpServer>;
  /**
   * The values of the variables declared HTTP tools name with `${env:NAME}` in `headers`, read when
   * the run starts (the CLI reads them from the environment and refuses an unset one). Give them in
   * `secrets` too. A call whose header names a variable missing here fails with an error result.
   */
  httpToolEnv?: Record<string, string>;
  /**
   * Texts shown whole even where a secret occurs inside them: an MCP server's command and folder, the
   * names of the variables it reads. A short secret equal to part of a path hid the path a failing
   * server's hint named (`/home/demo/notes` shown with `***` for `/home/demo`).
   */
  shownAsIs?: readonly string[];
}

/** What a run reads from the environment as it starts (`${env:NAME}` in the SOP), in RunOptions' fields. */
export type RunEnvironment = Pick<RunOptions, 'mcpServers' | 'httpToolEnv' | 'secrets' | 'shownAsIs'>;

export interface RunReport {
  runId: string;
  sop: { name: string; version: string; file: string; sha256: string };
  status: RunStatus;
  exitCode: number;
  /** Rounds completed (the last clean boundary's): a round a stop cut short is run again by a resume, and not counted. */
  rounds: number;
  /** The round the run stopped in before completing it (`rounds` + 1); absent when it ended at a round boundary. */
  stoppedInRound?: number;
  started: string;
  ended: string;
  /** Working time: a resumed run's total over its attempts (the pauses between them not counted). */
  durationMs: number;
  /** The run's main model (`settings.model`, else the default); actions and roles may name others. */
  model: string;
  /** Calls answered per model (`openai:gpt-4o-mini`, `offline`). */
  models: Record<string, number>;
  /** True when the offline model answered: the content is placeholder text, not a real model's. */
  offline: boolean;
  workspace: string;
  messages: { total: number; byType: Record<string, number> };
  /** USD spent (known costs; cached and replayed answers cost 0). */
  costUsd: number;
  /** True when some live call's cost is unknown (a model without a price): `costUsd` is a lower bound. */
  costUnknown: boolean;
  usage: { total: UsageCount; byRole: Record<string, UsageCount>; byAction: Record<string, UsageCount> };
  /** The limits, and what stopped the run when the budget did. */
  budget: {
    investment: number | null;
    maxTokens: number | null;
    stopped?: { reason: 'estimate' | 'spent'; role?: string; action?: string; estimateUsd?: number };
  };
  /** What to do next, when the run stopped for a reason the user can act on (the budget). */
  hint?: string;
  /** Files the run wrote and kept: each output's files once its gates passed it (or it had none). */
  artifacts: Array<{ path: string; sha256: string; bytes: number }>;
  /**
   * Files written for gates that never decided on them: the run stopped (Ctrl-C, a failure, an
   * approval awaited) while its gates checked them. They are in the workspace as drafts; a resume
   * runs their round again. Absent when there are none.
   */
  pendingArtifacts?: Array<{ path: string; sha256: string; bytes: number }>;
  /**
   * Files written for an output its gates rejected (it was revised, stopped or routed), and not
   * written again since: drafts left in the workspace, not the run's artifacts. Absent when there
   * are none.
   */
  rejectedArtifacts?: Array<{ path: string; sha256: string; bytes: number }>;
  /**
   * With `RunOptions.workspaceChanges` (`sop run --inc`, and its resumes): the artifacts' paths by
   * what the run did to each (`new`: nothing was there before its first write; `changed`;
   * `unchanged`: written with what was there), and `deleted`, the files that were in the workspace
   * when the run opened and are gone (a resume takes those names from the journal; absent past
   * 20,000 entries, and for a resumed run killed before its first journal lines or recorded before
   * 2026-12-07). Absent otherwise.
   */
  workspaceChanges?: WorkspaceChanges;
  /** Checks per gate (`action/gate`): how many, passed, failed, and the pass rate (0..1). */
  gates: Record<string, GateStats & { passRate: number }>;
  /** Status `awaiting_approval`: what awaits a decision. */
  awaiting?: PendingApproval[];
  error?: { code: string; message: string; hint?: string };
}

/**
 * The report of a run that has not ended (`sop report RUN --out FILE.md` of a run in progress, or
 * of one killed): what its journal committed up to its last clean boundary, no exit code yet.
 */
export interface RunReportSoFar extends Omit<RunReport, 'status' | 'exitCode' | 'ended' | 'stoppedInRound' | 'budget' | 'gates' | 'awaiting'> {
  status: 'running' | 'crashed';
  exitCode: null;
  /** The calls answered after the committed rounds (see `AnsweredAfter`); absent when there are none. */
  answeredAfter?: AnsweredAfter;
}

/**
 * Model calls a run without an end got answered after its last committed round: paid, and kept in
 * its journal, though no round counts them yet; `sop resume` uses them without asking again.
 */
export interface AnsweredAfter {
  calls: number;
  /** Their known cost, in USD. */
  costUsd: number;
}

export interface RunResult {
  runId: string;
  /** The run record folder. */
  runDir: string;
  /** The workspace folder (absolute). */
  workspace: string;
  status: RunStatus;
  exitCode: number;
  report: RunReport;
  /**
   * What the run's record survives (its `durability`, given or recorded); files written after the
   * run (the CLI's `report.html`) follow it. Absent: `process`.
   */
  durability?: Durability;
  /** Why the run failed, when it did. */
  error?: SopError;
}
