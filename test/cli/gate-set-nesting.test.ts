import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A gate set may use another set, as a GitHub Actions composite step may use another action: it
 * was refused as GATE_SET_UNKNOWN, though the set it named existed. A set that leads back to itself
 * is GATE_SET_CYCLE, located at the `use` closing the loop.
 */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: nested, version: 0.1.0, requires: ">=0.2 <1" }
gates:
  basic:
    - { name: not-empty, length: { min: 1 } }
  strict:
    - { use: basic }
    - { name: short-enough, length: { max: 100000 } }
messages:
  Topic: {}
  Draft: {}
start:
  - { type: Topic, content: "x" }
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - { id: write, prompt: "Write", output: { type: Draft }, gates: [{ use: strict }] }
stop_when: { type: Draft }
`;

function project(text: string): string {
  const cwd = tempDir('sop-gate-set-nesting-');
  writeFileSync(path.join(cwd, 'sop.yaml'), text);
  return cwd;
}

describe('gate sets using gate sets', () => {
  it('a set using another is valid, and the run checks the used set\'s gates in its place, then its own', async () => {
    const cwd = project(SOP);
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.code, validated.stderr + validated.stdout).toBe(0);
    const run = await sop(['run', 'sop.yaml', 'x', '--workspace', 'ws', '--ci'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('gates: write/not-empty 1/1 passed, write/short-enough 1/1 passed\n');
    const runs = path.join(cwd, '.sop', 'runs');
    const report = JSON.parse(readFileSync(path.join(runs, readdirSync(runs)[0]!, 'report.json'), 'utf8'));
    expect(Object.keys(report.gates)).toEqual(['write/not-empty', 'write/short-enough']);
  });

  it('a set reached twice (two sets using it, and the output type\'s gates using it again) is checked once: its command runs once', async () => {
    const cwd = project(`apiVersion: sop/v1
kind: SOP
metadata: { name: twice, version: 0.1.0, requires: ">=0.2 <1" }
gates:
  counted:
    - { name: logged, command: { command: [sh, -c, "echo checked >> gate-runs.txt"] } }
  first: [{ use: counted }]
  second: [{ use: counted }, { name: short-enough, length: { max: 100000 } }]
messages:
  Topic: {}
  Draft: { gates: [{ use: counted }] }
start:
  - { type: Topic, content: "x" }
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - { id: write, prompt: "Write", output: { type: Draft }, gates: [{ use: first }, { use: second }] }
stop_when: { type: Draft }
`);
    const run = await sop(['run', 'sop.yaml', 'x', '--workspace', 'ws', '--ci'], { cwd });
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'ws', 'gate-runs.txt'), 'utf8')).toBe('checked\n');
    expect(run.stderr).toContain('gates: write/logged 1/1 passed, write/short-enough 1/1 passed\n');
  });

  it('a set leading back to itself is GATE_SET_CYCLE (exit 3) at the `use` that closes the loop, naming it', async () => {
    const cwd = project(SOP.replace('    - { name: not-empty, length: { min: 1 } }\n', '    - { name: not-empty, length: { min: 1 } }\n    - { use: strict }\n'));
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.code).toBe(3);
    expect(validated.stdout).toContain('sop.yaml:9:14: error GATE_SET_CYCLE: gate set `basic` uses itself: basic -> strict -> basic\n');
    expect(validated.stdout).toContain('hint: remove `use: basic` from set `strict`');
    expect(validated.stdout).not.toContain('GATE_SET_UNKNOWN');
    const run = await sop(['run', 'sop.yaml', 'x', '--workspace', 'ws'], { cwd });
    expect(run.code).toBe(3);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stderr).toContain('error GATE_SET_CYCLE: gate set `basic` uses itself: basic -> strict -> basic');
  });

  it('a set using itself is GATE_SET_CYCLE too', async () => {
    const cwd = project(SOP.replace('    - { name: not-empty, length: { min: 1 } }\n', '    - { use: basic }\n'));
    const validated = await sop(['validate', 'sop.yaml', '--json'], { cwd });
    expect(validated.code).toBe(3);
    expect(validated.stdout).toContain('"code": "GATE_SET_CYCLE"');
    expect(validated.stdout).toContain('gate set `basic` uses itself: basic -> basic');
  });
});
