import { existsSync } from 'node:fs';
import path from 'node:path';
import { SCRIPT, type ModelChoice, type ModelRef } from '../providers/model-ref.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { LOCK_VERSION, type SopLock } from './lock-file.js';
import { fileSha256, referencedFileDigests } from '../spec/referenced-files.js';

/** What a lock is computed from. */
export interface LockInputs {
  sop: ResolvedSop;
  /** Absolute path of the lock file; paths in it are relative to its folder. */
  lockFile: string;
  /** Resolved models by reference (`lockedModels`). */
  models: Record<string, string>;
  /** The runner writing (or checking) the lock. */
  runnerVersion: string;
  /** Folder the paths of `script:FILE` models are relative to; default `process.cwd()`. */
  cwd?: string;
}

/**
 * The lock of an SOP as it is now: its sha256, every referenced file's (from the loader) and every
 * partial's (found here), `requires`, and the resolved models. `sop lock` writes it; `--frozen`
 * computes it again and compares (`compareLocks`).
 */
export function createLock(inputs: LockInputs): SopLock {
  const { sop } = inputs;
  const lockDir = path.dirname(inputs.lockFile);
  const files: Record<string, string> = {};
  for (const [absolute, sha256] of Object.entries(referencedFileDigests(sop))) files[relativePath(lockDir, absolute)] = sha256;
  // A script is the scripted model's answers: a changed script is a changed model.
  for (const name of scriptFiles(inputs.models, lockDir, inputs.cwd).keys()) {
    const absolute = path.resolve(lockDir, name);
    if (existsSync(absolute)) files[name] = fileSha256(absolute);
  }
  return {
    lockVersion: LOCK_VERSION,
    sop: {
      path: relativePath(lockDir, sop.file),
      name: sop.name,
      version: sop.version,
      apiVersion: String(sop.document.apiVersion),
      sha256: sop.sha256,
    },
    runner: { requires: sop.requires ?? null, lockedWith: inputs.runnerVersion },
    files,
    models: inputs.models,
  };
}

/**
 * The script files of the `script:FILE` models among `models` (a lock's), by path relative to the
 * lock's folder, each with its model (`script:answers.yaml`): what put the file in the lock.
 * `cwd`: the folder the script paths are relative to, default `process.cwd()`.
 */
export function scriptFiles(models: Record<string, string>, lockDir: string, cwd = process.cwd()): Map<string, string> {
  const files = new Map<string, string>();
  for (const model of Object.values(models)) {
    if (model.startsWith(`${SCRIPT}:`)) files.set(relativePath(lockDir, path.resolve(cwd, model.slice(SCRIPT.length + 1))), model);
  }
  return files;
}

/**
 * The resolved model of each distinct reference, keyed by the reference as written (`fast`,
 * `openai:gpt-4o-mini`, `ollama` + `llama3.2` written `ollama:llama3.2`, `(default)` when the SOP
 * names none). `choose` is the registry's light `chooseModel` (aliases, `--model`, defaults; no network).
 */
export function lockedModels(refs: ReadonlyArray<ModelRef | undefined>, choose: (ref: ModelRef | undefined) => ModelChoice): Record<string, string> {
  const models: Record<string, string> = {};
  for (const ref of refs) {
    const choice = choose(ref);
    models[referenceLabel(ref)] = choice.provider === choice.model ? choice.model : `${choice.provider}:${choice.model}`;
  }
  return models;
}

/** A model reference as written in the SOP, for the lock and for drift messages. */
export function referenceLabel(ref: ModelRef | undefined): string {
  if (ref?.name === undefined) return ref?.provider === undefined ? '(default)' : `${ref.provider}:(default)`;
  return ref.provider === undefined ? ref.name : `${ref.provider}:${ref.name}`;
}

/** `a/b.txt` relative to `from`, with `/` on every platform. */
export function relativePath(from: string, absolute: string): string {
  return path.relative(from, absolute).split(path.sep).join('/');
}
