/**
 * How a journal (versions 2 to 4) writes what a reader can restore, so that a run writes less
 * without a reader losing anything: an event's time (`EventClock`), an answer's text repeated in
 * the message it became (`AnswerTexts`), fields that repeat the line of their type before
 * (`RepeatedFields`) and implied events (`ImpliedLines`); what the lines before a line give is
 * in `journal-context.ts`. Writer and reader go through the lines in file order, each with its
 * own instance, and keep the same state. The rules a line's fields follow are written in one pass
 * by `JournalLineWriter` (`journal-writer.ts`); each class here reads its rule back.
 */

/** The journal's own record types; every other `type` is a run event. */
export const RECORD_TYPES = ['run-info', 'sop-text', 'workspace-files', 'first-write', 'sop-changed', 'call-answered', 'approval-given', 'round-commit', 'snapshot', 'run-closed'] as const;
const JOURNAL_RECORDS: ReadonlySet<string> = new Set(RECORD_TYPES);

/** The journal version from which an event at the time of the line before has no `"t"`. */
const ZERO_OMITTED_FROM = 3;

export function isEvent(record: { type: string }): boolean {
  return !JOURNAL_RECORDS.has(record.type);
}

/** `2026-12-03T10:00:00.000Z`, and its part up to the minute. */
const ISO_LENGTH = 24;
const MINUTE_LENGTH = 17;

/**
 * Event times on disk (version 2): an event whose last field is its ISO `time` is written with
 * `"t"`, the milliseconds since the time of the line before that had one (the first: since 1970),
 * instead: `"t":0` for most events rather than 33 characters each. Readers put `time` back, exactly
 * (`"t"` is written only when the ISO text is what `toISOString` gives for it). Lines with a
 * `time` string (version 1, or a time that is not in that form) set the clock too, so writer and
 * reader, which both go through the lines in order, keep the same clock.
 *
 * From version 3 on (its `run-info` line says so, and the clock follows it), an event at the time
 * of the line before (most are) has no `"t"` at all, and an event without a time says so with
 * `"t":null`.
 */
export class EventClock {
  /** The last time parsed, its text (events of one millisecond share one string) and whether it is in `toISOString`'s form. */
  private lastText = '';
  private lastParsed = Number.NaN;
  private lastCanonical = false;
  /** The minute of the last canonical time parsed in full (`2026-12-03T10:00:`) and its ms: times in it are read from their last five digits. */
  private minute = '';
  private minuteMs = 0;

  /**
   * @param ms the time of the last line with one (a journal continued after a resume: the reader's)
   * @param zeroOmitted events at the time of the line before have no `"t"` (version 3 on)
   */
  constructor(
    public ms = 0,
    public zeroOmitted = false,
  ) {}

  /**
   * Writer: follows a line's `time` and gives its milliseconds since the line before's when they
   * read back exactly (the time is in `toISOString`'s form), else undefined.
   */
  advance(time: string): number | undefined {
    const ms = this.parse(time);
    if (Number.isNaN(ms)) return undefined;
    const delta = ms - this.ms;
    this.ms = ms;
    return this.lastCanonical ? delta : undefined;
  }

  /** Puts a line's `time` back from its `"t"`, or its absence (and follows a `time` string). */
  decode(line: Record<string, unknown> & { type: string }): void {
    this.followVersion(line);
    const delta = line['t'];
    if (typeof delta === 'number' && !('time' in line)) {
      this.ms += delta;
      delete line['t'];
      line['time'] = new Date(this.ms).toISOString();
    } else if (typeof line['time'] === 'string') {
      const ms = this.parse(line['time']);
      if (!Number.isNaN(ms)) this.ms = ms;
    } else if (this.zeroOmitted && isEvent(line) && !('time' in line)) {
      if (delta === null) delete line['t'];
      else if (delta === undefined) line['time'] = new Date(this.ms).toISOString();
    }
  }

  /** A `run-info` line names the journal's version: from 3 on, zero deltas are not written. */
  followVersion(record: object & { type: string }): void {
    if (record.type !== 'run-info') return;
    const version = (record as { journalVersion?: unknown }).journalVersion;
    this.zeroOmitted = typeof version === 'number' && version >= ZERO_OMITTED_FROM;
  }

