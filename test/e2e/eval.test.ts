import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, STACK_LINE } from '../cli/run-cli.js';
import { junitSchemaErrors } from '../reporting/junit-schema.js';
import { envelopeOf } from '../support/cli-envelope.js';
import { answerLikeOffline, type WireRequest } from '../support/fake-llm/offline-answer.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { project, run, TEST_KEY } from './providers-helpers.js';

/**
 * `sop eval` end to end: `bin/sop.js eval` of a 20-case dataset on two models served by the
 * loopback OpenAI-compatible server, one of which answers so that some cases fail.
 */
const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');
const GOOD = 'openai:gpt-4o-mini';
const WEAK = 'openai:fake-model';

let server: FakeOpenAI;
/** Which questions each model cannot answer (read by the server at each request). */
const unanswered: Record<string, (question: string) => boolean> = {};

function answer(wire: WireRequest): string {
  const prompt = wire.messages.at(-1)?.content ?? '';
  const question = /Answer the question: (.*)/.exec(prompt)?.[1];
  // Judge calls (and anything else) answered as the offline model would: a passing verdict.
  if (question === undefined) return answerLikeOffline(wire);
  return unanswered[wire.model]?.(question) ? 'I do not know.' : `About ${question}: 42.`;
}

beforeAll(async () => {
  server = await startFakeOpenAI({ answer, maxRequests: 1000 });
});

afterAll(async () => {
  await server?.close();
  removeTempDirs();
});

const chatRequests = (): number => server.requests.filter((request) => request.path === '/v1/chat/completions').length;

/** 20 cases; questions 4, 8, 12, 16 and 20 are the hard ones. */
function writeDataset(cwd: string): void {
  const cases = Array.from({ length: 20 }, (_, index) => {
    const n = index + 1;
    const question = n % 4 === 0 ? `hard question ${n}` : `question ${n}`;
    return `  - { name: q${String(n).padStart(2, '0')}, inputs: { idea: "${question}" }, expect: { artifacts: [{ path: answer.md, contains: "${question}" }] } }`;
  });
  writeFileSync(
    path.join(cwd, 'cases.yaml'),
    ['apiVersion: sop-eval/v1', `models: ["${GOOD}", "${WEAK}"]`, 'defaults:', '  judge: [{ rubric: "answers the question", of: Answer, min_score: 5 }]', 'cases:', ...cases, ''].join('\n'),
  );
}

const env = (): Record<string, string> => ({ OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: server.url });

