import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { shownPath } from '../files/index.js';
import { readRunInfo, runFolderInProject, type RelativePlaces } from '../store/index.js';
import type { Checkpoint } from './checkpoint.js';
import type { FollowedPath } from './events.js';
import { quoteArgument } from './shell-argument.js';
import { DEFAULT_SOP_COMMAND, resumeTarget } from './resume-target.js';

/** Where a resume finds the run's SOP file and workspace, and the recorded paths it left for them. */
export interface ResumePlaces {
  sopFile: string;
  workspace: string;
  followed: FollowedPath[];
  /** The files the run wrote, when its workspace is gone and is made afresh (the project did not move): the resume goes on without them. */
  lostFiles?: string[];
}

/** The places a resume's caller gives itself instead of the recorded ones. */
export interface GivenPlaces {
  /** The SOP file the resume goes on with (`sop resume --sop`, the file of the SOP a library caller loaded): taken as it is. */
  sop?: string | undefined;
  /** Where the run's workspace is now (`sop resume --workspace`, `runSop`'s `workspace`): a folder that holds the run's files. */
  workspace?: string | undefined;
  /** The folder places given and the refusals' paths are relative to (default: the process's). */
  cwd?: string | undefined;
  /** How the user started sop, for the commands a refusal gives (`RunOptions.sopCommand`; default `sop`). */
  sopCommand?: string | undefined;
}

/**
 * Where a resume of `runDir` finds its SOP file and workspace: `sop resume` (to load the SOP) and
 * `runSop` (its workspace, and the `run-resume` event's `followed`) both ask here. A run records
 * them as absolute paths, and (since 2026-12-06) where they are within its project
 * (`RunInfoRecord.relative`): when the run folder is no longer where it was recorded (the project
 * was moved or copied with its `.sop/`), the place within the project found from the run folder
 * comes first, else the recorded path; when the run folder did not move, both are the same. A run
 * of an older version, or one whose runs folder was outside its project, has the recorded paths
 * only. A place given (`given`) is taken instead. `SopError` FILE_NOT_FOUND when the SOP is at
 * neither place, or the workspace is gone while the project evidently moved (the run folder moved,
 * or the SOP is not at its recorded place): a run whose project did not move recreates its
 * workspace, as before. A workspace given must be a folder holding some of the run's files.
 */
export function resumePlaces(runDir: string, checkpoint: Checkpoint, given: GivenPlaces = {}): ResumePlaces {
  const { cwd = process.cwd(), sopCommand = DEFAULT_SOP_COMMAND } = given;
  const project = projectOf(runDir);
  const inProject = (key: 'sop' | 'workspace'): string | undefined => (project.now === undefined || project.recorded === undefined ? undefined : path.resolve(project.now, project.recorded[key]));
  const asked: Asked = { runId: checkpoint.runId, target: resumeTarget(runDir, cwd), cwd, project, command: sopCommand };
  const sop = given.sop === undefined ? place(checkpoint.sop.file, inProject('sop')) : { found: path.resolve(cwd, given.sop), moved: undefined };
  if (sop.found === undefined) throw sopGone(checkpoint.sop.file, sop.moved, asked);
  const workspace = given.workspace === undefined ? place(checkpoint.workspace, inProject('workspace')) : { found: givenWorkspace(given.workspace, checkpoint, asked), moved: undefined };
  // The SOP elsewhere says the project is not where the run recorded it: its workspace is not made afresh there.
  const projectLeft = sop.found !== checkpoint.sop.file;
  if (workspace.found === undefined && (workspace.moved !== undefined || projectLeft)) throw workspaceGone(checkpoint.workspace, workspace.moved, asked);
  const workspaceFound = workspace.found ?? checkpoint.workspace;
  const followed = [
    ...followedPath('SOP', checkpoint.sop.file, sop.found, inProject('sop')),
    ...followedPath('workspace', checkpoint.workspace, workspaceFound, inProject('workspace')),
  ];
  const lostFiles = workspace.found === undefined ? checkpoint.artifacts.map((file) => file.path) : [];
  return { sopFile: sop.found, workspace: workspaceFound, followed, ...(lostFiles.length > 0 ? { lostFiles } : {}) };
}

