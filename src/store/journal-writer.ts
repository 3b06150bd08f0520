/**
 * The writer's side of the journal's line format: what a line leaves out or abbreviates because
 * the lines before it give it, decided in one pass over its record. The reader's side, and what
 * each rule is, are in `journal-encoding.ts` (`EventClock`, `RepeatedFields`) and
 * `journal-context.ts` (`ScopeFields`, `CommitFields`); both sides go through the lines in file
 * order and keep the same state.
 *
 * One pass, because a run writes ~10 lines a step: the rules applied one after the other copied
 * each record three times and its text twice, ~40 % of a 5-step run's journal work.
 */
import { ALWAYS_WRITTEN, EventClock, hasKeyList, isEvent, isRecord, PUBLISHED, REPEATS, sameKeys, WHOLE_TYPES, withRepeatedFieldsOf } from './journal-encoding.js';
import { CommitFields, FRAMING, IN_SCOPE, SCOPE_FIELDS } from './journal-context.js';

type Fields = Record<string, unknown> & { type: string };

/** Where a continued journal's writer starts: the reader's clock and last line of each type. */
export interface LineWriterStart {
  timeMs?: number;
  zeroTimesOmitted?: boolean;
  lastOfType?: Record<string, Record<string, unknown>>;
}

/**
 * The last line of a type, as the next one is compared with it: its keys in order, their values as
 * given then, and a published message's copy. Kept as lists, not a copy of the record: a copy of
 * each event (its shape one of many) was the largest part of a line's cost after its text.
 */
interface LastLine {
  keys: readonly string[];
  values: readonly unknown[];
  message: unknown;
}

function lastLine(fields: Record<string, unknown>, keys: readonly string[]): LastLine {
  const message = fields['message'];
  // Own keys in their order: `Object.values` gives theirs.
  return { keys, values: Object.values(fields), message: fields['type'] === PUBLISHED && isRecord(message) ? { ...message } : message };
}

export class JournalLineWriter {
  private readonly clock: EventClock;
  private readonly commits = new CommitFields();
  /** `RepeatedFields`: the last line of each type as given, and each sender's last message. */
  private readonly last: Map<string, LastLine>;
  private readonly bySender = new Map<string, Record<string, unknown>>();
  /** `ScopeFields`: the last value of each scope field (a continued journal starts with none). */
  private readonly scope: Array<string | number | undefined> = [];

  constructor(start: LineWriterStart = {}) {
    this.clock = new EventClock(start.timeMs ?? 0, start.zeroTimesOmitted ?? false);
    this.last = new Map(Object.entries(start.lastOfType ?? {}).map(([type, fields]) => [type, lastLine(fields, Object.keys(fields))]));
  }

