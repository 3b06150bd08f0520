import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, STACK_LINE } from '../cli/run-cli.js';
import { lastRun, project, run } from './providers-helpers.js';

/**
 * The `sop/v1` additions end to end with the offline model: a debate (bounds from inputs, `role.turn`,
 * a transcript built by appends, an input alias taking the positional IDEA, an artifact `if`) and a
 * data check (a file input, a required read, preconditions before the model call).
 */
afterAll(removeTempDirs);

const DEBATE = path.join(repoRoot, 'test', 'fixtures', 'reach', 'debate.yaml');
const DATA_CHECK = path.join(repoRoot, 'test', 'fixtures', 'reach', 'data-check.yaml');
const SALES = 'date,region,total\n2026-01-01,north,10\n2026-01-02,south,12\n';

const headings = (transcript: string): string[] => transcript.split('\n').filter((line) => line.startsWith('## '));
const modelCalls = (events: any[]): number => events.filter((event) => event.type === 'llm-call-start').length;

describe('a debate: bounds from inputs, role.turn, appended transcript, input alias', () => {
  it('the positional IDEA gives `motion` (its alias `idea`); each side argues `turns` times; the verdict is written on the judge\'s last turn', async () => {
    const cwd = project();
    const result = await run(cwd, ['run', DEBATE, 'AI should write the tests', '--input', 'turns=3', '--workspace', 'out'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    const transcript = readFileSync(path.join(cwd, 'out', 'transcript.md'), 'utf8');
    expect(headings(transcript)).toEqual(['## pro, turn 1', '## con, turn 1', '## pro, turn 2', '## con, turn 2', '## pro, turn 3', '## con, turn 3']);
    const { events, report } = lastRun(cwd);
    // The start message is published once, with the motion both names read.
    const start = events.filter((event) => event.type === 'message-published' && event.message.type === 'Motion');
    expect(start.map((event) => event.message.content)).toEqual(['AI should write the tests']);
    const prompts = events.filter((event) => event.type === 'llm-call-start' && event.action === 'argue_for');
    expect(prompts).toHaveLength(3);
    expect(events.filter((event) => event.type === 'action-limit-reached').map((event) => [event.action, event.maxRuns])).toEqual([['argue_for', 3]]);
    expect(report.status).toBe('completed');
    // The judge weighs after each of the 3 exchanges; its `if: role.turn == inputs.turns` writes the verdict once, on the last.
    expect(events.filter((event) => event.type === 'action-start' && event.action === 'weigh')).toHaveLength(3);
    const verdicts = events.filter((event) => event.type === 'artifact-written' && event.path === 'verdict.md');
    expect(verdicts.map((event) => event.round)).toEqual([7]);
  });

  it('n_round from an input: `--input rounds=3` ends the run at the round limit (exit 5)', async () => {
    const cwd = project();
    const result = await run(cwd, ['run', DEBATE, 'a motion', '--input', 'rounds=3', '--workspace', 'out'], {});
    expect(result.code, result.stderr).toBe(5);
    expect(headings(readFileSync(path.join(cwd, 'out', 'transcript.md'), 'utf8'))).toHaveLength(3);
  });

  it('a bound input that is not a whole number of at least 1, or an input given under two names: exit 2 before anything is recorded', async () => {
    const cwd = project();
    const zero = await run(cwd, ['run', DEBATE, 'a motion', '--input', 'turns=0'], {});
    expect(zero.stderr).not.toMatch(STACK_LINE);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('error INPUT_INVALID: input "turns" sets max_runs of action argue_for and must be a whole number of at least 1, got 0');
    // n_round's bound is the schema's, as --n-round's.
    const huge = await run(cwd, ['run', DEBATE, 'a motion', '--input', 'rounds=1000000000000'], {});
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain('error INPUT_INVALID: input "rounds" sets settings.n_round and must be a whole number from 1 to 1000000, got 1000000000000');
    expect(huge.stderr).toContain('hint: pass --input rounds=<a whole number from 1 to 1000000>');
    const twice = await run(cwd, ['run', DEBATE, 'a motion', '--input', 'motion=another'], {});
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('input "motion" was given twice (as "motion" and as "idea")');
  });
});

describe('a data check: file input, required reads, preconditions', () => {
  it('`--input data=@sales.csv` copies the file to its declared path before the run; the analyst reads it', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'sales.csv'), SALES);
    const result = await run(cwd, ['run', DATA_CHECK, '--input', 'data=@sales.csv', '--workspace', 'out'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'out', 'data', 'sales.csv'), 'utf8')).toBe(SALES);
    const { events } = lastRun(cwd);
    const start = events.find((event) => event.type === 'run-start');
    expect(start.inputs.data).toBe('data/sales.csv');
    const call = events.find((event) => event.type === 'llm-call-start' && event.action === 'check');
    expect(call).toBeDefined();
  });

  it('a file input that does not exist: exit 2 naming the input and the file', async () => {
    const cwd = project();
    const result = await run(cwd, ['run', DATA_CHECK, '--input', 'data=@missing.csv'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error INPUT_FILE_INVALID: file input "data": cannot read ${path.join(cwd, 'missing.csv')}: no such file`);
  });

  it('a failing `precondition.assert` fails the action before its model call (exit 9, located), nothing paid', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'bad.csv'), 'x,y\n1,2\n');
    const result = await run(cwd, ['run', DATA_CHECK, '--input', 'data=@bad.csv', '--workspace', 'out'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(9);
    const line = readFileSync(DATA_CHECK, 'utf8').split('\n').findIndex((text) => text.includes('assert: "files[')) + 1;
    expect(result.stderr).toContain(`${DATA_CHECK}:${line}:20: error PRECONDITION_FAILED: action check: precondition \`files[inputs.data].startsWith('date,')\` is false`);
    // The run reads the workspace's copy of bad.csv, not bad.csv: the hint names the file to fix.
    // ... and the command that continues the run once it is fixed.
    expect(result.stderr).toContain(`(an input, a file it reads; file input data is read from its copy, ${path.join(cwd, 'out', 'data', 'sales.csv')}), then continue with \`sop resume ${path.basename(lastRun(cwd).dir)}\``);
    expect(modelCalls(lastRun(cwd).events)).toBe(0);
  });

  it('after a failed precondition, the copied file fixed in the workspace, `sop resume` completes without copying the input again', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'bad.csv'), 'x,y\n1,2\n');
    const failed = await run(cwd, ['run', DATA_CHECK, '--input', 'data=@bad.csv', '--workspace', 'out'], {});
    expect(failed.code).toBe(9);
    writeFileSync(path.join(cwd, 'out', 'data', 'sales.csv'), SALES);
    const resumed = await run(cwd, ['resume', path.basename(lastRun(cwd).dir)], {});
    expect(resumed.stderr).not.toMatch(STACK_LINE);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'out', 'data', 'sales.csv'), 'utf8')).toBe(SALES);
    expect(lastRun(cwd).events.filter((event) => event.type === 'llm-call-start').map((event) => event.action)).toEqual(['check', 'audit']);
  });

  it('a failing `precondition.command` fails the action before its model call (exit 9), after the earlier action ran', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'short.csv'), 'date,total\n');
    const result = await run(cwd, ['run', DATA_CHECK, '--input', 'data=@short.csv', '--workspace', 'out'], {});
    expect(result.code).toBe(9);
    expect(result.stderr).toContain('error PRECONDITION_FAILED: action audit: precondition `node -e');
    const { events } = lastRun(cwd);
    expect(events.filter((event) => event.type === 'llm-call-start').map((event) => event.action)).toEqual(['check']);
  });

  it('a `required: true` read of a missing file fails the action before its model call (exit 9, at the entry)', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'sales.csv'), SALES);
    const sopFile = path.join(cwd, 'data-check.yaml');
    // The prompt reads the file too: `sop validate` refuses a prompt reading a file its action does not read.
    writeFileSync(sopFile, readFileSync(DATA_CHECK, 'utf8').replace('{ path: findings.md, required: true }', '{ path: notes.md, required: true }').replace("files['findings.md']", "files['notes.md']"));
    const result = await run(cwd, ['run', sopFile, '--input', 'data=@sales.csv', '--workspace', 'out'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(9);
    expect(result.stderr).toMatch(/data-check\.yaml:\d+:\d+: error READ_MISSING: action audit reads "notes\.md", which is required and not in the workspace/);
    expect(lastRun(cwd).events.filter((event) => event.type === 'llm-call-start').map((event) => event.action)).toEqual(['check']);
  });
});
