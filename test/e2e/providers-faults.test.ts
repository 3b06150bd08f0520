import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { always, everyNth, type FaultPlan } from '../support/fake-llm/faults.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { FAST_RETRIES, IDEA, SOFTWARE_COMPANY, TEST_KEY, artifacts, expectNoSecret, lastRun, project, run, workspaceOf } from './providers-helpers.js';
import { resultOf } from '../support/cli-envelope.js';

/** Provider failures and bad replies, end to end: retries, the circuit breaker, JSON repair and re-asks. */
/** A fake OpenAI server closed when the test ends (tests here run concurrently, each with its own). */
async function server(context: TestContext, faults?: FaultPlan): Promise<FakeOpenAI> {
  const started = await startFakeOpenAI(faults ? { faults } : {});
  context.onTestFinished(() => started.close());
  return started;
}

afterAll(removeTempDirs);

const MODEL = 'openai:gpt-4o-mini';
const chat = (fake: FakeOpenAI) => fake.requests.filter((request) => request.path === '/v1/chat/completions');
const env = (fake: FakeOpenAI) => ({ OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: fake.url });

describe.concurrent('provider faults end to end', () => {
  it('no API key for api.openai.com: refused before the run starts (exit 10, no run record), by --model or by a config alias; a keyless local server runs', async (context) => {
    for (const [config, args] of [[undefined, ['--model', MODEL]], ['default_model: fast\nmodels: { fast: openai:gpt-4o-mini }\n', []]] as const) {
      const cwd = project(config);
      const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, ...args], {});
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.code, result.stderr).toBe(10);
      expect(result.stderr).toContain('error PROVIDER_AUTH: no API key for openai https://api.openai.com/v1\n  hint: set OPENAI_API_KEY (or providers.openai.api_key)');
      expect(existsSync(path.join(cwd, '.sop', 'runs'))).toBe(false);
    }
    const local = await startFakeOpenAI({ requireKey: false });
    context.onTestFinished(() => local.close());
    const keyless = await run(project(), ['run', SOFTWARE_COMPANY, IDEA, '--model', MODEL], { OPENAI_BASE_URL: local.url });
    expect(keyless.code, keyless.stderr).toBe(0);
  });

  it('429 on every third request: same artifacts byte for byte, same cost as a clean run, retries counted apart', async (context) => {
    // The first refusal asks for 1 s (Retry-After wins over the 10 ms min_delay), the others for none.
    const refusals: FaultPlan = (index) => everyNth(3, { kind: 'status', status: 429, retryAfter: index === 2 ? '1' : '0' })(index);
    const [clean, limited] = await Promise.all([server(context), server(context, refusals)]);
    const cleanDir = project(`providers:\n  openai: { ${FAST_RETRIES} }\n`);
    const limitedDir = project(`providers:\n  openai: { ${FAST_RETRIES} }\n`);
    const [cleanRun, limitedRun] = await Promise.all([
      run(cleanDir, ['run', SOFTWARE_COMPANY, IDEA, '--model', MODEL, '--json'], env(clean)),
      run(limitedDir, ['run', SOFTWARE_COMPANY, IDEA, '--model', MODEL, '--json'], env(limited)),
    ]);
    expect(cleanRun.code, cleanRun.stderr).toBe(0);
    expect(limitedRun.code, limitedRun.stderr).toBe(0);
    expect(artifacts(workspaceOf(limitedDir))).toEqual(artifacts(workspaceOf(cleanDir)));

    const cleanReport = resultOf(cleanRun);
    const limitedReport = resultOf(limitedRun);
    // Cost counts each successful call once: the refused requests cost nothing.
    expect(limitedReport.costUsd).toBeGreaterThan(0);
    expect(limitedReport.costUsd).toBe(cleanReport.costUsd);
    const failed = chat(limited).length - chat(clean).length;
    expect(failed).toBeGreaterThan(0);
    expect(limitedReport.usage.total).toMatchObject({ calls: cleanReport.usage.total.calls, retries: failed, reasks: 0 });
    expect(cleanReport.usage.total.retries).toBe(0);

    const retries = lastRun(limitedDir).events.filter((event) => event.type === 'llm-call-retry');
    expect(retries).toHaveLength(failed);
    // Roles of one round call at the same time, so a retry can itself be a third request and be refused
    // again (attempt 2): which one depends on how the calls interleave.
    for (const retry of retries) expect(retry).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', status: 429, attempt: expect.any(Number), role: expect.any(String), action: expect.any(String) });
    expect(retries.filter((retry) => retry.attempt === 1).length).toBeGreaterThan(0);
    // Backoff waits are 10-160 ms here; only the first refusal's Retry-After asks for more.
    expect(retries.map((retry) => retry.delayMs).filter((delay) => delay > 500)).toEqual([1000]);
    expect(limitedRun.stderr).toMatch(/PROVIDER_RATE_LIMITED \(429\) from openai http:\/\/127\.0\.0\.1:\d+\/v1, retrying in 1\.0s \(attempt 2\)/);
    const byAction = Object.values(limitedReport.usage.byAction as Record<string, { retries: number }>).reduce((sum, count) => sum + count.retries, 0);
    expect(byAction).toBe(failed);
    expectNoSecret(TEST_KEY, limitedDir, [limitedRun]);
  });

  it('a server answering 500 always: one retry, the circuit opens, the run fails with exit 10 and says where', async (context) => {
    const down = await server(context, always({ kind: 'status', status: 500 }));
    const cwd = project(`providers:\n  openai: { max_retries: 1, ${FAST_RETRIES}, breaker: { failure_threshold: 2, reset_after: 60 } }\n`);
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', MODEL], env(down));
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(10);
    expect(chat(down)).toHaveLength(2);
    expect(result.stderr).toMatch(/error PROVIDER_UNAVAILABLE: role product_manager, action write_prd: .*500/);
    expect(result.stderr).toContain('circuit open for openai http://127.0.0.1:');
    const record = lastRun(cwd);
    expect(record.report).toMatchObject({ status: 'failed', exitCode: 10, error: { code: 'PROVIDER_UNAVAILABLE' } });
    expect(record.report.usage.byAction.write_prd).toMatchObject({ calls: 0, retries: 1 });
    expect(record.events.map((event) => event.type)).toEqual(expect.arrayContaining(['llm-call-retry', 'breaker-open']));
    expectNoSecret(TEST_KEY, cwd, [result]);
  });

  it('JSON in a fence with a trailing comma is repaired (logged); missing fields are re-asked with the errors, then accepted', async (context) => {
    // Request 0 is the PRD, 1 its judge, 2 the design.
    const flaky = await server(context, (index) => (index === 0 ? { kind: 'malformed-json' } : index === 2 ? { kind: 'missing-fields' } : undefined));
    const cwd = project();
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', MODEL, '--json'], env(flaky));
    expect(result.code, result.stderr).toBe(0);
    const report = resultOf(result);
    expect(report.usage.byAction.write_prd).toMatchObject({ calls: 2, reasks: 0, retries: 0 });
    expect(report.usage.byAction.write_design).toMatchObject({ calls: 2, reasks: 1, retries: 0 });
    const { events } = lastRun(cwd);
    const repaired = events.filter((event) => event.type === 'output-repaired');
    expect(repaired).toEqual([
      expect.objectContaining({ role: 'product_manager', action: 'write_prd', attempt: 1, repairs: ['code fence', 'prose around the JSON', 'trailing comma'] }),
    ]);
    expect(repaired[0].raw).toMatch(/^Here is the JSON you asked for:\n```json\n/);
    const invalid = events.filter((event) => event.type === 'output-invalid');
    expect(invalid).toEqual([expect.objectContaining({ role: 'architect', action: 'write_design', attempt: 1 })]);
    expect(invalid[0].errors.length).toBeGreaterThan(0);
    for (const error of invalid[0].errors) expect(error).toMatch(/: required property is missing$/);
    // The re-ask carries the exact errors to the model.
    const reask = chat(flaky)[3]?.body.messages.at(-1).content as string;
    for (const error of invalid[0].errors) expect(reask).toContain(error);
    expect(result.stderr).toContain('[round 1] product_manager write_prd: repaired the JSON reply (code fence, prose around the JSON, trailing comma)');
  });

  it('a server that always omits the required fields: exit 9 naming the role, the action and the missing fields', async (context) => {
    const stubborn = await server(context, always({ kind: 'missing-fields' }));
    const cwd = project();
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', MODEL], env(stubborn));
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(9);
    expect(chat(stubborn)).toHaveLength(3);
    expect(result.stderr).toMatch(
      /error OUTPUT_INVALID: role product_manager, action write_prd: the output is not a valid PRD after 3 attempts \(missing fields: \/language, \/project_name, .*\/anything_unclear\)/,
    );
    // Each re-ask is a new request (never answered from the cache with the same invalid reply).
    expect(lastRun(cwd).report.usage.byAction.write_prd).toMatchObject({ calls: 3, cachedCalls: 0, reasks: 2, retries: 0 });
  });
});
