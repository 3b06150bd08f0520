import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

/** `sop resume --edit FILE`: the reviewer's file replaces the awaited output, checked before the run continues. */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: edit-check, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Plan:
    description: the plan
    schema: { type: object, required: [title, steps], properties: { title: { type: string }, steps: { type: array, items: { type: string } } } }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  planner:
    profile: Planner
    watch: [Idea]
    actions:
      - id: plan
        prompt: "Plan {{ message.content }}"
        output: { type: Plan, format: json }
        artifacts: [{ path: plan.json }]
        gates: [{ name: approve-plan, human: { prompt: Approve the plan? } }]
stop_when: { type: Plan }
`;

describe('sop resume --edit', () => {
  it('refuses an edit that breaks the output schema (EDIT_INVALID, exit 2: nothing ran, the run still awaits approval); a fixed file continues the run with it', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const stopped = await sop(['run', 'sop.yaml', 'a todo app', '--ci', '--json'], { cwd });
    expect(stopped.code, stopped.stderr).toBe(8);
    const runId = (JSON.parse(stopped.stdout) as { result: { runId: string } }).result.runId;

    writeFileSync(path.join(cwd, 'bad.json'), '{ "title": "Plan" }');
    const refused = await sop(['resume', runId, '--edit', 'bad.json'], { cwd });
    expect(refused.stderr).not.toMatch(STACK_LINE);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error EDIT_INVALID: ');
    expect(refused.stderr).toContain('--edit bad.json: not a valid Plan (gate approve-plan, role planner, action plan)');
    expect(refused.stderr).toContain('steps');
    expect(refused.stderr).toContain(`sop resume ${runId} --edit bad.json\` again`);
    const listed = await sop(['runs', '--json'], { cwd });
    expect((JSON.parse(listed.stdout) as { result: { runs: Array<{ id: string; status: string }> } }).result.runs).toEqual([expect.objectContaining({ id: runId, status: 'awaiting_approval' })]);

    // A person's typo is pointed at, not repaired into some other value.
    writeFileSync(path.join(cwd, 'typo.json'), '{ "title": "Plan", "steps": ["write it",] }');
    const typo = await sop(['resume', runId, '--edit', 'typo.json'], { cwd });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--edit typo.json: not a valid Plan (gate approve-plan, role planner, action plan): not JSON: ');

    writeFileSync(path.join(cwd, 'good.json'), '{ "title": "Edited plan", "steps": ["write it", "ship it"] }');
    const resumed = await sop(['resume', runId, '--edit', 'good.json'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(cwd, 'workspace', 'edit-check', 'plan.json'), 'utf8'))).toEqual({ title: 'Edited plan', steps: ['write it', 'ship it'] });
  });

  it('an edit with a value its schema does not allow: the message names the field, the value given and the values allowed, and the hint retypes the file given', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP.replace('steps: { type: array, items: { type: string } } }', 'steps: { type: array, items: { type: string } }, priority: { enum: [low, high] } }'));
    const stopped = await sop(['run', 'sop.yaml', 'a todo app', '--ci', '--json'], { cwd });
    expect(stopped.code, stopped.stderr).toBe(8);
    const runId = (JSON.parse(stopped.stdout) as { result: { runId: string } }).result.runId;
    mkdirSync(path.join(cwd, 'my edits'));
    writeFileSync(path.join(cwd, 'my edits', 'plan.json'), '{ "title": "Plan", "steps": "write it", "priority": "critical" }');
    const refused = await sop(['resume', runId, '--edit', 'my edits/plan.json'], { cwd });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).not.toMatch(STACK_LINE);
    expect(refused.stderr).toContain('error EDIT_INVALID: --edit my edits/plan.json: not a valid Plan (gate approve-plan, role planner, action plan): /steps: "write it" given; must be array; /priority: "critical" given; must be one of ["low","high"]');
    expect(refused.stderr).toContain(`hint: fix the file and run \`sop resume ${runId} --edit 'my edits/plan.json'\` again; the run still awaits approval`);
  });

  it('a missing file, a folder or an endless file given to --edit is refused (exit 2) in plain words, without the system error text', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const stopped = await sop(['run', 'sop.yaml', 'a todo app', '--ci', '--json'], { cwd });
    expect(stopped.code, stopped.stderr).toBe(8);
    const runId = (JSON.parse(stopped.stdout) as { result: { runId: string } }).result.runId;
    mkdirSync(path.join(cwd, 'edits'));

    const folder = await sop(['resume', runId, '--edit', 'edits'], { cwd });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('error FILE_UNREADABLE: --edit: cannot read edits: it is a folder');
    const missing = await sop(['resume', runId, '--edit', 'nope.json'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error FILE_NOT_FOUND: --edit: cannot read nope.json: no such file');
    const results = [folder, missing];
    if (process.platform !== 'win32') {
      // An endless file is refused at the size bound, not read until memory runs out.
      const endless = await sop(['resume', runId, '--edit', '/dev/zero'], { cwd });
      expect(endless.code).toBe(2);
      expect(endless.stderr).toContain('error FILE_TOO_LARGE: --edit: /dev/zero is endless or more than 8 MB');
      results.push(endless);
    }
    for (const result of results) {
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.stderr).not.toMatch(/EISDIR|ENOENT/);
    }
  });
});