  private parse(time: string): number {
    if (time === this.lastText) return this.lastParsed;
    this.lastText = time;
    const withinMinute = time.startsWith(this.minute) && this.minute !== '' ? secondsAndMs(time) : undefined;
    if (withinMinute !== undefined) {
      this.lastParsed = this.minuteMs + withinMinute;
      this.lastCanonical = true;
      return this.lastParsed;
    }
    this.lastParsed = Date.parse(time);
    this.lastCanonical = !Number.isNaN(this.lastParsed) && new Date(this.lastParsed).toISOString() === time;
    const own = this.lastCanonical ? secondsAndMs(time) : undefined;
    if (own !== undefined) {
      this.minute = time.slice(0, MINUTE_LENGTH);
      this.minuteMs = this.lastParsed - own;
    }
    return this.lastParsed;
  }
}

/** `SSmmm` of a time of the form `...T10:00:SS.mmmZ` as ms (seconds 00-59); undefined for any other text. */
function secondsAndMs(time: string): number | undefined {
  if (time.length !== ISO_LENGTH || time[19] !== '.' || time[23] !== 'Z') return undefined;
  let value = 0;
  for (const at of [17, 18, 20, 21, 22]) {
    const digit = time.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return value < 60_000 ? value : undefined;
}

/** A request key, a sha256, in hex (how the runtime made it until 2026-12-04, and journals before version 3 have it). */
const HEX_KEY = /^[0-9a-f]{64}$/;

/**
 * A `call-answered` line's request key, a sha256, is base64url (43 characters instead of 64 hex
 * digits, version 3): the runtime makes it so (`requestKey`), and it is written as it is. A hex
 * key (an older journal's, a migrated run folder's) is written in base64url and read back so too,
 * so that it matches the key the runtime makes for the same request. A key of any other form is
 * written and read as it is.
 */
export const AnswerKeys = {
  /** Writer: the key as written (only a 64-character key is looked at again). */
  encode(key: string): string {
    return key.length === 64 && HEX_KEY.test(key) ? Buffer.from(key, 'hex').toString('base64url') : key;
  },
  /** Reader: a `call-answered` line's hex key in base64url. */
  decode(line: Record<string, unknown> & { type: string }): void {
    const key = line['key'];
    if (line.type === 'call-answered' && typeof key === 'string' && key.length === 64 && HEX_KEY.test(key)) line['key'] = Buffer.from(key, 'hex').toString('base64url');
  },
};

/** Answer texts shorter than this are written again (a reference would save little). */
const NAMED_TEXT_MIN = 64;

/**
 * A `message-published` line whose message content is the text of an answer journaled in the same
 * round (an action's text output, as answered) names that `call-answered` line instead of
 * repeating the text: `"content":{"answer":<seq>}`. The reader puts the text back (a name that is
 * not an earlier answer's line is damage). The text of a long answer is then written once.
 */
export class AnswerTexts {
  /** Writer: this round's answer texts (long enough to name) and the seq of their line. */
  private readonly round = new Map<string, number>();
  /** Reader: every answer text long enough to be named, by the seq of its line. */
  private readonly bySeq = new Map<number, string>();

  /** Writer: an answer's line was made with this seq. */
  noteAnswer(text: unknown, seq: number): void {
    if (typeof text === 'string' && text.length >= NAMED_TEXT_MIN) this.round.set(text, seq);
  }

  /** Writer: the record to write, naming the answer its message repeats (a copy; the record is left as it is). */
  name(record: object & { type: string }): object & { type: string } {
    // No answer of the round is long enough to name (most rounds' are short): no text to look up.
    if (this.round.size === 0 || record.type !== 'message-published') return record;
    const message = (record as { message?: { content?: unknown } }).message;
    const seq = typeof message?.content === 'string' ? this.round.get(message.content) : undefined;
    return seq === undefined ? record : ({ ...record, message: { ...message, content: { answer: seq } } } as typeof record);
  }

  /** Writer: a round boundary was written; its answers are not named again. */
  endRound(): void {
    this.round.clear();
  }

  /** Reader: follows answer lines and puts named texts back; returns what is wrong with a name, if anything. */
  decode(line: Record<string, unknown> & { seq: number; type: string }): string | undefined {
    if (line.type === 'call-answered') {
      const text = line['text'];
      if (typeof text === 'string' && text.length >= NAMED_TEXT_MIN) this.bySeq.set(line.seq, text);
      return undefined;
    }
    if (line.type !== 'message-published') return undefined;
    const message = line['message'] as { content?: unknown } | null | undefined;
    const content = message?.content;
    if (content === null || typeof content !== 'object') return undefined;
    const seq = (content as { answer?: unknown }).answer;
    const text = typeof seq === 'number' ? this.bySeq.get(seq) : undefined;
    if (text === undefined) return `the message-published line names the answer of line ${JSON.stringify(seq)}, which is not an answered call before it`;
    (message as { content: unknown }).content = text;
    return undefined;
  }
}

/** Fields always written: what a line is about, for people and tools reading the file. */
export const ALWAYS_WRITTEN: ReadonlySet<string> = new Set(['type', 'time', 'round', 'role', 'action', 'message', 'key', 'text', 'gate', 'item', 'index', 'status', 'runId']);
/** Record types always written whole: state and what the run is (read alone, e.g. by `sop runs`), and rare ones. */
export const WHOLE_TYPES: ReadonlySet<string> = new Set(['run-info', 'sop-text', 'workspace-files', 'first-write', 'sop-changed', 'snapshot', 'round-commit', 'approval-given', 'run-closed']);
/** The mark of a line that leaves out fields equal to the line of its type before. */
export const REPEATS = '=';

/**
 * A line whose fields are those of the line of the same type before, in the same order, leaves
 * out the fields whose values repeat (numbers, text, booleans: a model call's purpose, model,
 * token counts, an action's outcome) and says so with `"=":1`; the reader takes them from that
 * line. What a line is about (round, role, action, message, key, time...) is always written, and
 * state records are always whole. Writer and reader keep the last line of each type; a journal
 * continued after a resume starts from the reader's (`JournalPosition.lastOfType`).
 */
export class RepeatedFields {
  private readonly last: Map<string, Record<string, unknown>>;
  /** The message each sender published last, as written (see `withRepeatedMessage`). */
  private readonly bySender = new Map<string, Record<string, unknown>>();

  constructor(last: Record<string, Record<string, unknown>> = {}) {
    this.last = new Map(Object.entries(last));
  }

  /** The last line of each type, fields as read (what a writer continuing the file starts from). */
  lastOfType(): Record<string, Record<string, unknown>> {
    return Object.fromEntries(this.last);
  }

  /** Reader: puts the fields a line left out back, in their order; returns what is wrong, if anything. */
  decode(line: Record<string, unknown> & { seq: number; type: string }): string | undefined {
    if (WHOLE_TYPES.has(line.type)) return undefined;
    const previous = this.last.get(line.type);
    if (line[REPEATS] !== undefined) {
      if (!previous || line[REPEATS] !== 1) return `the line repeats fields of the ${line.type} line before it, and there is none`;
      for (const key in line) {
        if (key !== 'seq' && key !== REPEATS && !(key in previous)) return `the line has the field ${key}, which the ${line.type} line it repeats has not`;
      }
      const whole: Record<string, unknown> = {};
      for (const key in previous) whole[key] = key in line ? line[key] : previous[key];
      const { seq } = line;
      for (const key of Object.keys(line)) delete line[key];
      Object.assign(line, { seq }, whole);
    }
    if (line.type === PUBLISHED) {
      // Named here, at its own line: the lines after it compare their messages with it.
      if ('message' in line && !isRecord(line['message'])) return NO_WHOLE_MESSAGE;
      const message = repeatedMessageBack(line['message'], previous?.['message'], this.bySender);
      if (typeof message === 'string') return message;
      line['message'] = message;
      this.noteSender(message);
    }
    const { seq: _seq, ...fields } = line;
    this.last.set(line.type, copyFields(fields));
    return undefined;
  }

  private noteSender(message: unknown): void {
    if (isRecord(message) && typeof message['from'] === 'string') this.bySender.set(message['from'], { ...message });
  }
}

export const PUBLISHED = 'message-published';
const NO_WHOLE_MESSAGE = 'the message-published line has no whole message (id, type, content, from, to, cause, round)';

/** The fields kept as a line's last of its type: a published message is copied (readers change its content, see `AnswerTexts`). */
export function copyFields(fields: Record<string, unknown>): Record<string, unknown> {
  const message = fields['message'];
  return fields['type'] === PUBLISHED && isRecord(message) ? { ...fields, message: { ...message } } : { ...fields };
}

/**
 * `message` with the fields equal to `before`'s left out (its `id` always written), marked
 * `"=":mark`; the message itself when none is. Version 4: a message whose fields are those of the
 * message its sender published last names that sender, `"=":"<role>"`, and leaves out its type and
 * sender too (a role mostly publishes one type); else it is compared with the message before (`"=":1`).
 */
export function withRepeatedFieldsOf(message: Record<string, unknown>, before: Record<string, unknown>, mark: string | number): Record<string, unknown> {
  const written: Record<string, unknown> = { [REPEATS]: mark };
  let leftOut = false;
  for (const key in message) {
    if (key !== 'id' && sameJson(message[key], before[key])) leftOut = true;
    else written[key] = message[key];
  }
  return leftOut ? written : message;
}

/**
 * Reader: a published message with the fields it left out put back (copies) from the message
 * before (`"=":1`) or the last message of the sender it names (`"=":"<role>"`); a string says what is wrong.
 */
function repeatedMessageBack(message: unknown, previous: unknown, bySender: ReadonlyMap<string, Record<string, unknown>>): unknown {
  if (!isRecord(message) || message[REPEATS] === undefined) return message;
  const mark = message[REPEATS];
  const before = typeof mark === 'string' ? bySender.get(mark) : previous;
  if (typeof mark === 'string' && !before) return `the message repeats fields of the last message of ${mark}, and there is none before it`;
  if (!isRecord(before) || (mark !== 1 && typeof mark !== 'string')) return 'the message repeats fields of the message published before it, and there is none';
  for (const key in message) {
    if (key !== REPEATS && !(key in before)) return `the message has the field ${key}, which the message it repeats has not`;
  }
  const whole: Record<string, unknown> = {};
  for (const key in before) whole[key] = key in message ? message[key] : structuredClone(before[key]);
  return whole;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Equal as JSON (the journal's values are JSON: same text, same value). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  // Compared in place when plain (a message's payload most often), not as two texts made to be compared.
  return samePlain(a, b, 0) ?? JSON.stringify(a) === JSON.stringify(b);
}

/** How deep `samePlain` goes before it leaves the comparison to the JSON texts. */
const PLAIN_DEPTH = 8;

/**
 * Whether two values are equal as JSON, when that is plain to see: arrays and plain objects (keys
 * in the same order) of texts, finite numbers, booleans and null. Undefined for anything JSON could
 * write otherwise than it is (a missing or undefined field, a `toJSON`, a class, NaN).
 */
function samePlain(a: unknown, b: unknown, depth: number): boolean | undefined {
  if (a === b) return true;
  const kind = plainKind(a);
  const other = plainKind(b);
  if (kind === undefined || other === undefined) return undefined;
  if (kind !== other) return false;
  // NaN and the infinities are written null.
  if (kind === 'value') return nonFinite(a) || nonFinite(b) ? undefined : false;
  if (depth >= PLAIN_DEPTH) return undefined;
  if (kind === 'array') {
    const left = a as unknown[];
    const right = b as unknown[];
    if (left.length !== right.length) return false;
    for (let index = 0; index < left.length; index += 1) {
      const same = samePlain(left[index], right[index], depth + 1);
      if (same !== true) return same;
    }
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  const otherKeys = Object.keys(right);
  if (keys.length !== otherKeys.length) return undefined;
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index] as string;
    if (key !== otherKeys[index]) return undefined;
    const same = samePlain(left[key], right[key], depth + 1);
    if (same !== true) return same;
  }
  return true;
}

