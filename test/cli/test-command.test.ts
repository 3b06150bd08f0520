import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { junitSchemaErrors } from '../reporting/junit-schema.js';
import { envelopeOf, resultOf } from '../support/cli-envelope.js';
import { sopOnTerminal } from '../support/terminal.js';
import { binPath, removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * `sop test` end to end (the real CLI, bin/sop.js): one line per case, failures with where they are
 * written and the SOP line involved, the kept run record, --json, --junit, --update, --filter and
 * the exit codes (0, 16 TESTS_FAILED, 2 TEST_INVALID).
 */
afterAll(removeTempDirs);

const TINY_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: tiny, version: 1.0.0 }
inputs:
  topic: { type: string, description: What to write about }
messages:
  Topic: { description: The topic }
  Draft: { description: A short draft }
start:
  - type: Topic
    content: "{{ inputs.topic }}"
roles:
  writer:
    profile: Writer
    goal: Write a short draft.
    watch: [Topic]
    actions:
      - id: write
        prompt: "Write about {{ message.content }}"
        output: { type: Draft, format: markdown }
        gates:
          - name: good-enough
            judge: { rubric: The draft is clear., min_score: 7 }
            on_fail: { revise: 1 }
        artifacts:
          - path: draft.md
stop_when: { type: Draft }
`;

const PASSING = `  - name: the judge sends the draft back once
    answers:
      - { role: writer, action: write, attempt: 1, output: "first try" }
      - { role: writer, action: write, attempt: 2, output: "# Owls\\n\\nOwls hunt at night.\\n" }
      - { role: writer, action: write, gate: good-enough, attempt: 1, judge: { score: 4, reasons: [too short] } }
      - { role: writer, action: write, gate: good-enough, attempt: 2, judge: { score: 9 } }
    expect:
      status: completed
      gates: [{ gate: good-enough, outcomes: [failed, passed], revisions: 1 }]
      artifacts:
        - { path: draft.md, golden: golden/draft.md }
`;

const FAILING = `  - name: expects a second draft that never comes
    answers:
      - { role: writer, action: write, output: "# Owls\\n" }
    expect:
      messages:
        - { type: Draft, count: 2 }
`;

/**
 * `sop` with its temporary folders (a failed case's kept workspace and run record) in a folder of
 * the test's own, removed after the tests, not in the machine's temp folder.
 */
function sopTest(args: string[], options: { cwd: string }) {
  return sop(args, { ...options, env: { TMPDIR: tempDir('sop-test-tmp-') } });
}

/** A project folder with tiny.yaml and tiny.test.yaml holding these cases. */
function project(cases: string, defaults = 'defaults:\n  inputs: { topic: owls }\n'): string {
  const dir = tempDir('sop-test-cmd-');
  writeFileSync(path.join(dir, 'tiny.yaml'), TINY_SOP);
  writeFileSync(path.join(dir, 'tiny.test.yaml'), `apiVersion: sop-test/v1\n${defaults}cases:\n${cases}`);
  return dir;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 60_000) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether a process runs (exists and is not a zombie). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Line of `text` in a file (1-based). */
function lineOf(file: string, text: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;
}

/** `line:col` of the value written after `key` (`role: `) on the first line holding `key` + `value`: where a field's diagnostic points. */
function valueAt(file: string, key: string, value: string): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(`${key}${value}`));
  return `${index + 1}:${(lines[index] as string).indexOf(`${key}${value}`) + key.length + 1}`;
}

describe('sop test', () => {
  it('prints one line per case, each failure with its test file and SOP lines and the kept run record, then the counts; exit 16', async () => {
    const dir = project(`${PASSING}${FAILING}  - name: not yet\n    skip: waiting for the new reviewer\n`);
    // The golden file is written by --update first (see the --update test).
    const first = await sopTest(['test', 'tiny.yaml', '--update'], { cwd: dir });
    expect(first.code, first.stderr).toBe(16);
    const result = await sopTest(['test', 'tiny.yaml'], { cwd: dir });
    expect(result.code, result.stderr).toBe(16);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain('tiny.test.yaml (tiny.yaml)\n');
    expect(result.stdout).toMatch(/^ {2}✓ the judge sends the draft back once \(\d+ ms\)$/m);
    expect(result.stdout).toMatch(/^ {2}✗ expects a second draft that never comes \(\d+ ms\)$/m);
    expect(result.stdout).toContain('  ↓ not yet (skipped: waiting for the new reviewer)');
    const testFile = path.join(dir, 'tiny.test.yaml');
    expect(result.stdout).toContain(`FAIL tiny.test.yaml > expects a second draft that never comes  (tiny.test.yaml:${lineOf(testFile, 'expects a second draft')}:5)`);
    expect(result.stdout).toContain('  ✗ expect.messages[0]: 1 Draft message(s), expected 2');
    // At the `count` that did not hold, not at the entry.
    expect(result.stdout).toContain(`      at tiny.test.yaml:${valueAt(testFile, 'count: ', '2')}`);
    // The action that outputs Draft messages.
    expect(result.stdout).toContain(`      SOP: tiny.yaml:${lineOf(path.join(dir, 'tiny.yaml'), '- id: write')}:9`);
    // The judge was not scripted in the failing case: the offline model answered it.
    expect(result.stdout).toContain('  unscripted calls (the offline model answered them):\n    role "writer", action "write", judge gate "good-enough", attempt 1\n');
    const kept = /run record kept in (\S+) \(workspace\/, runs\/\)/.exec(result.stdout)?.[1] as string;
    expect(existsSync(path.join(kept, 'workspace', 'draft.md'))).toBe(true);
    expect(existsSync(path.join(kept, 'runs'))).toBe(true);
    expect(result.stdout).toMatch(/\n1 passed, 1 failed, 1 skipped \(\d+\.\d\d s\)\n$/);
  });

  it('an empty artifact fails `contains` saying the file is empty, not with a blank `actual:` line', async () => {
    const dir = project(`  - name: the writer answers nothing
    answers:
      - { role: writer, action: write, output: "" }
      - { role: writer, action: write, gate: good-enough, judge: { score: 9 } }
    expect:
      artifacts:
        - { path: draft.md, contains: "# Owls" }
