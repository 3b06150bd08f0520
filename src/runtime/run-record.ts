import { sopFileDigests } from '../spec/referenced-files.js';
import type { ResolvedSop } from '../spec/resolved.js';
import type { AnswerSink, ApprovalEntry, FirstWriteEntry, RecordSink, RunJournal } from '../store/index.js';
import type { PendingApproval } from './approval.js';
import { CHECKPOINT_VERSION, type Checkpoint } from './checkpoint.js';
import type { RunEvent } from './events.js';
import { maskedInputsOf } from './masked-inputs.js';
import type { Message } from './message.js';
import type { RunSettings } from './run-settings.js';
import type { RunStatus } from './status.js';
import { roundCommitLine } from './superstep/journal-commit.js';
import type { LedgerPatch } from './superstep/ledger.js';
import { applyUsage, toSnapshot, type BoundaryUsage, type RoundCommit, type SuperstepState } from './superstep/state.js';
import { actionRunsFollowEvents, usageFollowsEvents } from './ledger-events.js';
import type { UsageTracker } from './usage.js';

/**
 * How long a committed boundary waits for the next round's first answer, to be written with it
 * (one write instead of two); past it, it is written on its own.
 */
const BOUNDARY_WAIT_MS = 100;

/**
 * A boundary held for the next answer is written on its own turn instead once its lines are this
 * long (characters): holding saves a write, which only counts for a small boundary; a wide round's
 * (~6,000 lines and a snapshot, ~1.1 MB for 1,000 reviewers) is turned into bytes and written while the next
 * round's calls are out, not on the way of their first answer.
 */
const HOLD_AT_MOST = 64 * 1024;

/** What a run's snapshots say about where it came from (fixed for the run's life). */
export interface RunFacts {
  runId: string;
  sop: ResolvedSop;
  inputs: Record<string, unknown>;
  workspace: string;
  started: Date;
  settings: RunSettings;
  /** The sha256 of the scripts its models answer from (`scriptDigests`). */
  scripts: Readonly<Record<string, string>>;
  /** Set when this attempt resumed with a changed SOP or script: its ISO time (`Checkpoint['sop'].resumed`), kept by later attempts. */
  sopResumed?: string | undefined;
}

/**
 * A snapshot as written: a message this process wrote a `message-published` line for is named by
 * that line's seq instead of repeated (the journal reader puts it back), so snapshots do not copy
 * the event log. Messages of an earlier attempt (before a resume) are written whole.
 */
export type SnapshotLine = Omit<Checkpoint, 'messages' | 'pending'> & { messages: Array<Message | number>; pending: Array<Message | number> };

/**
 * Writes a run's round boundaries to its journal. Events wait in memory until the next boundary;
 * a clean boundary is one write: the round's events, its round-commit and, when due, a snapshot of
 * the core state (a new run's first boundary is a snapshot alone). When the run ends, a
 * `run-closed` line says how (the state stays the last clean boundary's).
 *
 * A boundary is encoded at the end of the turn of the event loop it was committed in and written
 * in the same write as the next round's first answers (a model that answers within
 * `BOUNDARY_WAIT_MS`: cached, replayed, offline, fast), or on its own once that wait is over, or sooner when anything else is to be written (a decision, the next boundary, the
 * end: then in the same write too) or the core is about to move on (`flush`): the next round's
 * model calls are on their way while a wide round's events are encoded, and the file's order is
 * the order things happened in, the boundary before anything of the round after it. A kill -9
 * in that wait loses the boundary like the round after it: resume redoes the round from its
 * journaled answers.
 */
export class RunRecord {
  private held: RunEvent[] = [];
  /** The boundary committed and not written yet; `core` stays at it until `flush`. */
  private due: { core: SuperstepState; commit: RoundCommit; usage: BoundaryUsage | undefined; timer: NodeJS.Immediate } | undefined;
  /** Writes a boundary encoded on its own turn and still held for an answer, once `BOUNDARY_WAIT_MS` is over. */
  private heldWrite: NodeJS.Timeout | undefined;
  /** The failure of a boundary write made on its own turn, thrown by the next `flush`. */
  private failed: { error: unknown } | undefined;
  /** A snapshot has been written (or the run resumed from one): boundaries are commits from now on. */
  private snapshotted: boolean;
  /** The round of the last clean boundary, kept when the core moved past it in a round that stopped early. */
  private keptRound: number | undefined;
  /** The sha256 of the SOP's referenced files, hashed for the first snapshot this process writes. */
  private sopFiles: Record<string, string> | undefined;
  /** Seq of the `message-published` line of each message this process wrote. */
  private readonly messageSeqs = new Map<string, number>();
  /** Settings a resumed run recorded: this attempt's are written with its first commit when they differ. */
  private recordedSettings: string | undefined;
  /** This attempt's settings as JSON text. */
  private settingsText: string | undefined;
  /** The `max_runs` counts as the journal has them (a reader replaying it): the last commit's, or the resumed boundary's. */
  private readonly recordedRuns: Map<string, number>;

