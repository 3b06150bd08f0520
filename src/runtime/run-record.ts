import type { RunJournal } from '../store/index.js';
import { CHECKPOINT_VERSION, type Checkpoint, type TeamSnapshot } from './checkpoint.js';
import type { RunEvent } from './events.js';
import type { PendingApproval } from './human-gate.js';
import { applyRoundCommit, countersOf, roundCommit, type RunCounters } from './round-commit.js';
import type { RunState } from './run-state.js';
import type { RunStatus } from './status.js';

/** What a run's snapshots carry that no round changes (the options only change on resume). */
export type RunIdentity = Pick<Checkpoint, 'runId' | 'sop' | 'inputs' | 'workspace' | 'started' | 'options'>;

/**
 * Writes a run's round boundaries to its journal. Events wait in memory until the next boundary;
 * a clean boundary is one write: the round's events, its round-commit and, when due, a snapshot
 * of the state this recorder keeps (the previous boundary's, advanced by `applyRoundCommit`, the
 * function a resume replays the journal with).
 */
export class RunRecorder {
  private held: RunEvent[] = [];
  private boundary: Checkpoint | undefined;
  private counters: RunCounters | undefined;

  constructor(
    private readonly journal: RunJournal,
    private readonly identity: RunIdentity,
    /** Masks secrets in what is written (identity for runs without secrets). */
    private readonly redact: <T>(value: T) => T,
    /** A resumed run: the state at its resume point. */
    resumed?: Checkpoint,
  ) {
    if (resumed) this.setBoundary(resumed);
  }

  /** Events gathered so far, written with the next boundary (or at the end). */
  hold(events: readonly RunEvent[]): void {
    for (const event of events) this.held.push(event);
  }

  /** A clean round boundary of the live run (`state`), whose team loop is at `team`. */
  commit(team: TeamSnapshot, state: RunState): void {
    const events = this.take();
    const counters = liveCounters(state, this.identity.options);
    if (!this.boundary || !this.counters) {
      const first = this.redact(liveCheckpoint(team, counters, state, this.identity));
      this.journal.appendBatch(events, { build: (seq) => ({ ...first, eventSeq: seq - 1 }), force: true });
      this.setBoundary({ ...first, eventSeq: this.journal.lastSeq - 1 });
      return;
    }
    const commit = this.redact(roundCommit(team.round, team.nextMessageId, this.counters, counters));
    const next = applyRoundCommit(this.boundary, { ...commit, seq: this.journal.lastSeq + events.length + 1 }, events);
    this.journal.appendBatch([...events, commit], { build: () => next });
    this.boundary = next;
    this.counters = counters;
  }

  /**
   * The end of the run: the events left and a final snapshot, the last clean boundary's state
   * with the final status (and the requests awaiting approval), in one write.
   */
  end(events: readonly RunEvent[], status: RunStatus, awaiting: readonly PendingApproval[]): void {
    this.hold(events);
    const all = this.take();
    const boundary = this.boundary;
    if (!boundary) {
      this.journal.appendBatch(all);
      return;
    }
    const { awaiting: _previous, ...rest } = boundary;
    const final = { ...rest, status, ...(status === 'awaiting_approval' ? { awaiting: this.redact([...awaiting]) } : {}) };
    this.journal.appendBatch(all, { build: () => final, force: true });
  }

  private take(): RunEvent[] {
    const events = this.held;
    this.held = [];
    return events;
  }

  private setBoundary(state: Checkpoint): void {
    this.boundary = state;
    this.counters = countersOf(state);
  }
}

/** The live run's counters, as new objects (a recorder keeps them as the previous boundary's). */
function liveCounters(state: RunState, options: Checkpoint['options']): RunCounters {
  return countersOf({
    actionRuns: Object.fromEntries(state.actionRuns),
    usage: state.usage.snapshot(),
    offlineAnswered: state.offlineAnswered,
    gateStats: [...state.gateStats.values()].map((stats) => ({ ...stats })),
    artifacts: [...state.artifacts.values()],
    options,
  });
}

/** The whole state of the live run at a boundary (a run's first snapshot). */
function liveCheckpoint(team: TeamSnapshot, counters: RunCounters, state: RunState, identity: RunIdentity): Checkpoint {
  return {
    checkpointVersion: CHECKPOINT_VERSION,
    status: 'running',
    eventSeq: 0,
    ...identity,
    ...team,
    messages: [...state.messagesById.values()],
    actionRuns: counters.actionRuns,
    usage: counters.usage,
    offlineAnswered: counters.offlineAnswered,
    gateStats: Object.values(counters.gateStats),
    artifacts: Object.values(counters.artifacts),
  };
}
