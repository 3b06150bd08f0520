import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = path.join(root, 'scripts', 'gen-docs.mjs');

function runGenerator(cwdRoot: string, ...args: string[]) {
  return spawnSync(process.execPath, [path.join(cwdRoot, 'scripts', 'gen-docs.mjs'), ...args], { cwd: cwdRoot, encoding: 'utf8' });
}

/** A throwaway copy of the pieces the generator reads, so the tests can make it stale safely. */
function scratchCopy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sop-docs-'));
  for (const folder of ['scripts', 'docs', 'schemas']) mkdirSync(path.join(dir, folder));
  cpSync(script, path.join(dir, 'scripts', 'gen-docs.mjs'));
  cpSync(path.join(root, 'docs', 'format.md'), path.join(dir, 'docs', 'format.md'));
  cpSync(path.join(root, 'schemas', 'sop.v1.schema.json'), path.join(dir, 'schemas', 'sop.v1.schema.json'));
  // The generator imports ajv and yaml; resolve them from the project.
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('docs/format.md', () => {
  it('is up to date with the schema (`node scripts/gen-docs.mjs --check` exits 0)', () => {
    const result = runGenerator(root, '--check');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('documents every field of every definition, with an example', () => {
    const schema = JSON.parse(readFileSync(path.join(root, 'schemas', 'sop.v1.schema.json'), 'utf8')) as {
      properties: Record<string, unknown>;
      $defs: Record<string, { properties?: Record<string, unknown> }>;
    };
    const doc = readFileSync(path.join(root, 'docs', 'format.md'), 'utf8');
    for (const field of Object.keys(schema.properties)) expect(doc).toContain(`#### \`${field}\``);
    for (const [name, definition] of Object.entries(schema.$defs)) {
      expect(doc).toContain(`<a id="def-${name.toLowerCase()}"></a>`);
      const section = doc.split(`<a id="def-${name.toLowerCase()}"></a>`)[1]?.split('<a id="def-')[0] ?? '';
      for (const field of Object.keys(definition.properties ?? {})) {
        const entry = section.split(`#### \`${field}\``)[1]?.split('#### ')[0] ?? '';
        expect(entry, `${name}.${field}`).toContain('```yaml');
      }
    }
  });

  it('--check exits 1 and says how to fix it when the schema changed', () => {
    const dir = scratchCopy();
    scratch.push(dir);
    const schemaFile = path.join(dir, 'schemas', 'sop.v1.schema.json');
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    schema.$defs.Settings.properties.n_round.description = 'Changed description.';
    writeFileSync(schemaFile, JSON.stringify(schema));
    const result = runGenerator(dir, '--check');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('docs/format.md is stale: run `node scripts/gen-docs.mjs`');
  });

  it('fails naming the field when a new field has no example', () => {
    const dir = scratchCopy();
    scratch.push(dir);
    const schemaFile = path.join(dir, 'schemas', 'sop.v1.schema.json');
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    schema.$defs.Settings.properties.seed = { description: 'Random seed.', type: 'integer' };
    writeFileSync(schemaFile, JSON.stringify(schema));
    const result = runGenerator(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no example for Settings.seed');
  });

  it('fails naming the field when an example no longer matches the schema', () => {
    const dir = scratchCopy();
    scratch.push(dir);
    const schemaFile = path.join(dir, 'schemas', 'sop.v1.schema.json');
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    schema.$defs.Settings.properties.n_round.maximum = 10;
    writeFileSync(schemaFile, JSON.stringify(schema));
    const result = runGenerator(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('example for Settings.n_round does not match the schema');
  });
});

describe('the package', () => {
  it('ships a LICENSE file with the license package.json names', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { license: string };
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
    const files = (JSON.parse(packed.stdout) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map((file) => file.path);
    expect(files).toContain('LICENSE');
    expect(readFileSync(path.join(root, 'LICENSE'), 'utf8')).toMatch(new RegExp(`^${pkg.license} License`));
  });
});
