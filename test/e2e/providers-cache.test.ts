import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { removeTempDirs } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { TEST_KEY, project, run } from './providers-helpers.js';
import { resultOf } from '../support/cli-envelope.js';

/** The response cache (`.sop/cache`) across servers: an answer is served again only by the server it came from. */
async function server(context: TestContext): Promise<FakeOpenAI> {
  const started = await startFakeOpenAI();
  context.onTestFinished(() => started.close());
  return started;
}

afterAll(removeTempDirs);

const TWO_STEPS = `apiVersion: sop/v1
kind: SOP
metadata: { name: two-steps, version: 1.0.0 }
messages:
  UserRequirement: { description: the idea }
  Plan: { description: a plan }
  Done: { description: finished }
start: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]
roles:
  planner: { profile: Planner, watch: [UserRequirement], actions: [{ id: plan, prompt: "Plan {{ message.content }}", output: { type: Plan } }] }
  writer: { profile: Writer, watch: [Plan], actions: [{ id: write, prompt: "Write {{ message.content }}", output: { type: Done } }] }
stop_when: { type: Done }
`;

const chats = (openai: FakeOpenAI): number => openai.requests.filter((request) => request.path === '/v1/chat/completions').length;

describe('response cache and the server', () => {
  it('OPENAI_BASE_URL pointed at another server asks that server: the cache folder does not answer with the first server\'s replies', async (context) => {
    const [first, second] = await Promise.all([server(context), server(context)]);
    const cwd = project();
    writeFileSync(path.join(cwd, 'two.yaml'), TWO_STEPS);
    const runOn = (openai: FakeOpenAI) => run(cwd, ['run', 'two.yaml', 'a todo app', '--model', 'openai:gpt-4o-mini', '--json'], { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: openai.url });

    const live = await runOn(first);
    expect(live.code, live.stderr).toBe(0);
    expect(chats(first)).toBe(2);
    const again = await runOn(first);
    expect(again.code, again.stderr).toBe(0);
    expect(resultOf(again).usage.total).toMatchObject({ calls: 2, cachedCalls: 2 });
    expect(chats(first)).toBe(2);

    const elsewhere = await runOn(second);
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(resultOf(elsewhere).usage.total).toMatchObject({ calls: 2, cachedCalls: 0 });
    expect(chats(second)).toBe(2);
    // Each server's answers are kept under its own keys, the server named in each entry.
    const entries = readdirSync(path.join(cwd, '.sop', 'cache'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => JSON.parse(readFileSync(path.join(entry.parentPath, entry.name), 'utf8')) as { endpoint?: string });
    expect(entries.map((entry) => entry.endpoint).sort()).toEqual([first.url, first.url, second.url, second.url].map((url) => url.replace(/\/+$/, '')).sort());
  });
});