  constructor(
    private readonly journal: RunJournal,
    private readonly facts: RunFacts,
    /** Masks secrets in what is written (identity for runs without secrets). */
    private readonly redact: <T>(value: T) => T,
    resumed?: Checkpoint,
    /** The calls each round's usage changes came from (`UsageTracker.lastTakenCalls`), when known. */
    private readonly usage?: Pick<UsageTracker, 'lastTakenCalls'>,
  ) {
    this.snapshotted = resumed !== undefined;
    this.recordedSettings = resumed ? JSON.stringify(resumed.options) : undefined;
    this.recordedRuns = new Map(Object.entries(resumed?.actionRuns ?? {}));
  }

  /** Answered calls, written after the boundary that is due (see `RunJournal.answers`). */
  readonly answers: AnswerSink = {
    append: (entry) => {
      try {
        this.flush({ beforeAnswer: true });
      } catch (error) {
        return Promise.reject(error);
      }
      return this.journal.answers.append(entry);
    },
  };
  /** Decisions of human gates, written at once, after the boundary that is due. */
  readonly approvals: RecordSink<ApprovalEntry> = {
    append: (entry) => {
      this.flush({ beforeAnswer: true });
      this.journal.approvals.append(entry);
    },
  };

  /** An incremental run's first write of each artifact path: what it held, written at once, before the file is. */
  readonly firstWrites: RecordSink<FirstWriteEntry> = {
    append: (entry) => {
      this.flush({ beforeAnswer: true });
      this.journal.firstWrites.append(this.redact(entry));
    },
  };

  /** Events gathered so far, written with the next boundary (or at the end); the boundary due is written first, without them. */
  hold(events: readonly RunEvent[]): void {
    this.flush();
    for (const event of events) this.held.push(event);
  }

  /**
   * A clean round boundary: `core` with `commit` applied; written by the end of this turn of the
   * event loop (see the class). `usage` gives the round's usage changes, which complete the commit
   * and the core when it is written (`UsageTracker.changesAtBoundary`).
   */
  commit(core: SuperstepState, commit: RoundCommit, usage?: BoundaryUsage): void {
    this.flush();
    this.due = { core, commit, usage, timer: setImmediate(() => this.encodeOwnTurn()) };
  }

  /**
   * Writes the boundary that is due, if any (`beforeAnswer`: encodes it now, for the journal's
   * next write); throws the failure of one written on its own turn. Call before the core moves on.
   */
  flush(options: { beforeAnswer?: boolean } = {}): void {
    if (this.failed) throw this.failed.error;
    const due = this.due;
    if (!due) return;
    this.due = undefined;
    clearImmediate(due.timer);
    this.write(due.core, applyUsage(due.core, due.commit, due.usage?.()), options.beforeAnswer === true);
  }

  /**
   * The boundary's own turn, at the end of the turn it was committed in: encoded now, while the
   * next round's calls are out (a wide round's lines stay off the critical path), and held for the
   * journal's next write, an answer's most often; written on its own once `BOUNDARY_WAIT_MS` is
   * over, or at once when longer than `HOLD_AT_MOST`. A failure is kept for the next `flush` (a throw here would find no caller).
   */
  private encodeOwnTurn(): void {
    try {
      this.flush({ beforeAnswer: true });
      if (this.journal.heldLength > HOLD_AT_MOST) this.writeHeld();
      else this.heldWrite ??= setTimeout(() => this.writeHeld(), BOUNDARY_WAIT_MS);
    } catch (error) {
      this.failed ??= { error };
    }
  }

  private writeHeld(): void {
    clearTimeout(this.heldWrite);
    this.heldWrite = undefined;
    try {
      this.journal.writeHeld();
    } catch (error) {
      this.failed ??= { error };
    }
  }

  private write(core: SuperstepState, commit: RoundCommit, beforeAnswer: boolean): void {
    const events = this.take();
    this.noteMessages(events);
    const options = { beforeAnswer };
    if (!this.snapshotted) {
      this.journal.appendBatch(events, { build: (seq) => this.snapshot(core, 'running', seq - 1), force: true }, options);
      this.snapshotted = true;
      return;
    }
    // The facts are fixed for the run's life: their text is made once, not at every boundary.
    this.settingsText ??= JSON.stringify(this.facts.settings);
    const { settingsText } = this;
    const settings = settingsText === this.recordedSettings ? undefined : this.facts.settings;
    this.recordedSettings = settingsText;
    const line = this.redact(roundCommitLine(this.withoutDerived(commit, events), settings));
    this.journal.appendBatch([...events, line], { build: (seq) => this.snapshot(core, 'running', seq - 2) }, options);
  }

