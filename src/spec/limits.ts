import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { isatty } from 'node:tty';
import { SopError } from '../errors/index.js';

/**
 * Size and shape bounds checked before any work, so a hostile or stray file is refused in
 * milliseconds with a located message instead of exhausting memory (docs/design.md, "Size limits").
 * A 10,000-role SOP is about 2.4 MB, 85,000 lines and 20,000 flow items: well inside every bound.
 */
export const LIMITS = {
  /** Largest SOP file read. */
  sopBytes: 8 * 1024 * 1024,
  /** Largest file an SOP references (prompt, artifact template, schema `$ref`, template partial). */
  referencedFileBytes: 1024 * 1024,
  /** Largest workspace file an action's `reads` puts into a prompt (about 250,000 tokens). */
  readsFileBytes: 1024 * 1024,
  /** Largest file a file input (`type: file`) copies into the workspace. */
  inputFileBytes: 8 * 1024 * 1024,
  /** Default `max_files` of a `reads` list or glob (`{ each: ... }`, `{ glob: ... }`). */
  readsListFiles: 50,
  /** Most bytes all of one action's `reads` put into its context together. */
  readsTotalBytes: 4 * 1024 * 1024,
  /** Most YAML values (lines holding a value, plus items of flow lists and mappings) in one file. */
  yamlValues: 200_000,
  /** Most characters in double-quoted scalars of one file (the parser builds them a character at a time). */
  doubleQuotedChars: 1024 * 1024,
  /**
   * Most bytes of one model reply read off the wire (stream events or a JSON body): 128,000 streamed
   * tokens take about 30 MB of server-sent events. A server answering without end was read until the
   * process ran out of memory (500 MB took 4.5 GB).
   */
  replyBytes: 64 * 1024 * 1024,
} as const;

/**
 * Most rounds a run may be given: `settings.n_round`'s `maximum` in schemas/sop.v1.schema.json
 * (test/spec pins that they agree), and the bound of `--n-round` and of an input that sets it. A
 * run ends at its stop condition long before; a larger number is a typo (`1000000000000`), and past
 * 2^53 not even a whole number any more.
 */
export const MAX_ROUNDS = 1_000_000;

/**
 * A round limit within MAX_ROUNDS, as `--n-round`'s text or a library caller's `nRound` (`named`
 * `option`): the one check of both, so they refuse alike (USAGE), each in its own words. Text is
 * digits only: `1e9` and `2.0` are not how a count of rounds is written (oclif's integer flag
 * refused them too).
 */
export function checkRoundLimit(given: string | number, named: 'flag' | 'option' = 'flag'): number {
  const value = typeof given === 'number' ? given : /^\s*\d+\s*$/.test(given) ? Number(given) : Number.NaN;
  if (Number.isInteger(value) && value >= 1 && value <= MAX_ROUNDS) return value;
  // A library caller set `nRound` (RunOptions): the flag's name would send them looking for a command line.
  const [name, example] = named === 'flag' ? ['--n-round', '--n-round 50'] : ['nRound', '`nRound: 50` (`sop run --n-round`)'];
  throw new SopError('USAGE', `${name} must be a whole number from 1 to ${MAX_ROUNDS}, got ${typeof given === 'string' ? `"${given}"` : String(given)}`, {
    hint: `give the most rounds the run may take, e.g. ${example} (settings.n_round has the same bound; a run ends at its stop condition before its limit)`,
  });
}

/** `8 MB`, `1.5 MB`, `512 KB`: sizes in messages, rounded up (a file 54 bytes over 8 MB is `8.01 MB`, not `8 MB`). */
export function formatBytes(bytes: number): string {
  const up = (value: number): number => Math.ceil(value * 100) / 100;
  if (bytes >= 1024 * 1024) return `${up(bytes / 1024 / 1024)} MB`;
  if (bytes >= 1024) return `${up(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** The size of `file` when it is larger than `limit` bytes (a `stat`, nothing read), else undefined. */
export function sizeAbove(file: string, limit: number): number | undefined {
  try {
    const size = statSync(file).size;
    return size > limit ? size : undefined;
  } catch {
    return undefined; // missing or unreadable: the caller's read reports that
  }
}

/** How long a named pipe may wait for a program to write to it: nothing writing made the read wait for ever. */
const PIPE_WRITER_WAIT_MS = 5_000;

/**
 * What a path that is not a regular file is, in words (`a named pipe`), or undefined for a regular
 * file. The one wording of "expected a regular file" refusals.
 */
export function notRegularFile(info: Stats): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'a special file';
}

/** An error `unreadableFile` words as it is: what the path is, and that a regular file was expected. */
function notRegular(why: string): Error {
  return Object.assign(new Error(`${why}; expected a regular file`), { code: 'ENOTREGULAR' });
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The file's bytes, or 'too-large' once more than `limit` bytes were read: the one read of a file a
 * user names (SOP, script, test file, dataset, file input, `--edit`). Opened without blocking, so
 * a named pipe nothing writes to is refused after PIPE_WRITER_WAIT_MS instead of waiting for ever
 * (as `cat` does); a pipe a program writes to (`<(generate)`, `mkfifo`) is read as it comes, with
 * the cap, like `/dev/zero`. A folder, a socket or a terminal is refused at once.
 */
export function readCappedSync(file: string, limit: number): Buffer | 'too-large' {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw Object.assign(new Error('it is a folder'), { code: 'EISDIR' });
    // A terminal would wait for typing (`/dev/stdin` with nothing piped in).
    if (info.isCharacterDevice() && isatty(fd)) throw notRegular('it is a terminal');
    const deadline = Date.now() + PIPE_WRITER_WAIT_MS;
    let writerSeen = !info.isFIFO();
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, limit + 1 - size));
      let read: number;
      try {
        read = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        writerSeen = true; // A writer holds the pipe open and has not written yet.
        sleepSync(10);
        continue;
      }
      if (read === 0) {
        // A pipe reads as ended both before its writer came and after it left.
        if (writerSeen || size > 0) return Buffer.concat(chunks, size);
        if (Date.now() > deadline) throw notRegular(`it is a named pipe no program wrote to within ${PIPE_WRITER_WAIT_MS / 1000} s`);
        sleepSync(10);
        continue;
      }
      size += read;
      if (size > limit) return 'too-large';
      chunks.push(chunk.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
}

/** Why a file a user named could not be read, in words, and the error code that says it. */
export function unreadableFile(error: unknown): { code: 'FILE_NOT_FOUND' | 'FILE_UNREADABLE'; why: string } {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { code: 'FILE_NOT_FOUND', why: 'no such file' };
  // Opening a socket is ENXIO ("no such device or address"), which names nothing the user sees; so is
  // a device with nothing behind it (`/dev/tty` without a terminal): say what the path is.
  if (code === 'ENXIO') return { code: 'FILE_UNREADABLE', why: `it is ${enxioKind((error as NodeJS.ErrnoException).path)}; expected a regular file` };
  return { code: 'FILE_UNREADABLE', why: code === 'EISDIR' ? 'it is a folder' : (error as Error).message };
}

/** What a path that could not be opened (ENXIO) is: a socket, or a device with nothing behind it. */
function enxioKind(path: string | undefined): string {
  try {
    return (path !== undefined && notRegularFile(statSync(path))) || 'a socket';
  } catch {
    return 'a socket';
  }
}
