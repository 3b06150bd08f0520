import { existsSync } from 'node:fs';
import path from 'node:path';
import { plural, SHOWN_PROBLEMS, SopError, type Diagnostic } from '../errors/index.js';
import { scriptFiles } from './fingerprint.js';
import { defaultLockCommand, type SopLock } from './lock-file.js';

/** One difference between a lock and the SOP as it is now. */
export interface Drift {
  /** What drifted: the SOP file, a referenced file, a model, or which SOP the lock pins. */
  subject: 'sop' | 'file' | 'model';
  /** The file (relative to the lock's folder) or the model reference. */
  name: string;
  /**
   * `changed`: different content (or model); `missing`: pinned, and the file is gone; `added`:
   * referenced now, not pinned; `removed`: pinned, no longer referenced; `other-sop`: the lock pins
   * another SOP file.
   */
  kind: 'changed' | 'missing' | 'added' | 'removed' | 'other-sop';
  locked?: string;
  current?: string;
  /** A file added or removed that is the script of this `script:FILE` model, not a file the SOP references. */
  scriptOf?: string;
}

/**
 * What made the models of the current lock: `--model` (given to the command), the SOP and
 * configuration, or a configuration file's script default model (`setting`: how to name it,
 * `` `default_model: script:answers.yaml` (.soprc.yaml:1) ``; `model`: `script:answers.yaml`).
 */
type ModelsFrom = 'flag' | 'sop-or-config' | { model: string; setting: string };

/** Every difference between `locked` (the file) and `current` (computed now), SOP first, then files, then models. */
export function compareLocks(locked: SopLock, current: SopLock, lockDir: string): Drift[] {
  const scripts = { locked: scriptFiles(locked.models, lockDir), current: scriptFiles(current.models, lockDir) };
  const drifts: Drift[] = [];
  if (locked.sop.path !== current.sop.path) {
    drifts.push({ subject: 'sop', name: current.sop.path, kind: 'other-sop', locked: locked.sop.path, current: current.sop.path });
  } else if (locked.sop.sha256 !== current.sop.sha256) {
    drifts.push({ subject: 'sop', name: current.sop.path, kind: 'changed', locked: locked.sop.sha256, current: current.sop.sha256 });
  }
  const names = [...new Set([...Object.keys(locked.files), ...Object.keys(current.files)])].sort();
  for (const name of names) {
    const was = locked.files[name];
    const now = current.files[name];
    if (was === now) continue;
    const script = was === undefined ? scripts.current.get(name) : now === undefined ? scripts.locked.get(name) : undefined;
    const scriptOf = script === undefined ? {} : { scriptOf: script };
    if (was === undefined) drifts.push({ subject: 'file', name, kind: 'added', current: now as string, ...scriptOf });
    else if (now === undefined) drifts.push({ subject: 'file', name, kind: existsSync(path.resolve(lockDir, name)) ? 'removed' : 'missing', locked: was, ...scriptOf });
    else drifts.push({ subject: 'file', name, kind: 'changed', locked: was, current: now });
  }
  const references = [...new Set([...Object.keys(locked.models), ...Object.keys(current.models)])].sort();
  for (const name of references) {
    const was = locked.models[name];
    const now = current.models[name];
    if (was === now) continue;
    if (was === undefined) drifts.push({ subject: 'model', name, kind: 'added', current: now as string });
    else if (now === undefined) drifts.push({ subject: 'model', name, kind: 'removed', locked: was });
    else drifts.push({ subject: 'model', name, kind: 'changed', locked: was, current: now });
  }
  return drifts;
}

/**
 * One line saying what drifted and how (`prompts/draft.liquid: changed since sop.lock pinned it (sha256 1a2b3c4d5e6f there, now 0f9e8d7c6b5a)`);
 * `modelsFrom` tells what named a script added now (default: the SOP or the configuration).
 */
function describeDrift(drift: Drift, lockName: string, modelsFrom: ModelsFrom = 'sop-or-config'): string {
  if (drift.subject === 'model') return `model \`${drift.name}\`: ${driftDetail(drift, lockName, modelsFrom)}`;
  if (drift.kind === 'other-sop') return driftDetail(drift, lockName, modelsFrom);
  return `${drift.name}: ${driftDetail(drift, lockName, modelsFrom)}`;
}

/** What named a script model: `--model` as typed, the configuration's field and file, else the model. */
function scriptNamer(model: string, modelsFrom: ModelsFrom): string {
  if (modelsFrom === 'flag') return `\`--model ${model}\``;
  if (typeof modelsFrom === 'object' && modelsFrom.model === model) return modelsFrom.setting;
  return `model \`${model}\``;
}