function nonFinite(value: unknown): boolean {
  return typeof value === 'number' && !Number.isFinite(value);
}

/** 'value' for a text, a number, a boolean or null; 'array' or 'object' for a plain one; undefined for anything else. */
function plainKind(value: unknown): 'value' | 'array' | 'object' | undefined {
  if (value === null) return 'value';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return 'value';
    case 'object': {
      if (Array.isArray(value)) return 'array';
      const prototype = Object.getPrototypeOf(value);
      return prototype === Object.prototype || prototype === null ? 'object' : undefined;
    }
    default:
      return undefined;
  }
}

export function sameKeys(fields: Record<string, unknown>, previous: Record<string, unknown>): boolean {
  return hasKeyList(fields, Object.keys(previous));
}

/** True when `fields`' own keys are `before`, in its order. */
export function hasKeyList(fields: Record<string, unknown>, before: readonly string[]): boolean {
  // For-in gives a plain object's keys in Object.keys order.
  let index = 0;
  for (const key in fields) {
    if (!Object.hasOwn(fields, key) || key !== before[index]) return false;
    index += 1;
  }
  return index === before.length;
}


/**
 * Events a line implies after it (version 3), not written as lines of their own; their seqs are
 * counted all the same, so every event keeps its seq. An event is implied only when the reader
 * rebuilds it exactly (same round and time as its host, fields in their order):
 * - a `message-delivered` right after the `message-published` of its message: the published line
 *   says who received it, `"recipients":[...]`;
 * - a `round-end` right after an event of its round: that line says how many messages the round
 *   published, `"roundEnd":N`.
 */
