import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * A script's path is relative to the current folder, not to the SOP: a newcomer who keeps
 * `answers.yaml` beside `sub/sop.yaml` and types `--model script:answers.yaml` from the parent
 * folder is told where the file is and what to type; a test file's `script:` (relative to the test
 * file) the same, with the `script:` to write.
 */
afterAll(removeTempDirs);

const DESK = path.join(repoRoot, 'test', 'fixtures', 'script', 'desk.yaml');
const SCRIPT = 'apiVersion: sop-script/v1\nanswers:\n  - { role: triage, action: route, output: { category: technical, summary: Login fails } }\n';

/** `sub/desk.yaml` with `sub/answers.yaml` beside it; commands run from the folder above. */
function project(): string {
  const cwd = tempDir('sop-script-beside-');
  mkdirSync(path.join(cwd, 'sub', 'tests'), { recursive: true });
  writeFileSync(path.join(cwd, 'sub', 'desk.yaml'), readFileSync(DESK));
  writeFileSync(path.join(cwd, 'sub', 'answers.yaml'), SCRIPT);
  return cwd;
}

const MISSED = 'error FILE_NOT_FOUND: cannot read script answers.yaml: no such file';
const BESIDE = "hint: a script's path is relative to the current folder, not to the SOP; the one beside the SOP is sub/answers.yaml: ";

describe('a script path written relative to the SOP', () => {
  it('sop run and sop prompts name the script beside the SOP and the --model to type, which then works', async () => {
    const cwd = project();
    for (const command of ['run', 'prompts']) {
      const missed = await sop([command, 'sub/desk.yaml', 'I cannot log in', '--model', 'script:answers.yaml'], { cwd });
      expect(missed.code, missed.stderr).toBe(2);
      expect(missed.stderr).toContain(`${MISSED}\n  ${BESIDE}--model script:sub/answers.yaml`);
      expect(missed.stderr).not.toMatch(STACK_LINE);
    }
    const typed = await sop(['run', 'sub/desk.yaml', 'I cannot log in', '--model', 'script:sub/answers.yaml'], { cwd });
    expect(typed.stderr).not.toContain('FILE_NOT_FOUND');
    expect(typed.stderr).toContain('model: script:sub/answers.yaml');
  });

  it('sop eval names it as sop run does', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: login, inputs: { idea: "I cannot log in" } }\n');
    const missed = await sop(['eval', 'sub/desk.yaml', '--dataset', 'cases.yaml', '--model', 'script:answers.yaml'], { cwd });
    expect(missed.code, missed.stderr).toBe(2);
    expect(missed.stderr).toContain(`${MISSED}\n  ${BESIDE}--model script:sub/answers.yaml`);
    expect(missed.stderr).not.toMatch(STACK_LINE);
  });

  it('sop validate --script names the --script to type', async () => {
    const cwd = project();
    const missed = await sop(['validate', 'sub/desk.yaml', '--script', 'answers.yaml'], { cwd });
    expect(missed.code).toBe(2);
    expect(missed.stdout).toContain(`answers.yaml: ${MISSED}\n  ${BESIDE}--script sub/answers.yaml`);
    const typed = await sop(['validate', 'sub/desk.yaml', '--script', 'sub/answers.yaml'], { cwd });
    expect(typed.code, typed.stdout).toBe(0);
  });

  it('sop validate --script with a script found nowhere names --script, the flag typed, not --model', async () => {
    const cwd = project();
    const missed = await sop(['validate', 'sub/desk.yaml', '--script', 'nope.yaml'], { cwd });
    expect(missed.code).toBe(2);
    expect(missed.stdout).toContain('nope.yaml: error FILE_NOT_FOUND: cannot read script nope.yaml: no such file\n  hint: pass the path of a script file: --script path/to/answers.yaml');
    expect(missed.stdout).not.toContain('--model');
  });

  it('a script found in neither place keeps the general hint', async () => {
    const cwd = project();
    const missed = await sop(['run', 'sub/desk.yaml', 'I cannot log in', '--model', 'script:nope.yaml'], { cwd });
    expect(missed.code).toBe(2);
    expect(missed.stderr).toContain('hint: pass the path of a script file: --model script:path/to/answers.yaml');
  });

  it("sop test: a case's script: is relative to the test file; one beside the SOP is named as the script: to write", async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'sub', 'tests', 'login.yaml'), 'apiVersion: sop-test/v1\nsop: ../desk.yaml\ncases:\n  - { name: login, inputs: { idea: "I cannot log in" }, script: answers.yaml, expect: { status: awaiting_approval } }\n');
    const missed = await sop(['test', 'sub/tests/login.yaml'], { cwd });
    expect(missed.code).toBe(2);
    expect(missed.stderr).toContain("hint: a case's `script:` is relative to the test file, not to the SOP; the one beside the SOP is written `script: ../answers.yaml`");
    expect(missed.stderr).not.toContain('--model script:');
    writeFileSync(path.join(cwd, 'sub', 'tests', 'login.yaml'), readFileSync(path.join(cwd, 'sub', 'tests', 'login.yaml'), 'utf8').replace('script: answers.yaml', 'script: ../answers.yaml'));
    // Read now: the case runs, and stops at its human gate as expected.
    const typed = await sop(['test', 'sub/tests/login.yaml'], { cwd });
    expect(typed.code, typed.stdout + typed.stderr).toBe(0);
  });
});
