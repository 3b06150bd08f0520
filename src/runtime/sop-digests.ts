import { sopFileDigests } from '../spec/referenced-files.js';
import type { ResolvedSop } from '../spec/resolved.js';
import type { Checkpoint } from './checkpoint.js';
import type { ResolvedModel } from './models.js';

/**
 * What decides the answers of a run's calls not made yet, besides its state: the SOP file, the
 * files it references (prompts, `$ref` schemas, partials) and the scripts of its `script:FILE`
 * models. A run records their sha256; `sop resume` compares them with the ones it would continue with.
 */
export interface SopDigests {
  sha256: string;
  /** By path relative to the SOP's folder (`sopFileDigests`). */
  files: Readonly<Record<string, string>>;
  /** By the path the model reference names (`script:answers.yaml`: `answers.yaml`, relative to the working folder). */
  scripts: Readonly<Record<string, string>>;
}

/** The digests of `sop` as loaded now, with the scripts of the models the run resolved. */
export function sopDigests(sop: ResolvedSop, models: Iterable<ResolvedModel>): SopDigests {
  return { sha256: sop.sha256, files: sopFileDigests(sop), scripts: scriptDigests(models) };
}

/**
 * The sha256 of each script the models answer from (a script changes the answers of the calls
 * still to come as a changed prompt does). Answers a `sop test` case embeds have no file of
 * their own: not listed (the test file is read again by each test run).
 */
export function scriptDigests(models: Iterable<ResolvedModel>): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const model of models) {
    const sha256 = model.scripted?.script.sha256;
    // By the path the reference names (`modelName`), not where it was read: a queue worker reads its bundle's copy.
    if (sha256 !== undefined) digests[model.modelName] = sha256;
  }
  return digests;
}

/** One difference between a run's record and what a resume would continue with. */
export interface SopChange {
  /** `sop`: the SOP file; `file`: a file it references; `script`: a model's script. */
  kind: 'sop' | 'file' | 'script';
  /** The SOP's path as shown, a referenced file relative to the SOP's folder, a script as its model names it. */
  name: string;
  /** The sha256 recorded; undefined when it is new. */
  was: string | undefined;
  /** The sha256 now; undefined when it is no longer used. */
  is: string | undefined;
}

/**
 * What differs between the run's record (`sop` of its last snapshot, or of the last resume that
 * continued with a changed SOP) and `now`. Referenced files and scripts are compared when the
 * record has them: runs of older versions recorded neither (only their SOP file is compared), a
 * run without a script records none.
 */
export function sopChanges(recorded: Checkpoint['sop'], now: SopDigests): SopChange[] {
  const changes: SopChange[] = [];
  if (now.sha256 !== recorded.sha256) changes.push({ kind: 'sop', name: recorded.displayPath, was: recorded.sha256, is: now.sha256 });
  if (recorded.files !== undefined) changes.push(...digestChanges('file', recorded.files, now.files));
  if (recorded.scripts !== undefined) changes.push(...digestChanges('script', recorded.scripts, now.scripts));
  return changes;
}

function digestChanges(kind: SopChange['kind'], recorded: Readonly<Record<string, string>>, now: Readonly<Record<string, string>>): SopChange[] {
  const names = [...new Set([...Object.keys(recorded), ...Object.keys(now)])].sort();
  return names.flatMap((name) => (recorded[name] === now[name] ? [] : [{ kind, name, was: recorded[name], is: now[name] }]));
}