/** `lostFiles` as the warning `sop resume` prints: the workspace made afresh, and what it no longer holds. */
export function describeLostFiles(runId: string, workspace: string, lostFiles: readonly string[]): string {
  const named = lostFiles.slice(0, 3).join(', ') + (lostFiles.length > 3 ? `, and ${lostFiles.length - 3} more` : '');
  return `the workspace of run ${runId} is gone (${workspace}): it is made afresh, without the files the run wrote there: ${named} (a role that reads one will not find it)`;
}

/**
 * `followed` as the one line `sop resume` prints on stderr: `run ID was recorded in another folder:
 * following its SOP A -> B and its workspace C -> D (the same places ...)`.
 */
export function describeFollowed(runId: string, followed: readonly FollowedPath[]): string {
  const reasons = new Set(followed.map((one) => one.why));
  const [only] = reasons.size === 1 ? [...reasons] : [];
  const each = followed.map((one) => `its ${one.what} ${one.from} -> ${one.to}${only === undefined ? ` (${WHY[one.why]})` : ''}`).join(' and ');
  if (only === 'given') return `run ${runId}: taking ${each} as given, not where the run recorded ${followed.length === 1 ? 'it' : 'them'}`;
  return `run ${runId} was recorded in another folder: following ${each}${only === 'moved' ? ' (the same places in the project its run folder is in now)' : ''}`;
}

const WHY: Record<FollowedPath['why'], string> = { moved: 'the same place in the project its run folder is in now', given: 'as given' };

/** The run's project as its run-info records it, and where it is now when found from the run folder. */
interface Project {
  /** Undefined for a run of a version before 2026-12-06. */
  recorded: RelativePlaces | undefined;
  /** The project's folder now: undefined without `relative` (older runs) or for a run folder outside the project. */
  now: string | undefined;
  /** The project's folder as recorded, when the run folder was outside it. */
  outside: string | undefined;
}

/** What the messages of a refused resume need. */
interface Asked {
  runId: string;
  /** The run as `sop resume` and `sop runs --sop` take it: its id, or its folder's path. */
  target: string;
  cwd: string;
  project: Project;
  /** How the hints type `sop` (the way it was started). */
  command: string;
}

function projectOf(runDir: string): Project {
  const recorded = relativePlacesOf(readRunInfo(runDir));
  if (recorded === undefined) return { recorded, now: undefined, outside: undefined };
  if (!runFolderInProject(recorded)) return { recorded, now: undefined, outside: path.resolve(runDir, recorded.project) };
  return { recorded, now: path.resolve(runDir, recorded.project), outside: undefined };
}

function followedPath(what: FollowedPath['what'], from: string, to: string, moved: string | undefined): FollowedPath[] {
  return to === from ? [] : [{ what, from, to, why: to === moved ? 'moved' : 'given' }];
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

/** A workspace given: a folder holding some of the files the run wrote (a mistyped path, or the project's folder, holds none). */
function givenWorkspace(given: string, checkpoint: Checkpoint, asked: Asked): string {
  const folder = path.resolve(asked.cwd, given);
  const shown = shownPath(folder, asked.cwd);
  const hint = `give the folder run ${asked.runId}'s rounds wrote to, where it is now (the run recorded ${checkpoint.workspace})`;
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new SopError('FILE_NOT_FOUND', `the workspace given for run ${asked.runId} does not exist: ${shown}`, { hint });
  }
  if (!isFolder) throw new SopError('USAGE', `the workspace given for run ${asked.runId} is a file, not a folder: ${shown}`, { hint });
  const written = checkpoint.artifacts.map((file) => file.path);
  if (written.length > 0 && !written.some((file) => existsSync(path.join(folder, file)))) {
    const named = written.slice(0, 3).join(', ') + (written.length > 3 ? `, and ${written.length - 3} more` : '');
    throw new SopError('USAGE', `the workspace given for run ${asked.runId}, ${shown}, holds none of the files the run wrote (${named})`, { hint });
  }
  return folder;
}

