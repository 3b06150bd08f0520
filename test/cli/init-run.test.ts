import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Ajv2020Module from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { schemaReference } from '../../src/cli/init/scaffold.js';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';
import { resultOf } from '../support/cli-envelope.js';

const Ajv2020 = Ajv2020Module.default;

afterAll(removeTempDirs);

/** One scaffold, validated, run, listed: the path a new user takes. */
describe('sop init -> validate -> run -> runs', () => {
  let dir: string;
  let runJson: { status: string; exitCode: number; offline?: boolean } & Record<string, unknown>;

  beforeAll(() => {
    dir = tempDir();
  });

  it('init scaffolds sop.yaml (with the schema modeline), a prompt and a $ref payload schema', async () => {
    const result = await sop(['init', 'blog', '--name', 'blog-writer'], { cwd: dir });
    expect(result.code).toBe(0);
    const project = path.join(dir, 'blog');
    const sopText = readFileSync(path.join(project, 'sop.yaml'), 'utf8');
    // No installed sop-runner around the temp folder: the modeline points at a copy placed beside it.
    expect(sopText.split('\n')[0]).toBe('# yaml-language-server: $schema=sop.v1.schema.json');
    expect(readFileSync(path.join(project, 'sop.v1.schema.json'), 'utf8')).toBe(readFileSync(path.join(repoRoot, 'schemas', 'sop.v1.schema.json'), 'utf8'));
    expect(result.stdout).toContain(`created ${path.join('blog', 'sop.v1.schema.json')}`);
    expect(sopText).toContain('name: blog-writer');
    expect(sopText).toContain('$ref: schemas/review.json');
    expect(existsSync(path.join(project, 'prompts', 'write_draft.liquid'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(project, 'schemas', 'review.json'), 'utf8'))).toMatchObject({ type: 'object' });
    expect(result.stdout).toContain(`created ${path.join('blog', 'sop.yaml')}`);
    expect(result.stdout).toContain(`created ${path.join('blog', 'sop.test.yaml')}`);
  });

  it('init refuses to overwrite (exit 2, nothing changed) unless --force', async () => {
    const sopFile = path.join(dir, 'blog', 'sop.yaml');
    writeFileSync(sopFile, 'mine\n');
    const refused = await sop(['init', 'blog'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/error USAGE: refusing to overwrite sop\.yaml/);
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr).not.toMatch(STACK_LINE);
    expect(readFileSync(sopFile, 'utf8')).toBe('mine\n');
    const forced = await sop(['init', 'blog', '--name', 'blog-writer', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(sopFile, 'utf8')).toContain('apiVersion: sop/v1');
  });

  it('the scaffold validates with no errors and no warnings', async () => {
    const result = await sop(['validate', path.join('blog', 'sop.yaml')], { cwd: dir });
    expect(result.stdout).toBe(`${path.join('blog', 'sop.yaml')}: valid\n1 file: 1 valid, 0 invalid, 0 errors, 0 warnings\n`);
    expect(result.code).toBe(0);
  });

  it('its metadata.requires covers what it uses: no FORMAT_NEWER_THAN_REQUIRES, the test file valid too', async () => {
    // The scaffold uses only fields of the first sop/v1 runner, so it states that range and older runners may run it.
    expect(readFileSync(path.join(dir, 'blog', 'sop.yaml'), 'utf8')).toContain('\n  requires: ">=0.1 <1"\n');
    const result = await sop(['validate', 'sop.yaml', 'sop.test.yaml', '--json'], { cwd: path.join(dir, 'blog') });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).not.toContain('FORMAT_NEWER_THAN_REQUIRES');
    const files = (JSON.parse(result.stdout) as { result: { files: Array<{ file: string; kind: string; valid: boolean; diagnostics: unknown[] }> } }).result.files;
    expect(files).toEqual([{ file: 'sop.yaml', kind: 'sop', valid: true, diagnostics: [] }, { file: 'sop.test.yaml', kind: 'test', valid: true, diagnostics: [] }]);
  });

  it('the scaffold\'s test file (sop.test.yaml) passes: both of the reviewer\'s verdicts', async () => {
    expect(readFileSync(path.join(dir, 'blog', 'sop.test.yaml'), 'utf8')).toContain('\napiVersion: sop-test/v1\n');
    const result = await sop(['test', path.join('blog', 'sop.yaml')], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/✓ the reviewer approves the draft .*\n.*✓ the reviewer lists what to fix/);
    expect(result.stdout).toContain('2 passed, 0 failed, 0 skipped');
  });

  it('run completes on the offline model (exit 0), says so, and writes the artifacts', async () => {
    const result = await sop(['run', path.join('blog', 'sop.yaml'), 'tidal power', '--ci'], { cwd: dir });
    expect(result.stderr).toContain('model: offline (deterministic placeholder output, no LLM called)');
    expect(result.stderr).toMatch(/^\[round 1\] writer write_draft \.\.\. done/m);
    expect(result.stderr).toMatch(/^\[round 2\] reviewer review_draft \.\.\. done/m);
    expect(result.stderr).toMatch(/^status: completed after 2 rounds$/m);
    expect(result.stderr).toMatch(/^artifacts: 2 written to workspace[/\\]blog-writer$/m);
    expect(result.stderr).toMatch(/^run record: \.sop[/\\]runs[/\\]\d{8}-\d{6}-[0-9a-f]{6}$/m);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
    expect(existsSync(path.join(dir, 'workspace', 'blog-writer', 'draft.md'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'workspace', 'blog-writer', 'review.json'), 'utf8'))).toHaveProperty('approved');
  });

  it('run --json prints only the report on stdout', async () => {
    const result = await sop(['run', path.join('blog', 'sop.yaml'), 'tidal power', '--json', '--quiet'], { cwd: dir });
    expect(result.code).toBe(0);
    runJson = resultOf(result) as typeof runJson;
    expect(runJson).toMatchObject({ status: 'completed', exitCode: 0, offline: true });
  });

  it('runs lists both runs', async () => {
    const text = await sop(['runs'], { cwd: dir });
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SOP\s+STATUS\s+STARTED\s+ROUNDS\s+EXIT\s+DURATION$/);
    expect(lines.slice(1)).toHaveLength(2);
    for (const line of lines.slice(1)) expect(line).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}\s+blog-writer\s+completed\s+\S+\s+2\s+0\s+(\d{1,3}ms|\d+\.\ds)$/);
    // A run under a second shows its milliseconds (it said `0.0s`); `--json` keeps the number.
    const listed = resultOf<{ runs: Array<{ runId: string; durationMs: number }> }>(await sop(['runs', '--json'], { cwd: dir })).runs;
    for (const { runId, durationMs } of listed) {
      expect(Number.isInteger(durationMs)).toBe(true);
      const shown = durationMs < 1000 ? `${durationMs}ms` : `${(durationMs / 1000).toFixed(1)}s`;
      expect(lines.find((line) => line.startsWith(runId))).toMatch(new RegExp(` ${shown.replace('.', '\\.')}$`));
    }
  });

  it('an IDEA for an SOP without an `idea` input is a usage error whose hint gives the inputs it needs, an input with a default as optional', async () => {
    const file = path.join(dir, 'no-idea.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: sop/v1',
        'kind: SOP',
        'metadata: { name: no-idea, version: 1.0.0 }',
        'inputs:',
        '  topic: { type: string }',
        '  audience: { type: string, default: everyone }',
        'messages:',
        '  Topic: { description: the topic }',
        '  Summary: { description: a summary }',
        'start: [{ type: Topic, content: "{{ inputs.topic }}" }]',
        'roles:',
        '  writer:',
        '    profile: Writer',
        '    watch: [Topic]',
        '    actions:',
        '      - id: summarize',
        '        prompt: "Summarize {{ message.content }}"',
        '        output: { type: Summary, format: text }',
        'stop_when: { type: Summary }',
        '',
      ].join('\n'),
    );
    const result = await sop(['run', 'no-idea.yaml', 'an idea'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error USAGE: an IDEA was given but this SOP has no `idea` input');
    // The IDEA typed is kept, as the input it was meant for.
    expect(result.stderr).toContain("hint: give it as its input `topic`: sop run no-idea.yaml --input topic='an idea' (optional: --input audience=...)\n");
    const ok = await sop(['run', 'no-idea.yaml', '--input', 'topic=tides', '--quiet'], { cwd: dir });
    expect(ok.stderr).toMatch(/status: completed \(exit 0\)/);
    expect(ok.code).toBe(0);
  });
});

