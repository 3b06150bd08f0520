import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './run-cli.js';
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
});
