import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelRegistry } from '../../src/providers/registry.js';
import { createRuntime, type SopRuntime } from '../../src/providers/sop-runtime.js';
import { runSop, type RunOptions } from '../../src/runtime/index.js';
import { always } from '../support/fake-llm/faults.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { cleanTempDirs, load, tempDir, writeFiles } from '../config/helpers.js';
import { FIXTURES, readEvents, tempFolder } from './helpers/run-fixture.js';
import { loadResolvedSop } from '../../src/spec/index.js';

/**
 * A `SopRuntime` holds what runs share on purpose: endpoint breakers and limits, the secret mask.
 * Two runs given the same runtime share them; runs given different runtimes share nothing.
 */
let server: FakeOpenAI;
beforeAll(async () => {
  // Every request fails with a retryable 503: each call is one failure for the endpoint's breaker.
  server = await startFakeOpenAI({ faults: always({ kind: 'status', status: 503 }) });
});
afterAll(async () => {
  await server.close();
  cleanTempDirs();
});

const chatRequests = (): number => server.requests.filter((request) => request.path === '/v1/chat/completions').length;

/** A pipeline run whose models come from a registry built on `runtime`: openai at the failing server, no retries, the breaker opening at the first failure. */
async function runOnFailingServer(runtime: SopRuntime) {
  const dir = writeFiles(tempDir(), {
    'sop.config.yaml': `default_model: openai:gpt-4o-mini\nproviders:\n  openai: { base_url: "${server.url}", max_retries: 0, breaker: { failure_threshold: 1, reset_after: 600 } }\n`,
  });
  const registry = createModelRegistry(await load(dir, { env: { OPENAI_API_KEY: FAKE_OPENAI_KEY } }), { runtime, cwd: dir, noCache: true });
  const { sop } = await loadResolvedSop(path.join(FIXTURES, 'pipeline.yaml'));
  const result = await runSop(sop, { inputs: { idea: 'a todo app' }, cwd: dir, runtime, resolveModel: (ref) => registry.resolve(ref) });
  return { result, events: readEvents(result.runDir) };
}

describe('a runtime shares circuit breakers on purpose', () => {
  it('one runtime opens its breaker on a failing endpoint; another still calls it; a run on the first fails fast', async () => {
    const first = createRuntime();
    const before = chatRequests();
    const opened = await runOnFailingServer(first);
    expect(opened.result).toMatchObject({ status: 'failed', exitCode: 10, error: { code: 'PROVIDER_UNAVAILABLE' } });
    expect(opened.events.map((event) => event.type)).toContain('breaker-open');
    expect(chatRequests() - before).toBe(1);

    // A different runtime knows nothing of that breaker: its run reaches the server.
    const other = await runOnFailingServer(createRuntime());
    expect(chatRequests() - before).toBe(2);
    expect(other.result.error?.message).not.toMatch(/circuit open/);

    // The same runtime, even through a new registry: the open circuit refuses without a request.
    const shared = await runOnFailingServer(first);
    expect(chatRequests() - before).toBe(2);
    expect(shared.result).toMatchObject({ status: 'failed', exitCode: 10 });
    expect(shared.result.error?.message).toMatch(/circuit open for openai http:\/\/127\.0\.0\.1:\d+\/v1 after 1 failure;/);
  });
});

describe('a runtime shares its secret mask on purpose', () => {
  const SECRET_A = 'sk-test-RUN-A-1111111111';
  const SECRET_B = 'sk-test-RUN-B-2222222222';

  /** An offline run whose idea quotes both secrets; what its record keeps of each. */
  async function recordOf(options: Partial<RunOptions>): Promise<string> {
    const { sop } = await loadResolvedSop(path.join(FIXTURES, 'pipeline.yaml'));
    const cwd = tempFolder();
    const result = await runSop(sop, { inputs: { idea: `keys ${SECRET_A} and ${SECRET_B}` }, cwd, ...options });
    expect(result.status).toBe('completed');
    return ['journal.jsonl', 'report.json'].map((name) => readFileSync(path.join(result.runDir, name), 'utf8')).join('\n');
  }

  it("runs on different runtimes mask only their own secrets; a run sharing a runtime masks the other's too", async () => {
    const runtimeA = createRuntime();
    const recordA = await recordOf({ runtime: runtimeA, secrets: [SECRET_A] });
    expect(recordA).not.toContain(SECRET_A);
    expect(recordA).toContain(SECRET_B);

    const recordB = await recordOf({ runtime: createRuntime(), secrets: [SECRET_B] });
    expect(recordB).toContain(SECRET_A);
    expect(recordB).not.toContain(SECRET_B);

    // Without a runtime a run makes a private one: nothing another run was given is masked.
    const privateRecord = await recordOf({ secrets: [SECRET_B] });
    expect(privateRecord).toContain(SECRET_A);

    const sharing = await recordOf({ runtime: runtimeA, secrets: [SECRET_B] });
    expect(sharing).not.toContain(SECRET_A);
    expect(sharing).not.toContain(SECRET_B);
    expect(sharing).toContain('keys *** and ***');
  });
});
