import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-llm/anthropic-server.js';
import { startFakeOllama, type FakeOllama } from '../support/fake-llm/ollama-server.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';
import { resultOf } from '../support/cli-envelope.js';

const KEY = 'sk-test-SECRET-123456';
let openai: FakeOpenAI;
let anthropic: FakeAnthropic;
let ollama: FakeOllama;

beforeAll(async () => {
  [openai, anthropic, ollama] = await Promise.all([startFakeOpenAI(), startFakeAnthropic(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([openai.close(), anthropic.close(), ollama.close()]);
  removeTempDirs();
});

interface ProbeJson {
  provider: string;
  kind: string;
  ok: boolean;
  latencyMs: number;
  detail?: string;
  code?: string;
  hint?: string;
}

/** A project folder with this sop.config.yaml and an environment free of this machine's settings. */
function project(configText: string, env: Record<string, string> = {}): { cwd: string; env: Record<string, string | undefined> } {
  const cwd = tempDir();
  mkdirSync(cwd, { recursive: true });
  writeFileSync(path.join(cwd, 'sop.config.yaml'), configText);
  return {
    cwd,
    env: {
      XDG_CONFIG_HOME: path.join(cwd, 'xdg'), OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, OPENAI_ORG_ID: undefined,
      ANTHROPIC_API_KEY: undefined, ANTHROPIC_BASE_URL: undefined, OLLAMA_HOST: undefined, SOP_MODEL: undefined, SOP_PROVIDER: undefined,
      ...env,
    },
  };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('sop doctor', () => {
  it('checks every configured provider with one cheap call each and exits 0 when all answer', async () => {
    const ollamaHostPort = new URL(ollama.url).host; // host:port without a scheme, as OLLAMA_HOST allows
    const { cwd, env } = project(
      [
        'default_model: anthropic:claude-haiku-4-5',
        'providers:',
        `  openai: { base_url: "${openai.url}" }`,
        `  anthropic: { base_url: "${anthropic.url}" }`,
        `  ollama: { host: "${ollamaHostPort}" }`,
        '',
      ].join('\n'),
      { OPENAI_API_KEY: KEY, ANTHROPIC_API_KEY: KEY },
    );
    const before = { openai: openai.requests.length, anthropic: anthropic.requests.length };
    // A generous limit: every check must pass, and a loaded machine loads the provider SDKs slowly.
    const result = await sop(['doctor', '--json', '--timeout', '60'], { cwd, env });
    expect(result.code, result.stdout).toBe(0);
    const report = resultOf(result) as { ok: boolean; defaultModel: string; providers: ProbeJson[] };
    expect(report.ok).toBe(true);
    expect(report.defaultModel).toBe('anthropic:claude-haiku-4-5');
    expect(report.providers.map((p) => [p.provider, p.kind, p.ok, p.detail])).toEqual([
      ['openai', 'openai', true, '2 models'],
      ['anthropic', 'anthropic', true, 'model claude-haiku-4-5 answered'],
      ['ollama', 'ollama', true, '1 model'],
    ]);
    for (const probe of report.providers) expect(probe.latencyMs).toBeGreaterThanOrEqual(0);
    expect(openai.requests.slice(before.openai).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);
    const anthropicCalls = anthropic.requests.slice(before.anthropic);
    expect(anthropicCalls.map((r) => [r.body.model, r.body.max_tokens])).toEqual([['claude-haiku-4-5', 1]]);
    expect(result.stdout + result.stderr).not.toContain(KEY);
  });

  it('a refused key is PROVIDER_AUTH with a hint, exit 10, and the key never printed', async () => {
    const wrongKey = 'sk-wrong-SECRET-999999';
    const { cwd, env } = project(`providers:\n  openai: { base_url: "${openai.url}" }\n`, { OPENAI_API_KEY: wrongKey });
    const result = await sop(['doctor'], { cwd, env });
    expect(result.code).toBe(10);
    expect(result.stdout).toMatch(/^FAIL {2}openai http:\/\/127\.0\.0\.1:\d+\/v1: PROVIDER_AUTH: /m);
    expect(result.stdout).toContain('hint: check OPENAI_API_KEY');
    expect(result.stdout + result.stderr).not.toContain('SECRET');
  });

  it('an endpoint nobody listens on fails with PROVIDER_UNAVAILABLE and a hint (exit 10); others still pass', async () => {
    const port = await closedPort();
    const { cwd, env } = project(
      `providers:\n  local: { kind: openai, base_url: "http://127.0.0.1:${port}/v1" }\n  ollama: { host: "${ollama.url}" }\n`,
    );
    // Nobody listens: refused at once, whatever the limit; a generous one lets ollama's check pass on a loaded machine.
    const result = await sop(['doctor', '--timeout', '60'], { cwd, env });
    expect(result.code).toBe(10);
    expect(result.stdout).toMatch(new RegExp(`^FAIL {2}local http://127\\.0\\.0\\.1:${port}/v1: PROVIDER_UNAVAILABLE: cannot reach`, 'm'));
    expect(result.stdout).toMatch(/^ {6}hint: check that the server is running/m);
    expect(result.stdout).toMatch(/^ok {4}ollama http:\/\/127\.0\.0\.1:\d+: 1 model \(\d+ ms\)$/m);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('an unset ${env:NAME} and an unknown default provider are reported, not thrown; exit 11 as for any invalid configuration', async () => {
    const { cwd, env } = project('default_model: mistral:large\nproviders:\n  groq: { kind: openai, base_url: "http://g/v1", api_key: "${env:GROQ_API_KEY}" }\n');
    const result = await sop(['doctor', '--json'], { cwd, env });
    expect(result.code).toBe(11);
    const report = resultOf(result) as { providers: ProbeJson[] };
    expect(report.providers.map((p) => [p.provider, p.code])).toEqual([
      ['groq', 'CONFIG_ENV_MISSING'],
      // The file's default_model names no configured provider: the file's mistake, as `sop run` says.
      ['default_model', 'CONFIG_INVALID'],
    ]);
  });

  it('a provider whose config is invalid exits 11 (CONFIG_INVALID), not a provider failure\'s 10, even beside one that is down', async () => {
    const port = await closedPort();
    const { cwd, env } = project(`providers:\n  groq: { kind: openai, base_url: "ftp://example.com/v1" }\n  local: { kind: openai, base_url: "http://127.0.0.1:${port}/v1" }\n`);
    const human = await sop(['doctor', '--timeout', '5'], { cwd, env });
    expect(human.code).toBe(11);
    expect(human.stdout).toMatch(/^FAIL {2}groq: CONFIG_INVALID: .*ftp:\/\/example\.com\/v1/m);
    expect(human.stdout).toMatch(/^FAIL {2}local http:\/\/127\.0\.0\.1:\d+\/v1: PROVIDER_UNAVAILABLE/m);
    expect(human.stderr).not.toMatch(STACK_LINE);
    const json = await sop(['doctor', '--json', '--timeout', '5'], { cwd, env });
    expect(json.code).toBe(11);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
  });

  it('with nothing configured there is nothing to check: exit 0', async () => {
    const { cwd, env } = project('# empty\n');
    const result = await sop(['doctor'], { cwd, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('default model: offline');
    expect(result.stdout).toContain('no provider configured');
  });

  it('a scripted default model (script:FILE) has no provider to reach: exit 0', async () => {
    const { cwd, env } = project('default_model: script:answers.yaml\n');
    writeFileSync(path.join(cwd, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers: []\n');
    const result = await sop(['doctor'], { cwd, env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('default model: script:answers.yaml');
    expect(result.stdout).toContain('runs use the scripted model (unscripted calls: the built-in offline model)');
  });

  it('a scripted default model whose script is missing or broken fails the check (exit 2), saying why as a run would', async () => {
    const { cwd, env } = project('default_model: script:answers.yaml\n');
    const missing = await sop(['doctor', '--json'], { cwd, env });
    expect(missing.code).toBe(2);
    expect(missing.stdout).not.toMatch(STACK_LINE);
    expect(resultOf(missing)).toMatchObject({ ok: false, defaultModel: 'script:answers.yaml', providers: [{ provider: 'default_model', code: 'FILE_NOT_FOUND', message: 'cannot read script answers.yaml: no such file' }] });
    // The script was named by the configuration file, not by a --model flag (doctor has none): the hint says where to fix it.
    expect(resultOf(missing).providers[0].hint).toMatch(/^set default_model in the configuration file \(`sop config` names it\)/);
    expect(resultOf(missing).providers[0].hint).not.toContain('--model');

    writeFileSync(path.join(cwd, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers:\n  - { role: pm, atempt: 1, output: x }\n');
    const broken = await sop(['doctor'], { cwd, env });
    expect(broken.code).toBe(2);
    expect(broken.stdout).toContain('FAIL  default_model: SCRIPT_INVALID: invalid script: answers.yaml:3:17: error SCHEMA_UNKNOWN_FIELD: unknown field `atempt`');
  });
});
