import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * The commands a hint gives are typed the way sop was started in what machines read as well as in
 * what people read: the diagnostics of `--json` and `--format github`, the annotations and JUnit file
 * of a refused run, the JUnit text of a run awaiting approval. They said `sop schema`, `sop resume
 * RUN`, while the line a person reads said `node PATH/bin/sop.js schema`: pasted from a CI log, a
 * command not found.
 */

/** A user's shell without sop on PATH and without npm's variables, in a folder outside sop's project: `node PATH/bin/sop.js`. */
const NO_SOP_ON_PATH = { PATH: path.dirname(process.execPath), npm_command: undefined, npm_lifecycle_event: undefined, npm_execpath: undefined };
const typed = `node ${binPath}`;
const SCHEMA_HINT = `remove it (see \`${typed} schema\` for the fields allowed here)`;

interface Listed {
  code: string;
  hint?: string;
}

function badSop(): string {
  const cwd = tempDir('sop-hint-word-outputs-');
  writeFileSync(path.join(cwd, 'bad.yaml'), 'apiVersion: sop/v1\nkind: SOP\nmetadata: { name: x, version: 1.0.0 }\nzzqq: 1\nroles: { a: { profile: A, actions: [] } }\n');
  return cwd;
}

describe('diagnostics of machine output, started as `node PATH/bin/sop.js` from outside sop\'s project', () => {
  it('`validate --json` and `--format github` give each diagnostic\'s hint typed as the human output does', async () => {
    const cwd = badSop();
    const human = await sop(['validate', 'bad.yaml'], { cwd, env: NO_SOP_ON_PATH });
    expect(human.stdout).toContain(`  hint: ${SCHEMA_HINT}\n`);

    const json = await sop(['validate', 'bad.yaml', '--json'], { cwd, env: NO_SOP_ON_PATH });
    expect(json.code).toBe(3);
    const envelope = JSON.parse(json.stdout) as { result: { files: Array<{ diagnostics: Listed[] }> }; error: { hint: string; diagnostics: Listed[] } };
    const unknown = (list: Listed[]): Listed | undefined => list.find((diagnostic) => diagnostic.code === 'SCHEMA_UNKNOWN_FIELD');
    expect(unknown(envelope.result.files[0]?.diagnostics ?? [])?.hint).toBe(SCHEMA_HINT);
    expect(unknown(envelope.error.diagnostics)?.hint).toBe(SCHEMA_HINT);
    expect(envelope.error.hint).toBe(SCHEMA_HINT);

    const github = await sop(['validate', 'bad.yaml', '--format', 'github'], { cwd, env: NO_SOP_ON_PATH });
    expect(github.code).toBe(3);
    expect(github.stdout).toContain(`::error file=bad.yaml,line=4,col=1,title=SCHEMA_UNKNOWN_FIELD::unknown field \`zzqq\`%0A`);
    expect(github.stdout).toContain(`%0Ahint: ${SCHEMA_HINT}\n`);
    expect(github.stdout).not.toContain('`sop schema`');
  });

  it('a refused `sop run`: its --json diagnostics, its GitHub annotations and its JUnit file', async () => {
    const cwd = badSop();
    const json = await sop(['run', 'bad.yaml', '--json'], { cwd, env: NO_SOP_ON_PATH });
    expect(json.code).toBe(3);
    const envelope = JSON.parse(json.stdout) as { error: { diagnostics: Listed[] } };
    expect(envelope.error.diagnostics.find((diagnostic) => diagnostic.code === 'SCHEMA_UNKNOWN_FIELD')?.hint).toBe(SCHEMA_HINT);

    const ci = await sop(['run', 'bad.yaml', '--junit', 'junit.xml'], { cwd, env: { ...NO_SOP_ON_PATH, GITHUB_ACTIONS: 'true' } });
    expect(ci.code).toBe(3);
    expect(ci.stderr).toContain(`::error file=bad.yaml,line=4,col=1,title=SCHEMA_UNKNOWN_FIELD::unknown field \`zzqq\`%0A`);
    expect(ci.stderr).toContain(`%0Ahint: ${SCHEMA_HINT}\n`);
    const junit = readFileSync(path.join(cwd, 'junit.xml'), 'utf8');
    expect(junit).toContain(`hint: remove it (see \`${typed} schema\``);
    expect(junit).not.toContain('`sop schema`');
  });
});

describe('the JUnit file of a run awaiting approval, started as `node PATH/bin/sop.js` from outside sop\'s project', () => {
  it('says how to continue once, with the command typed and the run\'s id (was also `sop resume RUN --approve`)', async () => {
    const cwd = tempDir('sop-hint-word-junit-');
    const run = await sop(['run', path.join(repoRoot, 'test', 'fixtures', 'human-gate', 'ask.yaml'), 'hi', '--ci', '--junit', 'junit.xml'], { cwd, env: NO_SOP_ON_PATH });
    expect(run.code, run.stderr).toBe(8);
    const id = readdirSync(path.join(cwd, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;
    const junit = readFileSync(path.join(cwd, 'junit.xml'), 'utf8');
    expect(junit).toContain(
      `<failure message="awaiting_approval (exit 8)" type="RUN_AWAITING_APPROVAL">a human gate awaits approval\nhint: review the output, then continue with \`${typed} resume ${id} --approve\` or \`--edit FILE\`; \`--reject &quot;why&quot;\` ends the run (the gate has \`on_fail: stop\`; \`on_fail: { revise: N }\` would revise with the feedback)</failure>`,
    );
    expect(junit).not.toContain('sop resume RUN');
  });
});
