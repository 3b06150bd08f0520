import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * A foreach action's items each await a human gate with `on_fail: stop`. Rejecting one item
 * (`--reject --gate write#1`) ends the run, as the hint before said (`--reject "why"` ends the run):
 * it paused again asking about item #0, whose decision could change nothing (approving it then
 * stopped the run).
 */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: sections, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Section: { description: one section }
start:
  - { type: Idea, content: "{{ inputs.idea }}" }
stop_when: { type: Section }
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        foreach: "['intro', 'pricing']"
        prompt: "Write the {{ item }} of {{ message.content }}"
        output: { type: Section, format: markdown }
        artifacts: [{ path: "sections/{{ item }}.md" }]
        gates: [{ name: section_ok, human: { prompt: "Approve the {{ item }}?" } }]
`;

afterAll(removeTempDirs);

describe('sop resume --reject of one foreach item at a gate that stops', () => {
  it('ends the run gate_stopped (exit 7) instead of pausing again for the other item', async () => {
    const cwd = tempDir('sop-foreach-reject-');
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const run = await sop(['run', 'sop.yaml', 'a rocket', '--ci'], { cwd });
    expect(run.code, run.stderr).toBe(8);
    const runId = /run record: \.sop\/runs\/(\S+)/.exec(run.stderr)?.[1] as string;
    expect(run.stderr).toContain('awaiting approval: gate section_ok (role writer, action write #1)');

    const rejected = await sop(['resume', runId, '--reject', 'too long', '--gate', 'write#1', '--ci'], { cwd });
    expect(`${rejected.stdout}${rejected.stderr}`).not.toMatch(STACK_LINE);
    expect(rejected.stderr).toContain('[round 1] writer write #1: gate section_ok failed (stop)');
    expect(rejected.stderr).toContain('status: gate_stopped');
    expect(rejected.stderr).not.toContain('awaiting approval: gate');
    expect(rejected.code, rejected.stderr).toBe(7);
    const listed = await sop(['runs', '--json'], { cwd });
    expect((JSON.parse(listed.stdout) as { result: { runs: Array<{ status: string }> } }).result.runs[0]?.status).toBe('gate_stopped');
  });
});
