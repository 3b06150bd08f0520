import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

/**
 * docs/ci.md's workflow steps run `npx sop run sops/software-company.yaml ...`: in a project that
 * installed sop-runner that file is in the package, not the project. The refusal says where it is.
 */

afterAll(removeTempDirs);

describe('an SOP the package ships, typed as the docs write it, in another project', () => {
  it('is FILE_NOT_FOUND (exit 2) with a hint naming the package\'s copy, which then runs', async () => {
    const cwd = tempDir('sop-shipped-');
    const shipped = path.join(repoRoot, 'sops', 'software-company.yaml');
    const refused = await sop(['run', 'sops/software-company.yaml', 'a todo app', '--ci', '--json'], { cwd });
    expect(refused.code).toBe(2);
    expect(envelopeOf<any>(refused).error).toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: 'no such file: sops/software-company.yaml',
      hint: `\`sops/software-company.yaml\` is one of the SOPs sop-runner ships, in its package rather than in this project: give \`${shipped}\`, or copy it into the project to change it`,
    });
    expect(refused.stderr).toContain(`hint: \`sops/software-company.yaml\` is one of the SOPs sop-runner ships`);
    const given = await sop(['validate', shipped], { cwd });
    expect(given.code, given.stderr).toBe(0);
  });

  it('says nothing of the package for a name it does not ship', async () => {
    const cwd = tempDir('sop-shipped-');
    const refused = await sop(['validate', 'sops/release-notes.yaml'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stdout + refused.stderr).toContain('hint: check the path (relative paths start from the current folder)');
    expect(refused.stdout + refused.stderr).not.toContain('sop-runner ships');
  });
});
