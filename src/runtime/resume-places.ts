import { existsSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { readRunInfo, type RelativePlaces } from '../store/index.js';
import type { Checkpoint } from './checkpoint.js';
import { quoteArgument } from './rerun-command.js';
import { DEFAULT_SOP_COMMAND } from './resume-target.js';

/** A recorded path a resume did not find, and the one it took instead. */
export interface FollowedPath {
  what: 'SOP' | 'workspace';
  from: string;
  to: string;
}

/** Where a resume finds the run's SOP file and workspace, and the recorded paths it left for them. */
export interface ResumePlaces {
  sopFile: string;
  workspace: string;
  followed: FollowedPath[];
}

/**
 * Where a resume of `runDir` finds its SOP file and workspace. A run records them as absolute
 * paths, and (since 2026-12-06) where they are within its project (`RunInfoRecord.relative`): when
 * the run folder is no longer where it was recorded (the project was moved or copied with its
 * `.sop/`), the place within the project found from the run folder comes first, else the recorded
 * path; when the run folder did not move, both are the same. A run of an older version has the
 * recorded paths only. `SopError` FILE_NOT_FOUND when the SOP is at neither place, or the workspace
 * of a moved run is at neither (a run that did not move recreates its workspace, as before); its
 * hint types `sop` as `sopCommand`.
 */
export function resumePlaces(runDir: string, checkpoint: Checkpoint, cwd: string, sopCommand: string = DEFAULT_SOP_COMMAND): ResumePlaces {
  const relative = relativePlacesOf(readRunInfo(runDir));
  const project = relative === undefined ? undefined : path.resolve(runDir, relative.project);
  const inProject = (key: 'sop' | 'workspace'): string | undefined => (relative === undefined || project === undefined ? undefined : path.resolve(project, relative[key]));
  const sop = place(checkpoint.sop.file, inProject('sop'));
  const workspace = place(checkpoint.workspace, inProject('workspace'));
  const runId = checkpoint.runId;
  if (sop.found === undefined) {
    throw new SopError('FILE_NOT_FOUND', `the SOP of run ${runId} is gone: ${atNeither(checkpoint.sop.file, sop.moved, cwd)}`, {
      hint: sop.moved === undefined
        ? `restore it: \`${sopCommand} runs --sop ${runId}\` prints the SOP as run`
        : `put it back at ${shown(sop.moved, cwd)} (\`${sopCommand} runs --sop ${runId} > ${quoteArgument(shown(sop.moved, cwd))}\` writes the SOP as run), then resume again`,
    });
  }
  if (workspace.found === undefined && workspace.moved !== undefined) {
    throw new SopError('FILE_NOT_FOUND', `the workspace of run ${runId} is gone: ${atNeither(checkpoint.workspace, workspace.moved, cwd)}`, {
      hint: `put the run's workspace folder (the files its rounds wrote) at ${shown(workspace.moved, cwd)}, then resume again`,
    });
  }
  const followed: FollowedPath[] = [];
  if (sop.found !== checkpoint.sop.file) followed.push({ what: 'SOP', from: checkpoint.sop.file, to: sop.found });
  const workspaceFound = workspace.found ?? checkpoint.workspace;
  if (workspaceFound !== checkpoint.workspace) followed.push({ what: 'workspace', from: checkpoint.workspace, to: workspaceFound });
  return { sopFile: sop.found, workspace: workspaceFound, followed };
}

/** The checkpoint as a resume at `places` continues it: its SOP file and workspace where they were found. */
export function checkpointAt(checkpoint: Checkpoint, places: ResumePlaces): Checkpoint {
  if (places.followed.length === 0) return checkpoint;
  return { ...checkpoint, sop: { ...checkpoint.sop, file: places.sopFile }, workspace: places.workspace };
}

/** `followed` as one line for stderr: `run ID is not where it was recorded: following its SOP A -> B and its workspace C -> D`. */
export function describeFollowed(runId: string, followed: readonly FollowedPath[]): string {
  const each = followed.map((one) => `its ${one.what} ${one.from} -> ${one.to}`).join(' and ');
  return `run ${runId} was recorded in another folder: following ${each} (the same places in the project its run folder is in now)`;
}

/**
 * One recorded path: `moved`, the same place within the moved project, when it differs from the
 * recorded one; `found`, the first of them that exists (`moved` first).
 */
function place(recorded: string, relativeToProject: string | undefined): { found: string | undefined; moved: string | undefined } {
  const moved = relativeToProject !== undefined && relativeToProject !== recorded ? relativeToProject : undefined;
  const found = [moved, recorded].find((candidate) => candidate !== undefined && existsSync(candidate));
  return { found, moved };
}

function atNeither(recorded: string, moved: string | undefined, cwd: string): string {
  if (moved === undefined) return recorded;
  return `not at ${recorded}, where the run recorded it, nor at ${shown(moved, cwd)}, the same place in the project its run folder is in now`;
}

/** A path relative to the working folder when it is under it. */
function shown(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** The run-info's `relative` field when it is whole (runs of older versions have none). */
function relativePlacesOf(info: Record<string, unknown> | undefined): RelativePlaces | undefined {
  const relative = info?.['relative'] as Partial<RelativePlaces> | undefined;
  if (typeof relative !== 'object' || relative === null) return undefined;
  const { project, sop, workspace } = relative;
  return typeof project === 'string' && typeof sop === 'string' && typeof workspace === 'string' ? { project, sop, workspace } : undefined;
}
