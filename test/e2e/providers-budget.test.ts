import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { IDEA, SOFTWARE_COMPANY, TEST_KEY, expectNoSecret, project, run, runRecords } from './providers-helpers.js';
import { resultOf } from '../support/cli-envelope.js';

/** `--investment` end to end: the budget stops a run, a rerun with more resumes it from the cache. */
async function server(context: TestContext): Promise<FakeOpenAI> {
  const started = await startFakeOpenAI();
  context.onTestFinished(() => started.close());
  return started;
}

afterAll(removeTempDirs);

const hintFor = (runId: string): string => `resume with a larger budget: sop resume ${runId} --investment <USD> (calls already made are not paid again)`;
const chat = (fake: FakeOpenAI): number => fake.requests.filter((request) => request.path === '/v1/chat/completions').length;

describe.concurrent('budget', () => {
  it('a tiny --investment stops the run mid-way (exit 6, hint); a rerun with more completes, the calls already made come from the cache', async (context) => {
    const openai = await server(context);
    const cwd = project();
    const env = { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: openai.url };
    const args = ['run', SOFTWARE_COMPANY, IDEA, '--model', 'openai:gpt-4o-mini'];

    const stopped = await run(cwd, [...args, '--investment', '0.0015'], env);
    expect(stopped.stderr).not.toMatch(STACK_LINE);
    expect(stopped.code, stopped.stderr).toBe(6);
    const [first] = runRecords(cwd);
    const hint = hintFor(first?.report.runId as string);
    expect(stopped.stderr).toMatch(/hint: the next call \([a-z_]+ [a-z_]+\) was estimated at \$[\d.e-]+ with \$[\d.e-]+ left; /);
    expect(stopped.stderr).toContain(hint);
    const made = first?.report.usage.total.calls as number;
    expect(first?.report).toMatchObject({ status: 'budget_exhausted', exitCode: 6, budget: { investment: 0.0015, stopped: { reason: 'estimate' } } });
    expect(first?.report.hint).toContain(hint);
    expect(made).toBeGreaterThan(0);
    expect(chat(openai)).toBe(made);
    // Spent stays within the investment: the call that could overspend was not made.
    expect(first?.report.costUsd).toBeLessThanOrEqual(0.0015);
    expect(first?.events.at(-1)).toMatchObject({ type: 'run-end', status: 'budget_exhausted', hint: first?.report.hint });

    const resumed = await run(cwd, [...args, '--investment', '5', '--json'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = resultOf(resumed);
    expect(report.status).toBe('completed');
    expect(report.usage.total.cachedCalls).toBe(made);
    expect(report.usage.total.calls).toBeGreaterThan(made);
    // Only the calls not made before reach the server.
    expect(chat(openai) - made).toBe(report.usage.total.calls - report.usage.total.cachedCalls);
    expect(report.costUsd).toBeGreaterThan(0);
    // Run ids sort by second, then at random within one: find the rerun by its id.
    const cached = runRecords(cwd).find((record) => record.report.runId === report.runId)?.events.filter((event) => event.type === 'llm-call-end' && event.cached === 'cache');
    expect(cached).toHaveLength(made);
    for (const call of cached ?? []) expect(call.costUsd).toBe(0);
    expectNoSecret(TEST_KEY, cwd, [stopped, resumed]);
  });

  it('a run stopped by its max_tokens is told to raise max_tokens and resume with the changed SOP, not to pass --investment', async () => {
    const cwd = project();
    cpSync(path.dirname(SOFTWARE_COMPANY), path.join(cwd, 'sops'), { recursive: true });
    const sopFile = path.join(cwd, 'sops', 'software-company.yaml');
    const original = readFileSync(sopFile, 'utf8');
    writeFileSync(sopFile, original.replace('  investment: 5.0\n', '  investment: 5.0\n  max_tokens: 5000\n'));

    const stopped = await run(cwd, ['run', 'sops/software-company.yaml', IDEA, '--json'], {});
    expect(stopped.stderr).not.toMatch(STACK_LINE);
    expect(stopped.code, stopped.stderr).toBe(6);
    const report = resultOf(stopped) as { runId: string; hint: string };
    expect(report.hint).toMatch(new RegExp(`^the run used \\d+ tokens of its max_tokens 5000; raise \`settings\\.max_tokens\` in the SOP, then: sop resume ${report.runId} --allow-changed-sop`));
    expect(stopped.stderr).not.toContain('--investment');

    // As the hint says: a larger max_tokens, and the run goes on to the end.
    writeFileSync(sopFile, original.replace('  investment: 5.0\n', '  investment: 5.0\n  max_tokens: 500000\n'));
    const resumed = await run(cwd, ['resume', report.runId, '--allow-changed-sop'], {});
    expect(resumed.code, resumed.stderr).toBe(0);
  });

  it('a model without a known price under an investment: a warning at start, and the report says the cost is unknown', async (context) => {
    const openai = await server(context);
    const cwd = project();
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', 'openai:fake-model', '--investment', '1', '--json'], {
      OPENAI_API_KEY: TEST_KEY,
      OPENAI_BASE_URL: openai.url,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.split('\n')[0]).toMatch(/^warning: no price known for openai:fake-model: its cost is not counted towards the budget; add it to sop\.config\.yaml/);
    const report = resultOf(result);
    expect(report).toMatchObject({ status: 'completed', costUsd: 0, costUnknown: true, models: { 'openai:fake-model': report.usage.total.calls } });
    expect(report.usage.byAction.write_prd).toMatchObject({ costUnknown: true });
  });
});