function sopGone(recorded: string, moved: string | undefined, asked: Asked): SopError {
  const { runId, target, cwd, project, command } = asked;
  const withFlag = `resume with \`${command} resume ${target} --sop PATH\` where it is now`;
  if (moved !== undefined) {
    const there = shownPath(moved, cwd);
    return new SopError('FILE_NOT_FOUND', `the SOP of run ${runId} is gone: ${atNeither(recorded, moved, cwd)}`, {
      hint: `put it back at ${there} (\`${command} runs --sop ${target} > ${quoteArgument(there)}\` writes the SOP as run) and resume again, or ${withFlag}`,
    });
  }
  if (project.outside !== undefined) {
    return new SopError('FILE_NOT_FOUND', `the SOP of run ${runId} is gone: ${recorded}${outsideProject(project.outside)}`, {
      hint: `${withFlagsFromProject(target, project.recorded, command)}; or restore the SOP: \`${command} runs --sop ${target}\` prints it as run`,
    });
  }
  return new SopError('FILE_NOT_FOUND', `the SOP of run ${runId} is gone: ${recorded}`, {
    hint: `restore it (\`${command} runs --sop ${target}\` prints the SOP as run), or ${withFlag}`,
  });
}

function workspaceGone(recorded: string, moved: string | undefined, asked: Asked): SopError {
  const { runId, target, cwd, project, command } = asked;
  const withFlag = `resume with \`${command} resume ${target} --workspace PATH\` where it is now`;
  if (moved !== undefined) {
    return new SopError('FILE_NOT_FOUND', `the workspace of run ${runId} is gone: ${atNeither(recorded, moved, cwd)}`, {
      hint: `put the run's workspace folder (the files its rounds wrote) at ${shownPath(moved, cwd)} and resume again, or ${withFlag}`,
    });
  }
  // The run folder did not move, yet the SOP is elsewhere: the project moved without it.
  const why = project.outside !== undefined ? outsideProject(project.outside) : '';
  return new SopError('FILE_NOT_FOUND', `the workspace of run ${runId} is gone: ${recorded}; its SOP is not at its recorded place either, so the project moved and the workspace is not made afresh there${why}`, {
    hint: project.outside !== undefined ? withFlagsFromProject(target, project.recorded, command) : 'add --workspace PATH, the folder the run\'s rounds wrote to, where it is now',
  });
}

/** Why a run with a runs folder outside its project does not follow the project. */
function outsideProject(recordedProject: string): string {
  return ` (its run folder is outside its project, ${recordedProject}, so the run knows the project's files by their absolute paths only: a moved project is not followed)`;
}

/** The resume command with `--sop` and `--workspace` at the places the run recorded within its project, typed in the project's folder. */
function withFlagsFromProject(target: string, recorded: RelativePlaces | undefined, command: string): string {
  const within = (file: string | undefined): string => (file === undefined || path.isAbsolute(file) ? 'PATH' : quoteArgument(file));
  return `give their places now: in the project's folder, \`${command} resume ${target} --sop ${within(recorded?.sop)} --workspace ${within(recorded?.workspace)}\` (where they were in the project when the run started)`;
}

function atNeither(recorded: string, moved: string, cwd: string): string {
  return `not at ${recorded}, where the run recorded it, nor at ${shownPath(moved, cwd)}, the same place in the project its run folder is in now`;
}

/** The run-info's `relative` field when it is whole (runs of older versions have none). */
function relativePlacesOf(info: Record<string, unknown> | undefined): RelativePlaces | undefined {
  const relative = info?.['relative'] as Partial<RelativePlaces> | undefined;
  if (typeof relative !== 'object' || relative === null) return undefined;
  const { project, sop, workspace } = relative;
  return typeof project === 'string' && typeof sop === 'string' && typeof workspace === 'string' ? { project, sop, workspace } : undefined;
}
