import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * `sop resume` compares the SOP, the files it references and the scripts of its `script:FILE`
 * models with what the run last ran with: its start, or the last resume that went on with a
 * changed one (`--allow-changed-sop`), which the run records.
 */
afterAll(removeTempDirs);

/** Four roles in a relay: one round each, so a run stopped by its round limit has rounds left. */
const RELAY = `apiVersion: sop/v1
kind: SOP
metadata: { name: relay, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Draft: { description: a draft }
  Review: { description: a review }
  Edit: { description: an edit }
  Final: { description: the final text }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  drafter: { profile: Drafter, watch: [Idea], actions: [{ id: draft, prompt: "Draft {{ message.content }}", output: { type: Draft } }] }
  reviewer: { profile: Reviewer, watch: [Draft], actions: [{ id: review, prompt: "Review {{ message.content }}", output: { type: Review } }] }
  editor: { profile: Editor, watch: [Review], actions: [{ id: edit, prompt: "Edit {{ message.content }}", output: { type: Edit } }] }
  finisher: { profile: Finisher, watch: [Edit], actions: [{ id: finish, prompt: "Finish {{ message.content }}", output: { type: Final } }] }
stop_when: { type: Final }
`;

const SCRIPT = `apiVersion: sop-script/v1
answers:
  - { role: drafter, action: draft, output: "the draft" }
  - { role: reviewer, action: review, output: "the review" }
`;

