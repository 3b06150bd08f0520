import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Resume from '../../src/cli/commands/resume.js';
import Run from '../../src/cli/commands/run.js';
import { RESUME_FLAGS, RUN_ONLY_FLAGS, runFlags } from '../../src/cli/run-flags.js';
import type { RunReport } from '../../src/runtime/index.js';
import { resultOf } from '../support/cli-envelope.js';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

const W1 = path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml');

describe('run options, declared once (src/cli/run-flags.ts)', () => {
  it('every run option is a flag of `sop run`, and each flag `sop resume` shares with it is the very same definition', () => {
    for (const [name, definition] of Object.entries(runFlags)) expect(Run.flags[name as keyof typeof Run.flags], name).toBe(definition);
    const shared = Object.keys(Resume.flags).filter((name) => name in Run.flags);
    expect(shared.sort()).toEqual([...RESUME_FLAGS].sort());
    for (const name of shared) expect(Resume.flags[name as keyof typeof Resume.flags], name).toBe(Run.flags[name as keyof typeof Run.flags]);
  });

  it('the run options `sop resume` leaves out are each explained in `sop resume --help`', async () => {
    for (const name of Object.keys(runFlags)) {
      expect(RESUME_FLAGS.includes(name as never) || name in RUN_ONLY_FLAGS, name).toBe(true);
      expect(RESUME_FLAGS.includes(name as never) && name in RUN_ONLY_FLAGS, name).toBe(false);
    }
    const help = await sop(['resume', '--help']);
    expect(help.code, help.stderr).toBe(0);
    for (const name of RESUME_FLAGS) expect(help.stdout).toContain(`--${name}`);
    for (const name of Object.keys(RUN_ONLY_FLAGS)) expect(help.stdout).toMatch(new RegExp(`^\\s+--${name}: `, 'm'));
    // A run option resume leaves out is refused as a usage error, naming it.
    const refused = await sop(['resume', 'any-run', '--model', 'offline']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--model');
    expect(refused.stderr).not.toMatch(STACK_LINE);
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
});
