import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * `sop eval` names its record folder (`.sop/evals/ID`) on its last lines; given as --baseline, that
 * folder was refused with node's "EISDIR: illegal operation on a directory, read".
 */
describe('sop eval --baseline: an eval\'s record folder', () => {
  it('is read as its results.json; a folder without one is refused, saying so (exit 2)', async () => {
    const cwd = tempDir('sop-eval-baseline-folder-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    writeFileSync(path.join(cwd, 'cases.jsonl'), '{"name":"tides","inputs":{"idea":"tidal power"}}\n');
    const first = await sop(['eval', 'sop.yaml', '--dataset', 'cases.jsonl'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    const record = /^eval \S+: .*\(record: (\S+)\)$/m.exec(first.stderr)?.[1] as string;
    const folder = path.relative(cwd, record);
    const again = await sop(['eval', 'sop.yaml', '--dataset', 'cases.jsonl', '--baseline', folder], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`against baseline ${path.join(folder, 'results.json')}: 0 regressions, 0 improvements, 1 unchanged, 0 new, 0 gone`);

    mkdirSync(path.join(cwd, 'notes'));
    const other = await sop(['eval', 'sop.yaml', '--dataset', 'cases.jsonl', '--baseline', 'notes'], { cwd });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("error FILE_NOT_FOUND: cannot read baseline notes/results.json: notes is a folder without one, not an eval's record\n");
    expect(other.stderr).not.toMatch(STACK_LINE);
  });
});