describe('sop eval on two models of a loopback OpenAI-compatible server', () => {
  it('gives each model its pass rate, exits 17 below --threshold, compares with a baseline; a rerun makes no model call and a new model pays only for itself', async () => {
    const cwd = project();
    writeDataset(cwd);
    unanswered[GOOD.slice('openai:'.length)] = () => false;
    unanswered[WEAK.slice('openai:'.length)] = (question) => question.startsWith('hard');
    const before = chatRequests();

    const first = await run(cwd, ['eval', SOP, '--dataset', 'cases.yaml', '--threshold', '0.9', '--concurrency', '4', '--out', 'results.json', '--junit', 'eval.xml', '--json'], env());
    expect(first.stderr).not.toMatch(STACK_LINE);
    const envelope = envelopeOf<any>(first);
    expect(first.code).toBe(17);
    expect(envelope.error?.code).toBe('EVAL_BELOW_THRESHOLD');
    const result = envelope.result;
    // Each run: the answer, then the judge of the Answer message.
    expect(chatRequests() - before).toBe(20 * 2 * 2);
    expect(result.summary.map((model: any) => [model.model, model.passed, model.runs, model.passRate])).toEqual([
      [GOOD, 20, 20, 1],
      [WEAK, 15, 20, 0.75],
    ]);
    const weak = result.summary[1];
    expect(weak.interval.low).toBeGreaterThan(0.5);
    expect(weak.interval.high).toBeLessThan(0.92);
    expect(weak.latencyMs.p95).toBeGreaterThanOrEqual(weak.latencyMs.p50);
    expect(weak.costUsd).toBe(0); // fake-model has no price
    expect(result.summary[0].costUsd).toBeGreaterThan(0);
    expect(result.belowThreshold).toEqual([WEAK]);
    const failed = result.runs.filter((entry: any) => !entry.passed);
    expect(failed.map((entry: any) => `${entry.case} ${entry.model}`).sort()).toEqual(['q04', 'q08', 'q12', 'q16', 'q20'].map((name) => `${name} ${WEAK}`));
    expect(failed[0].failures[0]).toMatchObject({ path: 'expect.artifacts[0]' });
    // Every run is an ordinary run with its record.
    for (const entry of result.runs) expect(existsSync(path.join(cwd, '.sop', 'runs', entry.runId, 'journal.jsonl'))).toBe(true);
    // ... that keeps its model options, so `sop resume RUN` chooses its model again.
    expect(readFileSync(path.join(cwd, '.sop', 'runs', result.runs[1].runId, 'journal.jsonl'), 'utf8')).toContain(`"model":{"cache":true,"model":"${WEAK}"}`);
    expect(JSON.parse(readFileSync(path.join(cwd, 'results.json'), 'utf8'))).toEqual(result);
    expect(JSON.parse(readFileSync(path.join(result.evalDir, 'results.json'), 'utf8'))).toEqual(result);
    const junit = readFileSync(path.join(cwd, 'eval.xml'), 'utf8');
    expect(await junitSchemaErrors(junit)).toEqual([]);
    expect(junit).toContain('tests="40" failures="5"');

    // The same eval again, against the first as its baseline: every answer from the cache.
    const requests = chatRequests();
    const second = await run(cwd, ['eval', SOP, '--dataset', 'cases.yaml', '--threshold', '0.7', '--baseline', 'results.json'], env());
    expect(second.code).toBe(0);
    expect(chatRequests()).toBe(requests);
    expect(second.stdout).toContain('against baseline results.json: 0 regressions, 0 improvements, 40 unchanged, 0 new, 0 gone');
    expect(second.stdout).toMatch(/q04 +pass +FAIL/);
    expect(second.stdout).toMatch(new RegExp(`${WEAK.replace('.', '\\.')} +15/20 +75\\.0 %`));

    // A third model pays only for itself: the other two are answered from the cache.
    const third = 'openai:gpt-4o';
    const beforeThird = chatRequests();
    const added = await run(cwd, ['eval', SOP, '--dataset', 'cases.yaml', '--model', GOOD, '--model', WEAK, '--model', third, '--json'], env());
    expect(added.code).toBe(0);
    expect(envelopeOf<any>(added).result.summary.map((model: any) => [model.model, model.calls, model.cachedCalls])).toEqual([
      [GOOD, 40, 40],
      [WEAK, 40, 40],
      [third, 40, 0],
    ]);
    expect(chatRequests() - beforeThird).toBe(20 * 2);

    // The models change (a new cache, so they are asked again): one regression, five improvements.
    unanswered[GOOD.slice('openai:'.length)] = (question) => question === 'question 1';
    unanswered[WEAK.slice('openai:'.length)] = () => false;
    const changed = await run(cwd, ['eval', SOP, '--dataset', 'cases.yaml', '--baseline', 'results.json', '--cache-dir', 'other-cache', '--json'], env());
    expect(changed.code).toBe(0);
    const comparison = envelopeOf<any>(changed).result.baseline;
    expect(comparison.regressions).toEqual([{ case: 'q01', model: GOOD, was: 1, now: 0 }]);
    expect(comparison.improvements.map((change: any) => change.case)).toEqual(['q04', 'q08', 'q12', 'q16', 'q20']);
    expect(comparison.unchanged).toBe(34);
  });
});
