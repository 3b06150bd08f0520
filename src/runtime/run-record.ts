import type { RunStore } from '../store/index.js';
import { writeCheckpointFile } from '../store/index.js';
import { CHECKPOINT_VERSION, type Checkpoint } from './checkpoint.js';
import type { EventScope } from './event-recorder.js';
import type { PendingApproval } from './approval.js';
import type { RunState } from './run-state.js';
import type { RunSettings } from './run-settings.js';
import type { RunStatus } from './status.js';
import { toSnapshot, type SuperstepState } from './superstep/state.js';

/** What a run's record says about where it came from (fixed for the run's life). */
export interface RunOrigin {
  runId: string;
  started: Date;
  settings: RunSettings;
}

/**
 * The run's record on disk, written at round boundaries: the events gathered so far, and the
 * state a resume starts from. Every write of the runtime's own record goes through here.
 */
export class RunRecord {
  private lastSeq = 0;
  private last: Checkpoint | undefined;

  constructor(
    private readonly store: RunStore,
    private readonly root: EventScope,
    private readonly state: RunState,
    private readonly origin: RunOrigin,
    /** Masks secrets in what is written. */
    private readonly redact: <T>(value: T) => T,
    /** A resumed run's boundary, kept as the resume point until the next one. */
    resumedFrom?: Checkpoint,
  ) {
    this.last = resumedFrom;
  }

  /** Writes the events gathered so far. */
  flush(): void {
    this.lastSeq = this.store.events.append(this.root.drain());
  }

  /** Records a clean round boundary as the point a resume starts from. */
  boundary(core: SuperstepState): void {
    const { state, origin } = this;
    const { sop } = state;
    this.last = this.redact<Checkpoint>({
      checkpointVersion: CHECKPOINT_VERSION,
      runId: origin.runId,
      status: 'running',
      eventSeq: this.lastSeq,
      ...toSnapshot(core),
      sop: { name: sop.name, file: sop.file, displayPath: sop.displayPath, sha256: sop.sha256 },
      inputs: state.inputs,
      workspace: state.workspace.root,
      started: origin.started.toISOString(),
      options: origin.settings,
    });
    writeCheckpointFile(this.store.dir, this.last);
  }

  /** The last boundary stays the resume point; it now also says how the run ended (and what awaits approval). */
  end(status: RunStatus, awaiting: PendingApproval[]): void {
    this.flush();
    if (!this.last) return;
    const { awaiting: _previous, ...boundary } = this.last;
    writeCheckpointFile(this.store.dir, { ...boundary, status, ...(status === 'awaiting_approval' ? { awaiting: this.redact(awaiting) } : {}) });
  }
}
