import { closeSync, constants, existsSync, fstatSync, ftruncateSync, openSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { SopError, isSopError } from '../errors/index.js';
import { ensureFolder, namingFlag, storageError, writeAll } from '../files/index.js';
import type { RunEvent } from '../runtime/events.js';

/** `--events FILE|-`: writes each run event as one JSON line, as it happens. */
export interface EventsWriter {
  readonly onEvent: (event: RunEvent) => void;
  /** Closes the stream; throws when a write failed (no space left), naming --events. */
  close(): void;
  /** Closes the stream of a command refused before its run: a file it created is removed, an earlier one left as it was. */
  discardUnused(): void;
}

/**
 * Opens the NDJSON stream of `--events`: `-` is stdout, anything else a file opened (or created)
 * now, so an unwritable path is refused before the run starts. An existing file is emptied only at
 * the first event (or the run's end): a command refused before its run leaves it as it was, and a
 * file it created is removed. File lines are written with `writeSync`: a crash loses no event
 * already reported.
 */
export function openEventsWriter(target: string, stdout: NodeJS.WritableStream = process.stdout): EventsWriter {
  if (target === '-') {
    return { onEvent: (event) => void stdout.write(`${JSON.stringify(event)}\n`), close: () => undefined, discardUnused: () => undefined };
  }
  let descriptor: number;
  const existed = existsSync(target);
  // The folders made for the file, deepest first: a refused command removes them with it.
  const made: string[] = [];
  for (let folder = path.dirname(path.resolve(target)); !existsSync(folder) && path.dirname(folder) !== folder; folder = path.dirname(folder)) made.push(folder);
  try {
    ensureFolder(path.dirname(path.resolve(target)));
    // Without blocking: a named pipe no program reads (`mkfifo`) made the open wait for ever; it is ENXIO so.
    descriptor = openSync(target, constants.O_WRONLY | constants.O_CREAT | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') {
      throw new SopError('FILE_UNWRITABLE', `--events: cannot write ${target}: it is a named pipe no program reads`, { hint: 'start its reader first (`jq . < PIPE &`), or give a file path, or `-` for stdout' });
    }
    const refusal = isSopError(error)
      ? error
      : (storageError(error, target) ??
        new SopError('FILE_UNWRITABLE', `--events: cannot write ${target}: ${(error as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`, {
          hint: 'give a writable file path, or `-` for stdout',
        }));
    throw namingFlag(refusal, '--events');
  }
  let open = true;
  let written = false;
  // Only a plain file is emptied or removed: run as root, a refused `--events /dev/full` removed the device.
  const plainFile = fstatSync(descriptor).isFile();
  // An earlier run's events are replaced once this run has begun, not by a command refused before it.
  const empty = (): void => {
    if (plainFile && !written) ftruncateSync(descriptor, 0);
  };
  // A write that failed (no space left): the run goes on, its journal keeps every event; the
  // command fails once the run is over, naming --events (it ended silently with a cut file).
  let failure: unknown;
  const closeQuietly = (): void => {
    if (open) closeSync(descriptor);
    open = false;
  };
  return {
    onEvent: (event) => {
      if (!open || failure !== undefined) return;
      try {
        empty();
        writeAll(descriptor, Buffer.from(`${JSON.stringify(event)}\n`));
      } catch (error) {
        // A reader that went away (`--events FIFO` read by `head`) stops the stream, as `sop run | head` does stdout's.
        if ((error as NodeJS.ErrnoException).code === 'EPIPE') closeQuietly();
        else failure = error;
      }
      written = true;
    },
    close: () => {
      if (open && failure === undefined) {
        try {
          empty();
        } catch (error) {
          failure = error;
        }
      }
      closeQuietly();
      if (failure === undefined) return;
      const refusal = storageError(failure, target) ?? new SopError('FILE_UNWRITABLE', `cannot write ${target}: ${(failure as Error).message}`, { hint: 'give a writable file path, or `-` for stdout' });
      throw namingFlag(refusal instanceof SopError ? new SopError(refusal.code, `--events: ${refusal.message}; the events from then on are not in it (the run's journal has them)`, { hint: refusal.hint, cause: failure }) : refusal, '--events');
    },
    discardUnused: () => {
      const created = open && !written && plainFile && !existed;
      closeQuietly();
      // An empty file left by a refused command reads as a run that wrote nothing (a CI artifact of nothing).
      if (!created) return;
      rmSync(target, { force: true });
      try {
        for (const folder of made) rmdirSync(folder);
      } catch {
        // Not empty: something else was written there meanwhile; it stays.
      }
    },
  };
}
