import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { resultOf } from '../support/cli-envelope.js';

afterAll(removeTempDirs);

const SECRET = 'sk-test-SECRET-123456';

/** The environment of a user with no other sop settings: the real ones of this machine are removed. */
function cleanEnv(dir: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    XDG_CONFIG_HOME: path.join(dir, 'xdg'),
    OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, OPENAI_ORG_ID: undefined, ANTHROPIC_API_KEY: undefined,
    ANTHROPIC_BASE_URL: undefined, OLLAMA_HOST: undefined, SOP_MODEL: undefined, SOP_PROVIDER: undefined,
    SOP_CACHE_DIR: undefined, SOP_NO_CACHE: undefined,
    ...extra,
  };
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

describe('sop config', () => {
  it('prints each value with its source and never a secret', async () => {
    const dir = tempDir();
    write(path.join(dir, 'xdg', 'sop', 'config.yaml'), 'default_provider: ollama\n');
    write(
      path.join(dir, 'sop.config.yaml'),
      'default_model: fast\nmodels:\n  fast: openai:gpt-4o-mini\nproviders:\n  proxy: { kind: openai, base_url: "http://p/v1", headers: { Authorization: "Bearer tok-test-SECRET-777" } }\n',
    );
    const result = await sop(['config'], { cwd: dir, env: cleanEnv(dir, { OPENAI_API_KEY: SECRET }) });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^KEY\s+VALUE\s+SOURCE$/);
    expect(lines).toContainEqual(expect.stringMatching(/^providers\.openai\.api_key\s+\*\*\*\s+env:OPENAI_API_KEY$/));
    expect(lines).toContainEqual(expect.stringMatching(/^providers\.proxy\.headers\.Authorization\s+\*\*\*\s+\S+sop\.config\.yaml:5$/));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^default_model\\s+fast\\s+${path.join(dir, 'sop.config.yaml')}:1$`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^default_provider\\s+ollama\\s+${path.join(dir, 'xdg', 'sop', 'config.yaml')}:1$`)));
    expect(lines).toContainEqual(expect.stringMatching(/^cache\.enabled\s+true\s+default$/));
    expect(result.stdout + result.stderr).not.toContain('SECRET');
  });

  it('a JSON file\'s "$schema" (the editor\'s, as the docs give it) is accepted and not listed as a setting', async () => {
    const dir = tempDir();
    write(path.join(dir, 'sop.config.json'), '{ "$schema": "./node_modules/sop-runner/schemas/config.v1.schema.json", "default_model": "offline" }\n');
    const result = await sop(['config'], { cwd: dir, env: cleanEnv(dir) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^default_model\\s+offline\\s+${path.join(dir, 'sop.config.json')}:1$`, 'm'));
    expect(result.stdout).not.toContain('$schema');
    expect(resultOf<{ values: Array<{ key: string }> }>(await sop(['config', '--json'], { cwd: dir, env: cleanEnv(dir) })).values.map((entry) => entry.key)).not.toContain('$schema');
  });

  it('--json prints files and values; flags of the environment show as env sources', async () => {
    const dir = tempDir();
    const result = await sop(['config', '--json'], { cwd: dir, env: cleanEnv(dir, { OPENAI_API_KEY: SECRET, SOP_NO_CACHE: '1' }) });
    expect(result.code).toBe(0);
    const parsed = resultOf(result) as { files: string[]; values: Array<{ key: string; value: string; source: string }> };
    expect(parsed.files).toEqual([]);
    expect(parsed.values).toContainEqual({ key: 'providers.openai.api_key', value: '***', source: 'env:OPENAI_API_KEY' });
    expect(parsed.values).toContainEqual({ key: 'cache.enabled', value: 'false', source: 'env:SOP_NO_CACHE' });
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('an invalid configuration exits 11 with file:line:col, a code frame and a hint, no stack', async () => {
    const dir = tempDir();
    write(path.join(dir, '.soprc.yaml'), 'providers:\n  openai:\n    timeuot: 30\n');
    const result = await sop(['config'], { cwd: dir, env: cleanEnv(dir) });
    expect(result.code).toBe(11);
    expect(result.stderr).toContain(`${path.join(dir, '.soprc.yaml')}:3:5: error CONFIG_INVALID: unknown key \`providers.openai.timeuot\``);
    expect(result.stderr).toContain('hint: did you mean `timeout`?');
    expect(result.stderr).toMatch(/> 3 \|\s+timeuot: 30/);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toBe('');
  });

  it('.soprc.yml is read as .soprc.yaml is (it was ignored without a word): its values and its mistakes', async () => {
    const dir = tempDir();
    write(path.join(dir, '.soprc.yml'), 'default_model: offline\n');
    const found = await sop(['config'], { cwd: dir, env: cleanEnv(dir) });
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toMatch(new RegExp(`^default_model\\s+offline\\s+${path.join(dir, '.soprc.yml')}:1$`, 'm'));
    write(path.join(dir, '.soprc.yml'), 'default_modle: offline\n');
    const refused = await sop(['run', path.join(repoRoot, 'sops', 'software-company.yaml'), 'x', '--json'], { cwd: dir, env: cleanEnv(dir) });
    expect(refused.code).toBe(11);
    expect(refused.stderr).toContain(`${path.join(dir, '.soprc.yml')}:1:1: error CONFIG_INVALID: unknown key \`default_modle\``);
    expect(refused.stderr).toContain('hint: did you mean `default_model`?');
    expect(existsSync(path.join(dir, '.sop'))).toBe(false);
  });

  it('a file under a name cosmiconfig reads for other tools (.config/soprc.yaml, sop.config.ts) is warned of as not read, naming the names sop reads', async () => {
    const dir = tempDir();
    write(path.join(dir, '.config', 'soprc.yaml'), 'default_model: fast\n');
    write(path.join(dir, 'sub', 'sop.config.ts'), 'export default { default_model: "fast" };\n');
    const result = await sop(['config', '--json'], { cwd: path.join(dir, 'sub'), env: cleanEnv(dir) });
    expect(result.code, result.stderr).toBe(0);
    for (const file of [path.join(dir, 'sub', 'sop.config.ts'), path.join(dir, '.config', 'soprc.yaml')]) {
      expect(result.stderr).toContain(`warning: ${file} is not read: sop reads sop.config.yaml|yml|json|js|mjs|cjs, .soprc, .soprc.yaml|yml|json|js|mjs|cjs or package.json#sop (from the current folder up); rename it, e.g. to sop.config.yaml or sop.config.js, for its settings to apply\n`);
    }
    expect(resultOf<{ files: string[] }>(result).files).toEqual([]);
    // Once a file sop reads is found, folders above it are not looked at.
    write(path.join(dir, 'sub', 'sop.config.yaml'), 'default_model: offline\n');
    const found = await sop(['config'], { cwd: path.join(dir, 'sub'), env: cleanEnv(dir) });
    expect(found.stderr).toContain(`${path.join(dir, 'sub', 'sop.config.ts')} is not read`);
    expect(found.stderr).not.toContain('soprc.yaml is not read');
  });

  it('sop run warns of it too, before the run: the run would go on with settings the user believes apply', async () => {
    const dir = tempDir();
    write(path.join(dir, '.config', 'soprc.yaml'), 'default_model: fast\n');
    write(path.join(dir, 'sop.yaml'), 'apiVersion: sop/v1\nkind: SOP\nmetadata: { name: note, version: 1.0.0 }\nmessages: { Idea: {}, Note: {} }\nstart: [{ type: Idea, content: x }]\nroles:\n  writer: { profile: W, watch: [Idea], actions: [{ id: write, prompt: Write, output: { type: Note } }] }\nstop_when: { type: Note }\n');
    const warning = `warning: ${path.join(dir, '.config', 'soprc.yaml')} is not read: sop reads sop.config.yaml`;
    for (const args of [['run', 'sop.yaml', 'tides'], ['run', 'sop.yaml', 'tides', '--dry-run']]) {
      const result = await sop(args, { cwd: dir, env: cleanEnv(dir) });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(warning);
    }
  });

  it('sop validate, sop eval and sop resume warn of it too, once, on stderr (the --json envelope lists it)', async () => {
    const dir = tempDir();
    write(path.join(dir, '.config', 'soprc.yaml'), 'default_model: fast\n');
    write(path.join(dir, 'sop.yaml'), 'apiVersion: sop/v1\nkind: SOP\nmetadata: { name: note, version: 1.0.0 }\nmessages: { Idea: {}, Note: {}, Review: {} }\nstart: [{ type: Idea, content: x }]\nroles:\n  writer: { profile: W, watch: [Idea], actions: [{ id: write, prompt: Write, output: { type: Note } }] }\n  reviewer: { profile: R, watch: [Note], actions: [{ id: review, prompt: Review, output: { type: Review } }] }\nstop_when: { type: Review }\n');
    write(path.join(dir, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: tides\n    inputs: { idea: tides }\n');
    const warning = `warning: ${path.join(dir, '.config', 'soprc.yaml')} is not read: sop reads sop.config.yaml|yml|json|js|mjs|cjs, .soprc, .soprc.yaml|yml|json|js|mjs|cjs or package.json#sop (from the current folder up); rename it, e.g. to sop.config.yaml or sop.config.js, for its settings to apply\n`;
    const stopped = await sop(['run', 'sop.yaml', 'tides', '--n-round', '1', '--json'], { cwd: dir, env: cleanEnv(dir) });
    expect(stopped.code, stopped.stderr).toBe(5);
    const runId = resultOf<{ runId: string }>(stopped).runId;
    for (const args of [['validate', 'sop.yaml', '--json'], ['eval', 'sop.yaml', '--dataset', 'cases.yaml', '--json'], ['resume', runId, '--n-round', '5', '--json']]) {
      const result = await sop(args, { cwd: dir, env: cleanEnv(dir) });
      expect(result.code, `${args[0]}: ${result.stderr}`).toBe(0);
      expect(result.stderr.split(warning).length - 1, `${args[0]}: ${result.stderr}`).toBe(1);
      // The envelope lists it as every warning, with no text of its own on stdout.
      const { warnings } = JSON.parse(result.stdout) as { warnings: Array<{ message: string }> };
      expect(warnings.filter(({ message }) => message.includes('soprc.yaml is not read'))).toHaveLength(1);
    }
  });

  it('an unknown key with no near one points at `sop schema config` for the keys (the schema path is not on a user\'s disk)', async () => {
    const dir = tempDir();
    write(path.join(dir, '.soprc.yaml'), 'colour: blue\n');
    const result = await sop(['config'], { cwd: dir, env: cleanEnv(dir) });
    expect(result.code).toBe(11);
    expect(result.stderr).toContain(`${path.join(dir, '.soprc.yaml')}:1:1: error CONFIG_INVALID: unknown key \`colour\``);
    expect(result.stderr).toContain('hint: remove it, or see `sop schema config` for the keys\n');
  });

  it('the code frame of a configuration error masks an inline key on its line and the lines around it, as `sop config` does', async () => {
    const dir = tempDir();
    write(
      path.join(dir, 'sop.config.yaml'),
      [
        'providers:',
        `  proxy: { kind: openai, base_url: "http://p/v1", api_key: ${SECRET}, max_retries: "3" }`,
        '  gateway:',
        '    kind: openai',
        `    api_key: "${SECRET}"`,
        '    headers: { Authorization: "Bearer tok-test-SECRET-777" }',
        '    timeout: fast',
        '  other: { kind: openai, api_key: "${env:OTHER_KEY}" }',
        '',
      ].join('\n'),
    );
    const result = await sop(['config'], { cwd: dir, env: cleanEnv(dir) });
    expect(result.code).toBe(11);
    expect(result.stderr).not.toContain('SECRET');
    // The line of the mistake keeps its caret under the value, left of where the key was.
    expect(result.stderr).toContain(`${path.join(dir, 'sop.config.yaml')}:2:`);
    expect(result.stderr).toContain('> 2 |   proxy: { kind: openai, base_url: "http://p/v1", api_key: ***, max_retries: "3" }');
    const frame = result.stderr.split('\n');
    const caret = frame[frame.findIndex((line) => line.includes('> 2 |')) + 1] as string;
    expect(caret.indexOf('^')).toBe(frame.find((line) => line.includes('> 2 |'))!.indexOf('"3"'));
    expect(result.stderr).toContain('headers: { Authorization: *** }');
    // A reference to an environment variable is no secret: it is shown.
    expect(result.stderr).toContain('api_key: "${env:OTHER_KEY}"');
  });

  it.each(['sop.config.mjs', 'sop.config.js'])('a %s that does not parse says SyntaxError and how to find its line, not Node\'s "Cannot require() ES Module ... race condition"', async (name) => {
    const dir = tempDir();
    write(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    write(path.join(dir, name), 'export default { default_model: \n');
    const result = await sop(['config'], { cwd: dir, env: cleanEnv(dir) });
    expect(result.code).toBe(11);
    const file = path.join(dir, name);
    expect(result.stderr).toContain(`${file}: error CONFIG_INVALID: cannot load the configuration: SyntaxError: Unexpected end of input`);
    expect(result.stderr).toContain(`hint: \`node --check ${file}\` shows the line; fix the file, or use sop.config.yaml`);
    expect(result.stderr).not.toContain('Cannot require()');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a default_model in a configuration file that names an unknown provider is that file\'s mistake: exit 11, the file named, before the run', async () => {
    const dir = tempDir();
    write(path.join(dir, 'sop.config.yaml'), 'default_model: nosuch:x\n');
    const result = await sop(['run', path.join(repoRoot, 'sops', 'software-company.yaml'), 'a todo app'], { cwd: dir, env: cleanEnv(dir) });
    expect(result.code).toBe(11);
    expect(result.stderr).toContain(`error CONFIG_INVALID: unknown provider \`nosuch\` for model \`nosuch:x\` from default_model (${path.join(dir, 'sop.config.yaml')}:1)`);
    expect(result.stderr).toContain('hint: configure it in sop.config.yaml');
    expect(result.stderr).not.toMatch(STACK_LINE);
    // Nothing ran: no run folder.
    expect(existsSync(path.join(dir, '.sop', 'runs'))).toBe(false);
  });

  it('warns about a default_model no run could use (an unknown provider), naming the file, the key, what is expected and the fix; the values are still printed', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'sop.config.yaml');
    write(file, 'default_model: nosuch:gpt-4o\n');
    const result = await sop(['config'], { cwd: dir, env: cleanEnv(dir) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^default_model\s+nosuch:gpt-4o\s+/m);
    const warnings = result.stderr.split('\n').filter((line) => line.startsWith('warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`warning: ${file}:1:16: default_model \`nosuch:gpt-4o\` cannot answer the runs that fall back to it (no --model, no model in the SOP): unknown provider \`nosuch\``);
    expect(warnings[0]).toContain('expected a model of a configured provider with its API key set');
    expect(warnings[0]).toContain('fix: configure it in sop.config.yaml (`providers: { nosuch: { kind: openai, base_url: ... } }`)');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('--json lists a default_model whose provider has no API key as a located warning with the variable to set; none once it is set', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'sop.config.yaml');
    write(file, 'cache: { enabled: false }\ndefault_model: openai:gpt-4o-mini\n');
    const missing = await sop(['config', '--json'], { cwd: dir, env: cleanEnv(dir) });
    expect(missing.code).toBe(0);
    const envelope = JSON.parse(missing.stdout) as { warnings: Array<{ message: string; file?: string; line?: number; column?: number }> };
    expect(envelope.warnings).toEqual([{
      file,
      line: 2,
      column: 16,
      message: expect.stringMatching(/^default_model `openai:gpt-4o-mini` cannot answer the runs that fall back to it .*: no API key for openai https:\/\/api\.openai\.com\/v1; expected .*; fix: set OPENAI_API_KEY \(or providers\.openai\.api_key\)$/),
    }]);
    const set = await sop(['config', '--json'], { cwd: dir, env: cleanEnv(dir, { OPENAI_API_KEY: SECRET }) });
    expect((JSON.parse(set.stdout) as { warnings: unknown[] }).warnings).toEqual([]);
    expect(set.stdout + set.stderr).not.toContain(SECRET);
  });

  // sop loads cosmiconfig only when a file it could find is there (start-up): these are still found.
  it('finds a project file in a parent folder, and one named by cosmiconfig\'s own options (.config/config.yaml)', async () => {
    const dir = tempDir();
    write(path.join(dir, 'sop.config.yaml'), 'default_model: from-parent\n');
    const inner = path.join(dir, 'a', 'b');
    mkdirSync(inner, { recursive: true });
    const parent = await sop(['config'], { cwd: inner, env: cleanEnv(dir) });
    expect(parent.stdout).toMatch(new RegExp(`^default_model\\s+from-parent\\s+${path.join(dir, 'sop.config.yaml')}:1$`, 'm'));

    const other = tempDir();
    write(path.join(other, '.config', 'config.yaml'), 'cosmiconfig:\n  searchPlaces: [sop-settings.yaml]\n');
    write(path.join(other, 'sop-settings.yaml'), 'default_model: from-meta\n');
    const meta = await sop(['config'], { cwd: other, env: cleanEnv(other) });
    expect(meta.stdout).toMatch(new RegExp(`^default_model\\s+from-meta\\s+${path.join(other, 'sop-settings.yaml')}:1$`, 'm'));
  });
});

describe('a secret written in the project\'s configuration file', () => {
  it('is warned about where it is written (never its value), with the ${env:NAME} form; one read from the environment, or in the user\'s own file, is not', async () => {
    const dir = tempDir();
    const run = (): ReturnType<typeof sop> => sop(['run', path.join(repoRoot, 'test', 'fixtures', 'human-gate', 'ask.yaml'), 'an idea', '--quiet'], { cwd: dir, env: cleanEnv(dir, { PROXY_KEY: SECRET }) });
    write(path.join(dir, 'sop.config.yaml'), `providers:\n  proxy:\n    kind: openai\n    base_url: "http://127.0.0.1:9/v1"\n    api_key: ${SECRET}\n`);
    const inline = await run();
    expect(inline.stderr).toContain(`warning: ${path.join(dir, 'sop.config.yaml')}:5: \`providers.proxy.api_key\` is written in the file, which is usually committed with the project: set it from the environment instead (\`api_key: "\${env:NAME}"\`)\n`);
    expect(inline.stderr + inline.stdout).not.toContain(SECRET);
    write(path.join(dir, 'sop.config.yaml'), 'providers:\n  proxy:\n    kind: openai\n    base_url: "http://127.0.0.1:9/v1"\n    api_key: "${env:PROXY_KEY}"\n');
    write(path.join(dir, 'xdg', 'sop', 'config.yaml'), `providers:\n  other: { kind: openai, base_url: "http://127.0.0.1:9/v1", api_key: ${SECRET} }\n`);
    const fromEnv = await run();
    expect(fromEnv.stderr).not.toContain('is written in the file');
  });
});
