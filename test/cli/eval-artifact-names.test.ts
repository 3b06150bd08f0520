import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * `expect.artifacts` naming a file the case's run did not write (another case, a typo): the failed
 * check lists the files the run did write, with the one meant when it is near (the real CLI,
 * offline model). It said `was not written` alone, leaving the user to open the run's workspace.
 */
afterAll(removeTempDirs);

const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');

describe('sop eval of an artifact the run did not write', () => {
  it('names the file the run wrote, as "did you mean", when the name differs by case or a small edit', async () => {
    const dir = tempDir('sop-eval-artifact-names-');
    writeFileSync(
      path.join(dir, 'cases.yaml'),
      'apiVersion: sop-eval/v1\ndefaults:\n  inputs: { idea: spring }\ncases:\n  - { name: capitals, expect: { artifacts: [{ path: ANSWER.md }] } }\n  - { name: typo, expect: { artifacts: [{ path: answr.md, contains: "x" }] } }\n  - { name: elsewhere, expect: { artifacts: [{ path: docs/notes.md }] } }\n',
    );
    const result = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--quiet'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain('  cases.yaml:5:53: expect.artifacts[0]: ANSWER.md: was not written (did you mean `answer.md`?); the run wrote: answer.md (expected exists; got absent)\n');
    expect(result.stdout).toContain('  cases.yaml:6:49: expect.artifacts[0]: answr.md: was not written (did you mean `answer.md`?); the run wrote: answer.md (expected exists; got absent)\n');
    // Nothing near: the list alone.
    expect(result.stdout).toContain('  cases.yaml:7:54: expect.artifacts[0]: docs/notes.md: was not written; the run wrote: answer.md (expected exists; got absent)\n');
  });

  it('lists at most ten of the run\'s files, sorted, and says how many more it wrote', async () => {
    const dir = tempDir('sop-eval-artifact-names-');
    // Twelve artifacts, declared out of order: the list is sorted, not in the SOP's order.
    const names = Array.from({ length: 12 }, (_, index) => `part-${String(12 - index).padStart(2, '0')}.md`);
    const artifacts = names.map((name) => `          - { path: ${name}, content: "{{ output }}" }`).join('\n');
    writeFileSync(path.join(dir, 'parts.yaml'), readFileSync(SOP, 'utf8').replace(/        artifacts:\n(.*\n)*?(?=stop_when)/, `        artifacts:\n${artifacts}\n`));
    writeFileSync(path.join(dir, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: spring }, expect: { artifacts: [{ path: summary.md }] } }\n');
    const result = await sop(['eval', 'parts.yaml', '--dataset', 'cases.yaml', '--quiet'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const shown = Array.from({ length: 10 }, (_, index) => `part-${String(index + 1).padStart(2, '0')}.md`).join(', ');
    expect(result.stdout).toContain(`expect.artifacts[0]: summary.md: was not written; the run wrote: ${shown} and 2 more (expected exists; got absent)\n`);
  });
});
