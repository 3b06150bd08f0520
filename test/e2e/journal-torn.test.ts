import { readFileSync, rmSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { removeTempDirs, sop, STACK_LINE } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { resultOf } from '../support/cli-envelope.js';
import { readRunEvents, readLines } from '../../src/store/index.js';
import { artifacts, project } from './providers-helpers.js';
import { FAN_OUT_CALLS, runDirOf, start, writeSop } from './resume-helpers.js';

/**
 * A crash in the middle of a journal write leaves a torn last line. These tests make that on-disk
 * state exactly (a real run's journal cut inside a line) and resume it with the real CLI.
 */
afterAll(removeTempDirs);

const MODEL = ['--model', 'openai:gpt-4o-mini', '--no-cache'];
const IDEA = 'a todo app';

async function fake(context: TestContext): Promise<FakeOpenAI> {
  const server = await startFakeOpenAI();
  context.onTestFinished(() => server.close());
  return server;
}

const chatBodies = (server: FakeOpenAI): string[] =>
  server.requests.filter((request) => request.path === '/v1/chat/completions').map((request) => JSON.stringify(request.body));

/** Byte offsets of each line of a file. */
function lineSpans(file: string): Array<{ start: number; end: number; record: { type: string; round?: number } }> {
  const data = readFileSync(file);
  const spans = [];
  for (let start = 0; start < data.length; ) {
    const end = data.indexOf(0x0a, start);
    spans.push({ start, end, record: JSON.parse(data.toString('utf8', start, end)) as { type: string; round?: number } });
    start = end + 1;
  }
  return spans;
}

describe.concurrent('a journal write torn by a crash', () => {
  const cases = [
    // The boundary write of round 2 (its events and commit) was cut inside the commit: the resume
    // continues from round 1's boundary and redoes round 2 from the answers journaled before it.
    { name: 'inside the round-commit of round 2', pick: (type: string, round?: number) => type === 'round-commit' && round === 2, resumedRound: 1 },
    // The run's last write (run-end and the run-closed line) was cut inside the run-closed line: the
    // state is the round-commits replayed; the run just goes on.
    { name: 'inside the run-closed line', pick: (type: string) => type === 'run-closed', last: true, resumedRound: 2 },
  ];
  for (const { name, pick, last, resumedRound } of cases) {
    it(`${name}: sop resume ignores the torn line, continues the numbering and finishes like an uninterrupted run, asking no answered call again`, async (context) => {
      const referenceServer = await fake(context);
      const reference = project();
      const whole = await start(reference, ['run', writeSop(reference), IDEA, ...MODEL, '--json'], referenceServer.url).done;
      expect(whole.code, whole.stderr).toBe(0);

      const server = await fake(context);
      const cwd = project();
      const first = await start(cwd, ['run', writeSop(cwd), IDEA, ...MODEL, '--n-round', '2', '--json'], server.url).done;
      expect(first.code, first.stderr).toBe(5);
      expect(chatBodies(server)).toHaveLength(5);
      const runDir = runDirOf(cwd) as string;
      const journal = path.join(runDir, 'journal.jsonl');
      const spans = lineSpans(journal);
      const matching = spans.filter((span) => pick(span.record.type, span.record.round));
      const target = (last ? matching.at(-1) : matching[0]) as (typeof spans)[number];
      expect(target).toBeDefined();
      // The process died in the middle of that write: half its line on disk, nothing after, no report.
      truncateSync(journal, target.start + Math.floor((target.end - target.start) / 2));
      rmSync(path.join(runDir, 'report.json'));
      expect(readLines(journal)?.torn).toBe(true);
      const runs = await sop(['runs', '--json'], { cwd });
      expect(resultOf(runs)).toMatchObject({ runs: [{ id: path.basename(runDir), status: 'crashed' }] });

      const resumed = await start(cwd, ['resume', path.basename(runDir), '--n-round', '10', '--json'], server.url).done;
      expect(resumed.stderr).not.toMatch(STACK_LINE);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resultOf(resumed)).toMatchObject({ status: 'completed', usage: { total: { calls: FAN_OUT_CALLS } } });
      // Every call reached the server once over both processes: the redone round's came from the journal.
      const bodies = chatBodies(server);
      expect(bodies).toHaveLength(FAN_OUT_CALLS);
      expect(new Set(bodies).size).toBe(FAN_OUT_CALLS);
      expect(bodies).toEqual(chatBodies(referenceServer));
      expect(artifacts(path.join(cwd, 'workspace', 'fan-out'))).toEqual(artifacts(path.join(reference, 'workspace', 'fan-out')));

      // The torn bytes were cut off: every line is whole, and the numbering goes on without a gap.
      const after = readLines(journal);
      expect(after?.torn).toBe(false);
      const seqs = after?.records.map((line) => line.record.seq) ?? [];
      expect(seqs).toEqual(seqs.map((_, index) => index + 1));
      expect(seqs.length).toBeGreaterThan(spans.indexOf(target));
      expect(readRunEvents(runDir).filter((event) => event.type === 'run-resume')).toMatchObject([{ round: resumedRound }]);
    });
  }
});
