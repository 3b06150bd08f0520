import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SEARCH_PLACES } from '../../src/config/index.js';
import { cleanTempDirs, errorOf, load, sources, tempDir, values, writeFiles } from './helpers.js';

afterAll(cleanTempDirs);

describe('precedence and provenance', () => {
  it('defaults < user file < project file < environment < flags, each value with its source', async () => {
    const root = tempDir();
    const user = writeFiles(path.join(root, 'user'), {
      'config.yaml': ['default_model: user-model', 'default_provider: ollama', 'cache:', '  dir: /user/cache', 'providers:', '  ollama: { host: user-host:1 }', ''].join('\n'),
    });
    const project = writeFiles(path.join(root, 'project'), {
      'sop.config.yaml': ['default_model: project-model', 'providers:', '  ollama:', '    host: project-host:2', '    timeout: 30', ''].join('\n'),
    });
    const config = await load(project, {
      userConfigDir: user,
      env: { OLLAMA_HOST: 'env-host:3', SOP_PROVIDER: 'anthropic', SOP_MODEL: 'env-model' },
      flags: { model: 'flag-model', noCache: true },
    });
    const projectFile = path.join(project, 'sop.config.yaml');
    expect(values(config)).toMatchObject({
      default_model: 'flag-model',
      default_provider: 'anthropic',
      'providers.ollama.host': 'env-host:3',
      'providers.ollama.timeout': '30',
      'cache.dir': '/user/cache',
      'cache.enabled': 'false',
    });
    expect(sources(config)).toEqual({
      default_model: 'flag:--model',
      default_provider: 'env:SOP_PROVIDER',
      'providers.ollama.host': 'env:OLLAMA_HOST',
      'providers.ollama.timeout': `${projectFile}:5`,
      'cache.dir': `${path.join(user, 'config.yaml')}:4`,
      'cache.enabled': 'flag:--no-cache',
    });
    expect(config.files).toEqual([path.join(user, 'config.yaml'), projectFile]);
  });

  it('with nothing configured: the offline model and the cache in .sop/cache, from defaults', async () => {
    const config = await load(tempDir());
    expect(config.explain()).toEqual([
      { key: 'cache.dir', value: '.sop/cache', source: 'default' },
      { key: 'cache.enabled', value: 'true', source: 'default' },
      { key: 'default_model', value: 'offline', source: 'default' },
    ]);
    expect(config.files).toEqual([]);
  });

  it('reads the environment variables of docs/providers.md into provider settings', async () => {
    const env = {
      OPENAI_API_KEY: 'sk-test-SECRET-123456', OPENAI_BASE_URL: 'http://o/v1', OPENAI_ORG_ID: 'org-1',
      ANTHROPIC_API_KEY: 'sk-ant-test-SECRET-1', ANTHROPIC_BASE_URL: 'http://a', SOP_CACHE_DIR: '/c', SOP_NO_CACHE: '1',
    };
    const config = await load(tempDir(), { env });
    expect(sources(config)).toMatchObject({
      'providers.openai.api_key': 'env:OPENAI_API_KEY', 'providers.openai.base_url': 'env:OPENAI_BASE_URL',
      'providers.openai.organization': 'env:OPENAI_ORG_ID', 'providers.anthropic.api_key': 'env:ANTHROPIC_API_KEY',
      'providers.anthropic.base_url': 'env:ANTHROPIC_BASE_URL', 'cache.dir': 'env:SOP_CACHE_DIR', 'cache.enabled': 'env:SOP_NO_CACHE',
    });
    expect(config.data.cache).toEqual({ enabled: false, dir: '/c' });
    expect(config.providerNames()).toEqual(['openai', 'anthropic']);
  });

  it('SOP_NO_CACHE=0 leaves the cache on; empty variables count as unset', async () => {
    const config = await load(tempDir(), { env: { SOP_NO_CACHE: '0', SOP_MODEL: '' } });
    expect(values(config)).toMatchObject({ 'cache.enabled': 'true', default_model: 'offline' });
  });
});

