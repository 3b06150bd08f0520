import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { guardWrite } from '../files/index.js';

/**
 * `events.jsonl`: append-only, one JSON object per line, each with a `seq` number.
 *
 * Durability choice: the runtime hands events over in batches (at every round boundary and when
 * the run ends), and each batch is one `write(2)` on a file descriptor kept open for the run.
 * No fsync: a process crash loses at most the events of the round in progress, a machine crash
 * may lose what the OS had not flushed. That keeps the per-event cost to building one string.
 */
export class EventLog {
  private fd: number | undefined;
  private seq = 0;
  /** Lines appended before the file was opened (`deferOpen`), written first when it opens. */
  private waiting = '';
  private closed = false;

  /**
   * Opens the file at once, or with `deferOpen` when `open()` is called: the run's own log is
   * created while the run waits for its first model call (see `RunStore.begin`), and keeps
   * what is appended until then in memory.
   */
  constructor(readonly file: string, options: { deferOpen?: boolean; continueLog?: boolean } = {}) {
    if (options.continueLog) this.continueExisting();
    if (!options.deferOpen) this.open();
  }

  /**
   * A resumed run appends to its log: numbering goes on from the last line's `seq`, and a line
   * torn by a crash is ended first so the next record starts on a line of its own.
   */
  private continueExisting(): void {
    let text = '';
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return;
    }
    if (text !== '' && !text.endsWith('\n')) this.waiting += '\n';
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    for (let index = lines.length - 1; index >= 0; index -= 1) {
      try {
        const seq = (JSON.parse(lines[index] as string) as { seq?: unknown }).seq;
        if (typeof seq === 'number') {
          this.seq = seq;
          return;
        }
      } catch {
        // torn line: look further back
      }
    }
  }

  /** Opens the file (once) and writes the lines appended so far. */
  open(): void {
    if (this.fd !== undefined || this.closed) return;
    const fd = guardWrite(this.file, () => openSync(this.file, 'a'));
    this.fd = fd;
    if (this.waiting !== '') {
      guardWrite(this.file, () => writeSync(fd, this.waiting));
      this.waiting = '';
    }
  }

  /** Appends records in order, numbering them; returns the last seq written. */
  append(records: ReadonlyArray<object>): number {
    if (records.length === 0 || this.closed) return this.seq;
    let text = '';
    for (const record of records) {
      this.seq += 1;
      text += `${JSON.stringify({ seq: this.seq, ...record })}\n`;
    }
    const fd = this.fd;
    if (fd === undefined) this.waiting += text;
    else guardWrite(this.file, () => writeSync(fd, text));
    return this.seq;
  }

  close(): void {
    this.closed = true;
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
