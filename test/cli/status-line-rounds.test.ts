import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * The status line after a run agrees with its progress: a run that fails in round 1 printed
 * "[round 1] writer write ... FAILED" and then "status: failed after 0 rounds". It now names the
 * round it stopped in and the rounds completed (what `rounds` in report.json counts).
 */
function project(precondition: string): string {
  const cwd = tempDir('sop-status-');
  writeFileSync(
    path.join(cwd, 'sop.yaml'),
    [
      'apiVersion: sop/v1',
      'kind: SOP',
      'metadata: { name: status, version: 0.1.0, requires: ">=0.2 <1" }',
      'messages:',
      '  Topic: {}',
      '  Draft: {}',
      '  Done: {}',
      'start:',
      '  - { type: Topic, content: "x" }',
      'roles:',
      '  writer:',
      '    profile: Writer',
      '    watch: [Topic]',
      '    actions:',
      '      - { id: write, prompt: "Write", output: { type: Draft } }',
      '  editor:',
      '    profile: Editor',
      '    watch: [Draft]',
      '    actions:',
      `      - { id: edit, prompt: "Edit", precondition: { assert: "${precondition}" }, output: { type: Done } }`,
      'stop_when: { type: Done }',
      '',
    ].join('\n'),
  );
  return cwd;
}

function report(cwd: string): { status: string; rounds: number; stoppedInRound?: number } {
  const runs = path.join(cwd, '.sop', 'runs');
  const [runId] = readdirSync(runs);
  return JSON.parse(readFileSync(path.join(runs, runId as string, 'report.json'), 'utf8'));
}

describe('the status line after a run', () => {
  it('of a run that failed in a round names that round and the rounds completed', async () => {
    const cwd = project('1 == 2');
    const result = await sop(['run', 'sop.yaml', 'an idea'], { cwd });
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('[round 2] editor edit ... FAILED\n');
    expect(result.stderr).toMatch(/^status: failed in round 2 \(1 round completed\)$/m);
    expect(result.stderr).not.toContain('after 1 round');
    expect(report(cwd)).toMatchObject({ status: 'failed', rounds: 1, stoppedInRound: 2 });
  });

  it('of a run that failed in round 1 does not say "after 0 rounds"', async () => {
    const cwd = project('1 == 1');
    writeFileSync(path.join(cwd, 'sop.yaml'), readFileSync(path.join(cwd, 'sop.yaml'), 'utf8').replace('{ id: write, prompt: "Write",', '{ id: write, prompt: "Write", precondition: { assert: "1 == 2" },'));
    const result = await sop(['run', 'sop.yaml', 'an idea'], { cwd });
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toContain('[round 1] writer write ... FAILED\n');
    expect(result.stderr).toMatch(/^status: failed in round 1 \(0 rounds completed\)$/m);
    expect(result.stderr).not.toContain('after 0 rounds');
  });

  it('of a run that ended at a round boundary counts the rounds run, as before', async () => {
    const cwd = project('1 == 1');
    const result = await sop(['run', 'sop.yaml', 'an idea'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^status: completed after 2 rounds$/m);
    expect(report(cwd)).not.toHaveProperty('stoppedInRound');
  });
});
