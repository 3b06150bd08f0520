import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, tempDir } from './run-cli.js';
import { sopOnTerminal } from '../support/terminal.js';

/** `sop run` on a real terminal (util-linux `script` gives it one): the live status line as a user sees it. */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: two-steps, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Draft: { description: a draft }
  Final: { description: the final text }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer: { profile: Writer, watch: [Idea], actions: [{ id: draft, prompt: "Draft {{ message.content }}", output: { type: Draft } }] }
  editor: { profile: Editor, watch: [Draft], actions: [{ id: finish, prompt: "Finish {{ message.content }}", output: { type: Final } }] }
stop_when: { type: Final }
`;

/** Each state the live line was drawn in, in order (`\r\x1b[2K` starts each). */
function statusLines(output: string): string[] {
  return output.split('\r\x1b[2K').slice(1).map((part) => part.split(/[\r\n]/)[0] ?? '').filter((line) => /^round \d+ · /.test(line));
}

describe('the live status line of sop run on a terminal', () => {
  it('starts at round 1, saying it starts, never at `round 0 · waiting`', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const result = await sopOnTerminal("run sop.yaml 'a note'", { cwd, env: { NODE_ENV: 'production', TERM: 'xterm' } });
    expect(result.code, result.output).toBe(0);
    const lines = statusLines(result.output);
    expect(lines[0]).toMatch(/^round 1 · \ds · starting · 0 tokens$/);
    expect(lines.some((line) => line.startsWith('round 0'))).toBe(false);
    expect(lines).toContainEqual(expect.stringMatching(/^round 2 · \ds · starting · \d+ tokens$/));
  });

  // Between a round's end and the next round's start it said `waiting`, when nothing waited on anything.
  it('says `round done` once a round ended, never `waiting`', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const result = await sopOnTerminal("run sop.yaml 'a note'", { cwd, env: { NODE_ENV: 'production', TERM: 'xterm' } });
    expect(result.code, result.output).toBe(0);
    expect(doingSteps(statusLines(result.output))).toEqual(['round 1 starting', 'round 1 writer draft', 'round 1 round done', 'round 2 starting', 'round 2 editor finish', 'round 2 round done']);
  });

  // A role in `react` mode asks the model which action to take: the line said `waiting` during that call.
  it('names a role asking the model for its next action, and nothing between its actions', async () => {
    const cwd = tempDir();
    const result = await sopOnTerminal(`run '${path.join(repoRoot, 'test', 'fixtures', 'runtime', 'react.yaml')}' 'a task'`, { cwd, env: { NODE_ENV: 'production', TERM: 'xterm' } });
    expect(result.code, result.output).toBe(0);
    expect(doingSteps(statusLines(result.output))).toEqual([
      'round 1 starting',
      'round 1 worker choosing an action',
      'round 1 worker analyse',
      'round 1 worker choosing an action',
      'round 1 worker build',
      'round 1 worker choosing an action',
      'round 1 round done',
    ]);
  });
});

/** `round N` and what the line said it was doing, each change once (the tokens and seconds left out). */
function doingSteps(lines: string[]): string[] {
  const steps = lines.map((line) => {
    const [round, , doing] = line.split(' · ');
    return `${round} ${doing}`;
  });
  return steps.filter((step, index) => step !== steps[index - 1]);
}
