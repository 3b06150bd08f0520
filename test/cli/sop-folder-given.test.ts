import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A folder given where an SOP file goes (`sop run blog`, as `sop test blog` takes one) was refused
 * with "give the path of an SOP file (.yaml)" alone: the hint now names the file the folder holds.
 */
describe('an SOP folder given as the SOP file', () => {
  it('sop run and sop validate name its sop.yaml (exit 2), which then runs', async () => {
    const cwd = tempDir('sop-folder-given-');
    expect((await sop(['init', 'blog'], { cwd })).code).toBe(0);
    const run = await sop(['run', 'blog', 'tidal power'], { cwd });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('blog: error FILE_UNREADABLE: cannot read blog: it is a folder\n  hint: give the path of an SOP file (.yaml): did you mean `blog/sop.yaml`?');
    expect(run.stderr).not.toMatch(STACK_LINE);
    const validated = await sop(['validate', 'blog'], { cwd });
    expect(validated.code).toBe(2);
    expect(validated.stdout).toContain('did you mean `blog/sop.yaml`?');
    expect((await sop(['run', 'blog/sop.yaml', 'tidal power'], { cwd })).code).toBe(0);
  });

  it('a folder of several SOPs, none named sop.yaml: the hint lists them, test files left out', async () => {
    const cwd = tempDir('sop-folder-given-');
    expect((await sop(['init', 'blog'], { cwd })).code).toBe(0);
    mkdirSync(path.join(cwd, 'teams'));
    copyFileSync(path.join(cwd, 'blog', 'sop.yaml'), path.join(cwd, 'teams', 'writer.yaml'));
    copyFileSync(path.join(cwd, 'blog', 'sop.yaml'), path.join(cwd, 'teams', 'editor.yaml'));
    copyFileSync(path.join(cwd, 'blog', 'sop.test.yaml'), path.join(cwd, 'teams', 'writer.test.yaml'));
    const run = await sop(['run', 'teams'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('hint: give the path of an SOP file (.yaml); the folder holds `teams/editor.yaml`, `teams/writer.yaml`\n');
  });
  it('a folder of SOP folders (examples/): the hint names the glob that checks them all, which does', async () => {
    const cwd = tempDir('sop-folder-of-folders-');
    cpSync(path.join(repoRoot, 'examples'), path.join(cwd, 'examples'), { recursive: true });
    const validated = await sop(['validate', 'examples'], { cwd });
    expect(validated.code).toBe(2);
    expect(validated.stdout).toContain('examples: error FILE_UNREADABLE: cannot read examples: it is a folder\n  hint: give the path of an SOP file (.yaml); its folders hold 7 SOPs (`examples/data-check/sop.yaml`, `examples/data-validation/sop.yaml`, `examples/debate/sop.yaml`, ...): `sop validate examples/*/sop.yaml` checks them all\n');
    const all = await sop([], { cwd, launch: ['sh', '-c', 'sop validate examples/*/sop.yaml'] });
    expect(all.code, all.stdout + all.stderr).toBe(0);
    expect(all.stdout).toContain('7 files: 7 valid, 0 invalid');
    // A folder whose only YAML is another tool's (a GitHub workflow, no `sop/v1`) names the SOP below it.
    const ci = await sop(['validate', 'examples/ci'], { cwd });
    expect(ci.code).toBe(2);
    expect(ci.stdout).toContain('hint: give the path of an SOP file (.yaml): did you mean `examples/ci/release-notes/sop.yaml`?\n');
  });
});
