import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatModel, ChatRequest } from '../../../src/providers/chat-model.js';
import { createOpenAIModel } from '../../../src/providers/openai/index.js';
import { createModelRegistry } from '../../../src/providers/registry.js';
import { cacheEndpoint, deferredModel, describeProvider, loadProvider } from '../../../src/providers/registry-providers.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_SECONDS, type ProviderSettings } from '../../../src/providers/registry-settings.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '../../support/fake-llm/openai-server.js';
import { cleanTempDirs, errorOf, load, tempDir, writeFiles } from '../../config/helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let openai: FakeOpenAI;
const scratch = mkdtempSync(path.join(tmpdir(), 'sop-registry-lazy-'));

beforeAll(async () => {
  openai = await startFakeOpenAI();
});
afterAll(async () => {
  await openai.close();
  cleanTempDirs();
  rmSync(scratch, { recursive: true, force: true });
});

function settings(partial: Partial<ProviderSettings> & Pick<ProviderSettings, 'name' | 'kind'>): ProviderSettings {
  return { timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000, maxRetries: DEFAULT_MAX_RETRIES, minDelayMs: 500, maxDelayMs: 30_000, ...partial };
}

const identityOf = (model: ChatModel) => ({ provider: model.provider, endpoint: model.endpoint, capabilities: model.capabilities });

function request(model: string): ChatRequest {
  return {
    model,
    messages: [{ role: 'user', content: 'Write the PRD for a todo app.' }],
  };
}

describe('provider identity before the SDK is loaded', () => {
  const cases: ProviderSettings[] = [
    settings({ name: 'openai', kind: 'openai' }),
    settings({ name: 'groq', kind: 'openai', baseURL: ' https://api.groq.com/openai/v1// ', stream: false }),
    settings({ name: 'local', kind: 'openai', baseURL: 'http://127.0.0.1:8000/v1', stream: true }),
    settings({ name: 'anthropic', kind: 'anthropic' }),
    settings({ name: 'claude', kind: 'anthropic', baseURL: 'http://127.0.0.1:9/', stream: false }),
    settings({ name: 'ollama', kind: 'ollama' }),
    settings({ name: 'box', kind: 'ollama', host: 'http://10.0.0.2:11434/', stream: false }),
  ];
  it.each(cases.map((item) => [`${item.name} (${item.kind})`, item] as const))('%s: provider, endpoint and capabilities are those of the built model', async (_label, item) => {
    expect(describeProvider(item)).toEqual(identityOf(await loadProvider(item)));
  });

  it('an invalid OpenAI-compatible base URL is CONFIG_INVALID at once, as the provider says it', async () => {
    const bad = settings({ name: 'groq', kind: 'openai', baseURL: 'ftp://example.com/v1' });
    const described = await errorOf(() => describeProvider(bad));
    const built = await errorOf(() => createOpenAIModel({ name: 'groq', baseURL: 'ftp://example.com/v1' }));
    expect(described.code).toBe('CONFIG_INVALID');
    expect({ message: described.message, hint: described.hint }).toEqual({ message: built.message, hint: built.hint });

    const dir = writeFiles(tempDir(), { 'sop.config.yaml': 'providers:\n  groq: { kind: openai, base_url: "not a url" }\n' });
    const registry = createModelRegistry(await load(dir), { cwd: dir, noCache: true });
    expect(() => registry.resolve({ name: 'groq:llama' })).toThrow(/invalid base URL `not a url`/);
  });
});

describe('a deferred model', () => {
  it('builds its model once for calls that start together, and again after a failed build', async () => {
    let builds = 0;
    let failNext = true;
    const identity = { provider: 'openai', endpoint: `openai ${openai.url}`, capabilities: { nativeJsonSchema: true, tools: true, streaming: true } };
    const model = deferredModel(identity, async () => {
      builds += 1;
      if (failNext) {
        failNext = false;
        throw new Error('module failed to load');
      }
      return createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: openai.url });
    });
    expect(identityOf(model)).toEqual(identity);
    await expect(model.complete(request('gpt-4o-mini'))).rejects.toThrow('module failed to load');
    const replies = await Promise.all([1, 2, 3].map(() => model.complete(request('gpt-4o-mini'))));
    expect(replies.map((reply) => reply.model)).toEqual(['gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o-mini']);
    expect(builds).toBe(2);
  });
});

