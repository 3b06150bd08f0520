import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

const PRELOAD = path.join(repoRoot, 'test', 'support', 'loaded-modules', 'preload.mjs');

/** Heavy packages a command must not load unless the SOP uses them (README, Design: start-up). */
const MCP = ['@modelcontextprotocol/sdk', 'zod'];
const PROVIDER_SDKS = ['openai', '@anthropic-ai/sdk', 'ollama'];
/** ajv's compiler, bundled in a file of its own (scripts/bundle-cli.mjs). */
const AJV = path.join('dist', 'bundle', 'ajv.cjs');

interface Loaded {
  code: number | null;
  stderr: string;
  /** npm packages the process loaded (the innermost `node_modules/<package>` of each module). */
  packages: Set<string>;
  /** The project's own modules it loaded, relative to the repository (`bin/sop.js`, `dist/cli/...`). */
  own: string[];
}

/** Runs `sop ARGS` as a user does, and lists every module the process loaded. */
async function loadedBy(args: string[], cwd?: string, env: Record<string, string> = {}): Promise<Loaded> {
  const dir = tempDir('sop-lazy-');
  const list = path.join(dir, 'modules.txt');
  const result = await sop(args, { cwd: cwd ?? dir, env: { NODE_OPTIONS: `--import=${PRELOAD}`, SOP_LOADED_MODULES: list, ...env } });
  const urls = readFileSync(list, 'utf8').split('\n').filter((url) => url.startsWith('file:'));
  const files = urls.map((url) => decodeURIComponent(new URL(url).pathname));
  const packages = new Set(files.flatMap((file) => /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? []));
  // A CommonJS module (bin/) can be listed twice on Node 20: by the loader hook and from require.cache.
  const own = [...new Set(files.filter((file) => file.startsWith(repoRoot) && !file.includes('/node_modules/') && !file.startsWith(path.join(repoRoot, 'test'))).map((file) => path.relative(repoRoot, file)))];
  return { code: result.code, stderr: result.stderr, packages, own };
}

function expectNone(loaded: Loaded, packages: string[]): void {
  expect(packages.filter((name) => loaded.packages.has(name))).toEqual([]);
}

