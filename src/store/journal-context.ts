/**
 * Version 4 of the journal's encoding: what a line leaves out because the lines before it give it,
 * what they were about (`ScopeFields`) and where a round began and how many messages it published
 * (`CommitFields`). Like the encodings in `journal-encoding.ts`, writer and reader go through the
 * lines in file order, each with its own instance, and keep the same state.
 */
import { isEvent, PUBLISHED, REPEATS, WHOLE_TYPES } from './journal-encoding.js';

/** What a line is about, in the order events write these fields first. */
export const SCOPE_FIELDS = ['round', 'role', 'action', 'message'] as const;
/** The mark of a line whose first scope fields are those of the lines before. */
export const IN_SCOPE = '^';
/** Keys a line's scope fields follow: its number, type and the repeat mark. */
export const FRAMING: ReadonlySet<string> = new Set(['seq', 'type', REPEATS]);

/**
 * Version 4: a line's first fields, when they are `round`, `role`, `action` and `message` in that
 * order (text or numbers), are its scope; a line whose first N scope fields are those the lines
 * before it last had leaves them out and says so with `"^":N` where they were (a model call's
 * lines repeat the round, role, action and message of the action's start, which repeats the round
 * of the round's start). Writer and reader keep the last value of each scope field; a journal
 * continued after a resume starts with none (its writer leaves out only what it wrote itself,
 * which the reader has too). State records are whole and leave the scope as it is.
 */
export class ScopeFields {
  /** The last value of each scope field, by its index in `SCOPE_FIELDS`. */
  private readonly values: Array<string | number | undefined> = [];

  /** Reader: puts a line's scope fields back where its `"^"` is; returns what is wrong, if anything. */
  decode(line: Record<string, unknown> & { seq: number; type: string }): string | undefined {
    if (WHOLE_TYPES.has(line.type)) return undefined;
    const same = line[IN_SCOPE];
    if (same !== undefined) {
      if (!Number.isInteger(same) || (same as number) < 1 || (same as number) > SCOPE_FIELDS.length) return `the line's "^" (${JSON.stringify(same)}) is not how many of round, role, action, message it takes from the lines before it`;
      const names = SCOPE_FIELDS.slice(0, same as number);
      const missing = names.findIndex((_, index) => this.values[index] === undefined);
      if (missing !== -1) return `the line takes its ${names[missing]} from the lines before it, and none of them has one`;
      const present = names.find((name) => name in line);
      if (present) return `the line takes its ${present} from the lines before it and has one of its own`;
      const whole: Record<string, unknown> = {};
      for (const key in line) {
        if (key !== IN_SCOPE) whole[key] = line[key];
        else names.forEach((name, index) => (whole[name] = this.values[index]));
      }
      for (const key of Object.keys(line)) delete line[key];
      Object.assign(line, whole);
    }
    this.follow(line, scopeLength(line));
    return undefined;
  }

  private follow(line: Record<string, unknown>, length: number): void {
    for (let index = 0; index < length; index += 1) this.values[index] = line[SCOPE_FIELDS[index] as string] as string | number;
  }
}

/** How many of the scope fields a line begins with (after its framing), in order, each text or a number. */
function scopeLength(line: Record<string, unknown>): number {
  let length = 0;
  for (const key in line) {
    if (length === 0 && FRAMING.has(key)) continue;
    const value = line[key];
    if (key !== SCOPE_FIELDS[length] || (typeof value !== 'string' && typeof value !== 'number')) break;
    length += 1;
    if (length === SCOPE_FIELDS.length) break;
  }
  return length;
}

/**
 * Version 4: a `round-commit` leaves out its `fromSeq` when it is the seq of the first line after
 * the boundary before it (a `round-commit` or `snapshot`) that is not an answer, a decision or what
 * the run is, and its `nextMessageId` when it is that boundary's plus the `message-published`
 * lines since: what a boundary's batch is but after a resume, whose interrupted round's lines stay
 * in the file. Writer and reader follow the lines in order; a continued journal's writer knows no
 * boundary yet and writes both until it has written one. A reader that cannot rebuild a field
 * leaves it out (the resume says what is missing).
 */
export class CommitFields {
  /** Whether a boundary was followed (`fromSeq` can be rebuilt), and its `nextMessageId` when it had one. */
  private boundary = false;
  private nextMessageId: number | undefined;
  /** Since the last boundary: the seq of the first event, and how many `message-published` lines. */
  private first: number | undefined;
  private published = 0;

  /** Writer: the record as given (numbered `seq`), a commit without what the reader rebuilds. */
  encode(record: object & { type: string }, seq: number): object & { type: string } {
    if (record.type !== 'round-commit') {
      this.follow(record, seq);
      return record;
    }
    const fields = record as Record<string, unknown>;
    const keys = Object.keys(fields);
    // Left out only where the reader puts them back: nextMessageId after round, fromSeq last.
    const dropNext = this.nextMessageId !== undefined && fields['nextMessageId'] === this.nextMessageId + this.published && keys[1] === 'round' && keys[2] === 'nextMessageId';
    const dropFrom = this.boundary && this.first !== undefined && fields['fromSeq'] === this.first && keys.at(-1) === 'fromSeq';
    this.follow(record, seq);
    if (!dropNext && !dropFrom) return record;
    const written: Record<string, unknown> = {};
    for (const key of keys) if (!(dropNext && key === 'nextMessageId') && !(dropFrom && key === 'fromSeq')) written[key] = fields[key];
    return written as object & { type: string };
  }

  /** Reader: puts back what a commit left out (when it can), and follows the line. */
  decode(line: Record<string, unknown> & { seq: number; type: string }): void {
    if (line.type === 'round-commit') {
      const next = !('nextMessageId' in line) && this.nextMessageId !== undefined ? this.nextMessageId + this.published : undefined;
      const from = !('fromSeq' in line) && this.boundary ? this.first : undefined;
      if (next !== undefined) {
        const whole: Record<string, unknown> = {};
        for (const key in line) {
          whole[key] = line[key];
          if (key === 'round') whole['nextMessageId'] = next;
        }
        for (const key of Object.keys(line)) delete line[key];
        Object.assign(line, whole);
      }
      if (from !== undefined) line['fromSeq'] = from;
    }
    this.follow(line, line.seq);
  }

  private follow(record: object & { type: string }, seq: number): void {
    if (record.type === 'round-commit' || record.type === 'snapshot') {
      const next = (record as { nextMessageId?: unknown }).nextMessageId;
      this.boundary = true;
      this.nextMessageId = typeof next === 'number' ? next : undefined;
      this.first = undefined;
      this.published = 0;
    } else if (isEvent(record)) {
      this.first ??= seq;
      if (record.type === PUBLISHED) this.published += 1;
    }
  }
}

