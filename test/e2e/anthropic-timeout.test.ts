import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { startFakeAnthropic } from '../support/fake-llm/anthropic-server.js';
import { always } from '../support/fake-llm/faults.js';
import { TEST_KEY, noteSop, project, run } from './providers-helpers.js';

/*
 * The provider `timeout` is an Anthropic call's only deadline: the SDK's own (10 minutes, and a
 * refusal of any whole-reply call whose max_tokens could take longer) is switched off.
 */

afterAll(removeTempDirs);

const MODEL = ['--model', 'anthropic:claude-haiku-4-5'];

describe('the Anthropic provider\'s timeout', () => {
  it('a server that never answers: the run stops after the configured timeout with PROVIDER_TIMEOUT (exit 10)', async (context) => {
    const server = await startFakeAnthropic({ faults: always({ kind: 'hang' }) });
    context.onTestFinished(() => server.close());
    const cwd = project(`providers:\n  anthropic: { base_url: "${server.url}", timeout: 1, max_retries: 0 }\n`);
    writeFileSync(path.join(cwd, 'note.yaml'), noteSop());
    const started = Date.now();
    const result = await run(cwd, ['run', 'note.yaml', 'tides', ...MODEL], { ANTHROPIC_API_KEY: TEST_KEY, SOP_NO_CACHE: '1' });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(10);
    expect(result.stderr).toContain(`error PROVIDER_TIMEOUT: role writer, action write: anthropic ${server.url} did not answer within 1s`);
    expect(result.stderr).toContain('hint: raise the provider `timeout` in sop.config.yaml');
    expect(server.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('stream: false with a max_tokens the SDK thinks may take over 10 minutes: the call is made, the timeout rules', async (context) => {
    const server = await startFakeAnthropic();
    context.onTestFinished(() => server.close());
    const cwd = project(`providers:\n  anthropic: { base_url: "${server.url}", stream: false, default_max_tokens: 64000, timeout: 900 }\n`);
    writeFileSync(path.join(cwd, 'note.yaml'), noteSop());
    const result = await run(cwd, ['run', 'note.yaml', 'tides', ...MODEL], { ANTHROPIC_API_KEY: TEST_KEY, SOP_NO_CACHE: '1' });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(server.requests.map((request) => [request.body.stream ?? false, request.body.max_tokens])).toEqual([[false, 64000]]);
  });
});
