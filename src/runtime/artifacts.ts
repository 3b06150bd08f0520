import { isSopError } from '../errors/index.js';
import { fileSha256 } from '../spec/referenced-files.js';
import type { WrittenFile } from '../store/index.js';
import type { ResolvedAction, ResolvedArtifact, TemplateText } from '../spec/resolved.js';
import { templateError } from '../templates/index.js';
import { missingOutputField, type ArtifactPart } from './artifact-fit.js';
import type { ActionFrame } from './action-frame.js';
import type { EventScope } from './event-recorder.js';
import { languageOfPath } from './language.js';
import type { RunState } from './run-state.js';

/**
 * Artifact paths known before the model is called (their template reads neither `output` nor
 * `payload`, and the artifact does not fan out), so the model can be told where its code goes.
 * Conditional artifacts (`if`) and appended ones (a log, not the output's home) are left out.
 */
export function plannedArtifactPaths(state: RunState, action: ResolvedAction, context: Record<string, unknown>): string[] {
  const paths: string[] = [];
  for (const artifact of action.artifacts) {
    if (artifact.foreach || artifact.if || artifact.mode === 'append' || state.compiled.reads(artifact.path, ['output', 'payload'])) continue;
    paths.push(state.compiled.render(artifact.path, context).trim());
  }
  return paths;
}

/** `format: code` language: `output.language`, else the extension of the first artifact path. */
export function codeLanguage(action: ResolvedAction, plannedPaths: string[]): string | undefined {
  if (action.output.language) return action.output.language;
  const first = plannedPaths[0] ?? action.artifacts[0]?.path.text;
  return first === undefined ? undefined : languageOfPath(first);
}

/** One artifact's text, rendered from an output and not written yet. */
export interface RenderedArtifact {
  mode: 'overwrite' | 'append';
  /** Workspace-relative path, as the path template rendered it. */
  relative: string;
  text: string;
  /** The SOP's path template, where a rendered path that leaves the workspace is reported. */
  template: TemplateText;
}

/**
 * Renders every artifact of an action's output (each `if` once, each `foreach` item), without
 * writing: all are rendered before any is written, so an output that cannot fill a template (it
 * lacks a field the template reads: `OutputFieldMissing`) is known before the gates run.
 */
export function renderArtifacts(state: RunState, frame: ActionFrame, context: Record<string, unknown>, expressionContext: Record<string, unknown>): RenderedArtifact[] {
  const rendered: RenderedArtifact[] = [];
  for (const artifact of frame.action.artifacts) {
    const { if: condition, foreach } = artifact;
    if (condition && !fitted(state, frame, artifact, { kind: 'if', text: condition }, expressionContext, undefined, () => state.compiled.condition(condition, expressionContext))) continue;
    const items = foreach ? fitted(state, frame, artifact, { kind: 'foreach', text: foreach }, expressionContext, undefined, () => state.compiled.list(foreach, expressionContext)) : [undefined];
    items.forEach((item, index) => {
      const itemContext = foreach ? { ...context, item } : context;
      const at = foreach ? index : undefined;
      const relative = fitted(state, frame, artifact, { kind: 'template', text: artifact.path }, itemContext, undefined, () => state.compiled.render(artifact.path, itemContext).trim(), at);
      const text = fitted(state, frame, artifact, { kind: 'template', text: artifact.content }, itemContext, relative, () => state.compiled.render(artifact.content, itemContext), at);
      rendered.push({ mode: artifact.mode, relative, text, template: artifact.path });
    });
  }
  return rendered;
}

/**
 * `evaluate`'s value; its failure on a field the output lacks becomes `OutputFieldMissing` (the
 * artifact named by its path once known, the item by its index in the artifact's `foreach`).
 */
function fitted<T>(state: RunState, frame: ActionFrame, artifact: ResolvedArtifact, part: ArtifactPart, context: Record<string, unknown>, path: string | undefined, evaluate: () => T, item?: number): T {
  try {
    return evaluate();
  } catch (error) {
    const output = { type: frame.action.output.type, hasSchema: state.sop.messages[frame.action.output.type]?.schema !== undefined };
    throw missingOutputField(state.compiled, frame, artifact, path ?? artifact.path.text, part, context, error, output, item) ?? error;
  }
}

/**
 * Writes the rendered artifacts of one mode. `overwrite` ones are written for each attempt, before
 * the gates (a gate command checks the files); `append` ones once the output is accepted, so a
 * transcript holds no attempt a gate rejected. Each path is resolved inside the workspace (escapes
 * are refused before anything is written). Returns the paths written, workspace-relative, in order.
 */
