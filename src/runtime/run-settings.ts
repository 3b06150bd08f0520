import { SopError } from '../errors/index.js';
import { checkRoundLimit } from '../spec/limits.js';
import type { ResolvedSop } from '../spec/resolved.js';
import type { Durability } from '../store/index.js';
import { boundValue } from './inputs.js';

/**
 * The settings a run was started with, recorded with it and read back by `sop resume`: a new one
 * is added here (and to `resolveRunSettings`), not threaded through the checkpoint, resume
 * defaults and commands one by one. Plain JSON data; never secrets.
 */
export interface RunSettings {
  /** Most rounds in all (`--n-round`, else `settings.n_round`). */
  nRound: number;
  /** USD the run may spend (`--investment`, else `settings.investment`); null: no limit. */
  investment: number | null;
  /** How the caller chose models (`sop run`'s --model, --provider, cache flags), given back on resume. */
  model: Record<string, unknown>;
  /** What a journal write survives: `process` (default) or `machine` (fdatasync per write). Absent in runs of older versions. */
  durability: Durability;
  /**
   * What a gate's revision request shows the model: `output-and-feedback`, its previous output and
   * the feedback (runs started since 2026-12-05); `feedback`, the feedback alone (runs of older
   * versions, absent in their record: a resume must ask their revisions as they were asked, so
   * that the answers they recorded are found and not paid for again).
   */
  revisionPrompt: RevisionPrompt;
  /**
   * `RunOptions.workspaceChanges` (`sop run --inc`): the report labels the artifacts new, changed or
   * unchanged; recorded so that a resume of the run labels them too. Absent otherwise.
   */
  workspaceChanges?: true;
}

export type RevisionPrompt = 'output-and-feedback' | 'feedback';

/** What the caller gives for this attempt (`RunOptions`): each field set wins over the recorded one. */
export interface GivenSettings {
  nRound?: number | undefined;
  investment?: number | undefined;
  modelOptions?: Record<string, unknown> | undefined;
  durability?: Durability | undefined;
  workspaceChanges?: boolean | undefined;
}

/** The settings of this attempt: given, else recorded (a resumed run), else the SOP's. Refuses bad values (USAGE). */
export function resolveRunSettings(sop: ResolvedSop, given: GivenSettings, recorded: Partial<RunSettings> | undefined, inputs: Record<string, unknown>): RunSettings {
  return {
    nRound: (given.nRound === undefined ? undefined : checkRoundLimit(given.nRound, 'option')) ?? recorded?.nRound ?? boundValue(sop.settings.nRound, inputs),
    investment: checkNonNegative(given.investment, 'investment') ?? recorded?.investment ?? sop.settings.investment ?? null,
    model: given.modelOptions ?? recorded?.model ?? {},
    durability: given.durability ?? recorded?.durability ?? 'process',
    revisionPrompt: recorded === undefined ? 'output-and-feedback' : (recorded.revisionPrompt ?? 'feedback'),
    ...(given.workspaceChanges === true || recorded?.workspaceChanges === true ? { workspaceChanges: true as const } : {}),
  };
}

/** `RunOptions.investment`, named as the library caller wrote it (`sop run --investment` refuses its own text first). */
function checkNonNegative(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new SopError('USAGE', `${name} must be a number of USD of at least 0, got ${typeof value === 'string' ? `"${value}"` : String(value)}`, {
      hint: `give the most the run may spend, e.g. \`${name}: 2.5\` (\`sop run --${name}\`), or leave it out for the SOP's settings.${name}`,
    });
  }
  return value;
}
