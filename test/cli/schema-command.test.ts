import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';
import { resultOf } from '../support/cli-envelope.js';

afterAll(removeTempDirs);

describe('sop schema', () => {
  it.each([{}, { COLUMNS: '200' }, { OCLIF_COLUMNS: '40' }])('--help prints the editor modeline on one line, to be copied as it is (%j)', async (env) => {
    const result = await sop(['schema', '--help'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}# yaml-language-server: \$schema=\.\/node_modules\/sop-runner\/schemas\/sop\.v1\.schema\.json$/m);
  });

  it('`sop schema test` prints the test file schema copy `sop init` writes (to refresh it); `sop schema` still the SOP one', async () => {
    const dir = tempDir();
    expect((await sop(['init', 'p'], { cwd: dir })).code).toBe(0);
    const test = await sop(['schema', 'test'], { cwd: dir });
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toBe(readFileSync(path.join(dir, 'p', 'sop-test.v1.schema.json'), 'utf8'));
    expect(JSON.parse(test.stdout)).toMatchObject({ $id: 'https://sop-runner.dev/schemas/sop-test.v1.schema.json' });
    const sopSchema = await sop(['schema'], { cwd: dir });
    expect(sopSchema.stdout).toBe(readFileSync(path.join(repoRoot, 'schemas', 'sop.v1.schema.json'), 'utf8'));
  });

  it.each([
    ['tset', 'error USAGE: expected one of sop, test, eval, script, config, got `tset`\n  hint: did you mean `test`? (see `sop schema --help`)\n'],
    ['evl', 'error USAGE: expected one of sop, test, eval, script, config, got `evl`\n  hint: did you mean `eval`? (see `sop schema --help`)\n'],
    ['xml', 'error USAGE: expected one of sop, test, eval, script, config, got `xml`\n  hint: see `sop schema --help`\n'],
  ])('an unknown format (%s) is a usage error listing the formats, with the nearest one (exit 2)', async (format, message) => {
    const result = await sop(['schema', format]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(message);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toBe('');
  });

  it('--help gives the first line to add for each format, each on one line', async () => {
    const result = await sop(['schema', '--help'], { env: { OCLIF_COLUMNS: '40' } });
    for (const file of ['sop.v1', 'sop-test.v1', 'sop-eval.v1', 'script.v1', 'config.v1']) {
      expect(result.stdout).toContain(`\n  # yaml-language-server: $schema=./node_modules/sop-runner/schemas/${file}.schema.json\n`);
    }
  });
});

const Ajv2020 = Ajv2020Module.default;

/** Every YAML file in `dir` (relative to the repository) whose name ends with `suffix`. */
function repoFiles(dir: string, suffix = '.yaml'): string[] {
  return readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(suffix))
    .map((name) => path.join(dir, name));
}

/** The sop.config.yaml example of docs/providers.md: the configuration file as the docs write it. */
function docsConfigExample(): unknown {
  const block = /```yaml\n((?:#[^\n]*\n)?# sop\.config\.yaml\n[\s\S]*?)```/.exec(readFileSync(path.join(repoRoot, 'docs', 'providers.md'), 'utf8'))?.[1];
  expect(block).toBeDefined();
  return parseYaml(block as string);
}

/** The `sop-eval/v1` example of docs/eval.md. */
function docsEvalExample(): unknown {
  const block = /```yaml\n((?:#[^\n]*\n)?apiVersion: sop-eval\/v1\n[\s\S]*?)```/.exec(readFileSync(path.join(repoRoot, 'docs', 'eval.md'), 'utf8'))?.[1];
  expect(block).toBeDefined();
  return parseYaml(block as string);
}

const readYaml = (file: string): unknown => parseYaml(readFileSync(path.join(repoRoot, file), 'utf8'));

/** Per format: real documents from the repository it must accept, and one mistake (in a part another file defines, where there is one) it must reject. */
const FORMATS: Array<{ format: string; id: string; valid: () => unknown[]; invalid: unknown }> = [
  { format: 'sop', id: 'sop.v1', valid: () => ['sops/software-company.yaml', ...repoFiles('examples').filter((file) => file.endsWith('sop.yaml'))].map(readYaml), invalid: { apiVersion: 'sop/v1', kind: 'SOP', metadata: { name: 'x' }, roles: { a: { profile: 'p', wtach: [] } } } },
  { format: 'test', id: 'sop-test.v1', valid: () => [...repoFiles('sops', '.test.yaml'), ...repoFiles('examples', '.test.yaml')].map(readYaml), invalid: { apiVersion: 'sop-test/v1', cases: [{ name: 'x', answers: [{ role: 'writer', nonsense: 1 }] }] } },
  { format: 'eval', id: 'sop-eval.v1', valid: () => [readYaml('test/fixtures/eval-judge-script/cases.yaml'), docsEvalExample()], invalid: { apiVersion: 'sop-eval/v1', cases: [{ name: 'x', expect: { status: 'finished' } }] } },
  { format: 'script', id: 'script.v1', valid: () => [...repoFiles('examples'), ...repoFiles('test/fixtures/script')].map(readYaml).filter((document) => (document as { apiVersion?: unknown }).apiVersion === 'sop-script/v1'), invalid: { apiVersion: 'sop-script/v1', answers: [{ role: 'pm', action: 'write', judge: { score: 11 } }] } },
  { format: 'config', id: 'config.v1', valid: () => [docsConfigExample()], invalid: { default_model: 'fast', providers: { openai: { timeout: 'soon' } } } },
];

describe('sop schema FORMAT: one self-contained schema per format a user writes', () => {
  it.each(FORMATS)('`sop schema $format` compiles alone, accepts the files the repository ships, rejects a mistake; --json gives the same schema', async ({ format, id, valid, invalid }) => {
    const result = await sop(['schema', format]);
    expect(result.code, result.stderr).toBe(0);
    const schema = JSON.parse(result.stdout) as { $id: string };
    expect(schema.$id).toBe(`https://sop-runner.dev/schemas/${id}.schema.json`);
    // No `$ref` out of the file: an editor given a copy of it alone finds every definition.
    expect([...result.stdout.matchAll(/"\$ref": "([^"]*)"/g)].map((match) => match[1]).filter((ref) => !ref?.startsWith('#'))).toEqual([]);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormatsModule.default(ajv);
    const validate = ajv.compile(schema);
    const documents = valid();
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(invalid)).toBe(false);
    expect(resultOf(await sop(['schema', format, '--json']))).toEqual(schema);
  });
});