  /**
   * The commit as written: its usage changes and `max_runs` counts left out when its events
   * rebuild them (see `ledger-events.ts`).
   */
  private withoutDerived(commit: RoundCommit, events: readonly RunEvent[]): RoundCommit {
    const { ledger } = commit;
    if (!ledger) return commit;
    const read = events as unknown as ReadonlyArray<{ type: string } & Record<string, unknown>>;
    const { usage, actionRuns } = ledger;
    // The other fields copied one by one: an object rest (`...rest`) is a call into V8's runtime, at every round.
    const kept: Record<string, unknown> = {};
    let any = false;
    for (const key in ledger) {
      if (key === 'usage' || key === 'actionRuns') continue;
      kept[key] = ledger[key as keyof LedgerPatch];
      any = true;
    }
    if (usage && !usageFollowsEvents(this.usage?.lastTakenCalls, read)) {
      kept['usage'] = usage;
      any = true;
    }
    if (actionRuns) {
      if (!actionRunsFollowEvents(this.recordedRuns, actionRuns, read)) {
        kept['actionRuns'] = actionRuns;
        any = true;
      }
      for (const [action, runs] of Object.entries(actionRuns)) this.recordedRuns.set(action, runs);
    }
    return any ? { round: commit.round, messages: commit.messages, nextMessageId: commit.nextMessageId, ledger: kept as LedgerPatch } : { round: commit.round, messages: commit.messages, nextMessageId: commit.nextMessageId };
  }

  /** The core is about to move past the last clean boundary in a round that stopped early (the run's last). */
  keepBoundary(core: SuperstepState): void {
    this.flush();
    this.keptRound = core.round;
  }

  /**
   * The end of the run: the events left and a `run-closed` line, the final status, the last clean
   * boundary's round and the requests awaiting approval, in one write. Its state is not written
   * again (journal version 5): the last snapshot and the commits after it are that boundary's.
   */
  end(core: SuperstepState, events: readonly RunEvent[], status: RunStatus, awaiting: readonly PendingApproval[]): void {
    // The boundary due or held, if any, goes in the same write as the end.
    this.flush({ beforeAnswer: true });
    clearTimeout(this.heldWrite);
    this.heldWrite = undefined;
    this.hold(events);
    const all = this.take();
    if (!this.snapshotted) {
      this.journal.appendBatch(all);
      return;
    }
    const closed = { type: 'run-closed', status, round: this.keptRound ?? core.round, ...(status === 'awaiting_approval' ? { awaiting: this.redact([...awaiting]) } : {}) };
    this.journal.appendBatch([...all, closed]);
  }

  /** Notes the seq each message-published event of a batch about to be written gets. */
  private noteMessages(events: readonly RunEvent[]): void {
    const first = this.journal.lastSeq + 1;
    events.forEach((event, index) => {
      if (event.type === 'message-published') this.messageSeqs.set(event.message.id, first + index);
    });
  }

  private snapshot(core: SuperstepState, status: Checkpoint['status'], eventSeq: number): SnapshotLine {
    const { facts } = this;
    const state = toSnapshot(core);
    const named = (message: Message): Message | number => this.messageSeqs.get(message.id) ?? message;
    return this.redact<SnapshotLine>({
      checkpointVersion: CHECKPOINT_VERSION,
      runId: facts.runId,
      status,
      eventSeq,
      ...state,
      messages: state.messages.map(named),
      pending: state.pending.map(named),
      sop: this.sopRecord(),
      inputs: facts.inputs,
      // Written with every snapshot, so a resume knows exactly which inputs it must be given again.
      maskedInputs: maskedInputsOf(facts.sop, facts.inputs, this.redact),
      workspace: facts.workspace,
      started: facts.started.toISOString(),
      options: facts.settings,
    });
  }

  /**
   * A resumed run that goes on with another SOP, referenced file or script than its record says
   * (`sop resume --allow-changed-sop`): written at once, so that a later resume compares with what
   * this one ran (`readResumePoint`), not with the run's start. `text`: the SOP file's text, when it
   * is the SOP file that changed (`sop runs --sop RUN` prints the last one).
   */
  recordChangedSop(text: string | undefined): void {
    // Not masked, as the run's `sop-text` line: the text printed must hash to the sha256 recorded.
    this.journal.appendBatch([{ type: 'sop-changed', ...this.sopRecord(), ...(text === undefined ? {} : { text }) }]);
  }

  /** What the record says of the SOP the run goes on with (`Checkpoint['sop']`). */
  private sopRecord(): Checkpoint['sop'] {
    const { sop, scripts, sopResumed } = this.facts;
    return {
      name: sop.name,
      file: sop.file,
      displayPath: sop.displayPath,
      sha256: sop.sha256,
      files: (this.sopFiles ??= sopFileDigests(sop)),
      ...(Object.keys(scripts).length > 0 ? { scripts } : {}),
      ...(sopResumed === undefined ? {} : { resumed: sopResumed }),
    };
  }

  private take(): RunEvent[] {
    const events = this.held;
    this.held = [];
    return events;
  }
}
