import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { schemaValidators } from '../support/cli-envelope.js';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * An artifact is written before its action's gates check it. One whose gate rejected it (the run
 * stopped there, or the output was routed elsewhere) stays in the workspace as a draft: the
 * reports listed it as written all the same.
 */
afterAll(removeTempDirs);

/** A writer whose draft.md no offline answer passes (`contains`); `onFail` decides what follows. */
function sopWith(onFail: string): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: rejected-draft, version: 0.1.0, requires: ">=0.2 <1" }
messages:
  Idea: {}
  Draft: {}
  Rejected: {}
  Notes: {}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
stop_when: { type: Notes }
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "Write about {{ inputs.idea }}"
        output: { type: Draft, format: markdown }
        artifacts: [{ path: draft.md }]
        gates:
          - name: signed
            contains: "no offline answer says this"
            on_fail: ${onFail}
  editor:
    profile: Editor
    watch: [Rejected]
    actions:
      - id: note
        prompt: "Note why: {{ message.content }}"
        output: { type: Notes, format: markdown }
        artifacts: [{ path: notes.md }]
`;
}

async function runOf(onFail: string): Promise<{ code: number | null; stderr: string; cwd: string; runId: string; report: Record<string, any> }> {
  const cwd = tempDir('sop-rejected-artifacts-');
  writeFileSync(path.join(cwd, 'sop.yaml'), sopWith(onFail));
  const run = await sop(['run', 'sop.yaml', 'owls'], { cwd });
  const runId = readdirSync(path.join(cwd, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;
  const report = JSON.parse(readFileSync(path.join(cwd, '.sop', 'runs', runId, 'report.json'), 'utf8')) as Record<string, any>;
  expect(schemaValidators().report(report), JSON.stringify(schemaValidators().report.errors)).toBe(true);
  return { ...run, cwd, runId, report };
}

describe('an artifact its gate rejected', () => {
  it('a run its gate stopped: the draft is rejected, not written, in the summary, report.json and the Markdown summary', { timeout: 90_000 }, async () => {
    const run = await runOf('stop');
    expect(run.code, run.stderr).toBe(7);
    expect(existsSync(path.join(run.cwd, 'workspace', 'rejected-draft', 'draft.md'))).toBe(true);
    expect(run.stderr).toContain(
      'artifacts: 0 written to workspace/rejected-draft\n' +
        'rejected: 1 by its gate (a draft left in the workspace, not kept)\n' +
        '  draft.md\n',
    );
    expect(run.report).toMatchObject({ status: 'gate_stopped', artifacts: [], rejectedArtifacts: [{ path: 'draft.md', bytes: expect.any(Number) }] });
    expect(run.report['pendingArtifacts']).toBeUndefined();

    const markdown = await sop(['report', run.runId, '--out', 'summary.md'], { cwd: run.cwd });
    expect(markdown.code, markdown.stderr).toBe(0);
    const summary = readFileSync(path.join(run.cwd, 'summary.md'), 'utf8');
    expect(summary).toContain('No artifacts written in ');
    expect(summary).toContain('Rejected by their gates (drafts left in the workspace, not kept): `draft.md`.');
  });

  it('an output routed by its gate: the run goes on and keeps the files written after, not the draft', { timeout: 90_000 }, async () => {
    const run = await runOf('{ then: { route: Rejected } }');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('artifacts: 1 written to workspace/rejected-draft\n  notes.md\nrejected: 1 by its gate (a draft left in the workspace, not kept)\n  draft.md\n');
    expect(run.report).toMatchObject({ status: 'completed', artifacts: [{ path: 'notes.md' }], rejectedArtifacts: [{ path: 'draft.md' }] });
  });

  it('a run stopped after the rejection (round limit, then as if killed), reported so far and resumed to its end: the draft is still rejected, not written', { timeout: 90_000 }, async () => {
    const cwd = tempDir('sop-rejected-artifacts-');
    writeFileSync(path.join(cwd, 'sop.yaml'), sopWith('{ then: { route: Rejected } }'));
    const first = await sop(['run', 'sop.yaml', 'owls', '--n-round', '1'], { cwd });
    expect(first.code, first.stderr).toBe(5);
    expect(first.stderr).toContain('rejected: 1 by its gate (a draft left in the workspace, not kept)\n  draft.md\n');
    const runId = readdirSync(path.join(cwd, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;

    // As a kill after the round's commit leaves it: no end line, no report.json. Reported so far, from the journal.
    const runDir = path.join(cwd, '.sop', 'runs', runId);
    const journal = readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8').trimEnd().split('\n');
    expect(journal.pop()).toContain('"type":"run-closed"');
    writeFileSync(path.join(runDir, 'journal.jsonl'), journal.join('\n') + '\n');
    rmSync(path.join(runDir, 'report.json'));
    const killed = await sop(['report', runId, '--out', 'killed.md'], { cwd });
    expect(killed.code, killed.stderr).toBe(0);
    const summary = readFileSync(path.join(cwd, 'killed.md'), 'utf8');
    expect(summary).toMatch(/^\| crashed \| /m);
    expect(summary).toContain('Rejected by their gates (drafts left in the workspace, not kept): `draft.md`.');

    const resumed = await sop(['resume', runId, '--n-round', '3'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('artifacts: 1 written to workspace/rejected-draft\n  notes.md\nrejected: 1 by its gate (a draft left in the workspace, not kept)\n  draft.md\n');
    const report = JSON.parse(readFileSync(path.join(cwd, '.sop', 'runs', runId, 'report.json'), 'utf8')) as Record<string, any>;
    expect(schemaValidators().report(report), JSON.stringify(schemaValidators().report.errors)).toBe(true);
    expect(report).toMatchObject({ status: 'completed', artifacts: [{ path: 'notes.md' }], rejectedArtifacts: [{ path: 'draft.md' }] });
  });

  it('a revision that passes writes the file anew: written, not rejected', { timeout: 90_000 }, async () => {
    // A gate command that fails the first draft only.
    const cwd = tempDir('sop-rejected-artifacts-');
    writeFileSync(path.join(cwd, 'sop.yaml'), sopWith('{ revise: 1 }').replace('contains: "no offline answer says this"', 'command: { command: [sh, -c, "test -f tried || { touch tried; exit 1; }"] }'));
    const run = await sop(['run', 'sop.yaml', 'owls'], { cwd });
    const runId = readdirSync(path.join(cwd, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;
    const report = JSON.parse(readFileSync(path.join(cwd, '.sop', 'runs', runId, 'report.json'), 'utf8')) as Record<string, any>;
    expect(report['artifacts'], run.stderr).toMatchObject([{ path: 'draft.md' }]);
    expect(report['rejectedArtifacts']).toBeUndefined();
  });
});
