import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';
import { envelopeOf } from '../support/cli-envelope.js';

afterAll(removeTempDirs);

/**
 * A provider's base URL (or Ollama's host) that cannot work is refused before the run, naming where
 * it was set: `OPENAI_BASE_URL=ftp://nowhere/v1` said only "provider `openai` has an invalid base
 * URL" (found by a new-user trial), and Anthropic's and Ollama's started the run and failed at the
 * first call. A URL's credentials are never shown (fetch refuses such a URL anyway).
 */
const SECRET = 'pw-s3cr3t-9f2c';
const KEYS = { OPENAI_API_KEY: 'sk-test-key-4411', ANTHROPIC_API_KEY: 'sk-ant-test-key-4411' };

let dir: string;
function env(extra: Record<string, string>): Record<string, string | undefined> {
  return {
    XDG_CONFIG_HOME: path.join(dir, 'xdg'),
    OPENAI_BASE_URL: undefined, OPENAI_ORG_ID: undefined, ANTHROPIC_BASE_URL: undefined, OLLAMA_HOST: undefined,
    SOP_MODEL: undefined, SOP_PROVIDER: undefined, SOP_CACHE_DIR: undefined, ...KEYS, ...extra,
  };
}

beforeAll(async () => {
  dir = tempDir('sop-url-source-');
  expect((await sop(['init', 'blog'], { cwd: dir })).code).toBe(0);
});

describe('an invalid base URL or host names its source, without credentials', () => {
  it.each([
    ['OPENAI_BASE_URL', `ftp://me:${SECRET}@nowhere/v1`, 'openai:gpt-4o-mini', 'provider `openai` has an invalid base URL `ftp://***@nowhere/v1` (from OPENAI_BASE_URL): ftp is not http or https', 'set OPENAI_BASE_URL to an http(s) URL'],
    ['ANTHROPIC_BASE_URL', 'ftp://nowhere', 'anthropic:claude-3-5-haiku-latest', 'provider `anthropic` has an invalid base URL `ftp://nowhere` (from ANTHROPIC_BASE_URL): ftp is not http or https', 'set ANTHROPIC_BASE_URL to an http(s) URL'],
    ['OLLAMA_HOST', `ftp://me:${SECRET}@nowhere`, 'ollama:llama3', 'provider `ollama` has an invalid host `ftp://***@nowhere` (from OLLAMA_HOST): ftp is not http or https', 'set OLLAMA_HOST to an http(s) URL'],
    ['OPENAI_BASE_URL', `http://me:${SECRET}@127.0.0.1:9/v1?key=${SECRET}`, 'openai:gpt-4o-mini', 'provider `openai` has an invalid base URL `http://***@127.0.0.1:9/v1?key=***` (from OPENAI_BASE_URL): it holds credentials (user:password@), which no request may carry', 'remove them from the URL'],
  ])('%s=%s: CONFIG_INVALID (exit 11) before the run starts', async (variable, value, model, message, hint) => {
    const cwd = tempDir('sop-url-source-run-');
    const result = await sop(['run', path.join(dir, 'blog', 'sop.yaml'), 'tides', '--model', model], { cwd, env: env({ [variable]: value }) });
    expect(result.code, result.stderr).toBe(11);
    expect(result.stderr).toContain(`error CONFIG_INVALID: ${message}\n  hint: ${hint}`);
    expect(result.stderr).not.toContain(SECRET);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(path.join(cwd, '.sop', 'runs')), 'no run was started').toBe(false);
    const json = await sop(['run', path.join(dir, 'blog', 'sop.yaml'), 'tides', '--model', model, '--json'], { cwd, env: env({ [variable]: value }) });
    expect(json.stdout).not.toContain(SECRET);
    expect(envelopeOf(json)).toMatchObject({ ok: false, exitCode: 11, error: { code: 'CONFIG_INVALID', message } });
  });

  it('a base URL from a config file names the field and the file (and the variable it reads)', async () => {
    const cwd = tempDir('sop-url-source-file-');
    writeFileSync(path.join(cwd, 'sop.config.yaml'), 'providers:\n  openai:\n    base_url: ftp://cfg.example/v1\n  anthropic:\n    base_url: ${env:MY_ANTHROPIC_URL}\n');
    const fromFile = await sop(['run', path.join(dir, 'blog', 'sop.yaml'), 'tides', '--model', 'openai:gpt-4o-mini'], { cwd, env: env({}) });
    expect(fromFile.code, fromFile.stderr).toBe(11);
    const file = path.join(cwd, 'sop.config.yaml');
    expect(fromFile.stderr).toContain(`error CONFIG_INVALID: provider \`openai\` has an invalid base URL \`ftp://cfg.example/v1\` (from providers.openai.base_url in ${file}:3): ftp is not http or https\n  hint: set providers.openai.base_url in ${file}:3 to an http(s) URL`);
    const viaVariable = await sop(['run', path.join(dir, 'blog', 'sop.yaml'), 'tides', '--model', 'anthropic:claude-3-5-haiku-latest'], { cwd, env: env({ MY_ANTHROPIC_URL: `gopher://u:${SECRET}@x` }) });
    expect(viaVariable.code, viaVariable.stderr).toBe(11);
    expect(viaVariable.stderr).toContain(`(from providers.anthropic.base_url in ${file}:5 via \${env:MY_ANTHROPIC_URL}): gopher is not http or https\n  hint: set MY_ANTHROPIC_URL (read by providers.anthropic.base_url in ${file}:5) to an http(s) URL`);
    expect(viaVariable.stderr).not.toContain(SECRET);
  });
});

describe('a base URL on a port fetch never connects to (6000, 10080, ...)', () => {
  // Told as an unreachable server ("cannot reach ... (bad port)"; Ollama's as "ended the reply early"), retried, with a hint to check that the server runs.
  it.each([
    ['OPENAI_BASE_URL', 'http://127.0.0.1:6000/v1', 'openai:gpt-4o-mini', 'cannot reach http://127.0.0.1:6000/v1: Node\'s fetch never connects to port 6000', 'point OPENAI_BASE_URL (or providers.openai.base_url) at it'],
    ['ANTHROPIC_BASE_URL', 'http://127.0.0.1:10080', 'anthropic:claude-3-5-haiku-latest', 'cannot reach http://127.0.0.1:10080: Node\'s fetch never connects to port 10080', 'point the provider\'s base_url at it'],
    ['OLLAMA_HOST', '127.0.0.1:6000', 'ollama:llama3', 'cannot reach http://127.0.0.1:6000: Node\'s fetch never connects to port 6000', 'point OLLAMA_HOST (or providers.ollama.host) at it'],
  ])('%s=%s: said so, with the fix, at the first call (PROVIDER_UNAVAILABLE, exit 10, no retries)', async (variable, value, model, message, hint) => {
    const cwd = tempDir('sop-url-port-');
    const result = await sop(['run', path.join(dir, 'blog', 'sop.yaml'), 'tides', '--model', model, '--ci'], { cwd, env: env({ [variable]: value }) });
    expect(result.code, result.stderr).toBe(10);
    expect(result.stderr).toContain(`error PROVIDER_UNAVAILABLE: role writer, action write_draft: ${message} (a port the fetch standard blocks, as browsers do)\n  hint: serve the model on another port (8000, 8080, 11434, ...) and ${hint}`);
    expect(result.stderr).not.toMatch(/retrying/);
  });
});
