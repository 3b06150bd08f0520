import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatStepOutputs } from '../../src/reporting/index.js';
import { junitSchemaErrors } from '../reporting/junit-schema.js';
import { allCases, parseJunit } from '../reporting/parse-junit.js';
import { STACK_LINE, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

afterAll(removeTempDirs);

/** One role, one action, a command gate that takes 400 ms: on the offline model, the gate is most of the action's time. */
const SLOW_GATE_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: slow-gate, version: 1.0.0 }
messages:
  Topic: { description: the topic }
  Note: { description: a note }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write_note
        prompt: "Write a note on {{ message.content }}."
        output: { type: Note, format: markdown }
        gates:
          - name: checked
            command: { command: [node, -e, "setTimeout(() => {}, 400)"] }
stop_when: { type: Note }
`;

/** An SOP whose one role writes a note: on the offline model it completes in one round. */
const NOTE_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: notes, version: 1.0.0 }
messages:
  Topic: { description: the topic }
  Note: { description: a note }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write_note
        prompt: "Write a note on {{ message.content }}."
        output: { type: Note, format: markdown }
stop_when: { type: Note }
`;

/** A project folder holding the note SOP and a dataset of two cases, one of which fails on the offline model. */
function evalProject(): string {
  const cwd = tempDir('sop-ci-out-');
  writeFileSync(path.join(cwd, 'sop.yaml'), NOTE_SOP);
  writeFileSync(
    path.join(cwd, 'cases.yaml'),
    ['apiVersion: sop-eval/v1', 'cases:', '  - name: tides', '    inputs: { idea: tides }', '  - name: never stalls', '    inputs: { idea: wind }', '    expect: { status: stalled }', ''].join('\n'),
  );
  return cwd;
}

/** `sop` in `cwd` outside CI (the test's own CI variables cleared), with `env` added. */
function run(cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return sop(args, { cwd, env: { GITHUB_ACTIONS: undefined, GITHUB_WORKSPACE: undefined, GITHUB_STEP_SUMMARY: undefined, GITHUB_OUTPUT: undefined, CI: undefined, HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, '.xdg'), SOP_MODEL: undefined, ...env } });
}

describe.concurrent('the JUnit file of a run with a gate', () => {
  it('a role suite\'s time is its action runs\' time: the gate\'s time is counted once (its own case), not in the action\'s case as well', async () => {
    const cwd = tempDir('sop-ci-out-');
    writeFileSync(path.join(cwd, 'sop.yaml'), SLOW_GATE_SOP);
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--ci', '--junit', 'junit.xml', '--events', 'events.ndjson']);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    const events = readFileSync(path.join(cwd, 'events.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; durationMs?: number });
    const actionMs = events.find((event) => event.type === 'action-end')?.durationMs as number;
    const gateMs = events.find((event) => event.type === 'command-end')?.durationMs as number;
    expect(gateMs).toBeGreaterThanOrEqual(400);

    const junit = parseJunit(readFileSync(path.join(cwd, 'junit.xml'), 'utf8'));
    const writer = junit.suites.find((suite) => suite.attributes['name'] === 'writer');
    const cases = allCases(junit).filter((test) => test.classname === 'writer');
    expect(cases.map((test) => test.name)).toEqual(['write_note', 'write_note gate checked']);
    expect(Number(cases[1]?.time)).toBeCloseTo(gateMs / 1000, 3);
    const sum = cases.reduce((total, test) => total + Number(test.time), 0);
    expect(Number(writer?.attributes['time'])).toBeCloseTo(sum, 3);
    // The suite took the action's time: the gate ran inside it.
    expect(Number(writer?.attributes['time'])).toBeCloseTo(actionMs / 1000, 2);
  });
});