/** What happened to the file or model, without its name. */
function driftDetail(drift: Drift, lockName: string, modelsFrom: ModelsFrom): string {
  if (drift.scriptOf !== undefined) {
    // A script is in the lock because a model is scripted (`--model script:FILE`), not because the SOP names it.
    if (drift.kind === 'added') return `added (the script of ${scriptNamer(drift.scriptOf, modelsFrom)}, not in ${lockName})`;
    if (drift.kind === 'removed') return `removed (pinned in ${lockName} as the script of model \`${drift.scriptOf}\`, which the models resolved now do not use)`;
  }
  if (drift.subject === 'model') {
    if (drift.kind === 'added') return `added (now resolves to ${drift.current}; not in ${lockName})`;
    if (drift.kind === 'removed') return `removed (pinned to ${drift.locked} in ${lockName}; the SOP no longer uses it)`;
    return `changed (pinned to ${drift.locked} in ${lockName}, now resolves to ${drift.current})`;
  }
  switch (drift.kind) {
    case 'other-sop':
      return `${lockName} pins ${drift.locked}, not ${drift.current}`;
    case 'changed':
      // "changed since sop.lock pinned it", not only two hashes: the reader learns the file was edited after `sop lock` ran.
      return `changed since ${lockName} pinned it (sha256 ${short(drift.locked)} there, now ${short(drift.current)})`;
    case 'missing':
      return `missing (pinned in ${lockName}, the file is gone)`;
    case 'removed':
      return `removed (pinned in ${lockName}, no longer referenced by the SOP)`;
    case 'added':
      return `added (referenced by the SOP, not in ${lockName})`;
  }
}

export interface VerifyOptions {
  /** The lock file (absolute). */
  lockFile: string;
  /** The SOP as the user named it, for messages and the hint. */
  sopDisplay: string;
  /** The command that pins the SOP again, for the hint (default `sop lock SOP`; the CLI types `sop` the way it was started). */
  lockCommand?: string;
  /** Shows a path to the user (relative to the working folder when inside it). */
  display?: (absolute: string) => string;
  /** What named the models resolved now: `flag` when the command was given `--model`. */
  modelsFrom?: ModelsFrom;
}

/**
 * Throws LOCK_DRIFT when the SOP drifted from its lock: the error's message lists every
 * difference, and it carries one diagnostic per drifted file (located at that file) so CI
 * annotations point at it; the hint is on the last one printed.
 */
export function assertNoDrift(locked: SopLock, current: SopLock, options: VerifyOptions): void {
  const lockDir = path.dirname(options.lockFile);
  const drifts = compareLocks(locked, current, lockDir);
  if (drifts.length === 0) return;
  const display = options.display ?? ((absolute: string) => absolute);
  const modelsFrom = options.modelsFrom ?? 'sop-or-config';
  const lockName = display(options.lockFile);
  // A lock of scripted runs pins the script too: a lock made again without their --model pins another model.
  const scripted = Object.values(locked.models).some((model) => model.startsWith('script:'));
  const typesModel = options.lockCommand?.includes(' --model ') === true;
  const withModel = !typesModel && (scripted || drifts.some((drift) => drift.subject === 'model')) ? ' (with the --model the runs use)' : '';
  const hint = `if the change is intended, run \`${options.lockCommand ?? defaultLockCommand(options.sopDisplay)}\`${withModel} and commit ${path.basename(options.lockFile)}; otherwise restore the pinned files`;
  const summary = `${options.sopDisplay} drifted from ${lockName} (${plural(drifts.length, 'difference')})`;
  const diagnostics: Diagnostic[] = [
    { code: 'LOCK_DRIFT', severity: 'error', message: summary, file: lockName },
    ...drifts.map((drift): Diagnostic => ({
      code: 'LOCK_DRIFT',
      severity: 'error',
      ...(drift.subject === 'file' || drift.kind === 'changed' && drift.subject === 'sop'
        ? { file: display(path.resolve(lockDir, drift.name)), message: `${driftDetail(drift, path.basename(options.lockFile), modelsFrom)}` }
        : { file: lockName, message: describeDrift(drift, path.basename(options.lockFile), modelsFrom) }),
    })),
  ];
  // On the last problem a capped list prints (the first SHOWN_PROBLEMS): on the very last, 25 drifted files lost it.
  (diagnostics[Math.min(diagnostics.length, SHOWN_PROBLEMS) - 1] as Diagnostic).hint = hint;
  const lines = drifts.map((drift) => `  - ${describeDrift(drift, path.basename(options.lockFile), modelsFrom)}`);
  throw new SopError('LOCK_DRIFT', `${summary}:\n${lines.join('\n')}`, { hint, diagnostics });
}

function short(sha256: string | undefined): string {
  return (sha256 ?? '').slice(0, 12);
}
