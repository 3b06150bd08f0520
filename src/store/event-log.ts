import { closeSync, openSync, writeSync } from 'node:fs';

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

  constructor(readonly file: string) {
    this.fd = openSync(file, 'a');
  }

  /** Appends records in order, numbering them; returns the last seq written. */
  append(records: ReadonlyArray<object>): number {
    if (records.length === 0 || this.fd === undefined) return this.seq;
    let text = '';
    for (const record of records) {
      this.seq += 1;
      text += `${JSON.stringify({ seq: this.seq, ...record })}\n`;
    }
    writeSync(this.fd, text);
    return this.seq;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
