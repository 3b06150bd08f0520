import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * `sop resume RUN` without a decision, not on a terminal, of a run awaiting approval that was made
 * with `--model script:FILE`. A script with no `human` answer for the gate cannot decide it: the
 * resume ran the round again (its commands, its MCP servers) only to stop awaiting the same
 * approval, exit 8, where a run without a script is refused at once (exit 2).
 */
// One action whose output a human gate asks about.
const SOP = readFileSync(path.join(repoRoot, 'test', 'fixtures', 'human-gate', 'ask.yaml'), 'utf8');

const SCRIPT = `apiVersion: sop-script/v1
answers:
  - { role: agent, action: answer, output: "Hello." }
`;

afterAll(removeTempDirs);

describe('sop resume of a scripted run awaiting approval, without a decision', () => {
  it('is refused (exit 2) when the script has no human answer for the gate; runs once the script has one', async () => {
    const cwd = tempDir('sop-resume-script-');
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    writeFileSync(path.join(cwd, 'answers.yaml'), SCRIPT);
    const first = await sop(['run', 'sop.yaml', 'hi', '--model', 'script:answers.yaml'], { cwd });
    expect(first.code, first.stderr).toBe(8);
    const [runId] = readdirSync(path.join(cwd, '.sop', 'runs')) as [string];

    const refused = await sop(['resume', runId], { cwd });
    expect(refused.stderr).not.toMatch(STACK_LINE);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`error USAGE: run ${runId} awaits approval of gate ok (action answer)`);
    expect(refused.stderr).toContain('hint: pass --approve, --reject "what to change" or --edit FILE (its script answers.yaml has no `human` answer for it: add one, then resume with --allow-changed-sop, as the script changed)');
    expect(refused.stderr).not.toContain('[round 1]');

    // The script re-read by the resume decides the gate once it says how; it changed, so the resume says it goes on with it.
    appendFileSync(path.join(cwd, 'answers.yaml'), '  - { role: agent, action: answer, gate: ok, human: approve }\n');
    const plain = await sop(['resume', runId], { cwd });
    expect(plain.code, plain.stderr).toBe(2);
    expect(plain.stderr).toContain('error RESUME_SOP_CHANGED: script answers.yaml changed since run');
    const resumed = await sop(['resume', runId, '--allow-changed-sop'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('status: completed');
  });
});