`);
    const result = await sopTest(['test', 'tiny.yaml'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(16);
    expect(result.stdout).toContain('  ✗ expect.artifacts[0]: draft.md: does not contain "# Owls"');
    expect(result.stdout).toContain('      expected: # Owls\n      actual:   (empty)\n');
  });

  it('--event-prompts: a failed case\'s kept run journal shows what each role was asked; without it, no prompt is kept', async () => {
    const dir = project(FAILING);
    const promptsOf = (stdout: string): string[] => {
      const kept = /run record kept in (\S+) \(workspace\/, runs\/\)/.exec(stdout)?.[1] as string;
      const [runId] = readdirSync(path.join(kept, 'runs'));
      const journal = readFileSync(path.join(kept, 'runs', runId as string, 'journal.jsonl'), 'utf8');
      return journal.split('\n').filter((line) => line.includes('"llm-call-start"')).flatMap((line) => ((JSON.parse(line) as { messages?: Array<{ content: string }> }).messages ?? []).map((message) => message.content));
    };
    const withPrompts = await sopTest(['test', 'tiny.yaml', '--event-prompts'], { cwd: dir });
    expect(withPrompts.code, withPrompts.stderr).toBe(16);
    expect(promptsOf(withPrompts.stdout)).toContain('Write about owls');
    const without = await sopTest(['test', 'tiny.yaml'], { cwd: dir });
    expect(without.code, without.stderr).toBe(16);
    expect(promptsOf(without.stdout)).toEqual([]);
  });

  // It said `golden/draft.md`, relative to the test file, beside test files named from the current folder.
  it('--update from the folder above: names the golden file from the current folder, as the test file is', async () => {
    const dir = project(PASSING);
    const updated = await sopTest(['test', path.basename(dir), '--update'], { cwd: path.dirname(dir) });
    expect(updated.code, updated.stdout + updated.stderr).toBe(0);
    expect(updated.stdout).toContain(`${path.join(path.basename(dir), 'tiny.test.yaml')} (`);
    expect(updated.stdout).toContain(`golden files updated: ${path.join(path.basename(dir), 'golden', 'draft.md')}\n`);
    expect(existsSync(path.join(dir, 'golden', 'draft.md'))).toBe(true);
  });

  // It said `sop test --update`, which tests the current folder: the golden files of every other test
  // file there were rewritten too, and a test file given from elsewhere was not run at all.
  it('a missing golden file names the command for its own test file, which, pasted, rewrites no other test file\'s golden', async () => {
    const dir = project(PASSING);
    mkdirSync(path.join(dir, 'golden'));
    writeFileSync(path.join(dir, 'golden', 'draft.md'), '# Owls\n\nOwls sleep at night.\n');
    mkdirSync(path.join(dir, 'posts'));
    writeFileSync(path.join(dir, 'posts', 'tiny.yaml'), TINY_SOP);
    writeFileSync(path.join(dir, 'posts', 'tiny.test.yaml'), readFileSync(path.join(dir, 'tiny.test.yaml'), 'utf8'));
    const tested = await sopTest(['test', 'posts/tiny.test.yaml'], { cwd: dir });
    expect(tested.code, tested.stdout + tested.stderr).toBe(16);
    expect(tested.stdout).toContain('draft.md: golden file golden/draft.md does not exist (`sop test posts/tiny.test.yaml --update` writes it)');
    const pasted = await sopTest(['test', 'posts/tiny.test.yaml', '--update'], { cwd: dir });
    expect(pasted.code, pasted.stdout + pasted.stderr).toBe(0);
    expect(pasted.stdout).toContain(`golden files updated: ${path.join('posts', 'golden', 'draft.md')}\n`);
    expect(readFileSync(path.join(dir, 'posts', 'golden', 'draft.md'), 'utf8')).toBe('# Owls\n\nOwls hunt at night.\n');
    // The folder's own test file, which differs from its golden, was not run: its golden is as it was.
    expect(readFileSync(path.join(dir, 'golden', 'draft.md'), 'utf8')).toBe('# Owls\n\nOwls sleep at night.\n');
  });

  it('--update writes the golden files and says which; then the case passes against them (exit 0)', async () => {
    const dir = project(PASSING);
    const updated = await sopTest(['test', '--update'], { cwd: dir });
    expect(updated.code, updated.stdout + updated.stderr).toBe(0);
    expect(updated.stdout).toContain('golden files updated: golden/draft.md');
    expect(readFileSync(path.join(dir, 'golden', 'draft.md'), 'utf8')).toBe('# Owls\n\nOwls hunt at night.\n');
    const again = await sopTest(['test', 'tiny.test.yaml'], { cwd: dir });
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).not.toContain('golden files updated');
    // A changed golden file fails with a diff of expected and actual.
    writeFileSync(path.join(dir, 'golden', 'draft.md'), '# Owls\n\nOwls sleep at night.\n');
    const changed = await sopTest(['test'], { cwd: dir });
    expect(changed.code).toBe(16);
    expect(changed.stdout).toContain('draft.md: differs from golden golden/draft.md (`sop test tiny.test.yaml --update` rewrites it)');
    expect(changed.stdout).toContain('      -Owls sleep at night.\n      +Owls hunt at night.\n');
  });

  it('--filter runs only the matching cases; --json prints the envelope with the typed result', async () => {
    const dir = project(`${PASSING.replace('golden: golden/draft.md', 'contains: Owls')}${FAILING}`);
    const filtered = await sopTest(['test', '--filter', 'judge'], { cwd: dir });
    expect(filtered.code, filtered.stdout).toBe(0);
    expect(filtered.stdout).not.toContain('second draft');
    expect(filtered.stdout).toContain('1 passed, 0 failed, 0 skipped');
    const json = await sopTest(['test', '--json'], { cwd: dir });
    const envelope = envelopeOf<any>(json);
    expect(envelope).toMatchObject({ command: 'test', ok: false, exitCode: 16, error: { code: 'TESTS_FAILED' } });
    expect(envelope.result.summary).toMatchObject({ passed: 1, failed: 1, skipped: 0 });
    const failed = envelope.result.files[0].cases.find((test: any) => test.status === 'failed');
    expect(failed.failures).toEqual([
      expect.objectContaining({ path: 'expect.messages[0]', expected: '2', location: `tiny.test.yaml:${valueAt(path.join(dir, 'tiny.test.yaml'), 'count: ', '2')}`, sopLocation: expect.stringMatching(/^tiny\.yaml:\d+:9$/) }),
    ]);
    expect(failed.run).toMatchObject({ status: 'completed', exitCode: 0 });
    const passing = await sopTest(['test', '--json', '--filter', 'judge'], { cwd: dir });
    expect(resultOf(passing).summary).toMatchObject({ passed: 1, failed: 0 });
  });

  it('--bail: after the first failed case, the cases not started yet are reported skipped', async () => {
    const dir = project(`${FAILING}${PASSING.replace('golden: golden/draft.md', 'contains: Owls')}`);
    const result = await sopTest(['test', '--bail', '--concurrency', '1'], { cwd: dir });
    expect(result.code).toBe(16);
    expect(result.stdout).toContain('  ↓ the judge sends the draft back once (skipped: not run: an earlier case failed (--bail))');
    expect(result.stdout).toContain('0 passed, 1 failed, 1 skipped');
  });

  it('--junit writes one testcase per case, valid against the JUnit schema', async () => {
    const dir = project(`${PASSING.replace('golden: golden/draft.md', 'contains: Owls')}${FAILING}  - name: later\n    skip: not now\n`);
    const result = await sopTest(['test', '--junit', 'results.xml'], { cwd: dir });
    expect(result.code).toBe(16);
    const xml = readFileSync(path.join(dir, 'results.xml'), 'utf8');
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expect(xml).toContain('<testsuite name="tiny.test.yaml" tests="3" failures="1" errors="0" skipped="1"');
    expect(xml).toMatch(/<testcase classname="tiny.test.yaml" name="expects a second draft that never comes" time="[\d.]+">\n {6}<failure message="1 Draft message\(s\), expected 2" type="TEST_EXPECTATION_FAILED">/);
    expect(xml).toContain('<skipped message="not now"/>');
  });

  it('a case may expect the run to fail: a strict script without an answer is SCRIPT_MISS, exit 10', async () => {
    const dir = project(`  - name: nothing scripted
    inputs: { topic: owls }
    strict: true
    expect: { status: failed, exit_code: 10, error: SCRIPT_MISS }
`, '');
    const result = await sopTest(['test'], { cwd: dir });
    expect(result.stdout).toMatch(/✓ nothing scripted/);
    expect(result.code, result.stdout).toBe(0);
  });

  it('a case without a required input is refused before any case runs (TEST_INVALID, exit 2), at the case', async () => {
    const dir = project(`  - name: nothing scripted
    inputs: { topic: owls }
    expect: { status: completed }
  - name: a missing input
    expect: { status: completed }
`, '');
    const result = await sopTest(['test'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^tiny\.test\.yaml:6:5: error INPUT_MISSING: case "a missing input" does not give the required input `topic` \(string\)$/m);
  });

  it('an invalid test file is refused before any case runs: exit 2, file:line:col of each problem', async () => {
    const dir = project('  - name: one\n    expect: { statsu: completed }\n  - name: one\n');
    const result = await sopTest(['test'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('tiny.test.yaml:6:15');
    expect(result.stderr).toContain('unknown field `statsu`');
    expect(result.stderr).toContain('case name "one" is already the name of cases[0]');
    expect(envelopeOf(await sopTest(['test', '--json'], { cwd: dir }))).toMatchObject({ ok: false, exitCode: 2, error: { code: 'TEST_INVALID' } });
    const none = await sopTest(['test', 'nowhere'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('error FILE_NOT_FOUND: nowhere does not exist');
  });
});

describe('sop test, used as a new user would', () => {
  it('an SOP without test cases is told the file to write them in (its name, beside it), not `X.test.yaml`', async () => {
    const dir = project(PASSING);
    mkdirSync(path.join(dir, 'more'));
    writeFileSync(path.join(dir, 'more', 'other.yaml'), TINY_SOP);
    const result = await sopTest(['test', path.join('more', 'other.yaml')], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain(`error FILE_NOT_FOUND: no test files for ${path.join('more', 'other.yaml')}\n`);
    expect(result.stderr).toContain(`hint: write its cases in ${path.join('more', 'other.test.yaml')} (\`sop init\` writes an example, sop.test.yaml): see docs/testing.md`);
  });

  it('an SOP whose test file beside it tests another SOP (`sop:`) is refused at that `sop:` (exit 2), not run against the other SOP', async () => {
    const dir = project(PASSING);
    writeFileSync(path.join(dir, 'copy.yaml'), TINY_SOP);
    writeFileSync(path.join(dir, 'copy.test.yaml'), `apiVersion: sop-test/v1\nsop: tiny.yaml\ndefaults:\n  inputs: { topic: owls }\ncases:\n${PASSING}`);
    const result = await sopTest(['test', 'copy.yaml'], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).not.toContain('✓');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('copy.test.yaml:2:6: error TEST_INVALID: this test file tests tiny.yaml (its `sop:`), not copy.yaml, the SOP given\n');
    expect(result.stderr).toMatch(/hint: fix `sop:`, or run `.*test tiny\.yaml` to test that one/);
    // The test file given itself, or its SOP, still runs it.
    expect((await sopTest(['test', 'copy.test.yaml'], { cwd: dir })).code).toBe(16);
    expect((await sopTest(['test', 'tiny.yaml'], { cwd: dir })).code).toBe(16);
  });

  it('a case stopped by a gate says which gate and why: a hung command gate\'s timeout, not only `status was gate_stopped`', async () => {
    const dir = project(`  - name: the check hangs\n    answers:\n      - { role: writer, action: write, gate: good-enough, judge: { score: 9 } }\n`);
    const hanging = TINY_SOP.replace('        artifacts:', '          - name: slow-check\n            command: { command: [sleep, "30"], timeout: 0.5 }\n        artifacts:');
    writeFileSync(path.join(dir, 'tiny.yaml'), hanging);
    const result = await sopTest(['test'], { cwd: dir });
    expect(result.code, result.stderr).toBe(16);
    expect(result.stdout).toContain('FAIL tiny.test.yaml > the check hangs');
    expect(result.stdout).toContain('✗ expect.status: status was gate_stopped, expected completed (gate slow-check (writer write) stopped it: gate "slow-check" failed: `sleep 30` exited with code 124; [sop] killed after the 0.5 s timeout)');
  });

  it('an absolute golden file is refused at its `golden:` (exit 2), and --update writes nothing outside the project', async () => {
    const outside = path.join(tempDir('sop-test-outside-'), 'draft.md');
    const dir = project(PASSING.replace('golden: golden/draft.md', `golden: ${outside}`));
    const result = await sopTest(['test', '--update'], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain(`tiny.test.yaml:${valueAt(path.join(dir, 'tiny.test.yaml'), 'golden: ', outside)}: error TEST_INVALID: golden file \`${outside}\` is absolute\n`);
    expect(result.stderr).toContain('hint: move the golden file into the project and name it from this file (`golden: golden/draft.md`)');
    expect(existsSync(outside)).toBe(false);
  });

  it('a case expecting its `investment` to run out is told scripted calls cost $0 and what does run out (settings.max_tokens)', async () => {
    const dir = project(`  - name: the budget runs out\n    investment: 0.000001\n    answers:\n      - { role: writer, action: write, gate: good-enough, judge: { score: 9 } }\n    expect: { status: budget_exhausted }\n`);
    const result = await sopTest(['test'], { cwd: dir });
    expect(result.code, result.stderr).toBe(16);
    expect(result.stdout).toContain("✗ expect.status: status was completed, expected budget_exhausted (the run's model calls cost $0 (scripted or offline), so an `investment` never runs out: a token budget, the SOP's `settings.max_tokens`, does)");
    // What the message says works: a token budget stops the same case.
    writeFileSync(path.join(dir, 'tiny.yaml'), TINY_SOP.replace('messages:', 'settings: { max_tokens: 5 }\nmessages:'));
    expect((await sopTest(['test'], { cwd: dir })).code).toBe(0);
  });

  it('--update with a read-only golden file fails that case, naming the file, instead of an internal error', async () => {
    const dir = project(PASSING);
    mkdirSync(path.join(dir, 'golden'));
    writeFileSync(path.join(dir, 'golden', 'draft.md'), 'an older draft\n');
    chmodSync(path.join(dir, 'golden', 'draft.md'), 0o444);
    chmodSync(path.join(dir, 'golden'), 0o555);
    const result = await sop(['test', '--update'], { cwd: dir, env: { TMPDIR: tempDir('sop-test-tmp-') }, withoutDacOverride: true });
    chmodSync(path.join(dir, 'golden'), 0o755);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code, result.stderr).toBe(16);
    expect(result.stdout).toContain('draft.md: golden file golden/draft.md cannot be updated: EACCES: permission denied');
    expect(readFileSync(path.join(dir, 'golden', 'draft.md'), 'utf8')).toBe('an older draft\n');
  });

  it('--filter that matches no case is a usage error (exit 2), not a green run of nothing', async () => {
    const dir = project(PASSING.replace('golden: golden/draft.md', 'contains: Owls'));
    const result = await sopTest(['test', '--filter', 'jugde'], { cwd: dir });
    expect(result.code, result.stdout).toBe(2);
    expect(result.stderr).toContain('error USAGE: --filter "jugde" matches no case of tiny.test.yaml (1 case)');
    // The words of a case name nearest the filter: `judge` of "the judge sends the draft back once".
    expect(result.stderr).toContain('hint: did you mean `--filter judge`?');
    expect(envelopeOf(await sopTest(['test', '--filter', 'jugde', '--json'], { cwd: dir }))).toMatchObject({ ok: false, exitCode: 2, error: { code: 'USAGE' } });
  });

  it('Ctrl-C (SIGINT) stops the running cases (their commands too), reports them skipped, removes their folders; exit 130', { timeout: 120_000 }, async () => {
    const dir = tempDir('sop-test-int-');
    const tmp = tempDir('sop-test-tmp-');
    const pids = path.join(dir, 'gate-pids');
    // A gate command that says it started, then would run for ten minutes.
    const gate = `command: { command: [node, -e, "require('fs').appendFileSync('${pids}', process.pid + ' '); setTimeout(() => {}, 600000)"], timeout: 900 }`;
    writeFileSync(path.join(dir, 'tiny.yaml'), TINY_SOP.replace('judge: { rubric: The draft is clear., min_score: 7 }', gate));
    const cases = ['one', 'two', 'three'].map((name) => `  - name: ${name}\n    inputs: { topic: owls }\n`).join('');
    writeFileSync(path.join(dir, 'tiny.test.yaml'), `apiVersion: sop-test/v1\ncases:\n${cases}`);
    const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', TMPDIR: tmp };
    delete env['VITEST'];
    delete env['VITEST_WORKER_ID'];
    const child = spawn(process.execPath, [binPath, 'test', '--concurrency', '2'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const gatePids = (): number[] => (existsSync(pids) ? readFileSync(pids, 'utf8').split(' ').filter(Boolean).map(Number) : []);
    await until(() => gatePids().length === 2, 'both running cases to reach their gate command');
    child.kill('SIGINT');
    const code = await exited;
    expect(code, stdout + stderr).toBe(130);
    expect(stderr).not.toMatch(STACK_LINE);
    expect(stderr).toContain('error RUN_INTERRUPTED: sop test interrupted');
    expect(stderr).toContain('interrupting: stopping the running cases (their commands too); they and the cases not started are reported skipped');
    expect(stderr).not.toContain('`sop resume`');
    for (const name of ['one', 'two', 'three']) expect(stdout).toContain(`  ↓ ${name} (skipped: not run: interrupted)`);
    expect(stdout).toContain('0 passed, 0 failed, 3 skipped');
    // The gate commands were stopped with their runs, not left running (a zombie awaiting its reaper is stopped).
    for (const pid of gatePids()) await until(() => !running(pid), `gate command ${pid} to stop`);
    expect(readdirSync(tmp).filter((name) => name.startsWith('sop-test-'))).toEqual([]);
  });

  it('warns, located, about a scripted answer that can serve no call (a role name typo), once, as sop run does', async () => {
    const dir = project(`  - name: first\n    expect: { status: completed }\n  - name: second\n    answers:\n      - { role: writr, action: write, output: "# Owls" }\n`, 'defaults:\n  inputs: { topic: owls }\n  answers:\n    - { role: writer, action: wrte, output: "# Owls" }\n');
    const testFile = path.join(dir, 'tiny.test.yaml');
    const result = await sopTest(['test'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const warnings = result.stderr.split('\n').filter((line) => line.includes(': warning '));
    // At the misspelt name's value, not at the answer's `- `.
    expect(warnings).toEqual([
      `tiny.test.yaml:${valueAt(testFile, 'action: ', 'wrte')}: warning ANSWER_MISFIT: this answer can serve no call: the SOP has no action \`wrte\` of role \`writer\` (did you mean \`write\`?)`,
      `tiny.test.yaml:${valueAt(testFile, 'role: ', 'writr')}: warning ANSWER_MISFIT: this answer can serve no call: the SOP has no role \`writr\` (did you mean \`writer\`?)`,
    ]);
    // --json: the same places, as fields.
    const place = (key: string, value: string) => {
      const [line, column] = valueAt(testFile, key, value).split(':').map(Number);
      return { file: 'tiny.test.yaml', line, column };
    };
    expect(envelopeOf<any>(await sopTest(['test', '--json'], { cwd: dir })).warnings).toEqual([
      { ...place('action: ', 'wrte'), code: 'ANSWER_MISFIT', message: 'this answer can serve no call: the SOP has no action `wrte` of role `writer` (did you mean `write`?)' },
      { ...place('role: ', 'writr'), code: 'ANSWER_MISFIT', message: 'this answer can serve no call: the SOP has no role `writr` (did you mean `writer`?)' },
    ]);
  });

  it('a warning reads as `sop validate` prints it (location, code, hint, code frame), before the first case line', async () => {
    const dir = project(`  - name: owls\n    answers:\n      - { role: writr, action: write, output: "# Owls" }\n    expect: { status: completed }\n`);
    const place = valueAt(path.join(dir, 'tiny.test.yaml'), 'role: ', 'writr');
    // On a terminal, stdout and stderr in the order they were written, as a user reads them.
    const { code, output } = await sopOnTerminal('test', { cwd: dir, env: { TMPDIR: tempDir('sop-test-tmp-') } });
    const shown = output.replace(/\r\n/g, '\n');
    expect(code, shown).toBe(0);
    expect(shown).not.toMatch(STACK_LINE);
    const warning = [
      `tiny.test.yaml:${place}: warning ANSWER_MISFIT: this answer can serve no call: the SOP has no role \`writr\` (did you mean \`writer\`?)`,
      '    6 |     answers:',
      '  > 7 |       - { role: writr, action: write, output: "# Owls" }',
      '      |                 ^',
      '    8 |     expect: { status: completed }',
    ].join('\n');
    expect(shown).toContain(warning);
    expect(shown.indexOf(warning)).toBeLessThan(shown.indexOf('  ✓ owls ('));
    expect(shown).not.toContain('warning: tiny.test.yaml');
  });

  it('the warnings of two test files are each printed once, all before the first case line, and given once in --json', async () => {
    const dir = project(`  - name: owls\n    answers:\n      - { role: writr, action: write, output: "# Owls" }\n    expect: { status: completed }\n`);
    writeFileSync(path.join(dir, 'more.test.yaml'), 'apiVersion: sop-test/v1\nsop: tiny.yaml\ndefaults:\n  inputs: { topic: bats }\ncases:\n  - name: bats\n    answers:\n      - { role: writer, action: wrte, output: "# Bats" }\n    expect: { status: completed }\n');
    const { code, output } = await sopOnTerminal('test', { cwd: dir, env: { TMPDIR: tempDir('sop-test-tmp-') } });
    const shown = output.replace(/\r\n/g, '\n');
    expect(code, shown).toBe(0);
    const warned = shown.split('\n').filter((line) => line.includes(': warning ANSWER_MISFIT: '));
    expect(warned).toEqual([
      `more.test.yaml:${valueAt(path.join(dir, 'more.test.yaml'), 'action: ', 'wrte')}: warning ANSWER_MISFIT: this answer can serve no call: the SOP has no action \`wrte\` of role \`writer\` (did you mean \`write\`?)`,
      `tiny.test.yaml:${valueAt(path.join(dir, 'tiny.test.yaml'), 'role: ', 'writr')}: warning ANSWER_MISFIT: this answer can serve no call: the SOP has no role \`writr\` (did you mean \`writer\`?)`,
    ]);
    const firstCase = shown.search(/^ {2}✓ /m);
    expect(firstCase).toBeGreaterThan(0);
    for (const line of warned) expect(shown.indexOf(line)).toBeLessThan(firstCase);
    const json = envelopeOf<any>(await sopTest(['test', '--json'], { cwd: dir }));
    expect(json.warnings.map((warning: { file: string; code: string }) => `${warning.file} ${warning.code}`)).toEqual(['more.test.yaml ANSWER_MISFIT', 'tiny.test.yaml ANSWER_MISFIT']);
  });

  it('--junit into a folder not made yet makes it; into one that cannot be written is a storage error (exit 14) naming the file', async () => {
    const dir = project(PASSING.replace('golden: golden/draft.md', 'contains: Owls'));
    const made = await sopTest(['test', '--junit', 'reports/sop/results.xml'], { cwd: dir });
    expect(made.code, made.stderr).toBe(0);
    expect(await junitSchemaErrors(readFileSync(path.join(dir, 'reports', 'sop', 'results.xml'), 'utf8'))).toEqual([]);
    mkdirSync(path.join(dir, 'locked'), { mode: 0o555 });
    const refused = await sop(['test', '--junit', 'locked/results.xml'], { cwd: dir, env: { TMPDIR: tempDir('sop-test-tmp-') }, withoutDacOverride: true });
    expect(refused.stderr).not.toContain('internal error');
    expect(refused.code, refused.stderr).toBe(14);
    expect(refused.stderr).toContain(`error STORAGE_PERMISSION: --junit: cannot write ${path.join(dir, 'locked', 'results.xml')}: permission denied`);
  });

  it('warns about an expectation naming what the SOP does not have (it would hold whatever the run did), at the misspelt field, in text and --json', async () => {
    const dir = project(`  - name: negative checks with typos
    expect:
      not_ran: [{ role: writr }, { role: writer, action: wrte }]
      messages: [{ type: Drafts, count: 0 }, { type: Draft, from: writr, to: nobody }]
      gates: [{ gate: good-enuf, outcomes: [] }, { gate: good-enough, routed_to: Topik }]
      path: [{ role: writer, action: wirte }]
`);
    const testFile = path.join(dir, 'tiny.test.yaml');
    const result = await sopTest(['test'], { cwd: dir });
    const warnings = result.stderr.split('\n').filter((line) => line.includes(': warning '));
    const expected: Array<[string, string, string]> = [
      [valueAt(testFile, 'type: ', 'Drafts'), 'expect.messages[0]', 'the SOP has no message type `Drafts` (did you mean `Draft`?)'],
      [valueAt(testFile, 'from: ', 'writr'), 'expect.messages[1]', 'the SOP has no role (or `user`) `writr` (did you mean `writer`?)'],
      [valueAt(testFile, 'to: ', 'nobody'), 'expect.messages[1]', 'the SOP has no role `nobody` (it has: writer)'],
      [valueAt(testFile, 'action: ', 'wirte'), 'expect.path[0]', 'the SOP has no action `wirte` of role `writer` (did you mean `write`?)'],
      [valueAt(testFile, 'role: ', 'writr'), 'expect.not_ran[0]', 'the SOP has no role `writr` (did you mean `writer`?)'],
      [valueAt(testFile, 'action: ', 'wrte'), 'expect.not_ran[1]', 'the SOP has no action `wrte` of role `writer` (did you mean `write`?)'],
      [valueAt(testFile, 'gate: ', 'good-enuf'), 'expect.gates[0]', 'the SOP has no gate `good-enuf` (did you mean `good-enough`?)'],
      [valueAt(testFile, 'routed_to: ', 'Topik'), 'expect.gates[1]', 'the SOP has no message type `Topik` (did you mean `Topic`?)'],
    ];
    expect(warnings).toEqual(expected.map(([place, at, why]) => `tiny.test.yaml:${place}: warning EXPECT_UNMATCHABLE: ${at} can match nothing: ${why}`));
    const json = envelopeOf<any>(await sopTest(['test', '--json'], { cwd: dir }));
    expect(json.warnings).toEqual(
      expected.map(([place, at, why]) => {
        const [line, column] = place.split(':').map(Number);
        return { file: 'tiny.test.yaml', line, column, code: 'EXPECT_UNMATCHABLE', message: `${at} can match nothing: ${why}` };
      }),
    );
  });

  it('a test file refused for an error still shows its warnings, after the errors, in text and --json', async () => {
    const dir = project(`  - name: typo
    expect:
      not_ran: [{ role: writr }]
  - name: broken
    inputs: { topik: owls }
`);
    const result = await sopTest(['test'], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    const error = result.stderr.indexOf('error INPUT_INVALID: the SOP has no input `topik`');
    const warning = result.stderr.indexOf('warning EXPECT_UNMATCHABLE: expect.not_ran[0] can match nothing: the SOP has no role `writr`');
    expect(error, result.stderr).toBeGreaterThanOrEqual(0);
    expect(warning, result.stderr).toBeGreaterThan(error);
    const json = envelopeOf<any>(await sopTest(['test', '--json'], { cwd: dir }));
    expect(json.error).toMatchObject({ code: 'TEST_INVALID', diagnostics: [expect.objectContaining({ code: 'INPUT_INVALID' })] });
    expect(json.warnings).toEqual([expect.objectContaining({ code: 'EXPECT_UNMATCHABLE', file: 'tiny.test.yaml' })]);
  });

  it('warns about answers that can serve no call at the field that cannot match: a gate, an item, a judge on an action without one', async () => {
    const noGate = TINY_SOP.replace(/ {8}gates:\n(?: {10}.*\n| {12}.*\n)+/, '');
    const dir = project(`  - name: answers that match nothing
    answers:
      - { role: writer, action: write, output: "# Owls" }
      - { role: writer, action: write, item: owls, output: "# Owls" }
      - role: writer
        action: write
        judge: { score: 9 }
`);
    writeFileSync(path.join(dir, 'tiny.yaml'), noGate);
    const testFile = path.join(dir, 'tiny.test.yaml');
    const result = await sopTest(['test'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr.split('\n').filter((line) => line.includes(': warning '))).toEqual([
      `tiny.test.yaml:${valueAt(testFile, 'item: ', 'owls')}: warning ANSWER_MISFIT: this answer can serve no call: action \`write\` has no items (no \`foreach\`), so no call has an \`item\``,
      `tiny.test.yaml:${valueAt(testFile, 'judge: ', '{ score: 9 }')}: warning ANSWER_MISFIT: this answer can serve no call: the SOP has no judge gate on action \`write\``,
    ]);
    writeFileSync(path.join(dir, 'tiny.yaml'), TINY_SOP);
    writeFileSync(testFile, readFileSync(testFile, 'utf8').replace('judge: { score: 9 }', 'gate: good-enuf\n        judge: { score: 9 }'));
    const misspelt = await sopTest(['test'], { cwd: dir });
    expect(misspelt.stderr).toContain(`tiny.test.yaml:${valueAt(testFile, 'gate: ', 'good-enuf')}: warning ANSWER_MISFIT: this answer can serve no call: the SOP has no judge gate \`good-enuf\` on action \`write\` (did you mean \`good-enough\`?)`);
  });

  it('a failed expectation is located at the field that did not hold (contains, matches, outcomes, revisions; a `where` at its failing part), in text and --json', async () => {
    const dir = project(`  - name: checks that fail
    answers:
      - { role: writer, action: write, output: "# Owls" }
      - { role: writer, action: write, gate: good-enough, judge: { score: 9 } }
    expect:
      messages: [{ type: Draft, where: "payload.x == 1" }]
      artifacts:
        - { path: draft.md, contains: Bats }
        - { path: draft.md, matches: "^Bats" }
        - { path: notes.md, exists: true }
      gates: [{ gate: good-enough, outcomes: [failed] }, { gate: good-enough, revisions: 1 }]
`);
    const testFile = path.join(dir, 'tiny.test.yaml');
    const result = await sopTest(['test'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(16);
    const places: Array<[string, string]> = [
      // A `where` that fails to evaluate: at the part that failed, the field `x` the payload lacks.
      ['expect.messages[0]', valueAt(testFile, 'where: "payload.', 'x == 1"')],
      ['expect.artifacts[0]', valueAt(testFile, 'contains: ', 'Bats')],
      ['expect.artifacts[1]', valueAt(testFile, 'matches: ', '"^Bats"')],
      ['expect.artifacts[2]', valueAt(testFile, 'exists: ', 'true')],
      ['expect.gates[0]', valueAt(testFile, 'outcomes: ', '[failed]')],
      ['expect.gates[1]', valueAt(testFile, 'revisions: ', '1')],
    ];
    for (const [at, place] of places) expect(result.stdout).toMatch(new RegExp(`  ✗ ${at.replace(/[[\]]/g, '\\$&')}: .*\n      at tiny\.test\.yaml:${place}\n`));
    const failures = envelopeOf<any>(await sopTest(['test', '--json'], { cwd: dir })).result.files[0].cases[0].failures;
    expect(failures.map((failure: any) => [failure.path, failure.location])).toEqual(places.map(([at, place]) => [at, `tiny.test.yaml:${place}`]));
  });

  it('refuses (exit 2, TEST_INVALID) an expectation that can never pass, at the field that makes it so', async () => {
    const dir = project(`  - name: contradictions
    expect:
      error: ACTION_FAILED
      messages: [{ type: Draft, count: { min: 3, max: 1 } }]
      gates: [{ gate: good-enough, revisions: { min: 2, max: 0 } }]
      artifacts:
        - { path: draft.md, exists: false }
        - { path: notes.md, absent: true, contains: owls }
      usage: { calls: 3, max_calls: 2 }
`);
    const testFile = path.join(dir, 'tiny.test.yaml');
    const result = await sopTest(['test'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('tiny.test.yaml:'));
    expect(lines).toEqual([
      `tiny.test.yaml:${valueAt(testFile, 'error: ', 'ACTION_FAILED')}: error SCHEMA_ENUM: no run ends with error ACTION_FAILED, so \`error\` can never pass`,
      `tiny.test.yaml:${valueAt(testFile, '{ min: ', '3')}: error SCHEMA_VIOLATION: \`min: 3\` is above \`max: 1\`: no count is both, so this can never pass`,
      `tiny.test.yaml:${valueAt(testFile, '{ min: ', '2')}: error SCHEMA_VIOLATION: \`min: 2\` is above \`max: 0\`: no count is both, so this can never pass`,
      `tiny.test.yaml:${valueAt(testFile, 'exists: ', 'false')}: error SCHEMA_VIOLATION: \`exists: false\` can never pass: when draft.md is absent it fails as not written`,
      `tiny.test.yaml:${valueAt(testFile, 'contains: ', 'owls')}: error SCHEMA_VIOLATION: \`contains\` is never checked: this entry expects notes.md absent (\`absent: true\`)`,
      `tiny.test.yaml:${valueAt(testFile, 'calls: ', '3')}: error SCHEMA_VIOLATION: \`calls: 3\` can never pass with \`max_calls: 2\``,
    ]);
    expect(result.stderr).toContain('hint: to expect that the run did not write the file, write `absent: true`');
    const json = envelopeOf<any>(await sopTest(['test', '--json'], { cwd: dir }));
    expect(json.error.code).toBe('TEST_INVALID');
    expect(json.error.diagnostics.map((diagnostic: any) => `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`)).toEqual(lines.map((line) => line.split(': ')[0]));
  });

  it('a case whose run is refused before it starts (an SOP that does not load) keeps no folder and says of none that it was kept', async () => {
    const dir = project(PASSING.replace('golden: golden/draft.md', 'contains: Owls'));
    writeFileSync(path.join(dir, 'tiny.yaml'), TINY_SOP.replace('watch: [Topic]', 'watch: [Topicc]'));
    const tmp = tempDir('sop-test-tmp-');
    const result = await sop(['test'], { cwd: dir, env: { TMPDIR: tmp } });
    expect(result.code, result.stdout).toBe(16);
    expect(result.stdout).toContain('run: failed, exit 3, MESSAGE_TYPE_UNDECLARED');
    // The SOP's first problem on one line, located: not its whole formatted diagnostic block.
    expect(result.stdout).toMatch(/expected completed \(MESSAGE_TYPE_UNDECLARED: tiny\.yaml:\d+:\d+: message type `Topicc` is not declared \(hint: did you mean `Topic`\?\)\)\n/);
    expect(result.stdout).not.toContain('run record kept');
    expect(readdirSync(tmp).filter((name) => name.startsWith('sop-test-'))).toEqual([]);
  });

  it('a file input given as `@file` in a case is read beside the test file, wherever sop test runs from', async () => {
    const dir = project(`  - name: the notes are copied in
    inputs: { notes: "@data/notes.txt" }
    answers: [{ role: writer, action: write, output: "# Owls" }]
    expect:
      artifacts: [{ path: notes.txt, contains: owls hunt at night }]
`);
    writeFileSync(path.join(dir, 'tiny.yaml'), TINY_SOP.replace('inputs:\n', 'inputs:\n  notes: { type: file }\n'));
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data', 'notes.txt'), 'owls hunt at night\n');
    const elsewhere = tempDir('sop-test-cwd-');
    const result = await sopTest(['test', path.join(dir, 'tiny.test.yaml')], { cwd: elsewhere });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('✓ the notes are copied in');
  });

  it('an artifact that is a folder: `exists` holds, a content check fails naming it, instead of an internal error', async () => {
    const dir = project(`  - name: the workspace folder itself
    answers: [{ role: writer, action: write, output: "# Owls" }]
    expect:
      artifacts: [{ path: ".", exists: true }, { path: ".", contains: Owls }]
`);
    const result = await sopTest(['test'], { cwd: dir });
    expect(result.stderr).not.toContain('internal error');
    expect(result.code, result.stdout + result.stderr).toBe(16);
    expect(result.stdout).not.toContain('expect.artifacts[0]');
    expect(result.stdout).toContain('  ✗ expect.artifacts[1]: .: is a folder: its content cannot be checked');
  });

  it('--filter lists only the test files that have a matching case', async () => {
    const dir = project(PASSING.replace('golden: golden/draft.md', 'contains: Owls'));
    writeFileSync(path.join(dir, 'other.test.yaml'), `apiVersion: sop-test/v1\nsop: tiny.yaml\ndefaults:\n  inputs: { topic: owls }\ncases:\n${FAILING}`);
    const result = await sopTest(['test', '.', '--filter', 'judge'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('tiny.test.yaml (tiny.yaml)');
    expect(result.stdout).not.toContain('other.test.yaml');
  });

  it('a TMPDIR that does not exist yet is made; one that cannot be written is a storage error (exit 14) naming it', async () => {
    const dir = project(PASSING.replace('golden: golden/draft.md', 'contains: Owls'));
    const made = await sop(['test'], { cwd: dir, env: { TMPDIR: path.join(tempDir('sop-test-tmp-'), 'not', 'yet') } });
    expect(made.code, made.stdout + made.stderr).toBe(0);
    const locked = tempDir('sop-test-tmp-');
    chmodSync(locked, 0o555);
    const refused = await sop(['test'], { cwd: dir, env: { TMPDIR: locked }, withoutDacOverride: true });
    expect(refused.stderr).not.toContain('internal error');
    expect(refused.code, refused.stdout + refused.stderr).toBe(14);
    expect(refused.stderr).toContain(`error STORAGE_PERMISSION: cannot write ${locked}: permission denied`);
  });
});

describe('sop test of the software company', () => {
  it('its test file takes every branch and passes', async () => {
    const result = await sopTest(['test', path.join('sops', 'software-company.yaml')], { cwd: repoRoot });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^8 passed, 0 failed, 0 skipped/m);
  });

  it('a copy with a loop bound off by one fails, pointing at the SOP line of the action', async () => {
    const dir = tempDir('sop-test-broken-');
    cpSync(path.join(repoRoot, 'sops'), dir, { recursive: true });
    const file = path.join(dir, 'software-company.yaml');
    const text = readFileSync(file, 'utf8');
    const broken = text
      .replace('when: { type: TestReport, if: "!payload.passed" }\n        max_runs: 3', 'when: { type: TestReport, if: "!payload.passed" }\n        max_runs: 2');
    expect(broken).not.toBe(text);
    writeFileSync(file, broken);
    const result = await sopTest(['test', 'software-company.yaml', '--filter', 'spent'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(16);
    // Three fixes expected, two allowed: the fix action's line.
    expect(result.stdout).toContain('✗ expect.messages[0]: 2 CodeFixed message(s), expected 3');
    expect(result.stdout).toContain(`SOP: software-company.yaml:${lineOf(file, '- id: fix_code')}:9`);
  });

  it('a bug report routed to the wrong role fails at the action that should have run', async () => {
    const dir = tempDir('sop-test-broken-');
    cpSync(path.join(repoRoot, 'sops'), dir, { recursive: true });
    const file = path.join(dir, 'software-company.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('    if: inputs.bug != ""\n    to: engineer', '    if: inputs.bug != ""\n    to: architect'));
    const result = await sopTest(['test', 'software-company.yaml', '--filter', 'bug report'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(16);
    expect(result.stdout).toContain('✗ expect.path[0]: engineer.fix_bug in round 1 did not run');
    expect(result.stdout).toContain(`SOP: software-company.yaml:${lineOf(file, '- id: fix_bug')}:9`);
  });
});