describe('project file search', () => {
  const yaml = 'default_model: found\n';
  const cases: Array<[string, string]> = [
    ['sop.config.yaml', yaml],
    ['sop.config.yml', yaml],
    ['sop.config.json', '{ "default_model": "found" }'],
    ['sop.config.js', 'export default { default_model: "found" };'],
    ['sop.config.mjs', 'export default { default_model: "found" };'],
    ['sop.config.cjs', 'module.exports = { default_model: "found" };'],
    ['.soprc', yaml],
    ['.soprc.yaml', yaml],
    ['.soprc.yml', yaml],
    ['.soprc.json', '{ "default_model": "found" }'],
    ['.soprc.js', 'export default { default_model: "found" };'],
    ['.soprc.mjs', 'export default { default_model: "found" };'],
    ['.soprc.cjs', 'module.exports = { default_model: "found" };'],
    ['package.json', '{ "name": "x", "type": "module", "sop": { "default_model": "found" } }'],
  ];

  it('covers every search place of the docs', () => {
    expect(cases.map(([name]) => name)).toEqual([...SEARCH_PLACES]);
  });

  it.each(cases)('finds %s from a subfolder', async (name, text) => {
    const root = writeFiles(tempDir(), { [name]: text });
    const config = await load(writeFiles(path.join(root, 'a', 'b'), {}));
    expect(config.data.default_model).toBe('found');
    expect(config.files).toEqual([path.join(root, name)]);
    // YAML and JSON keep lines; JS modules are named by file only.
    const line = /\.(c|m)?js$/.test(name) ? '' : ':1';
    expect(config.sourceOf(['default_model'])).toBe(`${path.join(root, name)}${line}`);
  });

  it('stops at the nearest folder with a file; the first search place wins in a folder', async () => {
    const root = writeFiles(tempDir(), { 'sop.config.yaml': 'default_model: outer\n' });
    const inner = writeFiles(path.join(root, 'inner'), { '.soprc.json': '{"default_model": "rc"}', 'sop.config.yml': 'default_model: yml\n' });
    expect((await load(inner)).data.default_model).toBe('yml');
  });

  it('skips a package.json without a `sop` key and keeps searching upward', async () => {
    const root = writeFiles(tempDir(), { 'sop.config.yaml': 'default_model: outer\n' });
    const inner = writeFiles(path.join(root, 'pkg'), { 'package.json': '{ "name": "pkg" }' });
    const config = await load(inner);
    expect(config.data.default_model).toBe('outer');
  });

  it('an empty project file counts as found and adds nothing', async () => {
    const root = writeFiles(tempDir(), { 'sop.config.yaml': 'default_model: outer\n' });
    const inner = writeFiles(path.join(root, 'inner'), { 'sop.config.yaml': '# nothing yet\n' });
    const config = await load(inner);
    expect(config.data.default_model).toBe('offline');
  });
});

describe('invalid configuration', () => {
  it('an unknown key is CONFIG_INVALID at its line:col with a suggestion', async () => {
    const dir = writeFiles(tempDir(), { 'sop.config.yaml': 'providers:\n  openai:\n    api_kye: x\n' });
    const error = await errorOf(load(dir));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.exitCode).toBe(11);
    expect(error.diagnostics[0]).toMatchObject({
      file: path.join(dir, 'sop.config.yaml'), line: 3, column: 5, pointer: '/providers/openai/api_kye',
      message: 'unknown key `providers.openai.api_kye`', hint: 'did you mean `api_key`?',
    });
    expect(error.diagnostics[0]?.expected).toContain('base_url');
  });

  it('reports every problem of a file at once, each located', async () => {
    const text = ['default_model: 3', 'cache:', '  enabled: "yes"', 'providers:', '  groq: { kind: openia }', 'models:', '  fast: [a]', ''].join('\n');
    const error = await errorOf(load(writeFiles(tempDir(), { 'sop.config.yaml': text })));
    const found = error.diagnostics.map((d) => [d.pointer, d.line, d.column, d.expected]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['/default_model', 1, 16, 'string'],
        ['/cache/enabled', 3, 12, 'boolean'],
        ['/providers/groq/kind', 5, 17, 'one of: openai, anthropic, ollama'],
        ['/models/fast', 7, 9, 'string or object'],
      ]),
    );
    expect(error.diagnostics).toHaveLength(4);
    expect(error.diagnostics.find((d) => d.pointer === '/providers/groq/kind')?.hint).toBe('did you mean `openai`?');
  });

  it('a YAML syntax error is CONFIG_INVALID with its position', async () => {
    const dir = writeFiles(tempDir(), { 'sop.config.yaml': 'models:\n  fast: [a\nproviders: {}\n' });
    const error = await errorOf(load(dir));
    expect(error.code).toBe('CONFIG_INVALID');
    // At the `[` never closed, in the words an SOP's mistake gets (the parser's: line 3, "Flow sequence in block collection must be ...").
    expect(error.diagnostics[0]).toMatchObject({ file: path.join(dir, 'sop.config.yaml'), line: 2, column: 9, message: 'this `[` is never closed' });
  });

  it('duplicate keys are refused at the second one', async () => {
    const error = await errorOf(load(writeFiles(tempDir(), { '.soprc': 'default_model: a\ndefault_model: b\n' })));
    expect(error.diagnostics[0]).toMatchObject({ code: 'CONFIG_INVALID', line: 2, column: 1 });
  });

  it('problems in package.json#sop are located in package.json', async () => {
    const dir = writeFiles(tempDir(), { 'package.json': '{\n  "name": "x",\n  "sop": {\n    "cache": { "dirr": ".c" }\n  }\n}\n' });
    const error = await errorOf(load(dir));
    expect(error.diagnostics[0]).toMatchObject({ file: path.join(dir, 'package.json'), line: 4, column: 16, pointer: '/cache/dirr', hint: 'did you mean `dir`?' });
  });

  it('an invalid user file is reported with its own path', async () => {
    const user = writeFiles(tempDir(), { 'config.yaml': 'prices:\n  gpt-4o: { input: 1, output: 2 }\n' });
    const error = await errorOf(load(tempDir(), { userConfigDir: user }));
    expect(error.diagnostics[0]).toMatchObject({ file: path.join(user, 'config.yaml'), line: 2, column: 3, pointer: '/prices/gpt-4o' });
    expect(error.diagnostics[0]?.expected).toContain('provider:model');
  });

  it('a JS config that throws is CONFIG_INVALID naming the file', async () => {
    const dir = writeFiles(tempDir(), { 'sop.config.mjs': 'throw new Error("boom");\n' });
    const error = await errorOf(load(dir));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.diagnostics[0]).toMatchObject({ file: path.join(dir, 'sop.config.mjs') });
    expect(error.message).toContain('boom');
  });

  it('a provider of your own needs a kind, checked after merging (the kind may be in the user file)', async () => {
    const project = writeFiles(tempDir(), { 'sop.config.yaml': 'providers:\n  groq:\n    api_key: "${env:GROQ_API_KEY}"\n' });
    const error = await errorOf(load(project));
    expect(error.diagnostics[0]).toMatchObject({ code: 'CONFIG_INVALID', file: path.join(project, 'sop.config.yaml'), line: 3, pointer: '/providers/groq' });
    expect(error.diagnostics[0]?.hint).toContain('kind: openai');

    const user = writeFiles(tempDir(), { 'config.yaml': 'providers:\n  groq: { kind: openai, base_url: "http://g/v1" }\n' });
    const config = await load(project, { userConfigDir: user });
    expect(config.get(['providers', 'groq', 'kind'])).toBe('openai');
  });

  it('built-in provider names keep their kind; `offline` and `script` (the scripted model) cannot be configured', async () => {
    const error = await errorOf(load(writeFiles(tempDir(), { 'sop.config.yaml': 'providers:\n  openai: { kind: ollama }\n  offline: {}\n  script: { kind: openai }\n' })));
    expect(error.diagnostics.map((d) => [d.pointer, d.line])).toEqual([['/providers/openai/kind', 2], ['/providers/offline', 3], ['/providers/script', 4]]);
    expect(error.diagnostics[2]?.message).toBe('`script` is the scripted model (`script:FILE`), not a provider to configure');
  });
});

