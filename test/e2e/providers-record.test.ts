import { appendFileSync, cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { removeTempDirs, repoRoot, STACK_LINE } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { IDEA, SOFTWARE_COMPANY, TEST_KEY, artifacts, expectNoSecret, lastRun, project, run } from './providers-helpers.js';
import { resultOf } from '../support/cli-envelope.js';

/** `--record` / `--replay` end to end, and keys kept out of everything even when a server echoes them. */
async function server(context: TestContext): Promise<FakeOpenAI> {
  const started = await startFakeOpenAI();
  context.onTestFinished(() => started.close());
  return started;
}

afterAll(removeTempDirs);

const MODEL = 'openai:gpt-4o-mini';

describe.concurrent('record and replay', () => {
  it('records a run, replays it with the server gone (byte-identical artifacts, no key); a changed prompt is a REPLAY_MISS naming where', async (context) => {
    const openai = await server(context);
    const cwd = project();
    // The SOP is copied so that one of its prompts can change after recording.
    cpSync(path.join(repoRoot, 'sops'), path.join(cwd, 'sops'), { recursive: true });
    const sopFile = path.join(cwd, 'sops', 'software-company.yaml');
    const recorded = await run(cwd, ['run', sopFile, IDEA, '--model', MODEL, '--record', 'run.cassette', '--workspace', 'recorded'], {
      OPENAI_API_KEY: TEST_KEY,
      OPENAI_BASE_URL: openai.url,
    });
    expect(recorded.code, recorded.stderr).toBe(0);
    const calls = lastRun(cwd).report.usage.total.calls as number;
    // Recording turns the cache off: every call went to the server and is in the cassette.
    expect(existsSync(path.join(cwd, '.sop', 'cache'))).toBe(false);
    expect(readFileSync(path.join(cwd, 'run.cassette'), 'utf8').trim().split('\n')).toHaveLength(calls + 1);

    const url = openai.url;
    await openai.close();
    const requestsBefore = openai.requests.length;
    const replayed = await run(cwd, ['run', sopFile, IDEA, '--model', MODEL, '--replay', 'run.cassette', '--workspace', 'replayed', '--json'], {
      OPENAI_BASE_URL: url,
    });
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(openai.requests.length).toBe(requestsBefore);
    expect(replayed.stderr).toContain(`model: ${MODEL} via replay ${path.join(cwd, 'run.cassette')}`);
    const report = resultOf(replayed);
    expect(report.usage.total).toMatchObject({ calls, cachedCalls: calls });
    expect(report.costUsd).toBe(0);
    const replayedFiles = artifacts(path.join(cwd, 'replayed'));
    expect(Object.keys(replayedFiles).length).toBeGreaterThan(4);
    expect(replayedFiles).toEqual(artifacts(path.join(cwd, 'recorded')));

    appendFileSync(path.join(cwd, 'sops', 'software-company', 'prompts', 'write_design.liquid'), '\nKeep the design under one page.\n');
    const changed = await run(cwd, ['run', sopFile, IDEA, '--model', MODEL, '--replay', 'run.cassette', '--workspace', 'changed'], { OPENAI_BASE_URL: url });
    expect(changed.stderr).not.toMatch(STACK_LINE);
    expect(changed.code).toBe(10);
    expect(changed.stderr).toMatch(/error REPLAY_MISS: replay miss for role "architect", action "write_design" in .*run\.cassette: closest recorded request: messages\[1\]\.content differs/);
    expect(changed.stderr).toContain('Keep the design under one page.');
    expect(lastRun(cwd).report).toMatchObject({ status: 'failed', exitCode: 10, error: { code: 'REPLAY_MISS' }, usage: { byAction: { write_prd: { calls: 2, cachedCalls: 2 } } } }); // the PRD and its judge
    expectNoSecret(TEST_KEY, cwd, [recorded, replayed, changed]);
  });

  it('a version 1 cassette (recorded before requests carried labels) still replays every call, offline', async () => {
    const cwd = project();
    const sopFile = path.join(repoRoot, 'test', 'fixtures', 'runtime', 'react.yaml');
    const cassette = path.join(repoRoot, 'test', 'fixtures', 'cassettes', 'react-v1.cassette');
    const replayed = await run(cwd, ['run', sopFile, 'a todo app', '--model', MODEL, '--replay', cassette, '--json'], {});
    expect(replayed.stderr).not.toMatch(STACK_LINE);
    expect(replayed.code, replayed.stderr).toBe(0);
    const report = resultOf(replayed);
    expect(report.usage.total).toMatchObject({ calls: 6, cachedCalls: 6 });

    const changed = await run(cwd, ['run', sopFile, 'a weather app', '--model', MODEL, '--replay', cassette], {});
    expect(changed.code).toBe(10);
    expect(changed.stderr).toMatch(/error REPLAY_MISS: replay miss for role "worker", react-choice call in .*react-v1\.cassette: closest recorded request: messages\[1\]\.content differs/);
  });

  it('a key the server echoes back in its error is masked in the output, the events and the report (exit 10)', async (context) => {
    const openai = await server(context);
    const cwd = project();
    const wrongKey = 'sk-test-SECRET-999999-wrong';
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', MODEL], { OPENAI_API_KEY: wrongKey, OPENAI_BASE_URL: openai.url });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(10);
    expect(result.stderr).toMatch(/error PROVIDER_AUTH: role product_manager, action write_prd: .*\*\*\*/);
    expect(result.stderr).toContain('OPENAI_API_KEY');
    // The server did receive the key (the test would prove nothing otherwise).
    expect(openai.requests[0]?.headers.authorization).toBe(`Bearer ${wrongKey}`);
    expect(lastRun(cwd).report.error.message).toContain('***');
    // The run's journal and report at least (a run folder holds no other file once it ended).
    expect(expectNoSecret(wrongKey, cwd, [result])).toBeGreaterThanOrEqual(2);
  });
});
