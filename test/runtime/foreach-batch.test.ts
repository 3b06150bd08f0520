import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../src/providers/chat-model.js';
import type { Message } from '../../src/runtime/index.js';
import { eventsOf, runFixture } from './helpers/run-fixture.js';
import { scriptedModel, userPrompt, hintsOf, actionHints } from './helpers/scripted-model.js';

describe('foreach, when.if and batch', () => {
  it('fans out per item with concurrency, publishing in item order whatever the timing', async () => {
    let active = 0;
    let peak = 0;
    const model = scriptedModel((request) => `print(${JSON.stringify(userPrompt(request))})`);
    const slow = {
      ...model,
      async complete(request: ChatRequest) {
        active += 1;
        peak = Math.max(peak, active);
        // Later items answer sooner: completion order is the reverse of item order.
        const item = /write (\w+)/.exec(userPrompt(request))?.[1] ?? '';
        await new Promise((resolve) => setTimeout(resolve, { alpha: 40, beta: 30, gamma: 20, delta: 10 }[item] ?? 0));
        active -= 1;
        return model.complete(request);
      },
    };
    const run = await runFixture('foreach.yaml', { model: slow });
    expect(run.result.status).toBe('completed');
    expect(peak).toBe(3);
    const written = eventsOf(run, 'message-published')
      .map((event) => event['message'] as Message)
      .filter((message) => message.type === 'Written');
    // Only the first start message has more than one name (when.if); items keep their order.
    expect(written.map((message) => message.payload)).toEqual([
      { artifacts: ['out/alpha.py'], language: 'python', item: 'alpha' },
      { artifacts: ['out/beta.py'], language: 'python', item: 'beta' },
      { artifacts: ['out/gamma.py'], language: 'python', item: 'gamma' },
      { artifacts: ['out/delta.py'], language: 'python', item: 'delta' },
    ]);
    expect(written.every((message) => message.cause === 'm0001')).toBe(true);
    expect(readFileSync(path.join(run.result.workspace, 'out/gamma.py'), 'utf8')).toBe('print("write gamma (2)")\n');
    // Events of concurrent items are logged in item order.
    expect(eventsOf(run, 'artifact-written').map((event) => event['index'])).toEqual([0, 1, 2, 3]);
  });

  it('tells the model the language and the artifact path it writes', async () => {
    const model = scriptedModel(() => 'pass');
    await runFixture('foreach.yaml', { model });
    const first = model.requests.find((request) => actionHints(request)?.action === 'write_file');
    expect(first && hintsOf(first)).toMatchObject({ format: 'code', language: 'python', artifactPaths: ['out/alpha.py'], attempt: 1, outputType: 'Written' });
    expect(first?.messages[0]?.content).toContain('Reply with the code only (python)');
  });

  it('runs a batch action once per round with every matching message', async () => {
    const model = scriptedModel((request) => userPrompt(request));
    const run = await runFixture('foreach.yaml', { model });
    const counts = model.requests.filter((request) => actionHints(request)?.action === 'count');
    expect(counts.map(userPrompt)).toEqual(['2 messages, last: more files']);
    const summary = eventsOf(run, 'message-published').map((event) => event['message'] as Message).find((message) => message.type === 'Summary');
    expect(summary?.cause).toBe('m0002');
  });
});