/** What an editor's YAML language server does with the modeline: resolve it against sop.yaml's folder. */
function modelineTarget(sopFile: string): string {
  const first = readFileSync(sopFile, 'utf8').split('\n')[0] as string;
  const ref = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
  expect(ref, first).toBeDefined();
  return path.resolve(path.dirname(sopFile), ref as string);
}

describe('sop init: the schema modeline loads offline', () => {
  it('inside the project that has sop-runner, it points at the installed schema by a relative path (no copy)', async () => {
    mkdirSync(path.join(repoRoot, '.tmp'), { recursive: true });
    const project = mkdtempSync(path.join(repoRoot, '.tmp', 'init-'));
    try {
      const result = await sop(['init', 'nested'], { cwd: project });
      expect(result.code).toBe(0);
      const sopFile = path.join(project, 'nested', 'sop.yaml');
      expect(readFileSync(sopFile, 'utf8').split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=(\.\.\/)+schemas\/sop\.v1\.schema\.json$/);
      expect(modelineTarget(sopFile)).toBe(path.join(repoRoot, 'schemas', 'sop.v1.schema.json'));
      expect(existsSync(path.join(project, 'nested', 'sop.v1.schema.json'))).toBe(false);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('anywhere else, the copy it points at is the schema `sop schema` prints', async () => {
    const dir = tempDir();
    expect((await sop(['init', 'elsewhere'], { cwd: dir })).code).toBe(0);
    const target = modelineTarget(path.join(dir, 'elsewhere', 'sop.yaml'));
    expect(readFileSync(target, 'utf8')).toBe((await sop(['schema'])).stdout.trimEnd() + '\n');
  });

  it('anywhere else, the test file has a modeline too, at a copy that works alone and accepts it; sop test still reads it', async () => {
    const dir = tempDir();
    const result = await sop(['init', 'elsewhere'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`created ${path.join('elsewhere', 'sop-test.v1.schema.json')}`);
    const testFile = path.join(dir, 'elsewhere', 'sop.test.yaml');
    expect(readFileSync(testFile, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=sop-test.v1.schema.json');
    const copyText = readFileSync(modelineTarget(testFile), 'utf8');
    // Every $ref stays inside the copy: the script schema it refers to is not beside it.
    expect([...copyText.matchAll(/"\$ref": "([^"]*)"/g)].map((match) => match[1]).filter((ref) => !ref?.startsWith('#/'))).toEqual([]);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(copyText) as object);
    const parsed = parseYaml(readFileSync(testFile, 'utf8')) as unknown;
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...(parsed as object), cases: [{ name: 'x', answers: [{ role: 'writer', nonsense: 1 }] }] })).toBe(false);
    const tested = await sop(['test', path.join('elsewhere', 'sop.yaml')], { cwd: dir });
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toContain('2 passed, 0 failed');
  });

  it('inside the project, the test file points at the installed sop-test schema (no copy)', async () => {
    mkdirSync(path.join(repoRoot, '.tmp'), { recursive: true });
    const project = mkdtempSync(path.join(repoRoot, '.tmp', 'init-'));
    try {
      expect((await sop(['init', 'nested'], { cwd: project })).code).toBe(0);
      expect(modelineTarget(path.join(project, 'nested', 'sop.test.yaml'))).toBe(path.join(repoRoot, 'schemas', 'sop-test.v1.schema.json'));
      expect(existsSync(path.join(project, 'nested', 'sop-test.v1.schema.json'))).toBe(false);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('a project that installed sop-runner in node_modules gets the path into node_modules', () => {
    const installed = path.join('/', 'home', 'me', 'app', 'node_modules', 'sop-runner', 'schemas', 'sop.v1.schema.json');
    expect(schemaReference(path.join('/', 'home', 'me', 'app', 'sops', 'blog'), installed)).toEqual({
      ref: '../../node_modules/sop-runner/schemas/sop.v1.schema.json',
      copy: false,
    });
    expect(schemaReference(path.join('/', 'home', 'me', 'elsewhere'), installed)).toEqual({ ref: 'sop.v1.schema.json', copy: true });
  });
});