export const ImpliedLines = {
  /** Writer: `host` with `next` folded in (a copy, `time` kept last), or undefined when `next` is not implied by it. */
  fold(host: object & { type: string }, next: object & { type: string }): (object & { type: string }) | undefined {
    const line = host as Record<string, unknown> & { type: string };
    const event = next as Record<string, unknown> & { type: string };
    if (event.type !== 'message-delivered' && event.type !== 'round-end') return undefined;
    if (JOURNAL_RECORDS.has(line.type) || typeof line['time'] !== 'string' || event['time'] !== line['time'] || event['round'] !== line['round']) return undefined;
    if (event.type === 'message-delivered' && line.type === 'message-published' && !('recipients' in line) && hasKeys(event, DELIVERED_KEYS)) {
      const message = line['message'] as { id?: unknown; type?: unknown } | null;
      const recipients = event['recipients'];
      if (message?.id !== event['message'] || message?.type !== event['messageType'] || !Array.isArray(recipients)) return undefined;
      return withBeforeTime(line, 'recipients', recipients) as typeof host;
    }
    if (event.type === 'round-end' && !('roundEnd' in line) && hasKeys(event, ROUND_END_KEYS) && typeof event['published'] === 'number') {
      return withBeforeTime(line, 'roundEnd', event['published']) as typeof host;
    }
    return undefined;
  },

  /** Reader: takes the implied fields off a decoded line and returns the events they stand for (seqs after the line's), or what is wrong. */
  unfold(line: Record<string, unknown> & { seq: number; type: string }): Array<Record<string, unknown> & { seq: number; type: string }> | string {
    if (JOURNAL_RECORDS.has(line.type)) return [];
    const implied: Array<Record<string, unknown> & { seq: number; type: string }> = [];
    const { round, time } = line;
    if (line.type === 'message-published' && 'recipients' in line) {
      const message = line['message'] as { id?: unknown; type?: unknown } | null;
      const recipients = line['recipients'];
      if (message === null || typeof message !== 'object' || typeof message.id !== 'string' || typeof message.type !== 'string') {
        return NO_WHOLE_MESSAGE;
      }
      delete line['recipients'];
      implied.push({ seq: line.seq + 1, type: 'message-delivered', round, message: message.id, messageType: message.type, recipients, time });
    }
    if ('roundEnd' in line) {
      const published = line['roundEnd'];
      delete line['roundEnd'];
      implied.push({ seq: line.seq + implied.length + 1, type: 'round-end', round, published, time });
    }
    return implied;
  },
};

/** A copy of `line` with `key` added before its `time` (kept last, where `EventClock` finds it). */
function withBeforeTime(line: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const name in line) if (name !== 'time') copy[name] = line[name];
  copy[key] = value;
  copy['time'] = line['time'];
  return copy;
}

const DELIVERED_KEYS = ['type', 'round', 'message', 'messageType', 'recipients', 'time'];
const ROUND_END_KEYS = ['type', 'round', 'published', 'time'];

function hasKeys(record: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(record);
  return own.length === keys.length && own.every((key, index) => key === keys[index]);
}