describe.concurrent('start-up loads only what the command and the SOP use', () => {
  it('`sop --version` and `sop -v` load no package and nothing of the CLI but bin/sop.js', async () => {
    for (const flag of ['--version', '-v']) {
      const loaded = await loadedBy([flag]);
      expect(loaded.code, loaded.stderr).toBe(0);
      expect([...loaded.packages]).toEqual([]);
      expect(loaded.own).toEqual(['bin/sop.js']);
    }
  });

  it('`sop validate` of a Liquid SOP with message schemas loads no MCP, zod, provider SDK, Handlebars or config loader', async () => {
    const loaded = await loadedBy(['validate', path.join(repoRoot, 'sops', 'software-company.yaml')]);
    expect(loaded.code, loaded.stderr).toBe(0);
    expectNone(loaded, [...MCP, ...PROVIDER_SDKS, 'handlebars', 'gpt-tokenizer', 'cosmiconfig']);
    // Everything else it needs (oclif and what oclif's setup imports, yaml, CEL) is in the bundle.
    expect([...loaded.packages]).toEqual(['liquidjs']);
    // Its message schemas are judged without ajv's compiler (a file of its own in the bundle).
    expect(loaded.own).not.toContain(AJV);
  });

  it('`sop validate` of an SOP validated before (its verdict kept, src/cli/validation-cache.ts) loads no package at all', async () => {
    const cwd = tempDir('sop-lazy-kept-');
    const file = path.join(repoRoot, 'sops', 'software-company.yaml');
    expect((await loadedBy(['validate', file], cwd)).packages.has('liquidjs')).toBe(true);
    const again = await loadedBy(['validate', file], cwd);
    expect(again.code, again.stderr).toBe(0);
    expect([...again.packages]).toEqual([]);
  });

  it('`sop validate` of a schema with a construct only ajv judges (`$id`) loads ajv, with the same verdict', async () => {
    const dir = tempDir('sop-lazy-ajv-');
    cpSync(path.join(repoRoot, 'sops'), dir, { recursive: true });
    const prd = path.join(dir, 'software-company', 'schemas', 'prd.json');
    writeFileSync(prd, JSON.stringify({ $id: 'https://example.com/prd.json', ...JSON.parse(readFileSync(prd, 'utf8')) }));
    const file = path.join(dir, 'software-company.yaml');
    const loaded = await loadedBy(['validate', file]);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.own).toContain(AJV);
  });

  it('`sop validate` of a Handlebars SOP loads Handlebars and not Liquid', async () => {
    const loaded = await loadedBy(['validate', path.join(repoRoot, 'examples', 'data-validation', 'sop.yaml')]);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.packages.has('handlebars')).toBe(true);
    expectNone(loaded, [...MCP, ...PROVIDER_SDKS, 'liquidjs']);
  });

  it('`sop run` offline of a Liquid SOP without MCP servers or a configuration file, whose texts are plain outputs, loads no package at all (not even liquidjs)', async () => {
    const dir = tempDir('sop-lazy-run-');
    const loaded = await loadedBy(['run', path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml'), 'an idea', '--quiet',
      '--runs-dir', path.join(dir, 'runs'), '--workspace', path.join(dir, 'ws')]);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect([...loaded.packages]).toEqual([]);
  });

  it('`sop run` of an SOP validated before reads no file beside the bundle (validators, ajv, CEL, RE2, CSV, yaml); its first validation reads the YAML parser and the SOP schema\'s validator', async () => {
    const cwd = tempDir('sop-lazy-side-');
    const args = ['run', path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml'), 'an idea', '--quiet', '--runs-dir', path.join(cwd, 'runs'), '--workspace', path.join(cwd, 'ws')];
    const beside = (loaded: Loaded): string[] => loaded.own.filter((file) => file.startsWith(path.join('dist', 'bundle')) && file !== path.join('dist', 'bundle', 'sop.cjs'));
    const first = await loadedBy(args, cwd);
    expect(first.code, first.stderr).toBe(0);
    expect(beside(first).sort()).toEqual([path.join('dist', 'bundle', 'sop-schema.validator.cjs'), path.join('dist', 'bundle', 'yaml.cjs')]);
    const again = await loadedBy(args, cwd);
    expect(again.code, again.stderr).toBe(0);
    expect(beside(again)).toEqual([]);
  });

  it('`sop run` builds only its own command (the other commands\' classes, flags and texts are built when read, by `sop --help`) and not oclif\'s spinner frames', async () => {
    const cwd = tempDir('sop-lazy-commands-');
    const coverage = path.join(cwd, 'coverage');
    const result = await sop(['run', path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml'), 'an idea', '--quiet', '--runs-dir', path.join(cwd, 'runs'), '--workspace', path.join(cwd, 'ws')], { cwd, env: { NODE_V8_COVERAGE: coverage } });
    expect(result.code, result.stderr).toBe(0);
    // What the bundle ran, by function: a module esbuild initialises on first use is a function named by its file.
    const ran = new Map<string, boolean>();
    for (const file of readdirSync(coverage)) {
      const scripts = (JSON.parse(readFileSync(path.join(coverage, file), 'utf8')) as { result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[] }).result;
      for (const script of scripts.filter((each) => each.url.endsWith('/dist/bundle/sop.cjs'))) {
        for (const fn of script.functions) ran.set(fn.functionName, (ran.get(fn.functionName) ?? false) || (fn.ranges[0]?.count ?? 0) > 0);
      }
    }
    const commandModules = [...ran.keys()].filter((name) => /^dist\/cli\/commands\/[\w-]+\.js$/.test(name));
    expect(commandModules).toContain('dist/cli/commands/validate.js');
    expect(commandModules.filter((name) => ran.get(name))).toEqual(['dist/cli/commands/run.js']);
    expect([...ran.keys()].filter((name) => name.endsWith('cli-spinners/spinners.json') && ran.get(name))).toEqual([]);
  });

  it('the queue\'s packages (BullMQ, ioredis) stay installed, required by queued runs only, never copied into the CLI bundle every command loads', () => {
    const bundle = readFileSync(path.join(repoRoot, 'dist', 'bundle', 'sop.cjs'), 'utf8');
    expect(bundle).toContain('require("bullmq")');
    expect(bundle).toContain('require("ioredis")');
  });

  it('`sop run` of an SOP with a glob in `reads` loads the glob matcher (tinyglobby with fdir and picomatch), which other runs never load', async () => {
    const dir = tempDir('sop-lazy-glob-');
    const workspace = path.join(dir, 'ws');
    mkdirSync(path.join(workspace, 'src'), { recursive: true });
    writeFileSync(path.join(workspace, 'src', 'one.py'), 'one');
    const loaded = await loadedBy(['run', path.join(repoRoot, 'test', 'fixtures', 'runtime', 'vars-reads.yaml'), '--quiet',
      '--runs-dir', path.join(dir, 'runs'), '--workspace', workspace]);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect([...loaded.packages].sort()).toEqual(['fdir', 'liquidjs', 'picomatch', 'tinyglobby']);
  });

  it('`sop run` with a configuration file loads the config loader and reads it', async () => {
    const dir = tempDir('sop-lazy-config-');
    writeFileSync(path.join(dir, '.soprc.yaml'), 'default_model: offline\n');
    const loaded = await loadedBy(['run', path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml'), 'an idea', '--quiet',
      '--runs-dir', path.join(dir, 'runs'), '--workspace', path.join(dir, 'ws')], dir);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.packages.has('cosmiconfig')).toBe(true);
  });

  it('`sop run` loads OpenTelemetry only when an OTLP endpoint is set (and OTEL_SDK_DISABLED is not true)', async () => {
    const dir = tempDir('sop-lazy-otel-');
    const runIn = (env: Record<string, string>, extra: string[] = []) =>
      loadedBy(['run', path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml'), 'an idea', '--quiet', '--runs-dir', path.join(dir, 'runs'), '--workspace', path.join(dir, 'ws'), ...extra], dir, env);
    const otel = (loaded: Loaded): string[] => [...loaded.packages].filter((name) => name.startsWith('@opentelemetry/'));
    // Nothing listens there: the export fails after the run, with one warning.
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_EXPORTER_OTLP_TIMEOUT: '1000' };
    const off = await runIn({ ...endpoint, OTEL_SDK_DISABLED: 'true' }, ['--log-format', 'json']);
    expect(off.code, off.stderr).toBe(0);
    expect(otel(off)).toEqual([]);
    const on = await runIn(endpoint);
    expect(on.code, on.stderr).toBe(0);
    expect(otel(on)).toEqual(expect.arrayContaining(['@opentelemetry/api', '@opentelemetry/sdk-trace-base', '@opentelemetry/exporter-trace-otlp-http']));
  });
});

describe.concurrent('packages loaded on first use from files beside the bundle (scripts/bundle-cli.mjs, LAZY_PACKAGES) work as bundled ones', () => {
  it('semver judges an SOP\'s `requires` (kept: its verdict; refused: one this runner cannot satisfy) and ejs renders `sop run --help`\'s examples', async () => {
    const dir = tempDir('sop-lazy-standins-');
    const sopText = readFileSync(path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml'), 'utf8');
    expect(sopText).toContain('version: 1.0.0, ');
    const withRequires = (range: string): string => sopText.replace('version: 1.0.0, ', `version: 1.0.0, requires: "${range}", `);
    writeFileSync(path.join(dir, 'ok.yaml'), withRequires('>=0.1'));
    writeFileSync(path.join(dir, 'too-new.yaml'), withRequires('>=99'));
    const ok = await sop(['validate', path.join(dir, 'ok.yaml')], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    const refused = await sop(['validate', path.join(dir, 'too-new.yaml')], { cwd: dir });
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('REQUIRES_UNSATISFIED');
    const help = await sop(['run', '--help'], { cwd: dir });
    expect(help.code, help.stderr).toBe(0);
    // `<%= config.bin %>` in the examples, rendered by ejs.
    expect(help.stdout).toMatch(/\$ sop run /);
    expect(help.stdout).not.toContain('<%');
  });
});
