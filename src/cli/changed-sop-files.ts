import path from 'node:path';
import { SopError } from '../errors/index.js';
import type { Checkpoint } from '../runtime/checkpoint.js';
import { sopFileDigests } from '../spec/referenced-files.js';
import type { ResolvedSop } from '../spec/resolved.js';

/** What changed in an SOP since its run started: the file names for messages, and the refusal. */
export interface ChangedSop {
  /** `slow.yaml`, `prompts/c.liquid`, or both joined with `and`. */
  names: string;
  refusal(runId: string): SopError;
}

/**
 * Compares the SOP as loaded now with what its run recorded: the SOP file's sha256 and, for runs
 * that recorded them (`sop.files`), every file it references (prompts, `$ref` schemas, partials):
 * a changed prompt changes the run as much as a changed SOP. Undefined when nothing changed.
 */
export function changedSopFiles(recorded: Checkpoint['sop'], sop: ResolvedSop): ChangedSop | undefined {
  const changes: Array<{ name: string; detail: string }> = [];
  if (sop.sha256 !== recorded.sha256) changes.push({ name: recorded.displayPath, detail: `sha256 ${short(recorded.sha256)} -> ${short(sop.sha256)}` });
  const referenced = recorded.files === undefined ? [] : fileChanges(recorded.files, sopFileDigests(sop));
  // Shown beside the SOP as the user named it (`sops/prompts/c.liquid`).
  const folder = path.dirname(recorded.displayPath);
  for (const change of referenced) changes.push({ name: folder === '.' ? change.name : path.join(folder, change.name), detail: change.detail });
  if (changes.length === 0) return undefined;
  const names = changes.map((change) => change.name).join(' and ');
  const details = changes.length === 1 ? ` (${(changes[0] as { detail: string }).detail})` : `: ${changes.map((change) => `${change.name} (${change.detail})`).join(', ')}`;
  const onlySop = referenced.length === 0;
  return {
    names,
    refusal: (runId) =>
      new SopError('RESUME_SOP_CHANGED', `${changes.length === 1 ? names : `${changes.length} files`} changed since run ${runId} started${details}`, {
        hint: onlySop
          ? `restore the file (\`sop runs --sop ${runId}\` prints the SOP as run), or pass --allow-changed-sop to resume with the changed SOP`
          : `restore ${referenced.length === 1 ? 'the file' : 'the files'} as ${referenced.length === 1 ? 'it was' : 'they were'} when the run started, or pass --allow-changed-sop to resume with the changed SOP`,
      }),
  };
}

/** Referenced files whose sha256 differs, that are gone from the SOP's references, or that are new in them. */
function fileChanges(recorded: Record<string, string>, now: Record<string, string>): Array<{ name: string; detail: string }> {
  const names = [...new Set([...Object.keys(recorded), ...Object.keys(now)])].sort();
  return names.flatMap((name) => {
    const was = recorded[name];
    const is = now[name];
    if (was === is) return [];
    if (was === undefined) return [{ name, detail: 'referenced now, not when the run started' }];
    if (is === undefined) return [{ name, detail: 'no longer referenced' }];
    return [{ name, detail: `sha256 ${short(was)} -> ${short(is)}` }];
  });
}

function short(sha256: string): string {
  return sha256.slice(0, 12);
}
