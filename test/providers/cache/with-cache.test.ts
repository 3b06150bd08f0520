import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheEntryPath, requestKey, withCache } from '../../../src/providers/cache/index.js';
import type { ChatModel, ChatRequest, ChatResponse } from '../../../src/providers/chat-model.js';
import { createRedactor } from '../../../src/providers/redact.js';
import { chatRequest, scriptedModel } from '../resilience/scripted-model.js';

/** No secrets to mask in these tests' requests. */
const unmasked = (text: string): string => text;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sop-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function allFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('withCache', () => {
  it('answers a repeated request from <dir>/<2 hex>/<hash>.json without calling the model', async () => {
    const model = scriptedModel([{ text: 'first answer' }, { text: 'second answer' }]);
    const cached = withCache(model, { dir, providerKey: 'openai', redact: unmasked });
    const request = chatRequest({ temperature: 0 });

    const live = await cached.complete(request);
    const again = await cached.complete(chatRequest({ temperature: 0 }));

    expect(live).toEqual({ text: 'first answer', usage: { promptTokens: 100, completionTokens: 20, estimated: false }, model: 'gpt-4o-mini' });
    // A stored answer says why the model stopped; this model says nothing, which means `stop`.
    expect(again).toEqual({ ...live, finishReason: 'stop', costUsd: 0, cached: 'cache' });
    expect(model.calls).toBe(1);
    const hash = requestKey('openai', request);
    const file = cacheEntryPath(dir, hash);
    expect(path.relative(dir, file)).toBe(path.join(hash.slice(0, 2), `${hash}.json`));
    expect(allFiles(dir)).toEqual([file]);
    const entry = JSON.parse(readFileSync(file, 'utf8'));
    expect(entry).toMatchObject({ key: hash, provider: 'openai', model: 'gpt-4o-mini', temperature: 0, messages: request.messages, response: { text: 'first answer' } });
  });

  it('keeps why the model stopped: `length` is stored and served again; `stop`, the usual end, is left out and entries without it load', async () => {
    const answers: ChatResponse[] = [
      { text: 'cut sho', usage: { promptTokens: 10, completionTokens: 2, estimated: false }, model: 'gpt-4o-mini', finishReason: 'length' },
      { text: 'done.', usage: { promptTokens: 10, completionTokens: 2, estimated: false }, model: 'gpt-4o-mini', finishReason: 'stop' },
    ];
    const model: ChatModel = { provider: 'openai', capabilities: { nativeJsonSchema: true, tools: true, streaming: false }, complete: async () => answers.shift()! };
    const cached = withCache(model, { dir, providerKey: 'openai', redact: unmasked });
    const cut = chatRequest({ maxTokens: 2 });
    const whole = chatRequest();
    await cached.complete(cut);
    await cached.complete(whole);

    const stored = (request: ChatRequest) => JSON.parse(readFileSync(cacheEntryPath(dir, requestKey('openai', request)), 'utf8')).response;
    expect(stored(cut).finishReason).toBe('length');
    expect(stored(whole)).not.toHaveProperty('finishReason');
    expect(await cached.complete(cut)).toMatchObject({ cached: 'cache', finishReason: 'length' });
    const again = await cached.complete(whole);
    expect(again.cached).toBe('cache');
    expect(again.finishReason).toBe('stop');
  });

  it('misses on a different request, provider or model', async () => {
    const model = scriptedModel([{ text: 'a' }, { text: 'b' }, { text: 'c' }]);
    await withCache(model, { dir, providerKey: 'openai', redact: unmasked }).complete(chatRequest());
    const other = await withCache(model, { dir, providerKey: 'groq', redact: unmasked }).complete(chatRequest());
    const otherModel = await withCache(model, { dir, providerKey: 'openai', redact: unmasked }).complete(chatRequest({ model: 'gpt-4o' }));
    expect([other.text, otherModel.text, other.cached, otherModel.cached]).toEqual(['b', 'c', undefined, undefined]);
    expect(model.calls).toBe(3);
  });

  it('keys the server when one is given (a configured base URL): another server misses, the same one hits; without one the key is the request\'s alone', async () => {
    const model = scriptedModel([{ text: 'from a' }, { text: 'from b' }, { text: 'default' }]);
    const onServer = (endpoint?: string) => withCache(model, { dir, providerKey: 'openai', redact: unmasked, ...(endpoint ? { endpoint } : {}) });
    await onServer('http://127.0.0.1:8001/v1').complete(chatRequest());
    const elsewhere = await onServer('http://127.0.0.1:8002/v1').complete(chatRequest());
    const same = await onServer('http://127.0.0.1:8001/v1').complete(chatRequest());
    const unnamed = await onServer().complete(chatRequest());
    expect([elsewhere.text, elsewhere.cached, same.text, same.cached, unnamed.text, unnamed.cached]).toEqual(['from b', undefined, 'from a', 'cache', 'default', undefined]);
    expect(model.calls).toBe(3);
    // The default server's entry is where it was before servers were keyed.
    expect(JSON.parse(readFileSync(cacheEntryPath(dir, requestKey('openai', chatRequest())), 'utf8')).response.text).toBe('default');
  });

  it('ignores a corrupt entry, calls the model and overwrites it with a valid one', async () => {
    const model = scriptedModel([{ text: 'fresh' }]);
    const cached = withCache(model, { dir, providerKey: 'openai', redact: unmasked });
    await cached.complete(chatRequest());
    const file = cacheEntryPath(dir, requestKey('openai', chatRequest()));
    for (const garbage of ['{"format":"sop-cache","version":1,"key":"tru', '{"format":"sop-cache","version":1,"response":{"text":1}}']) {
      writeFileSync(file, garbage);
      const response = await cached.complete(chatRequest());
      expect(response.cached).toBeUndefined();
      expect(JSON.parse(readFileSync(file, 'utf8')).response.text).toBe('fresh');
    }
    expect(model.calls).toBe(3);
    expect((await cached.complete(chatRequest())).cached).toBe('cache');
    expect(allFiles(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps secrets out of entries and still hits', async () => {
    const secret = 'sk-test-SECRET-123456';
    const model = scriptedModel([{ text: `your key is ${secret}` }]);
    const cached = withCache(model, { dir, providerKey: 'openai', redact: createRedactor([secret]) });
    const request = chatRequest({ messages: [{ role: 'user', content: `use ${secret} for the call` }] });
    await cached.complete(request);
    expect((await cached.complete(request)).cached).toBe('cache');
    for (const file of allFiles(dir)) expect(readFileSync(file, 'utf8')).not.toContain(secret);
  });

  it('does not fail the call when the entry cannot be written, and says why', async () => {
    const blocked = path.join(dir, 'not-a-dir');
    writeFileSync(blocked, 'a file where the cache folder should be');
    const warnings: string[] = [];
    const cached = withCache(scriptedModel([{ text: 'ok' }]), { dir: blocked, providerKey: 'openai', redact: unmasked, onWarning: (message) => warnings.push(message) });
    expect((await cached.complete(chatRequest())).text).toBe('ok');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^could not write cache entry /);
  });
});
