import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * `sop resume RUN --approve` on a run a gate stopped said "resume it without a decision flag";
 * doing so replayed the same answers into the same gate and stopped again, exit 7: the hint led
 * nowhere. It now says what the run's own hint says: fix the SOP, then `--allow-changed-sop`.
 */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: strict, version: 0.1.0 }
messages:
  Topic: {}
  Post: {}
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
stop_when: { type: Post }
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write
        prompt: "Write about {{ message.content }}"
        output: { type: Post, format: markdown }
        gates: [{ name: never, contains: "NO SUCH TEXT", on_fail: stop }]
`;

afterAll(removeTempDirs);

describe('sop resume --approve of a run a gate stopped', () => {
  it('is refused with the way on: fix the SOP, then resume with --allow-changed-sop', async () => {
    const cwd = tempDir('sop-resume-gate-stopped-');
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const run = await sop(['run', 'sop.yaml', 'tides', '--json'], { cwd });
    expect(run.code, run.stderr).toBe(7);
    const runId = (JSON.parse(run.stdout) as { result: { runId: string } }).result.runId;

    const approve = await sop(['resume', runId, '--approve'], { cwd });
    expect(`${approve.stdout}${approve.stderr}`).not.toMatch(STACK_LINE);
    expect(approve.code, approve.stderr).toBe(2);
    expect(approve.stderr).toContain(`error USAGE: --approve: run ${runId} is not awaiting approval (status gate_stopped)`);
    expect(approve.stderr).toContain(`fix the SOP, then continue with \`sop resume ${runId} --allow-changed-sop\``);
    expect(approve.stderr).not.toContain('resume it without a decision flag');
  });

  it('of a run its round limit stopped is refused with the run\'s own way on (--n-round), not a plain resume that stops again at once', async () => {
    const cwd = tempDir('sop-resume-round-limit-');
    // The writer's gate passes in round 1; the editor's round 2 is past the limit.
    const twoRounds = SOP.replace('"NO SUCH TEXT"', '"tides"').replace('stop_when: { type: Post }', 'stop_when: { type: Edit }').replace('  Post: {}\n', '  Post: {}\n  Edit: {}\n');
    writeFileSync(path.join(cwd, 'sop.yaml'), `${twoRounds}  editor:\n    profile: Editor\n    watch: [Post]\n    actions:\n      - { id: edit, prompt: "Edit {{ message.content }}", output: { type: Edit, format: markdown } }\n`);
    const run = await sop(['run', 'sop.yaml', 'tides', '--n-round', '1', '--json'], { cwd });
    expect(run.code, run.stderr).toBe(5);
    const runId = (JSON.parse(run.stdout) as { result: { runId: string } }).result.runId;

    const approve = await sop(['resume', runId, '--approve'], { cwd });
    expect(`${approve.stdout}${approve.stderr}`).not.toMatch(STACK_LINE);
    expect(approve.code, approve.stderr).toBe(2);
    expect(approve.stderr).toContain(`error USAGE: --approve: run ${runId} is not awaiting approval (status round_limit)`);
    expect(approve.stderr).toContain(`hint: resume with more rounds: sop resume ${runId} --n-round `);
    expect(approve.stderr).not.toContain('resume it without a decision flag');
  });
});
