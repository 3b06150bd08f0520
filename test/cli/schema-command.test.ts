import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

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

  it('an unknown format is a usage error naming the two (exit 2)', async () => {
    const result = await sop(['schema', 'tset']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error USAGE: expected one of sop, test, got `tset`');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toBe('');
  });
});