describe.concurrent('the JUnit file of a refused `sop eval`', () => {
  const refusals: Array<[string, string | undefined, RegExp]> = [
    ['a dataset that is not YAML', 'apiVersion: sop-eval/v1\ncases: [\n', /^DATASET_INVALID: invalid dataset: cases\.yaml:2:8: error YAML_SYNTAX: this `\[` is never closed\n  hint: add the closing `\]`/],
    ['a missing dataset file', undefined, /^FILE_NOT_FOUND: cannot read dataset cases\.yaml: no such file\nhint: pass the path of a dataset/],
    [
      'two invalid cases',
      'apiVersion: sop-eval/v1\ncases:\n  - name: a\n    expect: { status: nope }\n  - name: b\n    bogus: 1\n',
      /^DATASET_INVALID: invalid dataset: cases\.yaml:4:23: error SCHEMA_ENUM: [^]*\(and 1 more\)\nall 2 problems:\n[^]*cases\.yaml:6:5: error SCHEMA_UNKNOWN_FIELD: unknown field `bogus`\n[^]*  hint: remove it/,
    ],
  ];
  for (const [what, dataset, text] of refusals) {
    it(`${what}: replaces the earlier eval's file with one failing case saying why and how to fix it (exit 2, as before)`, async () => {
      const cwd = evalProject();
      const first = await run(cwd, ['eval', 'sop.yaml', '--dataset', 'cases.yaml', '--junit', 'junit.xml', '--quiet']);
      expect(first.code, first.stderr).toBe(0);
      expect(readFileSync(path.join(cwd, 'junit.xml'), 'utf8')).toContain('<testsuites name="sop eval notes" tests="2"');
      if (dataset === undefined) rmSync(path.join(cwd, 'cases.yaml'));
      else writeFileSync(path.join(cwd, 'cases.yaml'), dataset);

      const refused = await run(cwd, ['eval', 'sop.yaml', '--dataset', 'cases.yaml', '--junit', 'junit.xml']);
      expect(refused.stderr).not.toMatch(STACK_LINE);
      expect(refused.code).toBe(2);
      const xml = readFileSync(path.join(cwd, 'junit.xml'), 'utf8');
      expect(await junitSchemaErrors(xml)).toEqual([]);
      const junit = parseJunit(xml);
      expect(junit.attributes).toMatchObject({ name: 'sop eval', tests: '1', failures: '1' });
      const cases = allCases(junit);
      expect(cases.map((test) => test.name)).toEqual(['sop eval']);
      expect(cases[0]?.failure).toMatchObject({ message: 'refused (exit 2)', type: dataset === undefined ? 'FILE_NOT_FOUND' : 'DATASET_INVALID' });
      expect(cases[0]?.failure?.text).toMatch(text);
    });
  }
});

describe.concurrent('the step summary of a run under GitHub Actions', () => {
  /** The artifacts folder, as the step summary a run in `cwd` names it (`No artifacts written in <code>DIR</code>.`). */
  async function artifactsFolder(cwd: string, args: string[], env: Record<string, string | undefined>): Promise<string | undefined> {
    const summary = path.join(cwd, 'summary.md');
    writeFileSync(summary, '');
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--ci', ...args], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, ...env });
    expect(result.code, result.stderr).toBe(0);
    return /artifacts? (?:written )?in <code>(.*?)<\/code>/.exec(readFileSync(summary, 'utf8'))?.[1];
  }

  it('names the artifacts folder relative to the checkout (or the working folder) when inside it, by its absolute path when not', async () => {
    const checkout = tempDir('sop-ci-out-');
    const jobs = path.join(checkout, 'jobs');
    mkdirSync(jobs);
    writeFileSync(path.join(jobs, 'sop.yaml'), NOTE_SOP);
    // The runner's absolute path reads as noise: the folder as the repository names it.
    expect(await artifactsFolder(jobs, [], { GITHUB_WORKSPACE: checkout })).toBe('jobs/workspace/notes');
    // Without GITHUB_WORKSPACE (a self-hosted runner's own script): relative to the working folder.
    expect(await artifactsFolder(jobs, ['--workspace', 'out'], {})).toBe('out');
    const elsewhere = tempDir('sop-ci-out-elsewhere-');
    expect(await artifactsFolder(jobs, ['--workspace', elsewhere], { GITHUB_WORKSPACE: checkout })).toBe(elsewhere);
  });
});

/** The outputs in a `$GITHUB_OUTPUT` file, read as the Actions runner reads them (`name=value`, or `name<<DELIMITER` ... `DELIMITER`). */
function stepOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2] as string, index + 1);
      expect(end, `no end delimiter for ${heredoc[1]}`).toBeGreaterThan(index);
      outputs[heredoc[1] as string] = lines.slice(index + 1, end).join('\n');
      index = end;
    } else if (line) outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return outputs;
}

