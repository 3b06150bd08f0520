import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { removeTempDirs } from '../cli/run-cli.js';
import { hashKeyFields, type RequestKeyFields } from '../../src/providers/cache/request-key.js';
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

/** Every entry of the cache folder, as a file and its JSON. */
function cacheEntries(cwd: string): Array<{ file: string; entry: RequestKeyFields & { key: string; endpoint?: string } }> {
  const root = path.join(cwd, '.sop', 'cache');
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((item) => item.isFile())
    .map((item) => path.join(item.parentPath, item.name))
    .map((file) => ({ file, entry: JSON.parse(readFileSync(file, 'utf8')) }));
}

describe('response cache and an older wording of the system prompt', () => {
  it('an answer an older runner cached when it doubled a description\'s full stop (`a plan..`) is served from the cache, the model not asked again', async (context) => {
    const openai = await server(context);
    const cwd = project();
    // Descriptions that end their sentence: the runner no longer adds a full stop to them.
    writeFileSync(path.join(cwd, 'two.yaml'), TWO_STEPS.replace('{ description: a plan }', '{ description: A plan. }').replace('{ description: finished }', '{ description: Finished! }'));
    const runIt = () => run(cwd, ['run', 'two.yaml', 'a todo app', '--model', 'openai:gpt-4o-mini', '--json'], { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: openai.url });
    const live = await runIt();
    expect(live.code, live.stderr).toBe(0);
    expect(chats(openai)).toBe(2);

    // The cache as the older runner left it: each entry under the key of its request in that wording.
    const stored = cacheEntries(cwd);
    expect(stored).toHaveLength(2);
    for (const { file, entry } of stored) {
      const system = entry.messages.find((message) => message.role === 'system')!;
      expect(system.content).toMatch(/^Your reply becomes a (Plan|Done) message: (A plan\.|Finished!)$/m);
      system.content = system.content.replace(/^(Your reply becomes an? \w+ message: .*[.!?])$/m, '$1.');
      const { key: _key, response: _response, format: _format, version: _version, ...fields } = entry as typeof entry & { response: unknown; format: string; version: number };
      entry.key = hashKeyFields(fields);
      rmSync(file);
      mkdirSync(path.join(cwd, '.sop', 'cache', entry.key.slice(0, 2)), { recursive: true });
      writeFileSync(path.join(cwd, '.sop', 'cache', entry.key.slice(0, 2), `${entry.key}.json`), JSON.stringify(entry, null, 2));
    }
    const olderPrompts = cacheEntries(cwd).map(({ entry }) => entry.messages.find((message) => message.role === 'system')!.content).join('\n');
    expect(olderPrompts).toContain('message: A plan..');
    expect(olderPrompts).toContain('message: Finished!.');

    const again = await runIt();
    expect(again.code, again.stderr).toBe(0);
    expect(resultOf(again).usage.total).toMatchObject({ calls: 2, cachedCalls: 2 });
    expect(chats(openai)).toBe(2);
    expect(resultOf(again).usage.total.costUsd).toBe(0);
  });
});
