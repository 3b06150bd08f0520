import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Resume from '../../src/cli/commands/resume.js';
import Run from '../../src/cli/commands/run.js';
import { queueFlags } from '../../src/cli/queue-flags.js';
import { RESUME_FLAGS, RUN_COMMAND_FLAGS, RUN_ONLY_FLAGS, resumePlaceFlags, runFlags } from '../../src/cli/run-flags.js';
import { readResumePoint, type RunReport } from '../../src/runtime/index.js';
import { resultOf } from '../support/cli-envelope.js';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

const W1 = path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml');

describe('run options, declared once (src/cli/run-flags.ts)', () => {
  it('every run option is a flag of `sop run`, and each flag `sop resume` shares with it is the very same definition', () => {
    for (const [name, definition] of Object.entries(runFlags)) expect(Run.flags[name as keyof typeof Run.flags], name).toBe(definition);
    // The flags resume refuses are hidden ones of its own (see the next test), not the run options.
    // The queue's flags (docs/queue.md) and `--queue-keep-days` are shared too, as the very same definitions.
    // `--input` is resume's own: it takes only an input recorded masked (a secret), given again;
    // so is `--workspace`: where the run's own workspace is now (a moved project), not where a new run writes.
    const shared = Object.keys(Resume.flags).filter((name) => name in Run.flags && name !== 'input' && !(name in resumePlaceFlags) && !Resume.flags[name as keyof typeof Resume.flags].hidden);
    expect(shared.sort()).toEqual([...RESUME_FLAGS, ...Object.keys(queueFlags), 'queue-keep-days'].sort());
    for (const name of shared) expect(Resume.flags[name as keyof typeof Resume.flags], name).toBe(Run.flags[name as keyof typeof Run.flags]);
  });

  it('the run options `sop resume` leaves out are each explained in `sop resume --help`', async () => {
    for (const name of Object.keys(runFlags)) {
      expect(RESUME_FLAGS.includes(name as never) || name in RUN_ONLY_FLAGS || name in resumePlaceFlags, name).toBe(true);
      expect(RESUME_FLAGS.includes(name as never) && name in RUN_ONLY_FLAGS, name).toBe(false);
    }
    const help = await sop(['resume', '--help']);
    expect(help.code, help.stderr).toBe(0);
    for (const name of RESUME_FLAGS) expect(help.stdout).toContain(`--${name}`);
    for (const name of [...Object.keys(RUN_ONLY_FLAGS), ...Object.keys(RUN_COMMAND_FLAGS)]) {
      expect(help.stdout).toMatch(new RegExp(`^\\s+--${name}: `, 'm'));
      // Explained, not offered: none is in the usage line or the flag list.
      expect(help.stdout).not.toMatch(new RegExp(`^\\s+(-\\w, )?--${name}[ =]`, 'm'));
      expect(help.stdout).not.toContain(`[--${name}`);
    }
    // --n-round, --investment and --durability: the help says a resume keeps the run's own.
    const oneLine = help.stdout.replace(/\s+/g, ' ');
    expect(oneLine).toContain("--durability=<option> What the run record survives: process (a crash or kill of sop; a new run's default) or machine (also power loss: each write is fsynced, slower). On resume, the default is the run's.");
    expect(oneLine).toContain("--n-round, --investment and --durability default to the run's own (recorded when it started)");
    expect(oneLine).toContain("-i, --input=<value>... An input recorded masked (its value was a secret, never recorded), given again as name=value (repeatable); any other input is in the run's record and refused.");
  });

  it('`sop resume RUN --input` of an input recorded as given is refused with the reason (exit 2), before anything runs', async () => {
    const cwd = tempDir('sop-run-flags-');
    const first = await sop(['run', W1, 'an idea', '--n-round', '1', '--json', '--quiet'], { cwd });
    expect(first.code, first.stderr).toBe(5);
    const { runId } = resultOf<RunReport>(first);
    const journal = path.join(cwd, '.sop', 'runs', runId, 'journal.jsonl');
    const written = readFileSync(journal, 'utf8');
    const refused = await sop(['resume', runId, '--input', 'idea=another idea'], { cwd });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toBe(
      "error USAGE: --input idea is fixed when the run started: the inputs are in the run's record (only an input recorded masked, a secret, is given again; this run has none)\n" +
        '  hint: resume without --input idea=... (the resumed run keeps its own); to change it, start a new run with `sop run`\n',
    );
    expect(readFileSync(journal, 'utf8')).toBe(written);
  });

  it.each([
    [['--model', 'openai:x'], "--model is fixed when the run started: the models are chosen again from the run's recorded model options"],
    [['--cache-dir', 'elsewhere'], '--cache-dir is fixed when the run started: part of the recorded model options'],
    [['--no-cache'], '--no-cache is fixed when the run started: part of the recorded model options'],
    [['--inc'], "--inc is fixed when the run started: incremental mode is one of the run's inputs"],
  ])('`sop resume RUN %j` is refused with the reason, not as an unknown flag (exit 2, USAGE, also in --json)', async (flag, says) => {
    const cwd = tempDir('sop-run-flags-');
    const text = await sop(['resume', 'some-run', ...flag], { cwd });
    expect(text.code, text.stderr).toBe(2);
    expect(text.stderr).toContain(`error USAGE: ${says}\n  hint: resume without it (the resumed run keeps its own); to change it, start a new run with \`sop run\``);
    expect(text.stderr).not.toMatch(STACK_LINE);
    const json = await sop(['resume', 'some-run', ...flag, '--json'], { cwd });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ command: 'resume', ok: false, exitCode: 2, error: { code: 'USAGE', exitCode: 2, message: says } });
  });
});

