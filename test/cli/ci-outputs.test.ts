import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