describe('${env:NAME}', () => {
  const text = 'providers:\n  groq:\n    kind: openai\n    api_key: "${env:GROQ_API_KEY}"\n    headers: { X-Team: "team-${env:TEAM}" }\n';

  it('is resolved when the value is used, from the given environment', async () => {
    const config = await load(writeFiles(tempDir(), { 'sop.config.yaml': text }), { env: { GROQ_API_KEY: 'gsk-test-SECRET-42', TEAM: 'blue' } });
    expect(config.string(['providers', 'groq', 'api_key'])).toBe('gsk-test-SECRET-42');
    expect(config.strings(['providers', 'groq', 'headers'])).toEqual({ 'X-Team': 'team-blue' });
    // the raw value is kept as written
    expect(config.get(['providers', 'groq', 'api_key'])).toBe('${env:GROQ_API_KEY}');
  });

  it('a missing variable is CONFIG_ENV_MISSING naming it and where it is written, only when used', async () => {
    const dir = writeFiles(tempDir(), { 'sop.config.yaml': text });
    const config = await load(dir, { env: { TEAM: 'blue' } });
    const error = await errorOf(() => config.string(['providers', 'groq', 'api_key']));
    expect(error.code).toBe('CONFIG_ENV_MISSING');
    expect(error.exitCode).toBe(11);
    expect(error.message).toContain('GROQ_API_KEY');
    expect(error.message).toContain(`${path.join(dir, 'sop.config.yaml')}:4`);
    expect(error.message).toContain('providers.groq.api_key');
    expect(values(config)['providers.groq.api_key']).toBe('${env:GROQ_API_KEY} (unset: GROQ_API_KEY)');
  });
});

describe('secrets', () => {
  it('explain() shows *** for keys, tokens and authorization headers; secrets() lists their values', async () => {
    const text = [
      'providers:',
      '  groq: { kind: openai, api_key: "${env:GROQ_API_KEY}", headers: { Authorization: "Bearer tok-test-SECRET-9", X-Api-Key: hdr-test-SECRET-8 } }',
      '  proxy: { kind: openai, base_url: "http://h/v1?key=${env:GROQ_API_KEY}" }',
      '',
    ].join('\n');
    const config = await load(writeFiles(tempDir(), { 'sop.config.yaml': text }), {
      env: { GROQ_API_KEY: 'gsk-test-SECRET-42', OPENAI_API_KEY: 'sk-test-SECRET-123456' },
    });
    const shown = values(config);
    expect(shown['providers.groq.api_key']).toBe('***');
    expect(shown['providers.groq.headers.Authorization']).toBe('***');
    expect(shown['providers.groq.headers.X-Api-Key']).toBe('***');
    expect(shown['providers.openai.api_key']).toBe('***');
    expect(shown['providers.proxy.base_url']).toBe('http://h/v1?key=***');
    expect(JSON.stringify(config.explain())).not.toMatch(/SECRET/);
    expect(config.secrets().sort()).toEqual(['Bearer tok-test-SECRET-9', 'gsk-test-SECRET-42', 'hdr-test-SECRET-8', 'sk-test-SECRET-123456']);
  });
});