describe.concurrent('the step outputs of a run under GitHub Actions ($GITHUB_OUTPUT)', () => {
  it('a value with a line break is written in the delimiter form, which the runner reads back whole', () => {
    const text = formatStepOutputs({ path: '/tmp/a\nb=c', plain: 7, absent: undefined });
    expect(text).toMatch(/^path<<ghadelimiter_[0-9a-f]{16}\n\/tmp\/a\nb=c\nghadelimiter_[0-9a-f]{16}\nplain=7\n$/);
    expect(stepOutputs(text)).toEqual({ path: '/tmp/a\nb=c', plain: '7' });
  });

  it('a later step reads the run id, status, exit code, run folder, report and usage; a refused run its code', async () => {
    const cwd = tempDir('sop-ci-out-');
    writeFileSync(path.join(cwd, 'sop.yaml'), NOTE_SOP);
    const outputsFile = path.join(cwd, 'outputs.txt');
    writeFileSync(outputsFile, 'earlier=kept\n');
    const env = { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: outputsFile };
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--ci'], env);
    expect(result.code, result.stderr).toBe(0);
    const outputs = stepOutputs(readFileSync(outputsFile, 'utf8'));
    expect(outputs).toMatchObject({ earlier: 'kept', status: 'completed', 'exit-code': '0', rounds: '1', calls: '1', 'cost-usd': '0', workspace: path.join(cwd, 'workspace', 'notes') });
    expect(outputs['error-code']).toBeUndefined();
    expect(path.basename(outputs['run-dir'] as string)).toBe(outputs['run-id']);
    expect(readFileSync(path.join(outputs['run-dir'] as string, 'journal.jsonl'), 'utf8')).toContain(outputs['run-id']);
    expect(readFileSync(outputs['report'] as string, 'utf8')).toMatch(/^<!doctype html>/i);
    expect(Number(outputs['tokens'])).toBeGreaterThan(0);

    // A run refused before it starts: its status and code, nothing of a run.
    writeFileSync(outputsFile, '');
    writeFileSync(path.join(cwd, 'broken.yaml'), NOTE_SOP.replace('watch: [Topic]', 'watch: [Topic, Missing]'));
    const refused = await run(cwd, ['run', 'broken.yaml', 'tides', '--ci'], env);
    expect(refused.code).toBe(3);
    expect(stepOutputs(readFileSync(outputsFile, 'utf8'))).toEqual({ status: 'refused', 'exit-code': '3', 'error-code': 'MESSAGE_TYPE_UNDECLARED' });

    // Outside Actions: none.
    writeFileSync(outputsFile, '');
    expect((await run(cwd, ['run', 'sop.yaml', 'tides', '--ci'], { GITHUB_OUTPUT: outputsFile })).code).toBe(0);
    expect(readFileSync(outputsFile, 'utf8')).toBe('');
  });
});

/** The note SOP's test file: one case passes, `expects a stall` fails (the run completes), its name holding a pipe. */
const NOTE_TESTS = `apiVersion: sop-test/v1
cases:
  - name: writes a note
    inputs: { idea: tides }
    expect: { status: completed }
  - name: expects a stall | on purpose
    inputs: { idea: wind }
    expect:
      status: stalled
`;

