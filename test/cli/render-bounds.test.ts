import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

const loopSop = (range: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: numbers, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Brief: { description: the brief }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "Count: {% for i in (${range}) %}{{ i }} {% endfor %}"
        output: { type: Brief }
stop_when: { type: Brief }
`;

/**
 * A prompt looping over a range of a hundred million numbers rendered for minutes and grew to
 * 4 GB, until V8 ran out of memory with a native stack trace (a run's templates had no bound).
 */
describe('sop run: a template that loops without bound', () => {
  it('fails the action at once, located at the prompt, saying how to bound the loop; fixed, the run resumes', async () => {
    const cwd = tempDir('sop-render-bounds-');
    writeFileSync(path.join(cwd, 'sop.yaml'), loopSop('1..100000000'));
    const result = await sop(['run', 'sop.yaml', 'a guide'], { cwd });
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toContain('sop.yaml:14:25: error TEMPLATE_RENDER: the template builds more than 30,000,000 values and characters while rendering');
    expect(result.stderr).toContain('hint: bound the loop: a shorter list or range, `limit:` on the `{% for %}`');
    expect(result.stderr).not.toMatch(STACK_LINE);

    writeFileSync(path.join(cwd, 'sop.yaml'), loopSop('1..3'));
    const [runId] = readdirSync(path.join(cwd, '.sop', 'runs'));
    const resumed = await sop(['resume', runId as string, '--allow-changed-sop'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
  });
});