export function writeArtifacts(state: RunState, events: EventScope, frame: ActionFrame, rendered: readonly RenderedArtifact[], mode: 'overwrite' | 'append'): string[] {
  const written: string[] = [];
  const where = frame.index === undefined ? {} : { index: frame.index };
  for (const { mode: artifactMode, relative, text, template } of rendered) {
    if (artifactMode !== mode) continue;
    const { previousSha256, ...file } = located(template, () => writeArtifact(state, relative, text, mode));
    // The first write of the path in the run says what the run found there (`report.workspaceChanges`).
    state.artifacts.set(file.path, state.workspaceChanges ? { ...file, ...firstBefore(state, file.path, previousSha256) } : file);
    // Written again: no longer the draft a gate rejected (checked only while some draft was).
    if (state.rejectedArtifacts.size > 0) state.rejectedArtifacts.delete(file.path);
    written.push(file.path);
    events.emit({
      type: 'artifact-written',
      round: frame.round,
      role: frame.role.id,
      action: frame.action.id,
      message: frame.message,
      ...where,
      path: file.path,
      bytes: file.bytes,
      sha256: file.sha256,
      previousSha256,
    });
  }
  return written;
}

/** An artifact's `before`: the one its path's first write in the run kept, else what this write found (`''`: nothing). */
function firstBefore(state: RunState, path: string, previousSha256: string | null): { before?: string } {
  const earlier = state.artifacts.get(path);
  if (earlier) return earlier.before === undefined ? {} : { before: earlier.before };
  // Written by an attempt before this resume in a round no boundary kept (paused at a human gate).
  const first = state.firstWrites && Object.hasOwn(state.firstWrites, path) ? state.firstWrites[path] : previousSha256;
  return { before: first ?? '' };
}

/**
 * The sha256 of what a path held before it is written, null when nothing (the report tells a new
 * file from a changed or an unchanged one: an incremental run rewrites a project). A path the write
 * will refuse reads as nothing here: the write says why.
 */
function digestIfPresent(state: RunState, relative: string): string | null {
  try {
    // A chunk at a time: a large file already at the path costs no memory.
    return fileSha256(state.workspace.resolve(relative, 'artifact path'));
  } catch {
    return null;
  }
}

/**
 * `write`'s result; a rendered path it refuses (`..`, absolute, a symlink out) is reported at the
 * SOP's path template, with the fix when the path is built from an answer: constrain that field.
 */
function located<T>(template: TemplateText, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (!isSopError(error) || error.code !== 'WORKSPACE_ESCAPE') throw error;
    const built = /\{\{|\{%/.test(template.text);
    throw templateError(error.code, template.origin, undefined, built ? `${error.message} (rendered from \`${template.text}\`)` : error.message, built ? escapeHint(template.text) : error.hint);
  }
}

/** What keeps a path built at run time inside the workspace: a `pattern` on the answer's fields, an `enum` on an input. */
function escapeHint(path: string): string {
  const answer = 'give each field it reads a `pattern` in its message type\'s schema (e.g. `"pattern": "^[A-Za-z0-9_-]+$"`), so an answer holding `..` or `/` is asked again instead of failing the action';
  const input = 'give each input it reads an `enum` of the names allowed, or run it with a value holding no `..` or `/`';
  if (!/\binputs\./.test(path)) return `the path is built from values at run time: ${answer}`;
  if (!/\b(?:payload|message|item)\b/.test(path)) return `the path is built from inputs: ${input}`;
  return `the path is built from values at run time: ${answer}; ${input}`;
}

/**
 * Writes one artifact; returns it with the sha256 its path held before (null: nothing). An append
 * keeps what this run last wrote to the path, then adds the text; the run's first append to a path
 * starts the file. The length kept comes from the run's record of its last write, not from the
 * file: a resumed run re-runs the round a crash interrupted, and an append that round made before
 * the crash is cut off instead of doubled.
 */
function writeArtifact(state: RunState, relative: string, text: string, mode: 'overwrite' | 'append'): WrittenFile & { previousSha256: string | null } {
  const path = state.workspace.relative(state.workspace.resolve(relative, 'artifact path'));
  const last = mode === 'append' ? state.artifacts.get(path) : undefined;
  // Copied and hashed in one read, a chunk at a time: a transcript may grow large.
  if (last) return state.workspace.append(relative, last.bytes, text);
  const previousSha256 = digestIfPresent(state, relative);
  journalFirstWrite(state, path, previousSha256);
  return { ...state.workspace.write(relative, text), previousSha256 };
}

/**
 * An incremental run's first write of a path journals what the path held, before the file is
 * written: the write's event waits for the round's end, which a kill loses, and the resume's
 * rewrite would then find the run's own file there (and label it unchanged).
 */
function journalFirstWrite(state: RunState, path: string, before: string | null): void {
  if (!state.firstWriteJournal || state.artifacts.has(path) || (state.firstWrites && Object.hasOwn(state.firstWrites, path))) return;
  state.firstWriteJournal.append({ path, before });
}
