import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { junitSchemaErrors } from '../reporting/junit-schema.js';
import { STACK_LINE, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

afterAll(removeTempDirs);

/** `sop` in `cwd` as a GitHub Actions step runs it: the runner's variables set, the user's own configuration kept out. */
function underActions(cwd: string, args: string[]): Promise<CliResult> {
  return sop(args, {
    cwd,
    env: {
      CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: cwd, GITHUB_STEP_SUMMARY: path.join(cwd, 'summary.md'),
      HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, '.xdg'), OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, SOP_MODEL: undefined, SOP_NO_CACHE: '1',
    },
  });
}

/** A folder with `sop init`'s SOP, as a new user starts. */
async function initProject(): Promise<string> {
  const dir = tempDir('sop-ci-user-');
  const init = await sop(['init', dir, '--name', 'ci-user']);
  expect(init.code).toBe(0);
  writeFileSync(path.join(dir, 'summary.md'), '');
  return dir;
}

describe('CI reports of a refused `sop resume` and of a failure with a hint', () => {
  it('no API key for the model the SOP names: the PROVIDER_AUTH annotation points at its line there; by --model, at no line', async () => {
    const dir = await initProject();
    const file = path.join(dir, 'sop.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('settings:\n', 'settings:\n  model: openai:gpt-4o-mini\n'));
    const line = readFileSync(file, 'utf8').split('\n').indexOf('  model: openai:gpt-4o-mini') + 1;
    const named = await underActions(dir, ['run', 'sop.yaml', 'tides', '--ci']);
    expect(named.stderr).not.toMatch(STACK_LINE);
    expect(named.code, named.stderr).toBe(10);
    expect(named.stderr).toMatch(new RegExp(`^::error file=sop\\.yaml,line=${line},col=10,title=PROVIDER_AUTH::no API key for openai https://api\\.openai\\.com/v1%0Ahint: set OPENAI_API_KEY`, 'm'));
    const flagged = await underActions(dir, ['run', 'sop.yaml', 'tides', '--ci', '--model', 'openai:gpt-4o']);
    expect(flagged.code, flagged.stderr).toBe(10);
    expect(flagged.stderr).toMatch(/^::error file=sop\.yaml,title=sop run refused%3A PROVIDER_AUTH::no API key/m);
  });

  it('a refused `sop resume RUN` annotates no file named like the run id, and says `sop resume`', async () => {
    const dir = await initProject();
    const result = await underActions(dir, ['resume', '20261205-nope', '--ci', '--junit', 'junit.xml']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    const annotation = result.stderr.split('\n').find((line) => line.startsWith('::error'));
    // A `file=20261205-nope` annotation points GitHub at a file that does not exist.
    expect(annotation).toMatch(/^::error title=sop resume refused%3A RUN_NOT_FOUND::no run 20261205-nope/);
    const summary = readFileSync(path.join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain('### sop resume: 20261205-nope ❌ refused');
    expect(readFileSync(path.join(dir, 'junit.xml'), 'utf8')).toContain('type="RUN_NOT_FOUND"');
  });

  it('a failed run gives its hint once in the annotation, the step summary and the JUnit run case', async () => {
    const dir = await initProject();
    writeFileSync(path.join(dir, 'answers.yaml'), 'apiVersion: sop-script/v1\nstrict: true\nanswers: []\n');
    const result = await underActions(dir, ['run', 'sop.yaml', 'tidal power', '--model', 'script:answers.yaml', '--ci', '--junit', 'junit.xml']);
    expect(result.code).toBe(10);
    const advice = 'or set `strict: false` to let the offline model answer unscripted calls';
    const annotation = result.stderr.split('\n').find((line) => line.startsWith('::error') && line.includes('SCRIPT_MISS')) ?? '';
    expect(annotation.split(advice)).toHaveLength(2);
    expect(annotation).toContain(`${advice}; then continue the run from its last finished round: sop resume `);
    const summary = readFileSync(path.join(dir, 'summary.md'), 'utf8');
    expect(summary.split(advice)).toHaveLength(2);
    const junit = readFileSync(path.join(dir, 'junit.xml'), 'utf8');
    const runCase = junit.slice(junit.indexOf('<testsuite name="run"'));
    expect(runCase.split(advice)).toHaveLength(2);
    expect(runCase).toContain('then continue the run from its last finished round');
  });
});

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

describe('the resume command a run prints, when an input held a secret', () => {
  it('names the input to give again, and that command continues the run; the secret is in no output or file', async () => {
    const dir = await initProject();
    const secret = 'sk-ci-user-secret-0123456789';
    const withKey = (args: string[]): Promise<CliResult> => sop(args, {
      cwd: dir,
      env: { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'), HOME: dir, XDG_CONFIG_HOME: path.join(dir, '.xdg'), SOP_MODEL: undefined, SOP_NO_CACHE: '1', OPENAI_API_KEY: secret },
    });
    // The idea is the key by mistake (a pasted secret): recorded masked, so a resume must be given it again.
    const first = await withKey(['run', 'sop.yaml', secret, '--n-round', '1', '--ci', '--junit', 'junit.xml']);
    expect(first.code).toBe(5);
    const command = /sop resume (\S+) --input idea=\.\.\. --n-round (\d+)/.exec(first.stderr);
    expect(command, first.stderr).not.toBeNull();
    const summary = readFileSync(path.join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain(command?.[0]);
    const resumed = await withKey(['resume', command?.[1] as string, '--input', `idea=${secret}`, '--n-round', command?.[2] as string, '--ci', '--junit', 'junit.xml']);
    expect(resumed.code, resumed.stderr).toBe(0);
    for (const output of [first.stdout, first.stderr, resumed.stdout, resumed.stderr]) expect(output).not.toContain(secret);
    for (const file of filesUnder(dir)) expect(readFileSync(file, 'utf8'), file).not.toContain(secret);
  });
});

describe('the JUnit file of a refused `sop test`', () => {
  it('replaces an earlier run\'s file with one failing case saying why (exit 2)', async () => {
    const dir = await initProject();
    const junit = path.join(dir, 'junit.xml');
    expect((await underActions(dir, ['test', 'sop.yaml', '--junit', junit])).code).toBe(0);
    expect(readFileSync(junit, 'utf8')).toContain('failures="0"');
    // The test file broken in the next commit: the job must not read the earlier file as this run's.
    writeFileSync(path.join(dir, 'sop.test.yaml'), 'apiVersion: sop-test/v1\ncases: [\n');
    const result = await underActions(dir, ['test', 'sop.yaml', '--junit', junit]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuites name="sop test" tests="1" failures="1"');
    expect(xml).toContain('<failure message="refused (exit 2)" type="TEST_INVALID">TEST_INVALID: invalid test file: sop.test.yaml:2:');
    expect(await junitSchemaErrors(xml)).toEqual([]);
  });
});

describe('a `sop test` or `sop eval` whose flags are refused', () => {
  it('gets the refused JUnit case, annotation, step summary and outputs a refused `sop run` gets (it got none: the earlier JUnit file stood as this run\'s)', async () => {
    const dir = await initProject();
    const junit = path.join(dir, 'junit.xml');
    expect((await underActions(dir, ['test', 'sop.yaml', '--junit', junit])).code).toBe(0);
    const refusals: Array<[string[], string, string]> = [
      [['test', 'sop.yaml', '--bogus'], 'sop test', 'unknown flag --bogus'],
      [['eval', 'sop.yaml', 'cases.yaml', '--concurrency', '0'], 'sop eval', '--concurrency: must be at least 1, got `0`'],
    ];
    for (const [args, command, message] of refusals) {
      writeFileSync(path.join(dir, 'summary.md'), '');
      writeFileSync(path.join(dir, 'outputs.txt'), '');
      const result = await sop([...args, '--junit', junit], { cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'), GITHUB_OUTPUT: path.join(dir, 'outputs.txt') } });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`error USAGE: ${message}`);
      expect(result.stderr).toContain(`::error title=${command} refused%3A USAGE::${message}`);
      const xml = readFileSync(junit, 'utf8');
      expect(xml).toContain(`<testsuites name="${command}" tests="1" failures="1"`);
      expect(xml).toContain(`<failure message="refused (exit 2)" type="USAGE">USAGE: ${message}`);
      expect(await junitSchemaErrors(xml)).toEqual([]);
      expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toContain(`**USAGE** (exit 2): ${message}`);
      expect(readFileSync(path.join(dir, 'outputs.txt'), 'utf8')).toBe('status=refused\nexit-code=2\nerror-code=USAGE\n');
    }
  });
});
