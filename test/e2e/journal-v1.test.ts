import { cpSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';
import { resultOf } from '../support/cli-envelope.js';
import { readLines, readPinnedSop, readRunEvents, readRunInfo } from '../../src/store/index.js';
import { artifacts } from './providers-helpers.js';
import { expectResumedLikeAFreshRun, recordedProject } from './run-fixture.js';

/**
 * The run record's files: a run creates only its journal (whose first lines say what the run is
 * and hold the SOP as run) and its report, and a run folder of the first journal format (version
 * 1: `run.json` and `sop.yaml` beside the journal, see test/fixtures/v1-journal-run/README.md) is
 * listed, shown and resumed by this version.
 */
afterAll(removeTempDirs);

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'v1-journal-run');
const RUN_ID = '20261203-155828-fd1e95';
const OLD_FILES = ['journal.jsonl', 'report.json', 'run.json', 'sop.yaml'];

const v1Project = (): { cwd: string; runDir: string } => recordedProject('v1-journal-run', RUN_ID);

describe('a new run folder', () => {
  it('holds journal.jsonl, report.json and report.html only: what the run is and the SOP as run are the journal\'s first two lines; `sop runs --sop` prints that SOP byte for byte, and names it when the SOP file is gone', async () => {
    const cwd = tempDir('sop-new-run-');
    cpSync(path.join(FIXTURE, 'project', 'pipeline.yaml'), path.join(cwd, 'pipeline.yaml'));
    const text = readFileSync(path.join(cwd, 'pipeline.yaml'), 'utf8');
    const run = await sop(['run', 'pipeline.yaml', 'a todo app', '--n-round', '1', '--json'], { cwd });
    expect(run.code, run.stderr).toBe(5);
    const { runId } = resultOf<{ runId: string }>(run) as { runId: string };
    const runDir = path.join(cwd, '.sop', 'runs', runId);
    expect(readdirSync(runDir).sort()).toEqual(['journal.jsonl', 'report.html', 'report.json']);

    const lines = readLines(path.join(runDir, 'journal.jsonl'))?.records.map((line) => line.record) ?? [];
    expect(lines.slice(0, 3).map((line) => line.type)).toEqual(['run-info', 'sop-text', 'run-start']);
    expect(lines[0]).toMatchObject({ seq: 1, journalVersion: 5, id: runId, sop: { name: 'pipeline', file: 'pipeline.yaml' }, inputs: { idea: 'a todo app' } });
    expect(readRunInfo(runDir)).toMatchObject({ id: runId, sop: { name: 'pipeline' } });
    expect(readPinnedSop(runDir)).toBe(text);
    // The journal's own records are not events.
    expect(readRunEvents(runDir)[0]).toMatchObject({ seq: 3, type: 'run-start' });

    const shown = await sop(['runs', '--sop', runId], { cwd });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toBe(text);
    // As README's JSON output section says: the SOP text as `sop`, beside an empty list.
    expect(resultOf(await sop(['runs', '--sop', runId, '--json'], { cwd }))).toEqual({ runs: [], sop: text });
    // An empty id names no run (not the working folder).
    const empty = await sop(['runs', '--sop', ''], { cwd });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no run given: expected a run id or the path of a run folder');
    const listed = await sop(['runs', '--json'], { cwd });
    expect(resultOf(listed)).toMatchObject({ runs: [{ id: runId, sop: 'pipeline', status: 'round_limit', rounds: 1, exitCode: 5 }] });

    renameSync(path.join(cwd, 'pipeline.yaml'), path.join(cwd, 'moved.yaml'));
    const resumed = await sop(['resume', runId], { cwd });
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain(`error FILE_NOT_FOUND: the SOP of run ${runId} is gone: ${path.join(cwd, 'pipeline.yaml')}\n  hint: restore it (\`sop runs --sop ${runId}\` prints the SOP as run), or resume with \`sop resume ${runId} --sop PATH\` where it is now\n`);
    expect(resumed.stderr).not.toMatch(STACK_LINE);
  });

  it('`sop runs --sop` names a run it cannot find, and a folder without a record', async () => {
    const cwd = tempDir('sop-no-run-');
    const missing = await sop(['runs', '--sop', 'nope'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error RUN_NOT_FOUND: no run nope/);
    const empty = path.join(cwd, 'empty');
    cpSync(path.join(FIXTURE, 'project', 'workspace'), empty, { recursive: true });
    const none = await sop(['runs', '--sop', empty], { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`error RUN_NOT_FOUND: run ${empty} has no SOP text`);
    expect(none.stderr).not.toMatch(STACK_LINE);
  });
});

describe('a run folder of the first journal format (run.json and sop.yaml beside journal.jsonl)', () => {
  it('is listed from run.json, its SOP shown from sop.yaml, and resumed: the journal goes on where it ended and the run completes like one never stopped; the old files stay', async () => {
    const { cwd, runDir } = v1Project();
    const before = Object.fromEntries(OLD_FILES.map((name) => [name, readFileSync(path.join(runDir, name), 'utf8')]));
    const oldLines = readLines(path.join(runDir, 'journal.jsonl'))?.records.map((line) => line.record) ?? [];

    const listed = await sop(['runs', '--json'], { cwd });
    expect(resultOf(listed)).toMatchObject({ runs: [{ id: RUN_ID, sop: 'pipeline', status: 'round_limit', rounds: 1, exitCode: 5 }] });
    const shown = await sop(['runs', '--sop', RUN_ID], { cwd });
    expect(shown.stdout).toBe(before['sop.yaml']);
    expect(readRunEvents(runDir).map((event) => event.type)).toEqual(oldLines.filter((line) => !['call-answered', 'round-commit', 'snapshot'].includes(line.type)).map((line) => line.type));

    // Completes with the same artifacts as a run of this version that was never stopped.
    await expectResumedLikeAFreshRun('v1-journal-run', cwd, RUN_ID);

    const lines = readLines(path.join(runDir, 'journal.jsonl'))?.records.map((line) => line.record) ?? [];
    expect(lines.slice(0, oldLines.length)).toEqual(oldLines);
    expect(lines.map((line) => line.seq)).toEqual(lines.map((_, index) => index + 1));
    expect(lines.slice(oldLines.length).find((line) => line.type === 'run-resume')).toMatchObject({ round: 1, previousStatus: 'round_limit' });
    expect(lines.filter((line) => line.type === 'run-info' || line.type === 'sop-text')).toEqual([]);
    for (const name of ['run.json', 'sop.yaml']) expect(readFileSync(path.join(runDir, name), 'utf8'), name).toBe(before[name]);
    const again = await sop(['runs', '--json'], { cwd });
    expect(resultOf(again)).toMatchObject({ runs: [{ id: RUN_ID, status: 'completed', rounds: 2, exitCode: 0 }] });
  });
});

describe('a run folder of journal format version 2 (every event a line of its own, usage in every round-commit)', () => {
  it('keeps its events as they were, and resumes from its round-commit: the answered call is not asked again and the run completes like one never stopped', async () => {
    const V2_RUN_ID = '20261203-183012-c09c0e';
    const { cwd, runDir } = recordedProject('v2-journal-run', V2_RUN_ID);
    const journal = path.join(runDir, 'journal.jsonl');
    const oldLines = readLines(journal)?.records.map((line) => line.record) ?? [];
    expect(oldLines.map((line) => line.type)).toContain('message-delivered');
    expect(readRunEvents(runDir)).toEqual(oldLines.filter((line) => !['run-info', 'sop-text', 'call-answered', 'round-commit', 'snapshot'].includes(line.type)));

    await expectResumedLikeAFreshRun('v2-journal-run', cwd, V2_RUN_ID);

    const lines = readLines(journal)?.records.map((line) => line.record) ?? [];
    expect(lines.slice(0, oldLines.length)).toEqual(oldLines);
    expect(lines.map((line) => line.seq)).toEqual(lines.map((_, index) => index + 1));
    // Round 2's call was answered before the kill: the resumed round gets it from the journal.
    expect(lines.filter((line) => line.type === 'llm-call-end' && line['round'] === 2)).toEqual([expect.objectContaining({ resumed: true })]);
  });
});

describe('a run folder of journal format version 3 (implied delivery and round-end lines, base64url request keys, round and role on every line)', () => {
  it('keeps its events as they were, and resumes from its round-commit: the answered call is not asked again and the run completes like one never stopped', async () => {
    const V3_RUN_ID = '20261203-222432-6db158';
    const { cwd, runDir } = recordedProject('v3-journal-run', V3_RUN_ID);
    const journal = path.join(runDir, 'journal.jsonl');
    const oldLines = readLines(journal)?.records.map((line) => line.record) ?? [];
    // Implied on disk, read back as events of their own; the keys read back as written, base64url.
    expect(oldLines.filter((line) => line.type === 'message-delivered' || line.type === 'round-end').map((line) => line.seq)).toEqual([5, 15, 16]);
    expect(oldLines.filter((line) => line.type === 'call-answered').map((line) => line['key'])).toEqual([expect.stringMatching(/^[\w-]{43}$/), expect.stringMatching(/^[\w-]{43}$/)]);
    expect(readRunEvents(runDir)).toEqual(oldLines.filter((line) => !['run-info', 'sop-text', 'call-answered', 'round-commit', 'snapshot'].includes(line.type)));

    await expectResumedLikeAFreshRun('v3-journal-run', cwd, V3_RUN_ID);

    const lines = readLines(journal)?.records.map((line) => line.record) ?? [];
    expect(lines.slice(0, oldLines.length)).toEqual(oldLines);
    expect(lines.map((line) => line.seq)).toEqual(lines.map((_, index) => index + 1));
    expect(lines.filter((line) => line.type === 'llm-call-end' && line['round'] === 2)).toEqual([expect.objectContaining({ resumed: true })]);
  });
});
