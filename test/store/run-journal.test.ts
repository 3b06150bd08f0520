import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, RunJournal, SNAPSHOT_AFTER_BYTES_RATIO, migrateOldRunFolder, readLines, readRunEvents, readRunJournal, type JournalEntry } from '../../src/store/index.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function runFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sop-journal-'));
  folders.push(dir);
  return dir;
}

/** The journal's lines as readers get them (fields a line left out as repeated put back). */
const lines = (dir: string): Array<Record<string, unknown>> => (readLines(path.join(dir, JOURNAL_FILE))?.records ?? []).map(({ record }) => record);

const answer = (round: number, key: string): JournalEntry => ({ round, key, text: `answer ${key}`, model: 'm', promptTokens: 1, completionTokens: 1, estimated: false });

describe('the run journal', () => {
  it('saves an answer by the end of the event-loop turn, before its promise settles; a boundary is one write of events, commit and a due snapshot; seq numbers every line', async () => {
    const dir = runFolder();
    const journal = new RunJournal(path.join(dir, JOURNAL_FILE));
    journal.appendBatch([{ type: 'run-start' }, { type: 'message-published', round: 0 }], { build: (seq) => ({ round: 0, eventSeq: seq - 1 }) });
    const saved = journal.answers.append(answer(1, 'a'));
    await saved;
    // On disk before the caller can use it: a kill -9 from now on keeps it.
    expect(lines(dir).at(-1)).toEqual({ seq: 4, type: 'call-answered', ...answer(1, 'a') });
    journal.approvals.append({ round: 1, key: 'g', decision: { kind: 'approve' } });
    journal.appendBatch([{ type: 'round-start', round: 1 }, { type: 'round-end', round: 1 }, { type: 'round-commit', round: 1 }], { build: () => ({ round: 1 }) });
    journal.close();
    expect(lines(dir)).toEqual([
      { seq: 1, type: 'run-start' },
      { seq: 2, type: 'message-published', round: 0 },
      { seq: 3, type: 'snapshot', round: 0, eventSeq: 2 },
      { seq: 4, type: 'call-answered', ...answer(1, 'a') },
      { seq: 5, type: 'approval-given', round: 1, key: 'g', decision: { kind: 'approve' } },
      { seq: 6, type: 'round-start', round: 1 },
      { seq: 7, type: 'round-end', round: 1 },
      // Its round's events are the lines from fromSeq on; no snapshot was due yet.
      { seq: 8, type: 'round-commit', round: 1, fromSeq: 6 },
    ]);
  });

  it('writes each line as `seq`, then `type`, then the record as given; lines appended before the file opens come first, in order', () => {
    const dir = runFolder();
    const journal = new RunJournal(path.join(dir, JOURNAL_FILE), { deferOpen: true });
    const event = { type: 'message-published', round: 0, message: { id: 'm0001', content: 'é "quoted"\n', payload: null } };
    journal.appendBatch([{ type: 'run-start' }, event], { build: (seq) => ({ round: 0, eventSeq: seq - 1 }) });
    journal.answers.append(answer(1, 'a'));
    journal.close();
    const text = readFileSync(path.join(dir, JOURNAL_FILE), 'utf8');
    expect(text).toBe(
      [{ seq: 1, type: 'run-start' }, { seq: 2, ...event }, { seq: 3, type: 'snapshot', round: 0, eventSeq: 2 }, { seq: 4, type: 'call-answered', ...answer(1, 'a') }]
        .map((line) => `${JSON.stringify(line)}\n`)
        .join(''),
    );
  });


  it('writes every value of a whole record as JSON.stringify does: escapes, a lone surrogate, non-finite numbers, a Date, fields without a JSON value, nested values', () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const record = {
      type: 'sop-changed',
      plain: 'run-1',
      quoted: 'a "b" \\ c\n\t\u0001',
      surrogate: 'x\ud800y',
      emoji: 'é 🙂',
      long: 'z'.repeat(300),
      nan: Number.NaN,
      infinite: Number.POSITIVE_INFINITY,
      negativeZero: -0,
      flag: false,
      none: null,
      when: new Date('2026-12-04T10:00:00.000Z'),
      skipped: () => 1,
      absent: undefined,
      nested: { list: [1, undefined, 'q"'], inner: { when: new Date(0) } },
    };
    const journal = new RunJournal(file);
    journal.appendBatch([record]);
    journal.close();
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify({ seq: 1, ...record })}\n`);
  });

  it('the records a journal starts with (`startWith`) are its first lines, whatever is appended or read first: a boundary, an answer, a decision, its last seq', async () => {
    const first = [{ type: 'run-info', id: 'r' }, { type: 'sop-text', text: 'name: x\n' }];
    const cases: Array<[string, (journal: RunJournal) => unknown, string]> = [
      ['a boundary', (journal) => journal.appendBatch([{ type: 'run-start' }]), 'run-start'],
      ['an answer', (journal) => journal.answers.append(answer(1, 'a')), 'call-answered'],
      ['a decision', (journal) => journal.approvals.append({ round: 1, key: 'g', decision: { kind: 'approve' } }), 'approval-given'],
    ];
    for (const [, append, type] of cases) {
      const dir = runFolder();
      const journal = new RunJournal(path.join(dir, JOURNAL_FILE), { deferOpen: true });
      let made = 0;
      journal.startWith(() => ((made += 1), first));
      expect(made).toBe(0);
      await append(journal);
      journal.open();
      journal.close();
      expect(made).toBe(1);
      expect(lines(dir).map((line) => [line.seq, line.type])).toEqual([[1, 'run-info'], [2, 'sop-text'], [3, type]]);
    }
    const journal = new RunJournal(path.join(runFolder(), JOURNAL_FILE), { deferOpen: true });
    journal.startWith(() => first);
    expect(journal.lastSeq).toBe(2);
    journal.close();
  });
  it(`writes a snapshot once the bytes appended since the last one pass ${SNAPSHOT_AFTER_BYTES_RATIO}x its size, and when forced`, () => {
    const dir = runFolder();
    const journal = new RunJournal(path.join(dir, JOURNAL_FILE));
    const state = { round: 0, messages: 'x'.repeat(200) };
    journal.appendBatch([{ type: 'round-commit', round: 0 }], { build: () => state });
    const snapshotBytes = Buffer.byteLength(JSON.stringify({ seq: 2, type: 'snapshot', ...state })) + 1;
    let rounds = 0;
    while (lines(dir).filter((line) => line['type'] === 'snapshot').length === 1) {
      rounds += 1;
      journal.appendBatch([{ type: 'message-published', text: 'y'.repeat(100) }, { type: 'round-commit', round: rounds }], { build: () => ({ ...state, round: rounds }) });
    }
    // Bytes as written (a line may leave out what readers put back).
    const size = (records: string[]): number => records.reduce((bytes, line) => bytes + Buffer.byteLength(line) + 1, 0);
    const written = readFileSync(path.join(dir, JOURNAL_FILE), 'utf8').trimEnd().split('\n');
    // The snapshot came with the first batch that took the bytes since the last one over the limit.
    const appended = size(written.slice(2, -1));
    expect(appended).toBeGreaterThan(SNAPSHOT_AFTER_BYTES_RATIO * snapshotBytes);
    expect(appended - size(written.slice(-3, -1))).toBeLessThanOrEqual(SNAPSHOT_AFTER_BYTES_RATIO * snapshotBytes);
    journal.appendBatch([{ type: 'run-end' }], { build: () => ({ ...state, status: 'completed' }), force: true });
    journal.close();
    expect(lines(dir).slice(-2).map((line) => line['type'])).toEqual(['run-end', 'snapshot']);
  });

  it('reads the last snapshot, the round-commits after it with their own events, and the answers of later rounds', () => {
    const dir = runFolder();
    const journal = new RunJournal(path.join(dir, JOURNAL_FILE));
    journal.appendBatch([{ type: 'run-start' }], { build: () => ({ round: 0 }) });
    journal.answers.append(answer(1, 'a'));
    journal.appendBatch([{ type: 'round-start', round: 1 }, { type: 'round-commit', round: 1 }]);
    journal.answers.append(answer(2, 'b'));
    // A batch torn before its commit (a crash mid-write): its events have no commit.
    journal.appendBatch([{ type: 'round-start', round: 2 }]);
    journal.approvals.append({ round: 2, key: 'g', decision: { kind: 'reject', feedback: 'more' } });
    journal.appendBatch([{ type: 'round-start', round: 2 }, { type: 'round-end', round: 2 }, { type: 'round-commit', round: 2 }]);
    journal.answers.append(answer(3, 'c'));
    journal.approvals.append({ round: 3, key: 'h', decision: { kind: 'approve' } });
    journal.close();

    const read = readRunJournal(dir);
    expect(read?.snapshot).toEqual({ seq: 2, type: 'snapshot', round: 0 });
    expect(read?.commits.map(({ commit, events }) => [commit['round'], events.map((event) => event.seq)])).toEqual([
      [1, [4]],
      [2, [9, 10]],
    ]);
    expect(read?.answers).toEqual([answer(3, 'c')]);
    expect(read?.approvals).toEqual([{ round: 3, key: 'h', decision: { kind: 'approve' } }]);
    expect(read?.position).toMatchObject({ seq: 13 });
    expect(read?.torn).toBe(false);
    expect(readRunEvents(dir).map((event) => event.seq)).toEqual([1, 4, 7, 9, 10]);
  });

  it('a run-closed line (version 5) says how the run ended until a boundary comes after it; one without a status is damage', () => {
    const dir = runFolder();
    const journal = new RunJournal(path.join(dir, JOURNAL_FILE));
    journal.appendBatch([{ type: 'run-start' }], { build: () => ({ round: 0 }) });
    journal.appendBatch([{ type: 'run-end' }, { type: 'run-closed', status: 'awaiting_approval', round: 0, awaiting: [{ gate: 'g' }] }]);
    expect(readRunJournal(dir)?.closed).toEqual({ status: 'awaiting_approval', awaiting: [{ gate: 'g' }] });
    // A resume went on (its events alone leave the run closed as it was, as a final snapshot did), then committed a round.
    journal.appendBatch([{ type: 'run-resume' }]);
    expect(readRunJournal(dir)?.closed).toEqual({ status: 'awaiting_approval', awaiting: [{ gate: 'g' }] });
    journal.appendBatch([{ type: 'round-start', round: 1 }, { type: 'round-commit', round: 1 }]);
    expect(readRunJournal(dir)?.closed).toBeUndefined();
    journal.appendBatch([{ type: 'run-closed', round: 1 }, { type: 'run-start' }]);
    journal.close();
    expect(() => readRunJournal(dir)).toThrow(expect.objectContaining({ code: 'RUN_JOURNAL_DAMAGED', message: expect.stringContaining('line 8 (seq 8): the run-closed line needs the status') }));
    // Not an event: readers of events never see it.
    expect(readRunEvents(dir).map((event) => event.type)).not.toContain('run-closed');
  });

  it('writes an event\'s time as "t", the ms since the line before; readers get the ISO time back exactly, also across a continued journal and after version 1 lines', () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    // A version 1 line first (ISO time as text): the clock follows it.
    writeFileSync(file, `${JSON.stringify({ seq: 1, type: 'run-start', time: '2026-12-03T10:00:00.000Z' })}\n`);
    const first = readRunJournal(dir);
    const journal = new RunJournal(file, { position: first?.position });
    const events = [
      { type: 'round-start', round: 1, time: '2026-12-03T10:00:00.000Z' },
      { type: 'action-start', round: 1, time: '2026-12-03T10:00:00.250Z' },
      // Not in toISOString's form: kept as text.
      { type: 'action-end', round: 1, time: '2026-12-03T10:00:01Z' },
      // Not the last field: kept as text.
      { type: 'note', time: '2026-12-03T10:00:02.000Z', round: 1 },
      { type: 'round-end', round: 1, time: '2026-12-03T10:00:02.500Z' },
      // Across a minute, a year, and back in time (another clock): each reads back exactly.
      ...['2026-12-03T10:00:59.999Z', '2026-12-03T10:01:00.000Z', '2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00.000Z', '2026-12-03T09:59:59.000Z'].map((time) => ({ type: 'tick', time })),
    ];
    journal.appendBatch(events.slice(0, 3));
    journal.close();
    const continued = new RunJournal(file, { position: readRunJournal(dir)?.position });
    continued.appendBatch(events.slice(3));
    continued.close();
    const text = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(text.slice(1)).toEqual([
      '{"seq":2,"type":"round-start","round":1,"t":0}',
      // The round of the line before: "^":1 (see the scope test below).
      '{"seq":3,"type":"action-start","^":1,"t":250}',
      '{"seq":4,"type":"action-end","^":1,"time":"2026-12-03T10:00:01Z"}',
      '{"seq":5,"type":"note","time":"2026-12-03T10:00:02.000Z","round":1}',
      '{"seq":6,"type":"round-end","round":1,"t":500}',
      '{"seq":7,"type":"tick","t":57499}',
      '{"seq":8,"type":"tick","t":1}',
      '{"seq":9,"type":"tick","t":2469539999}',
      '{"seq":10,"type":"tick","t":1}',
      '{"seq":11,"type":"tick","t":-2469601000}',
    ]);
    expect(readRunEvents(dir)).toEqual([{ seq: 1, type: 'run-start', time: '2026-12-03T10:00:00.000Z' }, ...events.map((event, index) => ({ seq: index + 2, ...event }))]);
  });

  it('from journal version 3 (its run-info line says so) an event at the time of the line before has no "t", and one without a time "t":null; readers get every time back, also across a continued journal; version 2 keeps "t":0', () => {
    const time = '2026-12-03T10:00:00.000Z';
    const later = '2026-12-03T10:00:00.250Z';
    const events = [
      { type: 'round-start', round: 1, time },
      { type: 'action-start', round: 1, time },
      { type: 'action-end', round: 1, time: later },
      { type: 'round-end', round: 1 },
      { type: 'run-end', status: 'completed', time: later },
    ];
    const written = (version: number): string[] => {
      const dir = runFolder();
      const file = path.join(dir, JOURNAL_FILE);
      const records = [{ type: 'run-info', journalVersion: version }, ...events];
      const journal = new RunJournal(file);
      journal.appendBatch(records.slice(0, 3));
      journal.close();
      const continued = new RunJournal(file, { position: readRunJournal(dir)?.position });
      continued.appendBatch(records.slice(3));
      continued.close();
      expect(readRunEvents(dir)).toEqual(events.map((event, index) => ({ seq: index + 2, ...event })));
      return readFileSync(file, 'utf8').trimEnd().split('\n').slice(1);
    };
    expect(written(3)).toEqual([
      `{"seq":2,"type":"round-start","round":1,"t":${Date.parse(time)}}`,
      '{"seq":3,"type":"action-start","^":1}',
      '{"seq":4,"type":"action-end","round":1,"t":250}',
      '{"seq":5,"type":"round-end","^":1,"t":null}',
      '{"seq":6,"type":"run-end","status":"completed"}',
    ]);
    expect(written(2).slice(1)).toEqual([
      '{"seq":3,"type":"action-start","^":1,"t":0}',
      '{"seq":4,"type":"action-end","round":1,"t":250}',
      '{"seq":5,"type":"round-end","^":1}',
      '{"seq":6,"type":"run-end","status":"completed","t":0}',
    ]);
  });

  it('an answer\'s request key, a sha256, is written in base64url (43 characters, not 64 hex digits) and read back so; a hex key (an older journal\'s) is read in base64url too; a key of another form is written and read as it is', async () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const hex = 'ecd27cb3dcaa6a4d4849493138d17933501f84afa98a1d894e57c0f08516c4bb';
    const base64url = Buffer.from(hex, 'hex').toString('base64url');
    const journal = new RunJournal(file);
    await journal.answers.append(answer(1, base64url));
    await journal.answers.append(answer(1, hex));
    await journal.answers.append(answer(1, 'not-a-sha256'));
    journal.close();
    const written = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as { key: string }).key);
    expect(written).toEqual([base64url, base64url, 'not-a-sha256']);
    expect(written[0]).toHaveLength(43);
    // A line written with its hex key, as version 2 wrote it.
    appendFileSync(file, `${JSON.stringify({ seq: 4, type: 'call-answered', ...answer(1, hex) })}\n`);
    expect(readRunJournal(dir)?.answers.map((entry) => entry.key)).toEqual([base64url, base64url, 'not-a-sha256', base64url]);
  });

  it('a message that repeats a long answer of its round names that answer\'s line instead of repeating its text; readers put the text back; a short one is written whole', async () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const long = `# Design\n${'a long answer, '.repeat(10)}`;
    const message = (id: string, content: string) => ({ id, type: 'Draft', content, payload: null, from: 'writer', to: null, cause: 'm0001', round: 1 });
    const journal = new RunJournal(file);
    journal.appendBatch([{ type: 'run-start' }]);
    await Promise.all([journal.answers.append({ ...answer(1, 'a'), text: long }), journal.answers.append({ ...answer(1, 'b'), text: 'short' })]);
    const events = [
      { type: 'message-published', round: 1, message: message('m0002', long) },
      { type: 'message-published', round: 1, message: message('m0003', 'short') },
      { type: 'round-commit', round: 1 },
    ];
    journal.appendBatch(events);
    // The next round names no answer of this one (a resumed round's messages come from replayed answers).
    journal.appendBatch([{ type: 'message-published', round: 2, message: message('m0004', long) }]);
    journal.close();
    const text = readFileSync(file, 'utf8');
    // The answer and round 2's message hold the text, round 1's message does not.
    expect(text.split(JSON.stringify(long)).length - 1).toBe(2);
    expect(JSON.parse(text.split('\n')[3] as string)).toMatchObject({ seq: 4, type: 'message-published', message: { id: 'm0002', content: { answer: 2 } } });
    expect(readRunEvents(dir).filter((event) => event.type === 'message-published').map((event) => (event['message'] as { content: string }).content)).toEqual([long, 'short', long]);
    writeFileSync(file, text.replace('"content":{"answer":2}', '"content":{"answer":3}'));
    expect(() => readRunEvents(dir)).toThrowError(
      expect.objectContaining({ code: 'RUN_JOURNAL_DAMAGED', message: `${file} is damaged at line 4 (seq 4): the message-published line names the answer of line 3, which is not an answered call before it` }),
    );
  });

  it('a line whose fields repeat those of the line of its type before leaves the repeated values out ("=":1); readers put them back in their order; what a line is about is always written', () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const call = (round: number, role: string, extra: object = {}) => ({ type: 'llm-call-end', round, role, action: role, purpose: 'action', model: 'm', promptTokens: 10, completionTokens: 5, estimated: true, ...extra });
    const records = [
      call(1, 'a'),
      call(2, 'b'),
      // Another value: written; another shape (a field more): whole.
      call(3, 'a', { promptTokens: 11 }),
      call(4, 'b', { promptTokens: 11, costUsd: 0.1 }),
      // Objects are always written (a list equal to the one before too).
      { type: 'round-start', round: 5, roles: ['a'] },
      { type: 'round-start', round: 6, roles: ['a'] },
    ];
    const journal = new RunJournal(file);
    journal.appendBatch(records.slice(0, 2));
    journal.close();
    // A continued journal goes on from the reader's last line of each type.
    const continued = new RunJournal(file, { position: readRunJournal(dir)?.position });
    continued.appendBatch(records.slice(2));
    continued.close();
    const raw = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(raw).toEqual([
      '{"seq":1,"type":"llm-call-end","round":1,"role":"a","action":"a","purpose":"action","model":"m","promptTokens":10,"completionTokens":5,"estimated":true}',
      '{"seq":2,"type":"llm-call-end","=":1,"round":2,"role":"b","action":"b"}',
      '{"seq":3,"type":"llm-call-end","=":1,"round":3,"role":"a","action":"a","promptTokens":11}',
      '{"seq":4,"type":"llm-call-end","round":4,"role":"b","action":"b","purpose":"action","model":"m","promptTokens":11,"completionTokens":5,"estimated":true,"costUsd":0.1}',
      '{"seq":5,"type":"round-start","round":5,"roles":["a"]}',
      '{"seq":6,"type":"round-start","round":6,"roles":["a"]}',
    ]);
    const read = readRunEvents(dir);
    expect(read).toEqual(records.map((record, index) => ({ seq: index + 1, ...record })));
    expect(read.map((record) => Object.keys(record))).toEqual(records.map((record) => ['seq', ...Object.keys(record)]));
    // A line that says it repeats, with nothing before it to repeat: damage.
    writeFileSync(file, `${raw[1]?.replace('"seq":2', '"seq":1')}\n`);
    expect(() => readRunEvents(dir)).toThrowError(expect.objectContaining({ code: 'RUN_JOURNAL_DAMAGED', message: `${file} is damaged at line 1 (seq 1): the line repeats fields of the llm-call-end line before it, and there is none` }));
  });

  it('a line is compared with the line of its type before as that line was written, whatever its record became since', () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const first = { type: 'llm-call-end', round: 1, role: 'a', model: 'm', promptTokens: 10, message: { id: 'm1' } };
    const journal = new RunJournal(file);
    journal.appendBatch([first]);
    // The caller changes its event once written: the next line still repeats what the file says.
    first.model = 'other';
    first.promptTokens = 99;
    journal.appendBatch([{ type: 'llm-call-end', round: 2, role: 'b', model: 'm', promptTokens: 11, message: { id: 'm1' } }]);
    journal.close();
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')[1]).toBe('{"seq":2,"type":"llm-call-end","=":1,"round":2,"role":"b","promptTokens":11,"message":{"id":"m1"}}');
    expect(readRunEvents(dir)[1]).toEqual({ seq: 2, type: 'llm-call-end', round: 2, role: 'b', model: 'm', promptTokens: 11, message: { id: 'm1' } });
  });

  it('a published message leaves out the fields equal to those of the message published before it ("=":1 inside it, its id always written); readers put them back in their order, as copies', () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const payload = { artifacts: ['docs/a.md'], language: null, item: null };
    const message = (id: string, content: string, extra: object = {}) => ({ id, type: 'Note', content, payload, from: 'a', to: null, cause: null, round: 1, ...extra });
    const records = [
      { type: 'message-published', round: 1, message: message('m0001', 'one') },
      { type: 'message-published', round: 1, message: message('m0002', 'two') },
      // Another payload: written, and compared with from then on.
      { type: 'message-published', round: 2, message: message('m0003', 'two', { payload: { artifacts: [] } }) },
      // A field more: whole.
      { type: 'message-published', round: 2, message: message('m0004', 'three', { extra: 1 }) },
    ];
    const journal = new RunJournal(file);
    journal.appendBatch(records.slice(0, 2));
    journal.close();
    const continued = new RunJournal(file, { position: readRunJournal(dir)?.position });
    continued.appendBatch(records.slice(2));
    continued.close();
    const written = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as { message: unknown }).message);
    expect(written).toEqual([
      records[0]?.message,
      // The sender's message before it (version 4): its type and sender left out too.
      { '=': 'a', id: 'm0002', content: 'two' },
      // A continued journal knows no sender's message yet: the message before it.
      { '=': 1, id: 'm0003', payload: { artifacts: [] } },
      records[3]?.message,
    ]);
    const read = readRunEvents(dir);
    expect(read).toEqual(records.map((record, index) => ({ seq: index + 1, ...record })));
    expect(read.map((record) => Object.keys(record['message'] as object))).toEqual(records.map((record) => Object.keys(record.message)));
    expect(read[1]?.['message']).not.toBe(read[0]?.['message']);
    expect((read[1]?.['message'] as { payload: unknown }).payload).not.toBe((read[0]?.['message'] as { payload: unknown }).payload);
    // A message that says it repeats, with no message before it: damage.
    const alone = (line: string): void => writeFileSync(file, `${line.replace(/"seq":\d+/, '"seq":1').replace('"^":1', '"round":1')}\n\n`);
    const [, second, third] = readFileSync(file, 'utf8').split('\n') as [string, string, string];
    alone(second);
    expect(() => readLines(file)).toThrow(expect.objectContaining({ code: 'RUN_JOURNAL_DAMAGED', message: expect.stringContaining('the message repeats fields of the last message of a, and there is none before it') }));
    alone(third);
    expect(() => readLines(file)).toThrow(expect.objectContaining({ code: 'RUN_JOURNAL_DAMAGED', message: expect.stringContaining('the message repeats fields of the message published before it, and there is none') }));
  });

  it('a published message field equal as JSON to the one before (a copy, a nested list, NaN where null was) is left out; one that differs anywhere inside is written', () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const message = (id: string, payload: unknown) => ({ id, type: 'Note', content: 'same', payload, from: 'a', to: null, cause: null, round: 1 });
    const records = [
      { type: 'message-published', round: 1, message: message('m0001', { list: [1, 'x', { deep: [true] }], n: null }) },
      { type: 'message-published', round: 1, message: message('m0002', { list: [1, 'x', { deep: [true] }], n: null }) },
      { type: 'message-published', round: 1, message: message('m0003', { list: [1, 'x', { deep: [false] }], n: null }) },
      { type: 'message-published', round: 1, message: message('m0004', { list: [1, 'x', { deep: [false] }], n: Number.NaN }) },
      { type: 'message-published', round: 1, message: message('m0005', { n: null, list: [1, 'x', { deep: [false] }] }) },
    ];
    const journal = new RunJournal(file);
    journal.appendBatch(records);
    journal.close();
    const raw = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(raw.map((line) => line.includes('"payload"'))).toEqual([true, false, true, false, true]);
    expect(readRunEvents(dir)).toEqual(records.map((record, index) => ({ seq: index + 1, ...JSON.parse(JSON.stringify(record)) })));
  });

  it('a message-published line whose message is not an object is damage at that line, not at the next message that repeats its fields', () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const message = (id: string) => ({ id, type: 'Note', content: id, payload: null, from: 'a', to: null, cause: null, round: 1 });
    const journal = new RunJournal(file);
    journal.appendBatch([{ type: 'message-published', round: 1, message: message('m0001') }, { type: 'message-published', round: 1, message: { ...message('m0002'), from: 'b' } }]);
    journal.close();
    const [first, second] = readFileSync(file, 'utf8').split('\n') as [string, string];
    expect(JSON.parse(second)).toMatchObject({ message: { '=': 1 } });
    writeFileSync(file, `${JSON.stringify({ ...(JSON.parse(first) as object), message: null })}\n${second}\n`);
    expect(() => readLines(file)).toThrow(expect.objectContaining({ code: 'RUN_JOURNAL_DAMAGED', message: `${file} is damaged at line 1 (seq 1): the message-published line has no whole message (id, type, content, from, to, cause, round)` }));
  });

  it('a published message whose fields are those of the last message of its sender names that sender ("=":"<role>", version 4) and leaves out its type and sender too; readers put them back', () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const message = (id: string, type: string, from: string, cause: string | null) => ({ id, type, content: `text of ${id}`, payload: null, from, to: null, cause, round: 1 });
    const records = [
      { type: 'message-published', round: 1, message: message('m0001', 'Ping', 'ping', null) },
      { type: 'message-published', round: 1, message: message('m0002', 'Pong', 'pong', 'm0001') },
      { type: 'message-published', round: 1, message: message('m0003', 'Ping', 'ping', 'm0002') },
      { type: 'message-published', round: 1, message: message('m0004', 'Pong', 'pong', 'm0003') },
    ];
    const journal = new RunJournal(file);
    journal.appendBatch(records);
    journal.close();
    const written = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as { message: unknown }).message);
    expect(written.slice(1)).toEqual([
      // No message of pong before it: compared with the message before.
      { '=': 1, id: 'm0002', type: 'Pong', content: 'text of m0002', from: 'pong', cause: 'm0001' },
      { '=': 'ping', id: 'm0003', content: 'text of m0003', cause: 'm0002' },
      { '=': 'pong', id: 'm0004', content: 'text of m0004', cause: 'm0003' },
    ]);
    const read = readRunEvents(dir);
    expect(read).toEqual(records.map((record, index) => ({ seq: index + 1, ...record })));
    expect(read.map((record) => Object.keys(record['message'] as object))).toEqual(records.map((record) => Object.keys(record.message)));
  });

  it('a line whose first fields (round, role, action, message, in that order) are those the lines before last had leaves them out, "^":N where they were (version 4); readers put them back in their order; a continued journal leaves out only what it wrote itself', () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const records = [
      { type: 'call-answered', round: 2, key: 'k', text: 'answer' },
      { type: 'round-start', round: 2, roles: ['a'] },
      { type: 'action-start', round: 2, role: 'a', action: 'x', message: 'm0001' },
      { type: 'llm-call-start', round: 2, role: 'a', action: 'x', purpose: 'action' },
      // The message of the action's start, two lines before: still in scope.
      { type: 'action-end', round: 2, role: 'a', action: 'x', message: 'm0001', outcome: 'published' },
      // Another role: only the round is left out; a field out of order ends the scope.
      { type: 'action-start', round: 2, role: 'b', action: 'x', message: 'm0001' },
      { type: 'tool-call', round: 2, action: 'x', role: 'b' },
      // State records are whole.
      { type: 'round-commit', round: 2 },
      { type: 'action-end', round: 2, role: 'b', action: 'x', message: 'm0001', outcome: 'published' },
    ];
    const journal = new RunJournal(file);
    journal.appendBatch(records.slice(0, 5));
    journal.close();
    const continued = new RunJournal(file, { position: readRunJournal(dir)?.position });
    continued.appendBatch(records.slice(5));
    continued.close();
    const raw = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(raw).toEqual([
      '{"seq":1,"type":"call-answered","round":2,"key":"k","text":"answer"}',
      '{"seq":2,"type":"round-start","^":1,"roles":["a"]}',
      '{"seq":3,"type":"action-start","^":1,"role":"a","action":"x","message":"m0001"}',
      '{"seq":4,"type":"llm-call-start","^":3,"purpose":"action"}',
      '{"seq":5,"type":"action-end","^":4,"outcome":"published"}',
      // Continued: nothing in scope yet.
      '{"seq":6,"type":"action-start","round":2,"role":"b","action":"x","message":"m0001"}',
      '{"seq":7,"type":"tool-call","^":1,"action":"x","role":"b"}',
      '{"seq":8,"type":"round-commit","round":2,"fromSeq":6}',
      // Both marks: the scope, and the outcome of the action-end before it.
      '{"seq":9,"type":"action-end","=":1,"^":4}',
    ]);
    const read = readLines(file)?.records.map(({ record }) => record) ?? [];
    const expected = records.map((record, index) => ({ seq: index + 1, ...record, ...(record.type === 'round-commit' ? { fromSeq: 6 } : {}) }));
    expect(read).toEqual(expected);
    expect(read.map((record) => Object.keys(record))).toEqual(expected.map((record) => Object.keys(record)));
    // A line that takes fields from the lines before, with none before it, or a count that is not one: damage.
    const alone = (line: string): void => writeFileSync(file, `${line.replace(/"seq":\d+/, '"seq":1')}\n\n`);
    alone(raw[3] as string);
    expect(() => readLines(file)).toThrow(expect.objectContaining({ code: 'RUN_JOURNAL_DAMAGED', message: expect.stringContaining('line 1 (seq 1): the line takes its round from the lines before it, and none of them has one') }));
    alone((raw[3] as string).replace('"^":3', '"^":5'));
    expect(() => readLines(file)).toThrow(expect.objectContaining({ code: 'RUN_JOURNAL_DAMAGED', message: expect.stringContaining('the line\'s "^" (5) is not how many of round, role, action, message it takes from the lines before it') }));
  });

  it('leaves out a repeated field that sits between scope fields and still finds the scope after it; records of another form (type not first, a field after time without a value) are written as the encodings say, and read back as given', () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const time = '2026-12-04T10:00:00.000Z';
    const records = [
      { type: 'run-info', journalVersion: 4 },
      { type: 'custom', round: 1, purpose: 'p', role: 'a', time },
      // purpose repeats: left out, so round and role are the scope; only the round is the one before.
      { type: 'custom', round: 1, purpose: 'p', role: 'a', time },
      { type: 'custom', round: 1, purpose: 'q', role: 'a', time },
      // type not first: written in its own order.
      { round: 1, type: 'odd', role: 'a', time },
      // A field without a value after time: time is still the last written, and goes as the clock says.
      { type: 'custom', round: 2, role: 'b', time, extra: undefined },
    ];
    const journal = new RunJournal(file);
    journal.appendBatch(records as Array<{ type: string }>);
    journal.close();
    const raw = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(raw.slice(1)).toEqual([
      `{"seq":2,"type":"custom","round":1,"purpose":"p","role":"a","t":${Date.parse(time)}}`,
      '{"seq":3,"type":"custom","=":1,"^":1,"role":"a"}',
      '{"seq":4,"type":"custom","^":1,"purpose":"q","role":"a"}',
      '{"seq":5,"^":1,"type":"odd","role":"a"}',
      '{"seq":6,"type":"custom","round":2,"role":"b"}',
    ]);
    const read = readLines(file)?.records.map(({ record }) => record) ?? [];
    const expected = records.map((record, index) => ({ seq: index + 1, ...record }));
    expect(read).toEqual(expected);
    expect(read.map((record) => Object.keys(record))).toEqual(expected.map((record) => Object.keys(record).filter((key) => key !== 'extra')));
  });

  it('a round-commit leaves out fromSeq and nextMessageId when the lines since the boundary before it give them (version 4); readers put them back; after a resume (the interrupted round\'s lines stay) both are written', () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const published = (id: string) => ({ type: 'message-published', message: { id } });
    const journal = new RunJournal(file);
    journal.appendBatch([{ type: 'run-start' }, published('m0001')], { build: () => ({ round: 0, nextMessageId: 1 }) });
    journal.answers.append(answer(1, 'a'));
    journal.appendBatch([{ type: 'round-start', round: 1 }, published('m0002'), published('m0003'), { type: 'round-commit', round: 1, nextMessageId: 3 }]);
    // A round that published nothing; then the interrupted round.
    journal.appendBatch([{ type: 'round-start', round: 2 }, { type: 'round-commit', round: 2, nextMessageId: 3, counters: { offlineAnswered: true } }]);
    journal.appendBatch([{ type: 'round-start', round: 3 }, published('m0004')]);
    journal.close();
    const continued = new RunJournal(file, { position: readRunJournal(dir)?.position });
    continued.appendBatch([{ type: 'run-resume', round: 3 }, published('m0004'), { type: 'round-commit', round: 3, nextMessageId: 4 }]);
    continued.appendBatch([{ type: 'round-start', round: 4 }, published('m0005'), { type: 'round-commit', round: 4, nextMessageId: 5 }]);
    continued.close();
    const commits = (records: Array<Record<string, unknown>>) => records.filter((line) => line['type'] === 'round-commit');
    expect(commits(readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>))).toEqual([
      { seq: 8, type: 'round-commit', round: 1 },
      { seq: 10, type: 'round-commit', round: 2, counters: { offlineAnswered: true } },
      // The resumed writer knows no boundary yet; then it does.
      { seq: 15, type: 'round-commit', round: 3, nextMessageId: 4, fromSeq: 13 },
      { seq: 18, type: 'round-commit', round: 4 },
    ]);
    const read = commits(lines(dir));
    expect(read).toEqual([
      { seq: 8, type: 'round-commit', round: 1, nextMessageId: 3, fromSeq: 5 },
      { seq: 10, type: 'round-commit', round: 2, nextMessageId: 3, counters: { offlineAnswered: true }, fromSeq: 9 },
      { seq: 15, type: 'round-commit', round: 3, nextMessageId: 4, fromSeq: 13 },
      { seq: 18, type: 'round-commit', round: 4, nextMessageId: 5, fromSeq: 16 },
    ]);
    expect(read.map((line) => Object.keys(line))).toEqual(read.map((line) => ['seq', 'type', 'round', 'nextMessageId', ...('counters' in line ? ['counters'] : []), 'fromSeq']));
    // Each commit's events: the interrupted round's (seq 11, 12) belong to none.
    expect(readRunJournal(dir)?.commits.map(({ events }) => events.map((event) => event.seq))).toEqual([[5, 6, 7], [9], [13, 14], [16, 17]]);
  });

  it('a message-delivered after its message-published, and a round-end after an event of its round, at the same time, are implied by that line: not written, their seqs kept; readers get every event back as it was', () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const time = '2026-12-03T10:00:00.000Z';
    const later = '2026-12-03T10:00:00.005Z';
    const message = (id: string, type: string) => ({ id, type, content: 'text', payload: null, from: 'a', to: null, cause: null, round: 1 });
    const records = [
      { type: 'round-start', round: 1, roles: ['a'], time },
      { type: 'message-published', round: 1, message: message('m0002', 'Ping'), time },
      { type: 'message-delivered', round: 1, message: 'm0002', messageType: 'Ping', recipients: ['b', 'c'], time },
      // Not the message before it: written.
      { type: 'message-published', round: 1, message: message('m0003', 'Pong'), time },
      { type: 'message-delivered', round: 1, message: 'm0002', messageType: 'Ping', recipients: ['b'], time },
      // A later time: written.
      { type: 'message-published', round: 1, message: message('m0004', 'Ping'), time },
      { type: 'message-delivered', round: 1, message: 'm0004', messageType: 'Ping', recipients: ['b'], time: later },
      { type: 'round-end', round: 1, published: 3, time: later },
      { type: 'round-commit', round: 1, nextMessageId: 4 },
      // Another round, and a field more: written.
      { type: 'round-start', round: 2, roles: ['a'], time: later },
      { type: 'round-end', round: 3, published: 0, time: later },
      { type: 'round-end', round: 3, published: 0, halted: true, time: later },
    ];
    const journal = new RunJournal(file);
    journal.appendBatch(records.slice(0, 6));
    journal.close();
    const continued = new RunJournal(file, { position: readRunJournal(dir)?.position });
    continued.appendBatch(records.slice(6));
    continued.close();
    const raw = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    // Each line: seq, type, and the events it implies (who received its message, the round's end).
    expect(raw.map((line) => [line['seq'], line['type'], line['type'] === 'message-published' ? line['recipients'] : undefined, line['roundEnd']])).toEqual([
      [1, 'round-start', undefined, undefined],
      [2, 'message-published', ['b', 'c'], undefined],
      [4, 'message-published', undefined, undefined],
      [5, 'message-delivered', undefined, undefined],
      [6, 'message-published', undefined, undefined],
      [7, 'message-delivered', undefined, 3],
      [9, 'round-commit', undefined, undefined],
      [10, 'round-start', undefined, undefined],
      [11, 'round-end', undefined, undefined],
      [12, 'round-end', undefined, undefined],
    ]);
    const events = records.map((record, index) => ({ seq: index + 1, ...record })).filter((record) => record.type !== 'round-commit');
    const read = readRunEvents(dir);
    expect(read).toEqual(events);
    expect(read.map((record) => Object.keys(record))).toEqual(events.map((record) => Object.keys(record)));
    expect(readLines(file)?.records.map(({ record, line }) => [record.seq, line])).toEqual([[1, 1], [2, 2], [3, 2], [4, 3], [5, 4], [6, 5], [7, 6], [8, 6], [9, 7], [10, 8], [11, 9], [12, 10]]);
    // A published line implying a delivery without a whole message: damage, named by its line and seq.
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, [lines[0], lines[1]?.replace(/"message":\{[^}]*\}/, '"message":null'), ...lines.slice(2)].join('\n'));
    expect(() => readLines(file)).toThrow(expect.objectContaining({ code: 'RUN_JOURNAL_DAMAGED', message: expect.stringContaining('is damaged at line 2 (seq 2): the message-published line has no whole message') }));
  });

  it('puts back the messages a snapshot names by the seq of their message-published line; a seq naming no such line before it is damage', () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const message = { id: 'm0001', type: 'Idea', content: 'an idea', payload: null, from: 'user', to: null, cause: null, round: 0 };
    const journal = new RunJournal(file);
    journal.appendBatch([{ type: 'run-start' }, { type: 'message-published', round: 0, message }], { build: () => ({ round: 0, messages: [2], pending: [2], memories: {} }) });
    journal.close();
    expect(readRunJournal(dir)?.snapshot).toEqual({ seq: 3, type: 'snapshot', round: 0, messages: [message], pending: [message], memories: {} });
    writeFileSync(file, readFileSync(file, 'utf8').replace('"messages":[2]', '"messages":[1]'));
    expect(() => readRunJournal(dir)).toThrowError(
      expect.objectContaining({ code: 'RUN_JOURNAL_DAMAGED', message: `${file} is damaged at line 3 (seq 3): the snapshot names the message of line 1, which is not a message-published line before it` }),
    );
  });

  it.each([
    ['cut inside a line (no newline at its end)', (line: string) => line.slice(0, 20)],
    ['a last line that is not JSON (zeros after a power loss)', () => '\0\0\0\0\n'],
  ])('ignores a torn last line, %s; continuing the journal cuts it off and numbering goes on', (_, torn) => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const journal = new RunJournal(file);
    journal.appendBatch([{ type: 'run-start' }, { type: 'round-commit', round: 0 }], { build: () => ({ round: 0 }) });
    journal.close();
    const whole = readFileSync(file, 'utf8');
    appendFileSync(file, torn(JSON.stringify({ seq: 4, type: 'call-answered', ...answer(1, 'lost') })));

    const read = readRunJournal(dir);
    expect(read?.torn).toBe(true);
    expect(read?.answers).toEqual([]);
    expect(read?.position).toMatchObject({ seq: 3, bytes: Buffer.byteLength(whole) });
    expect(readRunEvents(dir).map((event) => event.type)).toEqual(['run-start']);

    const continued = new RunJournal(file, { position: read?.position });
    continued.answers.append(answer(1, 'again'));
    continued.close();
    expect(readFileSync(file, 'utf8')).toBe(`${whole}${JSON.stringify({ seq: 4, type: 'call-answered', ...answer(1, 'again') })}\n`);
  });

  describe('a damaged journal is refused, naming the file, the line, its seq and what is wrong', () => {
    /** A journal as a run writes it: a snapshot, an answered call, two round boundaries. */
    function written(): { dir: string; file: string; text: string[] } {
      const dir = runFolder();
      const file = path.join(dir, JOURNAL_FILE);
      const journal = new RunJournal(file);
      journal.appendBatch([{ type: 'run-start' }, { type: 'message-published', round: 0 }], { build: () => ({ round: 0 }) });
      journal.answers.append(answer(1, 'a'));
      journal.approvals.append({ round: 1, key: 'g', decision: { kind: 'approve' } });
      journal.appendBatch([{ type: 'round-start', round: 1 }, { type: 'round-commit', round: 1 }]);
      journal.appendBatch([{ type: 'round-start', round: 2 }, { type: 'round-commit', round: 2 }]);
      journal.close();
      return { dir, file, text: readFileSync(file, 'utf8').split('\n').slice(0, -1) };
    }
    const write = (file: string, lines: string[]): void => writeFileSync(file, `${lines.join('\n')}\n`);
    const change = (lines: string[], index: number, edit: (record: Record<string, unknown>) => unknown): string[] =>
      lines.map((line, at) => (at === index ? JSON.stringify(edit(JSON.parse(line) as Record<string, unknown>)) : line));

    it.each([
      // Two characters replaced inside a line before the last: no longer JSON.
      ['a line before the last that is not JSON', (lines: string[]) => lines.map((line, at) => (at === 4 ? line.replace('"seq":5,', '"seq"5,') : line)), 'line 5: the line is not a journal record'],
      ['an empty line before the last', (lines: string[]) => [...lines.slice(0, 2), '', ...lines.slice(2)], 'line 3: the line is not a journal record'],
      ['a repeated last line', (lines: string[]) => [...lines, lines.at(-1) as string], 'line 10 (seq 9): the line repeats an earlier seq: seq 10 belongs there'],
      ['a missing line (a seq gap)', (lines: string[]) => [...lines.slice(0, 3), ...lines.slice(4)], 'line 4 (seq 5): the line skips a seq: seq 4 belongs there'],
      ['a call-answered line without its text', (lines: string[]) => change(lines, 3, ({ text: _text, ...record }) => record), 'line 4 (seq 4): the call-answered line needs round, key and text'],
      ['an approval-given line whose decision is null', (lines: string[]) => change(lines, 4, (record) => ({ ...record, decision: null })), 'line 5 (seq 5): the approval-given line needs round, key and a decision'],
      ['a round-commit whose fromSeq is before the last boundary', (lines: string[]) => change(lines, 6, (record) => ({ ...record, fromSeq: 2 })), 'line 7 (seq 7): the round-commit\'s fromSeq (2) must be'],
      ['a round-commit for an earlier round', (lines: string[]) => change(lines, 8, (record) => ({ ...record, round: 1 })), 'line 9 (seq 9): the round-commit needs a round after the last boundary\'s (1), not 1'],
      ['a snapshot without a round', (lines: string[]) => change(lines, 2, ({ round: _round, ...record }) => record), 'line 3 (seq 3): the snapshot has no round'],
    ])('%s', (_, damage, what) => {
      const { dir, file, text } = written();
      write(file, damage(text));
      let error: unknown;
      try {
        readRunJournal(dir);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toMatchObject({ code: 'RUN_JOURNAL_DAMAGED', message: expect.stringContaining(`${file} is damaged at ${what}`), hint: expect.stringMatching(/cannot be resumed safely.*restore the file.*run it again with `sop run`.*response cache/) });
    });

    it('a torn last line stays ignored (no newline, or not JSON)', () => {
      const { dir, file, text } = written();
      write(file, [...text, '{"seq":10,"ty\0\0']);
      expect(readRunJournal(dir)).toMatchObject({ torn: true, position: { seq: 9 } });
    });
  });

  it('continuing a journal another process wrote to since it was read is refused, and the file is left as it is', () => {
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const first = new RunJournal(file);
    first.appendBatch([{ type: 'run-start' }], { build: () => ({ round: 0 }) });
    first.close();
    const stale = readRunJournal(dir)?.position;
    // Another process resumed the run meanwhile and appended to it.
    const other = new RunJournal(file, { position: readRunJournal(dir)?.position });
    other.appendBatch([{ type: 'round-commit', round: 1 }]);
    other.close();
    const after = readFileSync(file, 'utf8');
    expect(() => new RunJournal(file, { position: stale })).toThrow(
      expect.objectContaining({ code: 'RUN_NOT_RESUMABLE', message: expect.stringContaining(`${file} changed since its resume point was read (${stale?.fileBytes} bytes, seq 2; now ${Buffer.byteLength(after)} bytes)`) }),
    );
    expect(readFileSync(file, 'utf8')).toBe(after);
  });

  it('answers of one event-loop turn share one write (a group commit) and settle together once it is done; anything else written first writes them first', async () => {
    const dir = runFolder();
    const journal = new RunJournal(path.join(dir, JOURNAL_FILE));
    journal.appendBatch([{ type: 'run-start' }]);
    // Twenty answers arriving in one turn (as timers or sockets of one event-loop phase do).
    const settled: number[] = [];
    const saved = Array.from({ length: 20 }, (_, index) => journal.answers.append(answer(1, `k${index}`)).then(() => settled.push(lines(dir).length)));
    expect(lines(dir)).toHaveLength(1);
    await Promise.all(saved);
    // Each promise settled with all twenty lines on disk.
    expect(settled).toEqual(Array.from({ length: 20 }, () => 21));
    expect(lines(dir).map((line) => line['key'])).toEqual([undefined, ...Array.from({ length: 20 }, (_, index) => `k${index}`)]);
    // A round boundary in the same turn as an answer: the answer's line comes first, in seq order.
    const late = journal.answers.append(answer(2, 'late'));
    journal.appendBatch([{ type: 'round-commit', round: 2 }]);
    expect(lines(dir).slice(-2)).toEqual([{ seq: 22, type: 'call-answered', ...answer(2, 'late') }, { seq: 23, type: 'round-commit', round: 2, fromSeq: 23 }]);
    await late;
    journal.close();
  });

  it('a boundary appended "beforeAnswer" waits for the next write: the next answer\'s, in one write, boundary first; anything else written, or close, writes it too', async () => {
    const dir = runFolder();
    const journal = new RunJournal(path.join(dir, JOURNAL_FILE));
    journal.appendBatch([{ type: 'run-start' }]);
    journal.appendBatch([{ type: 'round-end', round: 1 }, { type: 'round-commit', round: 1 }], undefined, { beforeAnswer: true });
    // Not on disk yet: a kill -9 now loses it, and resume redoes round 1 from its journaled answers.
    expect(lines(dir)).toHaveLength(1);
    const size = readFileSync(path.join(dir, JOURNAL_FILE)).length;
    await journal.answers.append(answer(2, 'a'));
    expect(lines(dir)).toEqual([
      { seq: 1, type: 'run-start' },
      { seq: 2, type: 'round-end', round: 1 },
      { seq: 3, type: 'round-commit', round: 1, fromSeq: 2 },
      { seq: 4, type: 'call-answered', ...answer(2, 'a') },
    ]);
    expect(readFileSync(path.join(dir, JOURNAL_FILE)).length).toBeGreaterThan(size);
    journal.appendBatch([{ type: 'round-commit', round: 2 }], undefined, { beforeAnswer: true });
    journal.approvals.append({ round: 3, key: 'g', decision: { kind: 'approve' } });
    expect(lines(dir).slice(-2).map((line) => line['type'])).toEqual(['round-commit', 'approval-given']);
    journal.appendBatch([{ type: 'round-commit', round: 3 }], undefined, { beforeAnswer: true });
    journal.close();
    expect(lines(dir).at(-1)).toMatchObject({ seq: 7, type: 'round-commit', round: 3 });
  });

  it('a failed group write rejects every answer of the group with the storage error (the run reports it), never an uncaught exception', async () => {
    const dir = runFolder();
    const journal = new RunJournal(path.join(dir, 'missing-folder', JOURNAL_FILE), { deferOpen: true });
    const saved = [journal.answers.append(answer(1, 'a')), journal.answers.append(answer(1, 'b'))];
    for (const promise of saved) await expect(promise).rejects.toMatchObject({ message: expect.stringContaining('missing-folder') });
  });

  // strace (Debian's package, installed by .ci/run) counts the system calls; where it is missing or
  // may not trace, the test shows as skipped, never as passed.
  const canTrace = spawnSync('strace', ['-f', '-e', 'trace=none', 'true']).status === 0;
  it.skipIf(!canTrace)('with durability "machine" every write is followed by fdatasync; with the default "process" none is', () => {
    const script = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'dist', 'store', 'run-journal.js');
    const count = (durability: string): number => {
      const dir = runFolder();
      const code = `const { RunJournal } = await import(${JSON.stringify(script)});
        const journal = new RunJournal(${JSON.stringify(path.join(dir, JOURNAL_FILE))}, { durability: ${JSON.stringify(durability)} });
        journal.appendBatch([{ type: 'run-start' }]);
        journal.answers.append({ round: 1, key: 'k', text: 't' });
        journal.appendBatch([{ type: 'round-commit', round: 1 }]);
        journal.close();`;
      const traced = spawnSync('strace', ['-f', '-e', 'trace=fdatasync,fsync', process.execPath, '--input-type=module', '-e', code], { encoding: 'utf8' });
      expect(traced.status, traced.stderr).toBe(0);
      return traced.stderr.split('\n').filter((line) => /\bf(data)?sync\(/.test(line)).length;
    };
    // Two writes: the run-start line, then the answer with the commit that follows it in its turn.
    expect(count('machine')).toBe(2);
    expect(count('process')).toBe(0);
  });

  it.skipIf(!canTrace)('a 5-step pipeline run (W1, in-process model answering at once) writes its journal with 7 writes: what the run is at once, then each round boundary goes with the next answer', () => {
    const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..');
    const dir = runFolder();
    const code = `const { loadResolvedSop, runSop } = await import(${JSON.stringify(path.join(root, 'dist', 'index.js'))});
      const { sop } = await loadResolvedSop(${JSON.stringify(path.join(root, 'bench', 'workloads', 'w1-pipeline.yaml'))});
      const model = { provider: 'test', capabilities: { nativeJsonSchema: false, tools: false, streaming: false },
        async complete(request) { return { text: 'answer to ' + request.messages.length, usage: { promptTokens: 10, completionTokens: 5, estimated: true }, model: 'test' }; } };
      const result = await runSop(sop, { inputs: { idea: 'a todo app' }, cwd: ${JSON.stringify(dir)}, runsDir: ${JSON.stringify(path.join(dir, 'runs'))}, workspace: ${JSON.stringify(path.join(dir, 'ws'))}, model, runId: 'w1' });
      if (result.status !== 'completed') throw new Error(result.status);`;
    const traced = spawnSync('strace', ['-f', '-y', '-e', 'trace=write', process.execPath, '--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(traced.status, traced.stderr).toBe(0);
    const writes = traced.stderr.split('\n').filter((line) => /\bwrite\(\d+<[^>]*\/journal\.jsonl>/.test(line));
    // Before: 12 (the start; then per round its answer and, on its own, its boundary; the end).
    // Now: run-info when the file is created (the workspace's hold links to it and reads its holder
    // there); the SOP text with round 0's boundary and round 1's answer; rounds 2-5's answers, each
    // with the boundary before it; round 5's boundary with the end.
    expect(writes).toHaveLength(7);
    const journalLines = lines(path.join(dir, 'runs', 'w1'));
    expect(journalLines.filter((line) => line['type'] === 'call-answered')).toHaveLength(5);
    expect(journalLines.filter((line) => line['type'] === 'round-commit')).toHaveLength(5);
  });

  it.skipIf(!canTrace)('twenty answers of one turn are one write (and, with durability "machine", one fdatasync)', () => {
    const script = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'dist', 'store', 'run-journal.js');
    const dir = runFolder();
    const file = path.join(dir, JOURNAL_FILE);
    const code = `const { RunJournal } = await import(${JSON.stringify(script)});
      const journal = new RunJournal(${JSON.stringify(file)}, { durability: 'machine' });
      await Promise.all(Array.from({ length: 20 }, (_, i) => journal.answers.append({ round: 1, key: 'k' + i, text: 't' })));
      journal.close();`;
    const traced = spawnSync('strace', ['-f', '-e', 'trace=write,fdatasync', process.execPath, '--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(traced.status, traced.stderr).toBe(0);
    const calls = traced.stderr.split('\n');
    expect(calls.filter((line) => /\bfdatasync\(/.test(line))).toHaveLength(1);
    expect(calls.filter((line) => /\bwrite\(\d+, "\{\\"seq\\":1,/.test(line))).toHaveLength(1);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(20);
  });
});

describe('a run folder recorded before the journal', () => {
  it('gets a journal: old events with their seq, the old answers and decisions, then the checkpoint as the snapshot (last, as the old run ended with it); the old files stay', () => {
    const dir = runFolder();
    const checkpoint = { checkpointVersion: 1, runId: 'r', status: 'running', round: 1, eventSeq: 2 };
    const old = {
      'checkpoint.json': `${JSON.stringify(checkpoint)}\n`,
      'events.jsonl': '{"seq":1,"type":"run-start"}\n{"seq":2,"type":"round-end","round":1}\n{"seq":3,"type":"round-st',
      'responses.jsonl': `${JSON.stringify(answer(1, 'a'))}\n${JSON.stringify(answer(2, 'b'))}\n{"round":2,"ke`,
      'approvals.jsonl': `${JSON.stringify({ round: 2, key: 'g', decision: { kind: 'approve' } })}\n`,
    };
    for (const [name, text] of Object.entries(old)) writeFileSync(path.join(dir, name), text);
    expect(migrateOldRunFolder(dir)).toBe(true);
    // Linked into place from a whole temporary file, which is gone.
    expect(readdirSync(dir).sort()).toEqual([...Object.keys(old), JOURNAL_FILE].sort());
    expect(lines(dir)).toEqual([
      { seq: 1, type: 'run-start' },
      { seq: 2, type: 'round-end', round: 1 },
      { seq: 3, type: 'call-answered', ...answer(1, 'a') },
      { seq: 4, type: 'call-answered', ...answer(2, 'b') },
      { seq: 5, type: 'approval-given', round: 2, key: 'g', decision: { kind: 'approve' } },
      { seq: 6, type: 'snapshot', ...checkpoint },
    ]);
    for (const [name, text] of Object.entries(old)) expect(readFileSync(path.join(dir, name), 'utf8')).toBe(text);
    const read = readRunJournal(dir);
    expect(read?.answers).toEqual([answer(2, 'b')]);
    expect(read?.approvals).toHaveLength(1);
    // Once: a second call finds the journal and leaves it.
    expect(migrateOldRunFolder(dir)).toBe(false);
    expect(migrateOldRunFolder(runFolder())).toBe(false);
  });
});
