import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
  return sop(args, { cwd, env: { GITHUB_ACTIONS: undefined, GITHUB_WORKSPACE: undefined, GITHUB_STEP_SUMMARY: undefined, CI: undefined, HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, '.xdg'), SOP_MODEL: undefined, ...env } });
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
