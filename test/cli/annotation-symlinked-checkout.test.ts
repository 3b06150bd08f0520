import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * Under GitHub Actions, files are named relative to the checkout (`GITHUB_WORKSPACE`). When that
 * path goes through a symlink (a self-hosted runner's work folder, a checkout reached by a link),
 * the working folder, which a process always sees as its real path, seemed to lie outside it: the
 * annotations named the file relative to the subfolder (`sop.yaml`, which GitHub looks for at the
 * checkout's root) and the step summary gave the workspace's absolute real path.
 */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: linked, version: 0.1.0 }
messages:
  Idea: {}
  Note: {}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
stop_when: { type: Note }
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "Write a note about {{ message.content }}"
        output: { type: Note, format: markdown }
        artifacts: [{ path: note.md }]
`;

/** A checkout `real checkout #1` with a subfolder `jobs ü`, and `GITHUB_WORKSPACE` a symlink to it. */
function linkedCheckout(): { link: string; jobs: string } {
  const parent = tempDir('sop-linked-checkout-');
  const real = path.join(parent, 'real checkout #1');
  mkdirSync(path.join(real, 'jobs ü'), { recursive: true });
  const link = path.join(parent, 'link to checkout');
  symlinkSync(real, link);
  return { link, jobs: path.join(link, 'jobs ü') };
}

describe('a checkout (GITHUB_WORKSPACE) reached through a symlink', () => {
  it('annotations name the file relative to the checkout, from a subfolder', async () => {
    const { link, jobs } = linkedCheckout();
    writeFileSync(path.join(jobs, 'sop.yaml'), SOP.replace('version: 0.1.0', 'version: one'));
    const result = await sop(['validate', 'sop.yaml', '--format', 'github'], { cwd: jobs, env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: link, GITHUB_STEP_SUMMARY: undefined } });
    expect(result.code, result.stdout + result.stderr).not.toBe(0);
    const annotations = (result.stdout + result.stderr).split('\n').filter((line) => line.startsWith('::error'));
    expect(annotations.length, result.stdout + result.stderr).toBeGreaterThan(0);
    for (const line of annotations) expect(line).toMatch(/^::error file=jobs ü\/sop\.yaml,line=3,/);
  });

  it("the step summary names the run's workspace relative to the checkout", async () => {
    const { link, jobs } = linkedCheckout();
    writeFileSync(path.join(jobs, 'sop.yaml'), SOP);
    const summary = path.join(jobs, 'summary.md');
    const result = await sop(['run', 'sop.yaml', 'owls'], { cwd: jobs, env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: link, GITHUB_STEP_SUMMARY: summary, CI: undefined } });
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(summary, 'utf8');
    expect(text).toContain('jobs ü/workspace/linked');
    expect(text).not.toContain('real checkout #1');
  });
});