/** Loads every module through a hook that appends its URL to a log, so a test sees what a process imported when. */
const HOOKS = `
import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, next) { appendFileSync(log, url + '\\n'); return next(url, context); }
`;

const SCRIPT = `
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
const [log, cwd, baseURL, key] = process.argv.slice(2);
register(new URL('./hooks.mjs', import.meta.url), { data: { log } });
const mark = (text) => appendFileSync(log, '--- ' + text + '\\n');
const { loadConfig, loadModelRegistry } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist', 'index.js')).href)});
const config = await loadConfig({ cwd, env: { OPENAI_API_KEY: key, OPENAI_BASE_URL: baseURL }, userConfigDir: cwd });
const registry = await loadModelRegistry(config, { cwd, noCache: true });
const models = ['openai:gpt-4o-mini', 'anthropic:claude-haiku-4-5', 'ollama:llama3.2'].map((name) => registry.resolve({ name }).model);
mark('resolved ' + models.map((model) => model.endpoint).join(', '));
const reply = await models[0].complete({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });
mark('openai answered ' + reply.model);
`;

describe('provider SDKs are imported when a call needs them', () => {
  it('resolving imports none; the first call imports its own provider only', async () => {
    const log = path.join(scratch, 'modules.log');
    writeFileSync(path.join(scratch, 'hooks.mjs'), HOOKS);
    writeFileSync(path.join(scratch, 'script.mjs'), SCRIPT);
    writeFileSync(log, '');
    await promisify(execFile)(process.execPath, [path.join(scratch, 'script.mjs'), log, scratch, openai.url, FAKE_OPENAI_KEY], { cwd: scratch, timeout: 20_000 });

    const text = readFileSync(log, 'utf8');
    const [beforeResolve = '', afterResolve = ''] = text.split(/^--- resolved .*$/m);
    expect(text).toMatch(new RegExp(`^--- resolved openai ${openai.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, anthropic https://api\\.anthropic\\.com, ollama http://127\\.0\\.0\\.1:11434$`, 'm'));
    expect(text).toMatch(/^--- openai answered gpt-4o-mini$/m);
    const sdk = { openai: /node_modules\/openai\//, anthropic: /node_modules\/@anthropic-ai\/sdk\//, ollama: /node_modules\/ollama\// };
    // Sanity: the hook saw the registry itself being loaded.
    expect(beforeResolve).toMatch(/dist\/providers\/registry\.js$/m);
    for (const pattern of Object.values(sdk)) expect(beforeResolve).not.toMatch(pattern);
    expect(afterResolve).toMatch(sdk.openai);
    expect(afterResolve).not.toMatch(sdk.anthropic);
    expect(afterResolve).not.toMatch(sdk.ollama);
  });
});

describe('cacheEndpoint: the server a cached answer is keyed with', () => {
  it.each([
    ['openai default', settings({ name: 'openai', kind: 'openai' }), undefined],
    ['openai default written out, trailing slash', settings({ name: 'openai', kind: 'openai', baseURL: 'https://api.openai.com/v1/' }), undefined],
    ['openai elsewhere, credentials left out', settings({ name: 'openai', kind: 'openai', baseURL: 'http://user:pass@127.0.0.1:8000/v1/' }), 'http://127.0.0.1:8000/v1'],
    ['named OpenAI-compatible', settings({ name: 'groq', kind: 'openai', baseURL: 'https://api.groq.com/openai/v1' }), 'https://api.groq.com/openai/v1'],
    ['anthropic default', settings({ name: 'anthropic', kind: 'anthropic' }), undefined],
    ['anthropic elsewhere', settings({ name: 'anthropic', kind: 'anthropic', baseURL: 'http://127.0.0.1:9' }), 'http://127.0.0.1:9'],
    ['ollama default', settings({ name: 'ollama', kind: 'ollama' }), undefined],
    ['ollama elsewhere', settings({ name: 'ollama', kind: 'ollama', host: 'http://10.0.0.2:11434/' }), 'http://10.0.0.2:11434'],
  ] as const)('%s', (_label, item, expected) => {
    expect(cacheEndpoint(item)).toBe(expected);
  });
});
