import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * `x-gates:` holding YAML anchors, as Docker Compose and OpenAPI files keep them, was hinted "did you
 * mean `gates`?" (or "remove it", which leaves the aliases below unresolved). The hint now says where an
 * anchor goes in an SOP: at the value's first use, or shared values under `vars:`.
 */
describe('sop validate: an x- extension field', () => {
  it('is refused at its key with where a YAML anchor goes instead', async () => {
    const dir = tempDir();
    expect((await sop(['init', 'p'], { cwd: dir })).code).toBe(0);
    const cwd = path.join(dir, 'p');
    const sopFile = path.join(cwd, 'sop.yaml');
    const text = readFileSync(sopFile, 'utf8');
    writeFileSync(sopFile, text.replace('\nsettings:', '\nx-gates:\n  short: &short { name: short, length: { max: 5000 } }\nsettings:'));
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/sop\.yaml:\d+:1: error SCHEMA_UNKNOWN_FIELD: unknown field `x-gates`\n/);
    expect(result.stdout).toContain('  hint: an SOP has no `x-` extension fields: put the YAML anchor where the value is first used (`- &judged { name: judged, ... }`) and repeat it with `*judged`, or keep shared values under `vars:`');
    expect(result.stdout).not.toContain('did you mean `gates`');
  });
});
