import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * The commands hints give (`sop resume ...`, `sop run ...`, `sop runs`) are typed the way sop was
 * started, as `sop init`'s Next lines are: a user who ran `node PATH/bin/sop.js` from their own
 * folder, with no `sop` on PATH, was told `sop resume ID`, a command not found. The runtime builds
 * most of them (the run's report, a refused resume); the CLI gives it the word.
 */
const W1 = path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml');

/** A user's shell without sop on PATH and without npm's variables (`npx vitest` sets them). */
const NO_SOP_ON_PATH = { PATH: path.dirname(process.execPath), npm_command: undefined, npm_lifecycle_event: undefined, npm_execpath: undefined };

/** Runs a hint's command as a user pasting it into a shell does. */
function pasted(command: string, cwd: string): { code: number | null; stdout: string; stderr: string } {
  const env: Record<string, string | undefined> = { ...process.env, ...NO_SOP_ON_PATH, NODE_ENV: 'production', FORCE_COLOR: '0' };
  for (const name of ['npm_command', 'npm_lifecycle_event', 'npm_execpath', 'VITEST', 'VITEST_WORKER_ID']) delete env[name];
  const result = spawnSync('/bin/sh', ['-c', command], { cwd, env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('hints started as `node PATH/bin/sop.js` from outside sop\'s project, with no sop on PATH', () => {
  it('give `node PATH/bin/sop.js ...` commands, which run as printed', async () => {
    const cwd = tempDir('sop-hint-word-');
    const run = await sop(['run', W1, 'owls', '--n-round', '2'], { cwd, env: NO_SOP_ON_PATH });
    expect(run.code, run.stderr).toBe(5);
    const id = readdirSync(path.join(cwd, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;
    // The runtime's hint, printed and in report.json alike.
    const resume = `node ${binPath} resume ${id} --n-round 12`;
    expect(run.stderr).toContain(`hint: resume with more rounds: ${resume} (the limit counts the 2 already run)`);
    const report = JSON.parse(readFileSync(path.join(cwd, '.sop', 'runs', id, 'report.json'), 'utf8')) as { hint: string };
    expect(report.hint).toBe(`resume with more rounds: ${resume} (the limit counts the 2 already run)`);

    // Pasted into a shell, it runs: the run completes.
    const resumed = pasted(resume, cwd);
    expect(resumed.stderr).not.toMatch(STACK_LINE);
    expect(resumed.code, resumed.stderr).toBe(0);

    // A completed run refused by a resume: the runtime's hint starts a new run the same way.
    const again = await sop(['resume', id], { cwd, env: NO_SOP_ON_PATH });
    expect(again.code, again.stderr).toBe(2);
    expect(again.stderr).toContain(`hint: start a new run with \`node ${binPath} run ${W1} --input idea=owls\``);

    // A hint the CLI builds itself.
    const missing = await sop(['resume', 'no-such-run'], { cwd, env: NO_SOP_ON_PATH });
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toContain(`hint: list runs with \`node ${binPath} runs\``);
    expect(pasted(`node ${binPath} runs`, cwd).stdout).toContain(id);
  });

  it('a plain `sop` on PATH gives `sop ...`', async () => {
    const cwd = tempDir('sop-hint-word-');
    const run = await sop(['run', W1, 'owls', '--n-round', '2'], { cwd });
    expect(run.code, run.stderr).toBe(5);
    const id = readdirSync(path.join(cwd, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;
    expect(run.stderr).toContain(`hint: resume with more rounds: sop resume ${id} --n-round 12 `);
  });
});

describe('`sop lock`\'s hints and the hints that name a command, started as `node PATH/bin/sop.js` from outside sop\'s project', () => {
  it('`--frozen`, `lock --check` and a broken lock give `node PATH/bin/sop.js lock FILE` (with its --lock), which pins the SOP as pasted', async () => {
    const cwd = tempDir('sop-hint-word-lock-');
    expect((await sop(['init', '.'], { cwd, env: NO_SOP_ON_PATH })).code).toBe(0);
    const frozen = await sop(['run', 'sop.yaml', 'tides', '--frozen'], { cwd, env: NO_SOP_ON_PATH });
    expect(frozen.code, frozen.stderr).toBe(12);
    expect(frozen.stderr).toContain(`hint: run \`node ${binPath} lock sop.yaml\` and commit sop.lock with the SOP\n`);
    const pinned = pasted(`node ${binPath} lock sop.yaml`, cwd);
    expect(pinned.code, pinned.stderr).toBe(0);

    writeFileSync(path.join(cwd, 'prompts', 'write_draft.liquid'), 'changed\n', { flag: 'a' });
    const drifted = await sop(['lock', 'sop.yaml', '--check'], { cwd, env: NO_SOP_ON_PATH });
    expect(drifted.code, drifted.stderr).toBe(12);
    expect(drifted.stderr).toContain(`hint: if the change is intended, run \`node ${binPath} lock sop.yaml\` and commit sop.lock; otherwise restore the pinned files`);

    // Another lock file: the command pins into it, and the hint says to commit it (was: sop.lock).
    writeFileSync(path.join(cwd, 'other.lock'), '{}\n');
    const broken = await sop(['run', 'sop.yaml', 'tides', '--frozen', '--lock', 'other.lock'], { cwd, env: NO_SOP_ON_PATH });
    expect(broken.code, broken.stderr).toBe(12);
    expect(broken.stderr).toContain(`hint: regenerate it with \`node ${binPath} lock sop.yaml --lock other.lock\`; never edit it by hand`);
    rmSync(path.join(cwd, 'other.lock'));
    const missing = await sop(['run', 'sop.yaml', 'tides', '--frozen', '--lock', 'other.lock'], { cwd, env: NO_SOP_ON_PATH });
    expect(missing.stderr).toContain(`hint: run \`node ${binPath} lock sop.yaml --lock other.lock\` and commit other.lock with the SOP`);
    expect(pasted(`node ${binPath} lock sop.yaml --lock other.lock`, cwd).code).toBe(0);
    const current = await sop(['run', 'sop.yaml', 'tides', '--frozen', '--lock', 'other.lock'], { cwd, env: NO_SOP_ON_PATH });
    expect(current.code, current.stderr).toBe(0);
  });

  it('validation and usage errors name `node PATH/bin/sop.js schema`, `... run --help`, `... --help`: printed, and in the --json envelope', async () => {
    const cwd = tempDir('sop-hint-word-plain-');
    writeFileSync(path.join(cwd, 'bad.yaml'), 'apiVersion: sop/v1\nkind: SOP\nmetadata: { name: x, version: 1.0.0 }\nzzqq: 1\nroles: {}\n');
    const schema = `remove it (see \`node ${binPath} schema\` for the fields allowed here)`;
    const validated = await sop(['validate', 'bad.yaml'], { cwd, env: NO_SOP_ON_PATH });
    expect(validated.code).toBe(3);
    expect(validated.stdout).toContain(`  hint: ${schema}\n`);
    const json = await sop(['run', 'bad.yaml', '--json'], { cwd, env: NO_SOP_ON_PATH });
    expect(json.code).toBe(3);
    expect((JSON.parse(json.stdout) as { error: { hint: string } }).error.hint).toBe(schema);
    expect(pasted(`node ${binPath} schema`, cwd).code).toBe(0);

    const flag = await sop(['run', 'bad.yaml', '--bogus'], { cwd, env: NO_SOP_ON_PATH });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain(`hint: see \`node ${binPath} run --help\``);
    const command = await sop(['frob'], { cwd, env: NO_SOP_ON_PATH });
    expect(command.code).toBe(2);
    expect(command.stderr).toContain(`hint: see \`node ${binPath} --help\``);
    expect(command.stderr).not.toMatch(STACK_LINE);
  });
});

describe('the runs of `sop test` and `sop eval`, started as `node PATH/bin/sop.js` from outside sop\'s project', () => {
  it('record hints typed so: a failed case\'s kept run, an eval\'s run (whose resume runs as pasted)', async () => {
    const cwd = tempDir('sop-hint-word-cases-');
    expect((await sop(['init', '.'], { cwd, env: NO_SOP_ON_PATH })).code).toBe(0);
    writeFileSync(path.join(cwd, 'short.test.yaml'), 'apiVersion: sop-test/v1\nsop: sop.yaml\ncases:\n  - name: one round\n    inputs: { idea: tides }\n    n_round: 1\n    expect: { status: completed }\n');
    const tested = await sop(['test', 'short.test.yaml'], { cwd, env: NO_SOP_ON_PATH });
    expect(tested.code, tested.stdout).toBe(16);
    const kept = /run record kept in (\S+) \(workspace\/, runs\/\)/.exec(tested.stdout)?.[1] as string;
    const [caseRun] = readdirSync(path.join(kept, 'runs')).filter((name) => !name.startsWith('.'));
    const caseReport = JSON.parse(readFileSync(path.join(kept, 'runs', caseRun as string, 'report.json'), 'utf8')) as { hint: string };
    expect(caseReport.hint).toBe(`resume with more rounds: node ${binPath} resume ${path.join(kept, 'runs', caseRun as string)} --n-round 5 (the limit counts the 1 already run)`);
    rmSync(kept, { recursive: true, force: true });

    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: short, inputs: { idea: tides }, n_round: 1 }\n');
    const evaluated = await sop(['eval', 'sop.yaml', '--dataset', 'cases.yaml'], { cwd, env: NO_SOP_ON_PATH });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const [evalRun] = readdirSync(path.join(cwd, '.sop', 'runs')).filter((name) => !name.startsWith('.'));
    const evalReport = JSON.parse(readFileSync(path.join(cwd, '.sop', 'runs', evalRun as string, 'report.json'), 'utf8')) as { hint: string };
    const resume = `node ${binPath} resume ${evalRun} --n-round 5`;
    expect(evalReport.hint).toBe(`resume with more rounds: ${resume} (the limit counts the 1 already run)`);
    const resumed = pasted(resume, cwd);
    expect(resumed.code, resumed.stderr).toBe(0);
  });

  it('a golden file to write names `node PATH/bin/sop.js test --update`, which writes it as pasted', async () => {
    const cwd = tempDir('sop-hint-word-golden-');
    expect((await sop(['init', '.'], { cwd, env: NO_SOP_ON_PATH })).code).toBe(0);
    writeFileSync(path.join(cwd, 'golden.test.yaml'), 'apiVersion: sop-test/v1\nsop: sop.yaml\ncases:\n  - name: draft\n    inputs: { idea: tides }\n    expect: { artifacts: [{ path: draft.md, golden: golden/draft.md }] }\n');
    const tested = await sop(['test', 'golden.test.yaml'], { cwd, env: NO_SOP_ON_PATH });
    expect(tested.code, tested.stdout).toBe(16);
    // It said `sop test --update`, a command not found in this shell.
    const update = `node ${binPath} test golden.test.yaml --update`;
    expect(tested.stdout).toContain(`golden file golden/draft.md does not exist (\`${update}\` writes it)`);
    const updated = pasted(update, cwd);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toContain('golden files updated: golden/draft.md');
  });
});