function append(file: string, text: string): void {
  writeFileSync(file, `${readFileSync(file, 'utf8')}${text}`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Starts a run stopped by its round limit after round 1 (exit 5); returns its id. */
async function stoppedRun(cwd: string, extra: string[] = []): Promise<string> {
  const first = await sop(['run', 'relay.yaml', 'a note', '--n-round', '1', ...extra, '--json'], { cwd });
  expect(first.code, first.stderr).toBe(5);
  return (JSON.parse(first.stdout) as { result: { runId: string } }).result.runId;
}

describe('sop resume after a resume with a changed SOP', () => {
  it('compares with the SOP the last resume went on with: a plain resume goes on, a further change is refused', { timeout: 60_000 }, async () => {
    const cwd = tempDir();
    const file = path.join(cwd, 'relay.yaml');
    writeFileSync(file, RELAY);
    const runId = await stoppedRun(cwd);

    append(file, '# edited once\n');
    const refused = await sop(['resume', runId, '--n-round', '2'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^error RESUME_SOP_CHANGED: relay\\.yaml changed since run ${runId} started`, 'm'));
    const allowed = await sop(['resume', runId, '--n-round', '2', '--allow-changed-sop'], { cwd });
    expect(allowed.code, allowed.stderr).toBe(5);
    expect(allowed.stderr).toContain('warning: relay.yaml changed since the run started; resuming with the changed SOP (--allow-changed-sop)');

    // Stopped again (round limit): the SOP did not change since that resume, so no flag is needed.
    const plain = await sop(['resume', runId, '--n-round', '3'], { cwd });
    expect(plain.code, plain.stderr).toBe(5);
    expect(plain.stderr).not.toContain('changed');
    expect(plain.stderr).toContain('[round 3] editor edit');

    // The SOP as run is the one the run went on with: restored, it is what the next resume compares with.
    const asRun = await sop(['runs', '--sop', runId], { cwd });
    expect(asRun.code, asRun.stderr).toBe(0);
    expect(asRun.stdout).toBe(readFileSync(file, 'utf8'));
    expect(asRun.stderr).toMatch(new RegExp(`^run ${runId} was resumed with a changed SOP at \\S+ \\(--allow-changed-sop\\): this is the SOP it went on with, not the one it was started with`, 'm'));
    const asJson = JSON.parse((await sop(['runs', '--sop', runId, '--json'], { cwd })).stdout) as { result: { sop: string; sopAtStart: string } };
    expect(asJson.result).toMatchObject({ sop: readFileSync(file, 'utf8'), sopAtStart: RELAY });

    append(file, '# edited twice\n');
    const again = await sop(['resume', runId, '--n-round', '4'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).not.toMatch(STACK_LINE);
    expect(again.stderr).toMatch(
      new RegExp(`^error RESUME_SOP_CHANGED: relay\\.yaml changed since run ${runId} was resumed with a changed SOP at \\S+ \\(sha256 ${sha256(`${RELAY}# edited once\n`).slice(0, 12)} -> [0-9a-f]{12}\\)`, 'm'),
    );
    expect(again.stderr).toContain(`hint: restore the file (\`sop runs --sop ${runId}\` prints the SOP as run)`);

    // Restored as `sop runs --sop` prints it, the run goes on to its end.
    writeFileSync(file, asRun.stdout);
    const restored = await sop(['resume', runId, '--n-round', '4'], { cwd });
    expect(restored.code, restored.stderr).toBe(0);
  });
});

describe('the sop-changed line', () => {
  it('a damaged one is refused as a damaged journal (exit 15, naming the line), not taken for the SOP as run', { timeout: 60_000 }, async () => {
    const cwd = tempDir();
    const file = path.join(cwd, 'relay.yaml');
    writeFileSync(file, RELAY);
    const runId = await stoppedRun(cwd);
    append(file, '# edited\n');
    const allowed = await sop(['resume', runId, '--n-round', '2', '--allow-changed-sop'], { cwd });
    expect(allowed.code, allowed.stderr).toBe(5);
    const journal = path.join(cwd, '.sop', 'runs', runId, 'journal.jsonl');
    const lines = readFileSync(journal, 'utf8').split('\n');
    const at = lines.findIndex((line) => line.includes('"type":"sop-changed"'));
    expect(at).toBeGreaterThan(0);
    lines[at] = (lines[at] as string).replace(/"sha256":"[0-9a-f]{64}",/, '');
    writeFileSync(journal, lines.join('\n'));
    const damaged = await sop(['resume', runId, '--n-round', '3'], { cwd });
    expect(damaged.code).toBe(15);
    expect(damaged.stderr).not.toMatch(STACK_LINE);
    expect(damaged.stderr).toContain(`error RUN_JOURNAL_DAMAGED: ${journal} is damaged at line ${at + 1}`);
    expect(damaged.stderr).toContain('the sop-changed line needs');
  });
});

describe('sop resume and the script of a script:FILE model', () => {
  it('a script given with --model that changed is refused (naming it) unless --allow-changed-sop, which the run records', { timeout: 60_000 }, async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'relay.yaml'), RELAY);
    const script = path.join(cwd, 'answers.yaml');
    writeFileSync(script, SCRIPT);
    const runId = await stoppedRun(cwd, ['--model', 'script:answers.yaml']);

    // Unchanged: goes on as before.
    const same = await sop(['resume', runId, '--n-round', '2'], { cwd });
    expect(same.code, same.stderr).toBe(5);

    writeFileSync(script, SCRIPT.replace('the review', 'another review').concat('  - { role: editor, action: edit, output: "the edit" }\n'));
    const refused = await sop(['resume', runId, '--n-round', '3'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).not.toMatch(STACK_LINE);
    expect(refused.stderr).toMatch(new RegExp(`^error RESUME_SOP_CHANGED: script answers\\.yaml changed since run ${runId} started \\(sha256 ${sha256(SCRIPT).slice(0, 12)} -> [0-9a-f]{12}\\)`, 'm'));
    expect(refused.stderr).toContain('hint: restore script answers.yaml as it was when the run started, or pass --allow-changed-sop');

    const allowed = await sop(['resume', runId, '--n-round', '3', '--allow-changed-sop'], { cwd });
    expect(allowed.code, allowed.stderr).toBe(5);
    expect(allowed.stderr).toContain('warning: script answers.yaml changed since the run started; resuming with the changed SOP (--allow-changed-sop)');
    // The changed script answered the round it ran.
    expect(readFileSync(path.join(cwd, '.sop', 'runs', runId, 'journal.jsonl'), 'utf8')).toMatch(/"type":"Edit"[^\n]*"content":"the edit"/);

    const plain = await sop(['resume', runId, '--n-round', '4'], { cwd });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).not.toContain('changed');
  });

  it('a script that cannot be read on resume says where it was looked for, not to pass --model (which resume refuses)', { timeout: 60_000 }, async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'relay.yaml'), RELAY);
    writeFileSync(path.join(cwd, 'answers.yaml'), SCRIPT);
    const runId = await stoppedRun(cwd, ['--model', 'script:answers.yaml']);
    const elsewhere = path.join(cwd, 'elsewhere');
    mkdirSync(elsewhere);
    const gone = await sop(['resume', runId, '--runs-dir', path.join('..', '.sop', 'runs'), '--n-round', '2'], { cwd: elsewhere });
    expect(gone.code).toBe(2);
    expect(gone.stderr).not.toMatch(STACK_LINE);
    expect(gone.stderr).toContain('error FILE_NOT_FOUND: cannot read script answers.yaml: no such file');
    expect(gone.stderr).toContain(`hint: a resume reads the run's script relative to the folder it runs in (${elsewhere};`);
    expect(gone.stderr).not.toContain('--model script:');
  });

  it('a script the SOP names is compared too; a run recorded without script digests resumes as before', { timeout: 60_000 }, async () => {
    const cwd = tempDir();
    const file = path.join(cwd, 'relay.yaml');
    writeFileSync(file, RELAY.replace('stop_when:', 'settings: { model: "script:answers.yaml" }\nstop_when:'));
    const script = path.join(cwd, 'answers.yaml');
    writeFileSync(script, SCRIPT);
    const runId = await stoppedRun(cwd);

    append(script, '  - { role: editor, action: edit, output: "the edit" }\n');
    const refused = await sop(['resume', runId, '--n-round', '2'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^error RESUME_SOP_CHANGED: script answers\\.yaml changed since run ${runId} started`, 'm'));

    // A run of an older version: its snapshot has no `scripts`, so only the SOP and its files are compared.
    const journal = path.join(cwd, '.sop', 'runs', runId, 'journal.jsonl');
    const lines = readFileSync(journal, 'utf8');
    expect(lines).toMatch(/,"scripts":\{"answers\.yaml":"[0-9a-f]{64}"\}/);
    writeFileSync(journal, lines.replace(/,"scripts":\{"answers\.yaml":"[0-9a-f]{64}"\}/g, ''));
    const older = await sop(['resume', runId, '--n-round', '2'], { cwd });
    expect(older.code, older.stderr).toBe(5);
    expect(older.stderr).not.toContain('changed');
  });
});
