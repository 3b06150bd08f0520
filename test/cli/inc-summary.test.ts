import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';
import { envelopeOf } from '../support/cli-envelope.js';

afterAll(removeTempDirs);

/**
 * `sop run --inc`'s summary says how each file the run wrote stands against the project as it was
 * (new, changed, unchanged) and which files are gone: it listed them all alike, so a user could not
 * tell what the change touched.
 */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: inc, version: 0.1.0, requires: ">=0.2 <1" }
inputs:
  idea: { type: string }
  inc: { type: boolean, default: false }
messages:
  Topic: {}
  Draft: {}
  Done: {}
start:
  - { type: Topic, content: "{{ inputs.idea }}" }
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write
        prompt: "Write about {{ message.content }}"
        output: { type: Draft, format: markdown }
        artifacts:
          - path: a.md
          - path: b.md
          - { path: c.md, if: inputs.inc }
  cleaner:
    profile: Cleaner
    watch: [Draft]
    actions:
      - { id: clean, run: { command: ["rm", "-f", "old.txt"] }, output: { type: Done } }
stop_when: { type: Done }
`;

describe('sop run --inc summary', () => {
  it('labels each artifact new, changed or unchanged, counts them, and names the files gone', async () => {
    const cwd = tempDir('sop-inc-summary-');
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const first = await sop(['run', 'sop.yaml', 'owls', '--workspace', 'ws', '--ci'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    // A run that is not incremental lists its artifacts as before.
    expect(first.stderr).toContain('artifacts: 2 written to ws\n  a.md\n  b.md\n');
    const a = readFileSync(path.join(cwd, 'ws', 'a.md'), 'utf8');
    writeFileSync(path.join(cwd, 'ws', 'b.md'), 'edited by hand\n');
    writeFileSync(path.join(cwd, 'ws', 'old.txt'), 'old\n');
    const inc = await sop(['run', 'sop.yaml', 'owls', '--inc', '--workspace', 'ws', '--ci'], { cwd });
    expect(inc.code, inc.stderr).toBe(0);
    expect(inc.stderr).not.toMatch(STACK_LINE);
    expect(readFileSync(path.join(cwd, 'ws', 'a.md'), 'utf8')).toBe(a);
    expect(inc.stderr).toContain(
      'artifacts: 3 written to ws (1 new, 1 changed, 1 unchanged)\n' +
        '  a.md (unchanged)\n  b.md (changed)\n  c.md (new)\n' +
        'deleted: 1 file of the workspace gone since the run started\n  old.txt\n',
    );
    const runs = path.join(cwd, '.sop', 'runs');
    // In the order they started (two runs of one second have ids in any order).
    const started = (id: string): string => JSON.parse(readFileSync(path.join(runs, id, 'report.json'), 'utf8')).started;
    const [firstRun, newest] = readdirSync(runs).filter((name) => !name.startsWith('.')).sort((a, b) => started(a).localeCompare(started(b))) as [string, string];
    // report.json says it too; a run that is not incremental has no such field.
    const report = JSON.parse(readFileSync(path.join(runs, newest, 'report.json'), 'utf8'));
    expect(report.workspaceChanges).toEqual({ new: ['c.md'], changed: ['b.md'], unchanged: ['a.md'], deleted: ['old.txt'] });
    expect(JSON.parse(readFileSync(path.join(runs, firstRun, 'report.json'), 'utf8'))).not.toHaveProperty('workspaceChanges');
    // report.html's action says what each write did to its file.
    const page = readFileSync(path.join(runs, newest, 'report.html'), 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(page)?.[1] as string);
    const write = data.actions.find((action: { action: string }) => action.action === 'write');
    expect(write.artifacts).toEqual([
      { path: 'a.md', bytes: expect.any(Number), change: 'unchanged' },
      { path: 'b.md', bytes: expect.any(Number), change: 'changed' },
      { path: 'c.md', bytes: expect.any(Number), change: 'new' },
    ]);
  });

  it('--json gives the same workspaceChanges in its result (the report), checked against report.v1', async () => {
    const cwd = tempDir('sop-inc-summary-');
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    expect((await sop(['run', 'sop.yaml', 'owls', '--workspace', 'ws', '--ci'], { cwd })).code).toBe(0);
    const json = envelopeOf<any>(await sop(['run', 'sop.yaml', 'owls', '--inc', '--workspace', 'ws', '--json'], { cwd }));
    expect(json.result.workspaceChanges).toEqual({ new: ['c.md'], changed: [], unchanged: ['a.md', 'b.md'], deleted: [] });
  });

  it('sop resume of an --inc run labels the files its first attempt wrote (kept with the run, nothing read up front), and lists the files gone since the run started', async () => {
    const cwd = tempDir('sop-inc-summary-');
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    expect((await sop(['run', 'sop.yaml', 'owls', '--workspace', 'ws', '--ci'], { cwd })).code).toBe(0);
    writeFileSync(path.join(cwd, 'ws', 'b.md'), 'edited by hand\n');
    writeFileSync(path.join(cwd, 'ws', 'old.txt'), 'old\n');
    // The writer's round only: the run stops at its round limit with a.md, b.md and c.md written.
    const first = envelopeOf<any>(await sop(['run', 'sop.yaml', 'owls', '--inc', '--workspace', 'ws', '--n-round', '1', '--json'], { cwd }));
    expect(first.result.status).toBe('round_limit');
    expect(first.result.workspaceChanges).toEqual({ new: ['c.md'], changed: ['b.md'], unchanged: ['a.md'], deleted: [] });
    const resumed = await sop(['resume', first.result.runId, '--n-round', '2', '--ci'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toMatch(STACK_LINE);
    expect(resumed.stderr).toContain('artifacts: 3 written to ws (1 new, 1 changed, 1 unchanged)\n  a.md (unchanged)\n  b.md (changed)\n  c.md (new)\n');
    // The cleaner removed old.txt in the resumed round: gone from the names the run's journal kept when it started.
    expect(resumed.stderr).toContain('deleted: 1 file of the workspace gone since the run started\n  old.txt\n');
    const report = JSON.parse(readFileSync(path.join(cwd, '.sop', 'runs', first.result.runId, 'report.json'), 'utf8'));
    expect(report.workspaceChanges).toEqual({ new: ['c.md'], changed: ['b.md'], unchanged: ['a.md'], deleted: ['old.txt'] });
  });

  it('sop resume --approve of an --inc run paused at a human gate labels the files the paused round wrote as the project had them', async () => {
    const cwd = tempDir('sop-inc-summary-');
    // The writer's files are written before its human gate asks; the approved round writes them again.
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP.replace('          - { path: c.md, if: inputs.inc }\n', '          - { path: c.md, if: inputs.inc }\n        gates: [{ name: ok, human: { enabled: inputs.inc, prompt: "Ready?" } }]\n'));
    expect((await sop(['run', 'sop.yaml', 'owls', '--workspace', 'ws', '--ci'], { cwd })).code).toBe(0);
    writeFileSync(path.join(cwd, 'ws', 'b.md'), 'edited by hand\n');
    const paused = envelopeOf<any>(await sop(['run', 'sop.yaml', 'owls', '--inc', '--workspace', 'ws', '--json'], { cwd }));
    expect(paused.result.status).toBe('awaiting_approval');
    const resumed = await sop(['resume', paused.result.runId, '--approve', '--ci'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    // Was 3 unchanged: the rewrite after the approval found the paused round's own files.
    expect(resumed.stderr).toContain('artifacts: 3 written to ws (1 new, 1 changed, 1 unchanged)\n  a.md (unchanged)\n  b.md (changed)\n  c.md (new)\n');
  });

  it('a path written twice by the run is new when nothing was there before its first write', async () => {
    const cwd = tempDir('sop-inc-summary-');
    // The editor rewrites c.md, which the writer made in the run: against the project before the run it is new.
    const editor = '  editor:\n    profile: Editor\n    watch: [Done]\n    actions:\n      - { id: edit, prompt: "Edit", output: { type: Edited, format: markdown }, artifacts: [{ path: c.md, if: inputs.inc }] }\n';
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP.replace('stop_when: { type: Done }\n', `${editor}stop_when: { type: Edited }\n`).replace('  Done: {}\n', '  Done: {}\n  Edited: {}\n'));
    expect((await sop(['run', 'sop.yaml', 'owls', '--workspace', 'ws', '--ci'], { cwd })).code).toBe(0);
    const json = envelopeOf<any>(await sop(['run', 'sop.yaml', 'owls', '--inc', '--workspace', 'ws', '--json'], { cwd }));
    expect(json.result.status).toBe('completed');
    expect(json.result.workspaceChanges.new).toEqual(['c.md']);
  });
});
