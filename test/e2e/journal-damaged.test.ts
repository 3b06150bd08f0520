import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { envelopeOf } from '../support/cli-envelope.js';
import { project } from './providers-helpers.js';
import { runDirOf, start, writeSop } from './resume-helpers.js';
import { JOURNAL_VERSION, readLines } from '../../src/store/index.js';

/**
 * A journal damaged after it was written (a line changed in the middle, a line repeated) is
 * refused by `sop resume` with one error naming the file, the line and its seq, and exit 15,
 * instead of resuming from a wrong state. Each case damages a copy of one real run's folder.
 */
afterAll(removeTempDirs);

const MODEL = ['--model', 'openai:gpt-4o-mini', '--no-cache'];

let server: FakeOpenAI;
let cwd: string;
let runDir: string;
let lines: string[];
/** The records as readers get them (lines leave out what the lines before say), with their line numbers. */
let records: Array<{ record: { type: string; round?: unknown }; line: number }>;

beforeAll(async () => {
  server = await startFakeOpenAI();
  cwd = project();
  // Stopped by its round limit after round 2: a snapshot, answered calls and two round-commits.
  const first = await start(cwd, ['run', writeSop(cwd), 'a todo app', ...MODEL, '--n-round', '2', '--json'], server.url).done;
  expect(first.code, first.stderr).toBe(5);
  runDir = runDirOf(cwd) as string;
  const written = readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8').split('\n').slice(0, -1);
  // Killed before its last write (run-end and the final snapshot): a resume replays the round-commits.
  lines = written.slice(0, written.findLastIndex((line) => line.includes('"type":"round-commit"')) + 1);
  records = readLines(path.join(runDir, 'journal.jsonl'))?.records ?? [];
  return () => server.close();
});

const chatCalls = (): number => server.requests.filter((request) => request.path === '/v1/chat/completions').length;

/** Index of the first line of `type` (in `round`, when given). */
function lineOf(type: string, round?: number): number {
  const found = records.find(({ record }) => record.type === type && (round === undefined || record.round === round));
  const index = found ? found.line - 1 : -1;
  expect(index, `${type} ${round}`).toBeGreaterThanOrEqual(0);
  expect(index, `${type} ${round}`).toBeLessThan(lines.length);
  return index;
}

/** The seq of a line (a line may imply events after it, so seqs run ahead of line numbers). */
const seqOf = (index: number): number => (JSON.parse(lines[index] as string) as { seq: number }).seq;

const edit = (index: number, change: (line: string) => string): string[] => lines.map((line, at) => (at === index ? change(line) : line));

describe.concurrent('sop resume of a damaged journal', () => {
  const cases: Array<{ name: string; damage: () => string[]; at: () => string }> = [
    {
      // Two characters replaced inside round 1's message-published line: no longer JSON.
      name: 'a line in the middle that is no longer JSON',
      damage: () => edit(lineOf('message-published', 1), (line) => line.replace('{"seq":', '{"seq"?')),
      at: () => `line ${lineOf('message-published', 1) + 1}: the line is not a journal record`,
    },
    {
      name: 'a message-published line whose message is null (valid JSON)',
      damage: () => edit(lineOf('message-published', 1), (line) => JSON.stringify({ ...(JSON.parse(line) as object), message: null })),
      at: () => `line ${lineOf('message-published', 1) + 1} (seq ${seqOf(lineOf('message-published', 1))}): the message-published line has no whole message`,
    },
    {
      name: 'a round-commit that is no longer JSON',
      damage: () => edit(lineOf('round-commit', 1), (line) => line.replace('"round":', '"round"')),
      at: () => `line ${lineOf('round-commit', 1) + 1}: the line is not a journal record`,
    },
    {
      name: 'a call-answered line that is no longer JSON',
      damage: () => edit(lineOf('call-answered'), (line) => line.slice(0, -2)),
      at: () => `line ${lineOf('call-answered') + 1}: the line is not a journal record`,
    },
    {
      name: 'the last line repeated',
      damage: () => [...lines, lines.at(-1) as string],
      at: () => `line ${lines.length + 1} (seq ${seqOf(lines.length - 1)}): the line repeats an earlier seq`,
    },
  ];
  cases.forEach(({ name, damage, at }, index) => {
    it(`${name}: refused with the line, its seq and exit 15; the journal is left as it is and no call is made`, async () => {
      const copy = path.join(cwd, '.sop', 'runs', `damaged-${index}`);
      cpSync(runDir, copy, { recursive: true });
      const journal = path.join(copy, 'journal.jsonl');
      const damaged = `${damage().join('\n')}\n`;
      writeFileSync(journal, damaged);
      const calls = chatCalls();

      const resumed = await start(cwd, ['resume', copy, '--json'], server.url).done;
      expect(resumed.code, resumed.stderr).toBe(15);
      expect(resumed.stderr).not.toMatch(STACK_LINE);
      expect(resumed.stderr).toContain(`error RUN_JOURNAL_DAMAGED: ${journal} is damaged at ${at()}`);
      expect(resumed.stderr).toMatch(/cannot be resumed safely/);
      expect(envelopeOf(resumed)).toMatchObject({ ok: false, exitCode: 15, error: { code: 'RUN_JOURNAL_DAMAGED' } });
      expect(readFileSync(journal, 'utf8')).toBe(damaged);
      expect(chatCalls()).toBe(calls);
    });
  });
});

