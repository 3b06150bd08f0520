import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A precondition command's result on an action's progress line is said as the precondition's: a
 * model action whose precondition exited 0 read "done (command exit 0, ...)", as if it ran a command.
 */
function project(checkerPrecondition: string): string {
  const cwd = tempDir('sop-precondition-progress-');
  writeFileSync(
    path.join(cwd, 'sop.yaml'),
    [
      'apiVersion: sop/v1',
      'kind: SOP',
      'metadata: { name: pre, version: 0.1.0, requires: ">=0.2 <1" }',
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
      '      - { id: write, prompt: "Write", precondition: { command: { command: ["true"] } }, output: { type: Draft } }',
      '  checker:',
      '    profile: Checker',
      '    watch: [Draft]',
      '    actions:',
      `      - { id: check, precondition: { command: { command: ["sh", "-c", "${checkerPrecondition}"] } }, run: { command: ["sh", "-c", "exit 3"] }, output: { type: Done } }`,
      'stop_when: { type: Done }',
      '',
    ].join('\n'),
  );
  return cwd;
}

describe('an action with a precondition command, on its progress line', () => {
  it('names the precondition\'s exit apart from the action\'s own command', async () => {
    const cwd = project('exit 0');
    const result = await sop(['run', 'sop.yaml', 'x', '--workspace', 'ws', '--ci'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^\[round 1\] writer write \.\.\. done \(precondition exit 0, \d+ tokens\)$/m);
    expect(result.stderr).toContain('[round 2] checker check ... done (precondition exit 0, command exit 3)\n');
  });

  it('a failing precondition is said as the precondition\'s, with no command exit of the action', async () => {
    const cwd = project('exit 4');
    const result = await sop(['run', 'sop.yaml', 'x', '--workspace', 'ws', '--ci'], { cwd });
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('[round 2] checker check ... FAILED (precondition exit 4)\n');
  });
});
