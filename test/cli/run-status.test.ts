import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import { resultOf } from '../support/cli-envelope.js';
import { project } from '../e2e/providers-helpers.js';
import { FAN_OUT_SOP, journalRecords, runDirOf, start, startSlowProxy, waitFor, writeSop } from '../e2e/resume-helpers.js';
import type { RunSummary } from '../../src/store/index.js';

/** What `sop runs` says of a run whose resume was killed, and the hints a stopped run gives. */
afterAll(removeTempDirs);

const MODEL = ['--model', 'openai:gpt-4o-mini'];
const W1 = path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml');

const runsOf = (result: { stdout: string }): Array<Pick<RunSummary, 'id' | 'status' | 'rounds' | 'exitCode'>> =>
  resultOf<{ runs: RunSummary[] }>(result).runs.map(({ id, status, rounds, exitCode }) => ({ id, status, rounds, exitCode }));

describe('`sop runs` reads how the journal ends', () => {
  it('a resume SIGKILLed after it saved a round is crashed, not the round_limit of the report before; --approve on it says to resume without a flag', async (context) => {
    const server = await startFakeOpenAI();
    context.onTestFinished(() => server.close());
    const cwd = project();
    // Round 1 (the plan), then the round limit: exit 5.
    const first = await start(cwd, ['run', writeSop(cwd), 'a todo app', ...MODEL, '--n-round', '1'], server.url).done;
    expect(first.code, first.stderr).toBe(5);
    const runDir = runDirOf(cwd) as string;
    const runId = path.basename(runDir);

    // The resume's round 2 (four files) is answered and saved; round 3's first call is held, then the process is killed.
    const slow = await startSlowProxy(server.url, 0);
    context.onTestFinished(() => slow.close());
    slow.answerAtMost = 4;
    const resuming = start(cwd, ['resume', runId, '--n-round', '10'], slow.url);
    await waitFor(
      () => journalRecords(runDir).some((record) => record.type === 'round-commit' && record['round'] === 2),
      () => `CLI stderr: ${resuming.stderr() || '(nothing)'}`,
    );
    resuming.child.kill('SIGKILL');
    await resuming.done;
    // What misled `sop runs`: the report of the attempt before.
    expect(JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8'))).toMatchObject({ status: 'round_limit', exitCode: 5 });

    const listed = await start(cwd, ['runs', '--json'], server.url).done;
    expect(listed.code, listed.stderr).toBe(0);
    // The rounds its journal committed (round 2, the resume's), no exit code.
    expect(runsOf(listed)).toEqual([{ id: runId, status: 'crashed', rounds: 2, exitCode: null }]);
    const table = await start(cwd, ['runs'], server.url).done;
    expect(table.stdout).toMatch(new RegExp(`^${runId} +fan-out +crashed +\\S+ +2 +- +-$`, 'm'));

    const approve = await start(cwd, ['resume', runId, '--approve'], server.url).done;
    expect(approve.code).toBe(2);
    expect(approve.stderr).toContain(`error USAGE: --approve: run ${runId} is not awaiting approval: it crashed while running, before any human gate asked for a decision`);
    expect(approve.stderr).toContain(`hint: resume it without a decision flag: sop resume ${runId}`);
    expect(approve.stderr).not.toMatch(STACK_LINE);

    const resumed = await start(cwd, ['resume', runId], server.url).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(runsOf(await start(cwd, ['runs', '--json'], server.url).done)).toEqual([{ id: runId, status: 'completed', rounds: 4, exitCode: 0 }]);
  });

  it('a run awaiting approval whose `resume --approve` is SIGKILLed after the approved round was saved is crashed; --approve again is refused, a plain resume finishes it', async (context) => {
    const server = await startFakeOpenAI();
    context.onTestFinished(() => server.close());
    const cwd = project();
    const gated = FAN_OUT_SOP.replace('output: { type: Plan, format: json }', 'output: { type: Plan, format: json }\n        gates: [{ name: approve-plan, human: { prompt: "Write these files?" } }]');
    expect(gated).not.toBe(FAN_OUT_SOP);
    const first = await start(cwd, ['run', writeSop(cwd, gated), 'a todo app', ...MODEL], server.url).done;
    expect(first.code, first.stderr).toBe(8);
    const runDir = runDirOf(cwd) as string;
    const runId = path.basename(runDir);
    expect(runsOf(await start(cwd, ['runs', '--json'], server.url).done)).toEqual([{ id: runId, status: 'awaiting_approval', rounds: 0, exitCode: 8 }]);

    const slow = await startSlowProxy(server.url, 0);
    context.onTestFinished(() => slow.close());
    slow.answerAtMost = 4;
    const approving = start(cwd, ['resume', runId, '--approve'], slow.url);
    await waitFor(
      () => journalRecords(runDir).some((record) => record.type === 'round-commit' && record['round'] === 2),
      () => `CLI stderr: ${approving.stderr() || '(nothing)'}`,
    );
    approving.child.kill('SIGKILL');
    await approving.done;

    expect(runsOf(await start(cwd, ['runs', '--json'], server.url).done)).toEqual([{ id: runId, status: 'crashed', rounds: 2, exitCode: null }]);
    const again = await start(cwd, ['resume', runId, '--approve'], server.url).done;
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('after any decision it awaited was already applied');
    expect(again.stderr).toContain(`hint: resume it without a decision flag: sop resume ${runId}`);
    const resumed = await start(cwd, ['resume', runId], server.url).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(runsOf(await start(cwd, ['runs', '--json'], server.url).done)).toEqual([{ id: runId, status: 'completed', rounds: 4, exitCode: 0 }]);
  });
});

describe('a run killed after the round that met its stop condition was saved', () => {
  it('resumes to completed (exit 0, its rounds), not stalled with a hint saying stop_when does not name the message', async () => {
    const cwd = tempDir('sop-run-status-');
    const finished = await sop(['run', W1, 'an idea', '--ci'], { cwd });
    expect(finished.code, finished.stderr).toBe(0);
    const runsDir = path.join(cwd, '.sop', 'runs');
    const runId = readdirSync(runsDir)[0] as string;
    const journal = path.join(runsDir, runId, 'journal.jsonl');
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
    const lastCommit = lines.findLastIndex((line) => JSON.parse(line).type === 'round-commit');
    const rounds = JSON.parse(lines[lastCommit] as string).round as number;
    // What a SIGKILL between that round's commit and the run's end leaves: the commit is the last line.
    writeFileSync(journal, `${lines.slice(0, lastCommit + 1).join('\n')}\n`);
    expect(runsOf(await sop(['runs', '--json'], { cwd }))).toEqual([{ id: runId, status: 'crashed', rounds, exitCode: null }]);

    const resumed = await sop(['resume', runId, '--ci'], { cwd });
    expect(resumed.stderr).not.toContain('stalled');
    expect(resumed.stderr).toContain(`status: completed after ${rounds} rounds`);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(runsOf(await sop(['runs', '--json'], { cwd }))).toEqual([{ id: runId, status: 'completed', rounds, exitCode: 0 }]);
  });
});

describe('a run whose journal a newer sop wrote', () => {
  it('is listed as newer with a warning naming it, not with the status this sop would misread (report and resume refuse it, exit 19)', async () => {
    const cwd = tempDir('sop-run-status-');
    expect((await sop(['run', W1, 'an idea', '--quiet'], { cwd })).code).toBe(0);
    const runsDir = path.join(cwd, '.sop', 'runs');
    const runId = readdirSync(runsDir)[0] as string;
    const journal = path.join(runsDir, runId, 'journal.jsonl');
    writeFileSync(journal, readFileSync(journal, 'utf8').replace(/"journalVersion":\d+/, '"journalVersion":99'));

    const listed = await sop(['runs', '--json'], { cwd });
    expect(listed.code, listed.stderr).toBe(0);
    expect(runsOf(listed)).toEqual([{ id: runId, status: 'newer', rounds: 0, exitCode: null }]);
    const table = await sop(['runs'], { cwd });
    expect(table.stdout).toMatch(new RegExp(`^${runId} +\\S+ +newer +\\S+ +- +- +-$`, 'm'));
    expect(table.stderr).toContain(`warning: ${path.join('.sop', 'runs', runId, 'journal.jsonl')} was written by a newer sop: list, report or resume run ${runId} with that version, or upgrade sop`);
    expect((await sop(['report', runId], { cwd })).code).toBe(19);
  });
});

describe('a run whose journal is damaged and that has no report.json', () => {
  it('is unreadable, with a warning naming the line (it was listed as completed: only the last line was read); a torn last line alone is crashed', async () => {
    const cwd = tempDir('sop-run-status-');
    expect((await sop(['run', W1, 'an idea', '--quiet'], { cwd })).code).toBe(0);
    const runsDir = path.join(cwd, '.sop', 'runs');
    const runId = readdirSync(runsDir).find((name) => !name.startsWith('.')) as string;
    const lines = readFileSync(path.join(runsDir, runId, 'journal.jsonl'), 'utf8').trimEnd().split('\n');
    const folder = (name: string, text: string): void => {
      cpSync(path.join(runsDir, runId), path.join(runsDir, name), { recursive: true });
      rmSync(path.join(runsDir, name, 'report.json'));
      writeFileSync(path.join(runsDir, name, 'journal.jsonl'), text);
    };
    // Line 10 cut in the middle of its JSON: the run-closed line still ends the file.
    const middle = lines.map((line, index) => (index === 9 ? line.slice(0, 20) : line));
    folder('damaged-middle', `${middle.join('\n')}\n`);
    // The same, and the last line cut too.
    const both = `${middle.join('\n')}\n`;
    folder('damaged-and-torn', both.slice(0, both.length - 10));
    // Only the last line cut (a kill in the middle of a write): a crash, which a resume continues.
    const whole = `${lines.join('\n')}\n`;
    folder('torn', whole.slice(0, whole.length - 10));

    const listed = await sop(['runs', '--json'], { cwd });
    expect(listed.code, listed.stderr).toBe(0);
    const status = Object.fromEntries(resultOf<{ runs: RunSummary[] }>(listed).runs.map((run) => [run.id, run.status]));
    expect(status).toEqual({ [runId]: 'completed', 'damaged-middle': 'unreadable', 'damaged-and-torn': 'unreadable', torn: 'crashed' });
    const damaged = resultOf<{ runs: RunSummary[] }>(listed).runs.find((run) => run.id === 'damaged-middle');
    expect(damaged).toMatchObject({ rounds: 0, exitCode: null, damage: expect.stringContaining('journal.jsonl is damaged at line 10') });

    const table = await sop(['runs'], { cwd });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^damaged-middle +bench-w1 +unreadable +\S+ +- +- +-$/m);
    expect(table.stderr).toContain(`${path.join(runsDir, 'damaged-middle', 'journal.jsonl')} is damaged at line 10: `);
    expect(table.stderr).toContain('run damaged-middle is unreadable (`sop report` and `sop resume` refuse it); its status is unknown');
    expect(table.stderr).not.toMatch(STACK_LINE);
    // What the listing now agrees with.
    const report = await sop(['report', 'damaged-middle'], { cwd });
    expect(report.stderr).toContain('error RUN_JOURNAL_DAMAGED: ');
  });
});