  /**
   * The line of `record` numbered `seq`, newline included: `seq` first, then the record's fields
   * in their order, less those the lines before give (the same text as stringifying
   * `{ seq, ...record }` and applying each rule to it). A record never has `seq`.
   */
  line(record: object & { type: string }, seq: number): string {
    const fields = this.commits.encode(record, seq) as Fields;
    const type = fields.type;
    this.clock.followVersion(fields);
    const whole = WHOLE_TYPES.has(type);
    let message = fields['message'];
    let previous: LastLine | undefined;
    let repeats = false;
    if (!whole) {
      previous = this.last.get(type);
      const sameKeys = previous !== undefined && hasKeyList(fields, previous.keys);
      // Its values as they are now: the caller may change its event afterwards; the reader keeps what was written.
      const last = lastLine(fields, sameKeys ? (previous as LastLine).keys : Object.keys(fields));
      this.last.set(type, last);
      if (type === PUBLISHED) message = this.publishedMessage(fields, previous?.message);
      repeats = sameKeys && someRepeated(last, previous as LastLine);
    }
    // The line's text is made here, field by field, not as an object stringified: building that
    // object one key at a time and stringifying it was most of a line's cost.
    let text = `{"seq":${seq}`;
    if (repeats) text += `,"type":${JSON.stringify(type)},"${REPEATS}":1`;
    /** The next scope field's index; -1 once the scope has ended (or for a whole record, which has none). */
    let scoped = whole ? -1 : 0;
    let same = 0;
    /** Where `"^":N` goes (the text up to it, and after it), once a scope field is left out. */
    let beforeScope: string | undefined;
    /** `time`, when it is the last field so far: written as `"t"` if nothing follows it (see `EventClock`). */
    let timeLast = false;
    /** The record has a field `t` (then its time is written as it is). */
    let ownT = false;
    /** The field's index among the record's keys (those of the line before when it repeats some). */
    let index = -1;
    for (const key in fields) {
      index += 1;
      if (repeats && key === 'type') continue;
      const value = key === 'message' ? message : fields[key];
      if (repeats && repeatsPrevious(key, value, (previous as LastLine).values[index])) continue;
      if (scoped >= 0 && !(scoped === 0 && FRAMING.has(key))) {
        if (key === SCOPE_FIELDS[scoped] && (typeof value === 'string' || typeof value === 'number')) {
          const index = scoped;
          scoped = index + 1 === SCOPE_FIELDS.length ? -1 : index + 1;
          const equal = same === index && value === this.scope[index];
          this.scope[index] = value;
          if (equal) {
            // `"^":N` where the round was.
            same += 1;
            beforeScope ??= text;
            text = beforeScope;
            continue;
          }
        } else scoped = -1;
      }
      if (same > 0 && beforeScope !== undefined) {
        text = `${beforeScope},"${IN_SCOPE}":${same}`;
        beforeScope = undefined;
      }
      const json = jsonValue(value);
      if (json === undefined) continue;
      if (timeLast) {
        text += `,"time":${JSON.stringify(fields['time'])}`;
        timeLast = false;
      }
      if (key === 'time' && typeof value === 'string') timeLast = true;
      else {
        if (key === 't') ownT = true;
        text += `,${jsonKey(key)}:${json}`;
      }
    }
    if (same > 0 && beforeScope !== undefined) text = `${beforeScope},"${IN_SCOPE}":${same}`;
    const time = fields['time'];
    if (typeof time === 'string') {
      const delta = this.clock.advance(time);
      if (timeLast) {
        if (delta === undefined || ownT) text += `,"time":${JSON.stringify(time)}`;
        else if (!(delta === 0 && this.clock.zeroOmitted && isEvent(fields))) text += `,"t":${delta}`;
      }
    } else if (this.clock.zeroOmitted && isEvent(fields) && !('time' in fields) && !ownT) text += ',"t":null';
    return `${text}}\n`;
  }

  /** A published message as written: its fields that repeat its sender's last message, or the message before, left out. */
  private publishedMessage(fields: Fields, before: unknown): unknown {
    const message = fields['message'];
    const sender = isRecord(message) && typeof message['from'] === 'string' ? message['from'] : undefined;
    const own = sender === undefined ? undefined : this.bySender.get(sender);
    if (sender !== undefined) this.bySender.set(sender, { ...(message as Record<string, unknown>) });
    if (!isRecord(message)) return message;
    if (own && sameKeys(message, own)) return withRepeatedFieldsOf(message, own, sender as string);
    return isRecord(before) && sameKeys(message, before) ? withRepeatedFieldsOf(message, before, 1) : message;
  }
}

/** A field the line leaves out: not one always written, and the same text, number, boolean or null as the line before's. */
function repeatsPrevious(key: string, value: unknown, previous: unknown): boolean {
  return !ALWAYS_WRITTEN.has(key) && value === previous && (value === null || typeof value !== 'object');
}

/** A field's value as JSON, as `JSON.stringify` writes it in an object; undefined for what it leaves out. */
function jsonValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? `${value}` : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      // Most are names and ids with nothing to escape: quoted as they are (a surrogate is escaped
      // by JSON.stringify when lone, so any leaves it to it).
      return value.length <= PLAIN_TEXT_MAX && !NEEDS_ESCAPE.test(value) ? `"${value}"` : JSON.stringify(value);
    case 'object':
      return JSON.stringify(value);
    default:
      // undefined, a function, a symbol; a bigint throws, as it does when the line is stringified whole.
      return typeof value === 'bigint' ? JSON.stringify(value) : undefined;
  }
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const PLAIN_TEXT_MAX = 256;

/** Field names as JSON, each made once (a line's fields are the events' few names). */
const KEYS = new Map<string, string>();
function jsonKey(key: string): string {
  let json = KEYS.get(key);
  if (json === undefined) {
    json = JSON.stringify(key);
    if (KEYS.size < 1000) KEYS.set(key, json);
  }
  return json;
}

/** Some field of `line` (keys in the order of `previous`'s) repeats `previous`'s value. */
function someRepeated(line: LastLine, previous: LastLine): boolean {
  const { keys, values } = line;
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index] as string;
    if (key !== 'type' && repeatsPrevious(key, values[index], previous.values[index])) return true;
  }
  return false;
}
