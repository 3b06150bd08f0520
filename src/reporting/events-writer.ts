import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { SopError, isSopError } from '../errors/index.js';
import { ensureFolder, namingFlag, storageError } from '../files/index.js';
import type { RunEvent } from '../runtime/events.js';

/** `--events FILE|-`: writes each run event as one JSON line, as it happens. */
export interface EventsWriter {
  readonly onEvent: (event: RunEvent) => void;
  close(): void;
}

/**
 * Opens the NDJSON stream of `--events`: `-` is stdout, anything else a file created (or emptied)
 * now, so an unwritable path is refused before the run starts. File lines are written with
 * `writeSync`: a crash loses no event already reported.
 */
export function openEventsWriter(target: string, stdout: NodeJS.WritableStream = process.stdout): EventsWriter {
  if (target === '-') {
    return { onEvent: (event) => void stdout.write(`${JSON.stringify(event)}\n`), close: () => undefined };
  }
  let descriptor: number;
  try {
    ensureFolder(path.dirname(path.resolve(target)));
    descriptor = openSync(target, 'w');
  } catch (error) {
    const refusal = isSopError(error)
      ? error
      : (storageError(error, target) ??
        new SopError('FILE_UNWRITABLE', `--events: cannot write ${target}: ${(error as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`, {
          hint: 'give a writable file path, or `-` for stdout',
        }));
    throw namingFlag(refusal, '--events');
  }
  let open = true;
  return {
    onEvent: (event) => {
      if (open) writeSync(descriptor, `${JSON.stringify(event)}\n`);
    },
    close: () => {
      if (open) closeSync(descriptor);
      open = false;
    },
  };
}
