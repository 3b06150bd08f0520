import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { always, type Fault } from '../support/fake-llm/faults.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { envelopeOf } from '../support/cli-envelope.js';
import { FAST_RETRIES, IDEA, SOFTWARE_COMPANY, TEST_KEY, expectNoSecret, lastRun, project, run } from './providers-helpers.js';

/** A run that fails mid-way on its provider says how to continue it; one that resuming cannot fix does not. */

afterAll(removeTempDirs);

const MODEL = 'openai:gpt-4o-mini';
const env = (fake: FakeOpenAI) => ({ OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: fake.url });

/** A server that answers the first chat request and refuses the later ones with `fault` until `heal()`. */
async function failingAfterFirst(context: TestContext, fault: Fault): Promise<FakeOpenAI & { heal(): void }> {
  let healed = false;
  let chats = 0;
  const fake = await startFakeOpenAI({ faults: () => (healed || ++chats <= 1 ? undefined : fault) });
  context.onTestFinished(() => fake.close());
  return Object.assign(fake, { heal: () => { healed = true; } });
}

describe.concurrent('the hint after a run failed on its provider', () => {
  it('a 400 on the second call: exit 10, the hint names `sop resume ID` (stderr, report.json, --json), and that command completes the run', async (context) => {
    const fake = await failingAfterFirst(context, { kind: 'status', status: 400 });
    const cwd = project();
    const failed = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', MODEL], env(fake));
    expect(failed.stderr).not.toMatch(STACK_LINE);
    expect(failed.code, failed.stderr).toBe(10);
    const record = lastRun(cwd);
    const runId = record.report.runId as string;
    expect(failed.stderr).toMatch(/error PROVIDER_BAD_REQUEST: /);
    const hintLine = failed.stderr.split('\n').find((line) => line.startsWith('hint: '));
    expect(hintLine).toMatch(new RegExp(`; then continue the run from its last finished round: sop resume ${runId}$`));
    expect(record.report).toMatchObject({ status: 'failed', exitCode: 10, error: { code: 'PROVIDER_BAD_REQUEST' }, hint: hintLine?.slice('hint: '.length) });

    // The printed command, run as printed, once the provider accepts the calls again.
    fake.heal();
    const command = (hintLine as string).replace(/^.*: sop /, '').split(' ');
    const resumed = await run(cwd, command, env(fake));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(lastRun(cwd).report).toMatchObject({ runId, status: 'completed', exitCode: 0 });
    expect(lastRun(cwd).report.hint).toBeUndefined();
    expectNoSecret(TEST_KEY, cwd, [failed, resumed]);
  });

  it('a refused key says what to fix first, then how to resume; --json carries it as the error hint', async (context) => {
    const fake = await failingAfterFirst(context, { kind: 'status', status: 401 });
    const cwd = project();
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', MODEL, '--json'], env(fake));
    expect(result.code, result.stderr).toBe(10);
    const envelope = envelopeOf(result);
    const { runId, hint } = lastRun(cwd).report;
    expect(envelope).toMatchObject({ ok: false, exitCode: 10, error: { code: 'PROVIDER_AUTH', hint } });
    expect(hint).toMatch(new RegExp(`OPENAI_API_KEY.*; then continue the run from its last finished round: sop resume ${runId}$`));
  });

  it('a provider that keeps failing (500, retries spent) gets the hint too', async (context) => {
    const fake = await failingAfterFirst(context, { kind: 'status', status: 500 });
    const cwd = project(`providers:\n  openai: { max_retries: 1, ${FAST_RETRIES} }\n`);
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', MODEL], env(fake));
    expect(result.code, result.stderr).toBe(10);
    const { runId, hint } = lastRun(cwd).report;
    expect(lastRun(cwd).report.error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(result.stderr).toContain(`hint: ${hint}`);
    expect(hint).toMatch(new RegExp(`sop resume ${runId}$`));
  });

  it('no resume hint for a failure resuming cannot fix: an output the model never gets right (exit 9)', async (context) => {
    const stubborn = await startFakeOpenAI({ faults: always({ kind: 'missing-fields' }) });
    context.onTestFinished(() => stubborn.close());
    const cwd = project();
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', MODEL, '--json'], env(stubborn));
    expect(result.code, result.stderr).toBe(9);
    expect(lastRun(cwd).report.hint).toBeUndefined();
    expect(JSON.stringify(envelopeOf(result))).not.toContain('sop resume');
    const human = await run(project(), ['run', SOFTWARE_COMPANY, IDEA, '--model', MODEL], env(stubborn));
    expect(human.code).toBe(9);
    expect(human.stderr).not.toContain('sop resume');
  });
});
