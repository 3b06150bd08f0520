import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * `sop eval` prints its id and `report: .sop/evals/ID/report.html` as a run prints its own; `sop
 * report ID` then said only "no run ID": the error now says it is an eval and where its page is.
 */
describe('an eval id given where a run id goes', () => {
  it('sop report and sop resume say it is an eval, name its page and `sop eval --resume` (exit 2)', async () => {
    const cwd = tempDir('sop-eval-id-run-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    writeFileSync(path.join(cwd, 'cases.jsonl'), '{"name":"tides","inputs":{"idea":"tidal power"}}\n');
    const evaluated = await sop(['eval', 'sop.yaml', '--dataset', 'cases.jsonl'], { cwd });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const id = /^eval (\S+):/m.exec(evaluated.stderr)?.[1] as string;
    const page = path.join('.sop', 'evals', id, 'report.html');
    expect(existsSync(path.join(cwd, page))).toBe(true);
    for (const args of [['report', id], ['resume', id], ['report', id.slice(0, -2)]]) {
      const given = await sop(args, { cwd });
      expect(given.code, given.stderr).toBe(2);
      expect(given.stderr).toContain(`error RUN_NOT_FOUND: no run ${args[1]}: ${path.join('.sop', 'evals', id)} is an eval's record, not a run's\n`);
      expect(given.stderr).toContain(`hint: its page is ${page}; \`sop eval --resume ${id}\` continues it if it stopped, \`sop runs\` lists the runs`);
      expect(given.stderr).not.toMatch(STACK_LINE);
    }
  });
});
