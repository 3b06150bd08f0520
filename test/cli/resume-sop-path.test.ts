import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

/** A resumed run keeps naming its SOP by the path it was started with, not by an absolute one. */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: relay, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Draft: { description: a draft }
  Review: { description: a review }
  Final: { description: the final text }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  drafter: { profile: Drafter, watch: [Idea], actions: [{ id: draft, prompt: "Draft {{ message.content }}", output: { type: Draft } }] }
  reviewer: { profile: Reviewer, watch: [Draft], actions: [{ id: review, prompt: "Review {{ message.content }}", output: { type: Review } }] }
  editor: { profile: Editor, watch: [Review], actions: [{ id: finish, prompt: "Finish {{ message.content }}", output: { type: Final } }] }
stop_when: { type: Final }
`;

describe('sop resume and the SOP path', () => {
  it('after one resume, a changed SOP is still named by the relative path the run was started with', async () => {
    const cwd = tempDir();
    const file = path.join('sops', 'relay.yaml');
    mkdirSync(path.join(cwd, 'sops'));
    writeFileSync(path.join(cwd, file), SOP);
    const first = await sop(['run', file, 'a note', '--n-round', '1', '--json'], { cwd });
    expect(first.code, first.stderr).toBe(5);
    const runId = (JSON.parse(first.stdout) as { result: { runId: string } }).result.runId;
    const resumed = await sop(['resume', runId, '--n-round', '2'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(5);

    writeFileSync(path.join(cwd, file), `${readFileSync(path.join(cwd, file), 'utf8')}# edited\n`);
    const refused = await sop(['resume', runId, '--n-round', '3'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).not.toMatch(STACK_LINE);
    expect(refused.stderr).toMatch(new RegExp(`^error RESUME_SOP_CHANGED: sops/relay\\.yaml changed since run ${runId} started`, 'm'));
    expect(refused.stderr).not.toContain(cwd);
  });
});