describe.concurrent('the options `sop run` and `sop resume` share mean the same in both', () => {
  it('--n-round, --investment, --durability, --runs-dir, --events and --quiet: a run stopped at its round limit, resumed with higher limits', async () => {
    const cwd = tempDir('sop-run-flags-');
    const common = (events: string) => ['--runs-dir', 'records', '--durability', 'machine', '--events', events, '--quiet', '--json'];
    const first = await sop(['run', W1, 'an idea', '--workspace', 'ws', '--n-round', '2', '--investment', '3', ...common('first.ndjson')], { cwd });
    expect(first.code, first.stderr).toBe(5);
    const started = resultOf<RunReport>(first);
    expect(started).toMatchObject({ status: 'round_limit', rounds: 2, budget: { investment: 3 } });
    expect(existsSync(path.join(cwd, 'records', started.runId))).toBe(true);

    const resumed = await sop(['resume', started.runId, '--n-round', '3', '--investment', '4', ...common('resumed.ndjson')], { cwd });
    expect(resumed.code, resumed.stderr).toBe(5);
    expect(resultOf<RunReport>(resumed)).toMatchObject({ runId: started.runId, status: 'round_limit', rounds: 3, budget: { investment: 4 } });
    // --quiet: no progress lines on stderr, in either command.
    for (const result of [first, resumed]) expect(result.stderr).not.toMatch(/step\d/);
    // --events: each command wrote its own events, ending with the run's end.
    for (const file of ['first.ndjson', 'resumed.ndjson']) {
      const events = readFileSync(path.join(cwd, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string });
      expect(events.at(-1)?.type, file).toBe('run-end');
    }
  });

  it.each([
    [['--n-round', '0'], '--n-round'],
    [['--investment', '-1'], '--investment: must be a positive number, got "-1"'],
    [['--durability', 'disk'], '--durability'],
  ])('%j is refused the same way by both (exit 2, one line, no stack)', async (flag, says) => {
    const cwd = tempDir('sop-run-flags-');
    const run = await sop(['run', W1, 'an idea', ...flag], { cwd });
    const resume = await sop(['resume', 'some-run', ...flag], { cwd });
    for (const result of [run, resume]) {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(says);
      expect(result.stderr).not.toMatch(STACK_LINE);
    }
    const firstLine = (text: string): string => text.split('\n')[0] as string;
    expect(firstLine(resume.stderr)).toBe(firstLine(run.stderr));
  });

  it.each(['1000000000000', '1e9', '1000001'])('--n-round %s, past settings.n_round\'s bound, is refused by run, resume and prompts alike (exit 2, naming the flag, the bound and the fix)', async (value) => {
    const cwd = tempDir('sop-run-flags-');
    const results = await Promise.all([
      sop(['run', W1, 'an idea', '--n-round', value], { cwd }),
      sop(['resume', 'some-run', '--n-round', value], { cwd }),
      sop(['prompts', W1, 'an idea', '--n-round', value], { cwd }),
    ]);
    for (const result of results) {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toBe(
        `error USAGE: --n-round: must be a whole number from 1 to 1000000, got "${value}"\n` +
          '  hint: give the most rounds the run may take, e.g. --n-round 50 (settings.n_round has the same bound; a run ends at its stop condition before its limit)\n',
      );
    }
    // Nothing was recorded.
    expect(existsSync(path.join(cwd, '.sop', 'runs'))).toBe(false);
  });

  it('a resume without --durability keeps the run\'s recorded durability, as `sop resume --help` says', async () => {
    const cwd = tempDir('sop-run-flags-');
    const first = await sop(['run', W1, 'an idea', '--n-round', '1', '--durability', 'machine', '--json', '--quiet'], { cwd });
    expect(first.code, first.stderr).toBe(5);
    const { runId } = resultOf<RunReport>(first);
    const resumed = await sop(['resume', runId, '--n-round', '2', '--quiet'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(5);
    const journal = readFileSync(path.join(cwd, '.sop', 'runs', runId, 'journal.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(journal.at(-1) as string)).toMatchObject({ type: 'run-closed', status: 'round_limit', round: 2 });
    expect(readResumePoint(path.join(cwd, '.sop', 'runs', runId)).checkpoint).toMatchObject({ status: 'round_limit', round: 2, options: { durability: 'machine' } });
  });
});