describe.concurrent('`sop test` and `sop eval` under GitHub Actions', () => {
  /** A checkout holding the note SOP, its test file and its dataset in `jobs/`, and an empty step summary file. */
  function checkout(): { root: string; jobs: string; summary: string } {
    const root = evalProject();
    const jobs = path.join(root, 'jobs');
    mkdirSync(jobs);
    for (const name of ['sop.yaml', 'cases.yaml']) writeFileSync(path.join(jobs, name), readFileSync(path.join(root, name)));
    writeFileSync(path.join(jobs, 'sop.test.yaml'), NOTE_TESTS);
    const summary = path.join(root, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    return { root, jobs, summary };
  }
  const actions = (root: string, summary: string): Record<string, string> => ({ GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: root, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: path.join(root, 'outputs.txt') });
  const annotationsOf = (stderr: string): string[] => stderr.split('\n').filter((line) => line.startsWith('::'));

  it('`sop test`: an ::error per failed case at the case in the test file, and a step summary with the counts and the failed cases; stdout stays --json', async () => {
    const { root, jobs, summary } = checkout();
    const outputs = path.join(root, 'outputs.txt');
    const result = await run(jobs, ['test', 'sop.yaml', '--json'], actions(root, summary));
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(16);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'TESTS_FAILED' } });
    const annotations = annotationsOf(result.stderr);
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatch(/^::error file=jobs\/sop\.test\.yaml,line=6,col=5,title=sop test%3A expects a stall \| on purpose failed::expect\.status: status was completed, expected stalled \(at sop\.test\.yaml:9:15\)%0A/);

    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n### sop test: sop.yaml ❌ 1 of 2 failed\n')).toBe(true);
    expect(text).toContain('| test file | passed | failed | skipped |\n| --- | --- | --- | --- |\n| sop.test.yaml | 1 | 1 | 0 |\n');
    expect(text).toContain('| failed case | where | why |\n| --- | --- | --- |\n| expects a stall \\| on purpose | `sop.test.yaml:6:5` | expect.status: status was completed, expected stalled |\n');
    expect(text).toContain('**TESTS_FAILED** (exit 16): 1 of 2 test cases failed');
    expect(stepOutputs(readFileSync(outputs, 'utf8'))).toEqual({ status: 'failed', 'exit-code': '16', 'error-code': 'TESTS_FAILED', passed: '1', failed: '1', skipped: '0' });

    // Outside Actions: neither.
    writeFileSync(summary, '');
    const plain = await run(jobs, ['test', 'sop.yaml'], { GITHUB_STEP_SUMMARY: summary });
    expect(plain.code).toBe(16);
    expect(annotationsOf(plain.stderr)).toEqual([]);
    expect(readFileSync(summary, 'utf8')).toBe('');
  });

  it('`sop eval`: an ::error per failed case at the case in the dataset, and a step summary with the counts per model and the failed cases', async () => {
    const { root, jobs, summary } = checkout();
    const result = await run(jobs, ['eval', 'sop.yaml', '--dataset', 'cases.yaml', '--threshold', '1', '--quiet'], actions(root, summary));
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(17);
    const annotations = annotationsOf(result.stderr);
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatch(/^::error file=jobs\/cases\.yaml,line=5,col=5,title=sop eval%3A never stalls failed::on offline \(run \S+, completed\):%0A  cases\.yaml:7:23: expect\.status: status was completed, expected stalled$/);

    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n### sop eval: notes on cases.yaml ❌ 1 of 2 failed\n')).toBe(true);
    expect(text).toContain('| model | passed | failed | skipped |\n| --- | --- | --- | --- |\n| offline | 1 | 1 | 0 |\n');
    expect(text).toContain('| never stalls | `cases.yaml:5:5` | on offline: expect.status: status was completed, expected stalled |\n');
    expect(text).toContain('**EVAL_BELOW_THRESHOLD** (exit 17): pass rate below --threshold 1: offline 50.0 %');
  });

  it('`sop eval` on the offline model: the step summary lists the judge rubrics it passed ungraded, as the console does', async () => {
    const { root, jobs, summary } = checkout();
    writeFileSync(path.join(jobs, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: tides\n    inputs: { idea: tides }\n    judge: [{ rubric: Talks about tides, of: Note }]\n');
    const result = await run(jobs, ['eval', 'sop.yaml', '--dataset', 'cases.yaml'], actions(root, summary));
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('not graded: 1 judge rubric of 1 run');
    const text = readFileSync(summary, 'utf8');
    expect(text).toContain('### sop eval: notes on cases.yaml ✅ 1 passed\n');
    expect(stepOutputs(readFileSync(path.join(root, 'outputs.txt'), 'utf8'))).toEqual({ status: 'passed', 'exit-code': '0', passed: '1', failed: '0', skipped: '0' });
    expect(text).toContain(
      "**Not graded:** 1 judge rubric of 1 run (offline model: it reviews nothing and gives every rubric 10); their passes say nothing of quality: `--judge-model PROVIDER:MODEL` (or the dataset's `judge_model`) grades them\n\n| run | rubrics not graded |\n| --- | --- |\n| tides on offline | judge[0] Note |\n",
    );
  });

  it('a refused `sop test` or `sop eval`: an ::error at each problem of the broken file, and the step summary of a refusal', async () => {
    const { root, jobs, summary } = checkout();
    writeFileSync(path.join(jobs, 'sop.test.yaml'), 'apiVersion: sop-test/v1\ncases: [\n');
    const test = await run(jobs, ['test', 'sop.yaml'], actions(root, summary));
    expect(test.code).toBe(2);
    expect(annotationsOf(test.stderr)).toEqual([expect.stringMatching(/^::error file=jobs\/sop\.test\.yaml,line=2,col=8,title=YAML_SYNTAX::this `\[` is never closed%0Ahint: /)]);
    writeFileSync(path.join(jobs, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: a\n    bogus: 1\n');
    const evaluated = await run(jobs, ['eval', 'sop.yaml', '--dataset', 'cases.yaml'], actions(root, summary));
    expect(evaluated.code).toBe(2);
    expect(annotationsOf(evaluated.stderr)).toEqual([expect.stringMatching(/^::error file=jobs\/cases\.yaml,line=4,col=5,title=SCHEMA_UNKNOWN_FIELD::unknown field `bogus`%0A/)]);
    const text = readFileSync(summary, 'utf8');
    expect(text).toContain('### sop test: sop.yaml ❌ refused\n\n**TEST_INVALID** (exit 2): invalid test file: sop.test.yaml:2:8: error YAML_SYNTAX');
    expect(text).toContain('### sop eval: sop.yaml --dataset cases.yaml ❌ refused\n\n**DATASET_INVALID** (exit 2): invalid dataset: cases.yaml:4:5: error SCHEMA_UNKNOWN_FIELD');
  });
});
