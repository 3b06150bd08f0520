import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { writeFileAtomicSync } from '../files/index.js';

/** The checkpoint's file name inside a run folder. */
export const CHECKPOINT_FILE = 'checkpoint.json';

/**
 * Writes `checkpoint.json` atomically and durably (`writeFileAtomicSync`): a crash (or a second
 * Ctrl-C, or a full disk) at any moment leaves either the previous checkpoint or the new one,
 * never half of one.
 */
export function writeCheckpointFile(runDir: string, checkpoint: object): void {
  writeFileAtomicSync(path.join(runDir, CHECKPOINT_FILE), `${JSON.stringify(checkpoint)}\n`);
}

/** Reads a run folder's checkpoint; a missing or unreadable one is a usage error naming the run. */
export function readCheckpointFile(runDir: string): Record<string, unknown> {
  const file = path.join(runDir, CHECKPOINT_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SopError('RUN_NOT_RESUMABLE', `run ${path.basename(runDir)} has no checkpoint (${file})`, {
      hint: 'only runs started by this version of sop, that got past publishing their start messages, can be resumed',
    });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new SopError('RUN_NOT_RESUMABLE', `${file} is not a valid checkpoint`, { hint: 'the file was changed by hand or by another program' });
}
