import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

/** `sop runs --sop FILE.yaml`: a user who typed an SOP file where a run goes is pointed to --sop-name. */
afterAll(removeTempDirs);

const ASK = path.join(repoRoot, 'test', 'fixtures', 'human-gate', 'ask.yaml');

describe('sop runs --sop with an SOP file', () => {
  it('names --sop-name and the metadata.name of an existing SOP file', async () => {
    const cwd = tempDir('sop-runs-sop-file-');
    copyFileSync(ASK, path.join(cwd, 'ask.yaml'));
    const result = await sop(['runs', '--sop', 'ask.yaml'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no run ask.yaml');
    expect(result.stderr).toContain('ask.yaml looks like an SOP file: to list its runs, filter by its metadata.name with --sop-name (`');
    expect(result.stderr).toContain(' runs --sop-name ask`)');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('names the flag alone for a .yaml file that is not there', async () => {
    const cwd = tempDir('sop-runs-sop-file-');
    const result = await sop(['runs', '--sop', 'nope.yaml'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--sop RUN takes a run and prints the SOP text it ran with; nope.yaml looks like an SOP file: to list its runs, filter by its metadata.name with --sop-name (`');
    expect(result.stderr).toContain(' runs --sop-name NAME`)');
  });

  it('keeps the plain hint for a mistyped run id', async () => {
    const cwd = tempDir('sop-runs-sop-file-');
    const result = await sop(['runs', '--sop', '20990101-000000'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('--sop-name');
  });
});
