import { SopError } from '../errors/index.js';
import type { BudgetStop } from './budget.js';
import type { GateStats } from './gate-stats.js';
import type { PendingApproval } from './approval.js';
import type { RunSettings } from './run-settings.js';
import type { RunStatus } from './status.js';
import type { StateSnapshot } from './superstep/state.js';

/** The checkpoint format's version; a reader refuses any other. */
export const CHECKPOINT_VERSION = 1;

/**
 * Everything a run needs to continue after its last clean round boundary: a journal `snapshot`
 * line has these fields (so a `checkpoint.json` of an older sop is a valid snapshot), and a resume
 * rebuilds it from the last snapshot and the round-commits after it (see `readResumePoint`).
 * Calls made after it, inside the interrupted round, are the journal's `call-answered` lines.
 */
export interface Checkpoint extends Omit<StateSnapshot, 'gateStats'> {
  checkpointVersion: typeof CHECKPOINT_VERSION;
  runId: string;
  /** `running` while the run goes on (or after a crash); the final status once it ended. */
  status: RunStatus | 'running';
  /** `seq` of the last event written when the checkpoint was taken. */
  eventSeq: number;
  budgetStop?: BudgetStop;
  /** Checks per gate so far (absent in checkpoints of older runs). */
  gateStats?: GateStats[];
  /** Status `awaiting_approval`: the human gates waiting for `sop resume --approve|--reject|--edit`. */
  awaiting?: PendingApproval[];
  /**
   * The SOP as run. `files`: the sha256 of each file it references (prompts, `$ref` schemas,
   * partials) by path relative to its folder, what `sop resume` compares besides the SOP's own
   * sha256 (absent in runs of versions before 2026-12-05: only the SOP file is compared).
   * `scripts`: the sha256 of each script its `script:FILE` models answer from, by the path the
   * model names (absent without a script, and in runs of versions before 2026-12-06).
   * `resumed`: the ISO time of the resume that continued with a changed SOP (`--allow-changed-sop`)
   * and recorded it; absent: the SOP is the one the run started with.
   */
  sop: { name: string; file: string; displayPath: string; sha256: string; files?: Record<string, string>; scripts?: Record<string, string>; resumed?: string };
  inputs: Record<string, unknown>;
  /**
   * The declared inputs whose values the secret mask changed in `inputs` (`***` in a secret's
   * place): a resume is given them again (absent in runs of versions before 2026-12-05, which are
   * read for the mask itself, see `maskedInputNames`).
   */
  maskedInputs?: string[];
  workspace: string;
  /** ISO time the run first started. */
  started: string;
  /** The run's settings (`durability` and `revisionPrompt` are absent in runs of older versions). */
  options: Omit<RunSettings, 'durability' | 'revisionPrompt'> & Partial<Pick<RunSettings, 'durability' | 'revisionPrompt'>>;
}

/**
 * Checks a parsed snapshot enough to trust it: version (another one is `RUN_NOT_RESUMABLE`) and
 * the fields the runtime reads (a missing one is `damaged(what)`'s error).
 */
export function parseCheckpoint(value: Record<string, unknown>, file: string, damaged: (what: string) => SopError): Checkpoint {
  const refuse = (what: string): never => {
    throw damaged(what);
  };
  if (value['checkpointVersion'] !== CHECKPOINT_VERSION) {
    throw new SopError('RUN_NOT_RESUMABLE', `${file}: checkpointVersion ${JSON.stringify(value['checkpointVersion'])} is not supported (expected ${CHECKPOINT_VERSION})`, {
      hint: 'the run was recorded by another version of sop: resume it with that version',
    });
  }
  const need = (key: string, type: 'string' | 'number' | 'object' | 'boolean'): void => {
    const field = value[key];
    if (typeof field !== type || field === null) refuse(`field "${key}" is missing or not a ${type}`);
  };
  for (const key of ['runId', 'status', 'workspace', 'started'] as const) need(key, 'string');
  for (const key of ['round', 'eventSeq', 'nextMessageId'] as const) need(key, 'number');
  for (const key of ['pending', 'messages', 'memories', 'messageCounts', 'actionRuns', 'usage', 'artifacts', 'sop', 'inputs', 'options'] as const) need(key, 'object');
  const masked = value['maskedInputs'];
  if (masked !== undefined && !(Array.isArray(masked) && masked.every((name) => typeof name === 'string'))) refuse('field "maskedInputs" must be a list of input names');
  if (!Array.isArray(value['pending']) || !Array.isArray(value['messages']) || !Array.isArray(value['artifacts'])) refuse('pending, messages and artifacts must be lists');
  const rejected = value['rejectedArtifacts'];
  if (rejected !== undefined && !(Array.isArray(rejected) && rejected.every((path) => typeof path === 'string'))) refuse('field "rejectedArtifacts" must be a list of paths');
  return value as unknown as Checkpoint;
}