describe('a damaged journal, then the run again as its hint says', () => {
  it('the calls the first run had answered come from the response cache: none is paid again', async () => {
    const fake = await startFakeOpenAI();
    try {
      const folder = project();
      const args = ['run', writeSop(folder), 'a todo app', '--model', 'openai:gpt-4o-mini', '--n-round', '2'];
      const first = await start(folder, args, fake.url).done;
      expect(first.code, first.stderr).toBe(5);
      const journal = path.join(runDirOf(folder) as string, 'journal.jsonl');
      const written = readFileSync(journal, 'utf8').split('\n');
      written[4] = (written[4] as string).slice(0, 10);
      writeFileSync(journal, written.join('\n'));
      const paid = fake.requests.length;

      const resumed = await start(folder, ['resume', path.dirname(journal)], fake.url).done;
      expect(resumed.code, resumed.stderr).toBe(15);
      expect(resumed.stderr).toContain('or run it again with `sop run` and the same inputs: the calls it had answered that the response cache kept (unless it ran with --no-cache) are not paid again');
      const again = await start(folder, args, fake.url).done;
      expect(again.code, again.stderr).toBe(5);
      expect(fake.requests.length).toBe(paid);
    } finally {
      await fake.close();
    }
  });
});

describe('sop resume of a journal written by a newer sop', () => {
  it('is refused with the versions, exit 19 and no call, and the journal is left as it is', async () => {
    const copy = path.join(cwd, '.sop', 'runs', 'newer');
    cpSync(runDir, copy, { recursive: true });
    const journal = path.join(copy, 'journal.jsonl');
    const [info, ...rest] = lines;
    const newer = `${[JSON.stringify({ ...(JSON.parse(info as string) as object), journalVersion: 99 }), ...rest].join('\n')}\n`;
    writeFileSync(journal, newer);
    const calls = chatCalls();

    const resumed = await start(cwd, ['resume', copy, '--json'], server.url).done;
    expect(resumed.code, resumed.stderr).toBe(19);
    expect(resumed.stderr).not.toMatch(STACK_LINE);
    expect(resumed.stderr).toContain(`error RUN_JOURNAL_NEWER: ${journal} was written by a newer sop (journal version 99; this sop reads versions up to ${JOURNAL_VERSION})`);
    expect(resumed.stderr).toMatch(/with the sop version that started the run, or upgrade sop/);
    expect(envelopeOf(resumed)).toMatchObject({ ok: false, exitCode: 19, error: { code: 'RUN_JOURNAL_NEWER' } });
    expect(readFileSync(journal, 'utf8')).toBe(newer);
    expect(chatCalls()).toBe(calls);
  });
});
