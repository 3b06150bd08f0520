import path from 'node:path';
import { SopError } from '../errors/index.js';
import type { Checkpoint } from '../runtime/checkpoint.js';
import { sopChanges, type SopChange, type SopDigests } from '../runtime/sop-digests.js';

/** What changed in an SOP since its run last ran with it: the file names for messages, and the refusal. */
export interface ChangedSop {
  /** `slow.yaml`, `prompts/c.liquid`, `script answers.yaml`, or several joined with `and`. */
  names: string;
  /** `since the run started`, or since the resume that went on with a changed SOP. */
  since: string;
  /** What changed in each, after the names: ` (sha256 a -> b)`, or `: a (...), b (...)` for several. */
  details: string;
  /**
   * RESUME_SOP_CHANGED for run `runId`, its hint typing `sop` as `sopCommand`; `target`: the run as
   * `sop runs --sop` takes it (its id, or its folder's path when kept with --runs-dir elsewhere).
   */
  refusal(runId: string, sopCommand: string, target?: string): SopError;
}

/**
 * Compares what a resume would continue with (`now`) with what its run recorded: the SOP file's
 * sha256 and, for runs that recorded them, every file it references (prompts, `$ref` schemas,
 * partials) and the scripts of its `script:FILE` models: a changed prompt or script changes the
 * run's calls still to come as much as a changed SOP. The record is the run's start, or the last
 * resume that went on with a changed SOP (`--allow-changed-sop`). Undefined when nothing changed.
 * `givenSop`: the SOP file as `sop resume --sop` named it, which the messages name instead.
 */
export function changedSopFiles(recorded: Checkpoint['sop'], now: SopDigests, givenSop?: string): ChangedSop | undefined {
  const changes = sopChanges(recorded, now);
  if (changes.length === 0) return undefined;
  // Referenced files are shown beside the SOP as the user named it (`sops/prompts/c.liquid`).
  const sopShown = givenSop ?? recorded.displayPath;
  const folder = path.dirname(sopShown);
  const shown = changes.map((change) => ({ name: change.kind === 'sop' ? sopShown : shownName(change, folder), detail: detailOf(change, recorded.resumed === undefined ? 'when the run started' : 'at the resume that changed it') }));
  const names = shown.map((change) => change.name).join(' and ');
  const details = shown.length === 1 ? ` (${(shown[0] as { detail: string }).detail})` : `: ${shown.map((change) => `${change.name} (${change.detail})`).join(', ')}`;
  const resumed = recorded.resumed;
  const others = shown.filter((_, index) => (changes[index] as SopChange).kind !== 'sop');
  const asItWas = others.length === 1 ? `${(others[0] as { name: string }).name} as it was` : 'the files as they were';
  return {
    names,
    details,
    since: resumed === undefined ? 'since the run started' : `since the run was resumed with a changed SOP at ${resumed}`,
    refusal: (runId, sopCommand, target = runId) =>
      givenSop !== undefined && others.length < shown.length
        ? new SopError('RESUME_SOP_CHANGED', `--sop ${givenSop} is not the SOP run ${runId} ${resumed === undefined ? 'started with' : `was resumed with at ${resumed}`}${details}`, {
          hint: `give the SOP file the run ran with (\`${sopCommand} runs --sop ${target}\` prints it as run), or pass --allow-changed-sop to resume with this one`,
        })
        : new SopError('RESUME_SOP_CHANGED', `${shown.length === 1 ? names : `${shown.length} files`} changed since run ${runId} ${resumed === undefined ? 'started' : `was resumed with a changed SOP at ${resumed}`}${details}`, {
        hint: others.length === 0
          ? `restore the file (\`${sopCommand} runs --sop ${target}\` prints the SOP as run), or pass --allow-changed-sop to resume with the changed SOP`
          : `restore ${asItWas} ${resumed === undefined ? 'when the run started' : 'at that resume'}, or pass --allow-changed-sop to resume with the changed ${shown.length === 1 ? 'file' : 'files'}`,
      }),
  };
}

function shownName(change: SopChange, folder: string): string {
  if (change.kind === 'sop') return change.name;
  // A script's path is the model's (relative to the working folder), not the SOP's folder's.
  if (change.kind === 'script') return `script ${change.name}`;
  return folder === '.' ? change.name : path.join(folder, change.name);
}

function detailOf(change: SopChange, then: string): string {
  if (change.was === undefined) return `${change.kind === 'script' ? 'used' : 'referenced'} now, not ${then}`;
  if (change.is === undefined) return change.kind === 'script' ? 'no longer used' : 'no longer referenced';
  return `sha256 ${short(change.was)} -> ${short(change.is)}`;
}

function short(sha256: string): string {
  return sha256.slice(0, 12);
}