describe('a copied run folder', () => {
  it('is listed by its folder name, the id sop report and sop resume find it by (it showed the id of the run it was copied from, twice)', async () => {
    const cwd = tempDir('sop-run-status-');
    expect((await sop(['run', W1, 'an idea', '--quiet'], { cwd })).code).toBe(0);
    const runsDir = path.join(cwd, '.sop', 'runs');
    const runId = readdirSync(runsDir).find((name) => !name.startsWith('.')) as string;
    const copy = '20991231-235959-c0ffee';
    cpSync(path.join(runsDir, runId), path.join(runsDir, copy), { recursive: true });
    expect(runsOf(await sop(['runs', '--json'], { cwd })).map((run) => run.id).sort()).toEqual([copy, runId].sort());
    expect((await sop(['report', copy], { cwd })).code).toBe(0);
  });
});

describe('a run stopped by its round limit', () => {
  it('names a --n-round to resume with, also when a resume is given fewer rounds than already run; following the hint finishes the run', async () => {
    const cwd = tempDir('sop-run-status-');
    const stopped = await sop(['run', W1, 'an idea', '--n-round', '3', '--ci'], { cwd });
    expect(stopped.code, stopped.stderr).toBe(5);
    // W1's settings.n_round is 10: the hint leaves room for that many rounds more.
    const hint = /^hint: resume with more rounds: sop resume (\S+) --n-round 13 \(the limit counts the 3 already run\)$/m.exec(stopped.stderr);
    expect(hint, stopped.stderr).not.toBeNull();
    const runId = hint?.[1] as string;

    const tooFew = await sop(['resume', runId, '--n-round', '1', '--json', '--ci'], { cwd });
    expect(tooFew.code, tooFew.stderr).toBe(5);
    expect(JSON.parse(tooFew.stdout)).toMatchObject({
      result: { status: 'round_limit', rounds: 3, hint: `resume with more rounds: sop resume ${runId} --n-round 13 (the limit counts the 3 already run)` },
      error: { code: 'RUN_ROUND_LIMIT', hint: `resume with more rounds: sop resume ${runId} --n-round 13 (the limit counts the 3 already run)` },
    });

    const finished = await sop(['resume', runId, '--n-round', '13', '--ci'], { cwd });
    expect(finished.code, finished.stderr).toBe(0);
  });
});
