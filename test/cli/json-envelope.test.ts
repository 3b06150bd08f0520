import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { envelopeOf, schemaValidators, type Envelope } from '../support/cli-envelope.js';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir, type CliResult } from './run-cli.js';

afterAll(removeTempDirs);

/** No user or environment configuration leaks in: every run uses the offline model. */
function cleanEnv(dir: string): Record<string, string | undefined> {
  return {
    XDG_CONFIG_HOME: path.join(dir, 'xdg'),
    OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, ANTHROPIC_API_KEY: undefined, ANTHROPIC_BASE_URL: undefined,
    OLLAMA_HOST: undefined, SOP_MODEL: undefined, SOP_PROVIDER: undefined, SOP_CONTENT_TYPE: undefined,
    GITHUB_ACTIONS: undefined, CI: undefined,
  };
}

/** Valid, with one warning: nothing emits `Note`, so `editor` never acts (ROLE_UNREACHABLE). */
const UNREACHABLE_ROLE_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: warn, version: 1.0.0 }
messages: { Idea: {}, Draft: {}, Note: {} }
start:
  - type: Idea
    content: "{{ inputs.idea }}"
stop_when:
  - type: Draft
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "Write about {{ message.content }}"
        output: { type: Draft, format: markdown }
  editor:
    profile: Editor
    watch: [Note]
    actions:
      - id: edit
        prompt: "Edit {{ message.content }}"
        output: { type: Draft, format: markdown }
`;

let dir: string;
const SOP_FILE = path.join('blog', 'sop.yaml');
const cli = (args: string[]): Promise<CliResult> => sop(args, { cwd: dir, env: cleanEnv(dir) });

/** A failing command: the envelope on stdout, the error for people on stderr (`error CODE`), no stack. */
function failure(result: CliResult, code: string, exitCode: number): NonNullable<Envelope['error']> {
  const envelope = envelopeOf(result);
  expect(envelope).toMatchObject({ ok: false, exitCode, error: { code, exitCode } });
  expect(result.stderr).toMatch(new RegExp(`^(\\S+: )?error ${code}: `, 'm'));
  expect(result.stderr).not.toMatch(STACK_LINE);
  return envelope.error as NonNullable<Envelope['error']>;
}

beforeAll(async () => {
  dir = tempDir('sop-envelope-');
  const init = await cli(['init', 'blog', '--json']);
  expect(envelopeOf(init)).toMatchObject({ command: 'init', ok: true, exitCode: 0, result: { files: expect.arrayContaining(['sop.yaml']) } });
  expect(init.stdout).not.toContain('created');
});

describe('--json on every command: one envelope on stdout (cli-envelope.v1.schema.json), success and failure', () => {
  it('init: the folder and files; refusing to overwrite: USAGE, exit 2', async () => {
    const refused = await cli(['init', 'blog', '--json']);
    expect(failure(refused, 'USAGE', 2).message).toMatch(/refusing to overwrite sop\.yaml/);
  });

  it('validate: every file with its diagnostics; an invalid SOP: ok false, the first error located, every diagnostic', async () => {
    const valid = envelopeOf<{ files: Array<{ file: string; valid: boolean }> }>(await cli(['validate', SOP_FILE, '--json']));
    expect(valid).toMatchObject({ command: 'validate', ok: true, result: { files: [{ file: SOP_FILE, valid: true, diagnostics: [] }] } });

    writeFileSync(path.join(dir, 'bad.yaml'), 'apiVersion: sop/v1\nkind: SOP\nmetadata: { name: bad, version: 1.0.0 }\nroles: 7\n');
    const invalid = await cli(['validate', SOP_FILE, 'bad.yaml', '--json']);
    const error = envelopeOf(invalid).error as NonNullable<Envelope['error']>;
    expect(envelopeOf(invalid)).toMatchObject({ ok: false, exitCode: 3, error: { exitCode: 3 } });
    expect(invalid.stderr).toBe('2 files: 1 valid, 1 invalid, 1 error, 0 warnings\n');
    expect(error).toMatchObject({ file: 'bad.yaml', line: expect.any(Number), column: expect.any(Number) });
    expect(error.code).toMatch(/^SCHEMA_/);
    expect(error.diagnostics?.length).toBeGreaterThan(0);
    expect(envelopeOf<{ files: Array<{ valid: boolean }> }>(invalid).result?.files.map((file) => file.valid)).toEqual([true, false]);
    // `--format json` is the same envelope.
    const format = await cli(['validate', SOP_FILE, 'bad.yaml', '--format', 'json']);
    expect(envelopeOf(format)).toEqual(envelopeOf(invalid));
  });

  it('schema: the schema as the result; an unknown flag: USAGE with a hint, exit 2', async () => {
    const schema = envelopeOf<{ $id: string }>(await cli(['schema', '--json']));
    expect(schema.result?.$id).toBe('https://sop-runner.dev/schemas/sop.v1.schema.json');
    const unknown = await cli(['schema', '--bogus', '--json']);
    expect(failure(unknown, 'USAGE', 2)).toMatchObject({ message: expect.stringContaining('--bogus'), hint: 'see `sop schema --help`' });
  });

  it('graph: the drawing as text; a missing SOP: FILE_NOT_FOUND with the file', async () => {
    const graph = envelopeOf<{ format: string; graph: string }>(await cli(['graph', SOP_FILE, '--format', 'dot', '--json']));
    expect(graph.result).toMatchObject({ format: 'dot', graph: expect.stringMatching(/^digraph/) });
    const missing = await cli(['graph', 'nope.yaml', '--json']);
    expect(failure(missing, 'FILE_NOT_FOUND', 2)).toMatchObject({ file: 'nope.yaml', message: 'no such file: nope.yaml' });
  });

  it('warnings: each validation warning printed on stderr is listed with its code and position', async () => {
    writeFileSync(path.join(dir, 'warn.yaml'), UNREACHABLE_ROLE_SOP);
    const result = await cli(['graph', 'warn.yaml', '--json']);
    expect(envelopeOf(result)).toMatchObject({ ok: true, warnings: [{ code: 'ROLE_UNREACHABLE', file: 'warn.yaml', line: expect.any(Number), column: expect.any(Number) }] });
    expect(result.stderr).toMatch(/^warn\.yaml:\d+:\d+: warning ROLE_UNREACHABLE/m);
  });

  it('run: the report as the result; a refused run still prints the envelope (stdout redirected to a file is valid JSON)', async () => {
    const done = envelopeOf<{ status: string }>(await cli(['run', SOP_FILE, 'tidal power', '--json', '--ci']));
    expect(done).toMatchObject({ command: 'run', ok: true, exitCode: 0, result: { status: 'completed', exitCode: 0, offline: true } });
    expect(schemaValidators().report(done.result)).toBe(true);

    const refused = await cli(['run', SOP_FILE, '--json', '--quiet']);
    expect(refused.stdout).not.toBe('');
    const error = failure(refused, 'INPUT_MISSING', 2);
    expect(error.hint).toContain(`sop run ${SOP_FILE} "the idea"`);
    expect(envelopeOf(refused).result).toBeUndefined();
  });

  it('run that stops early: ok false, the report as the result, the status as the error (exit 5)', async () => {
    const stopped = await cli(['run', SOP_FILE, 'tidal power', '--n-round', '1', '--json', '--ci']);
    const envelope = envelopeOf<{ status: string; runId: string }>(stopped);
    expect(envelope).toMatchObject({ ok: false, exitCode: 5, result: { status: 'round_limit', exitCode: 5 }, error: { code: 'RUN_ROUND_LIMIT', exitCode: 5 } });
    expect(envelope.error?.hint).toMatch(new RegExp(`^resume with more rounds: sop resume ${envelope.result?.runId} --n-round \\d+ \\(the limit counts the 1 already run\\)$`));

    // resume: the report of the continued run.
    const resumed = envelopeOf<{ status: string; runId: string }>(await cli(['resume', envelope.result?.runId as string, '--n-round', '5', '--json', '--ci']));
    expect(resumed).toMatchObject({ command: 'resume', ok: true, result: { status: 'completed', runId: envelope.result?.runId } });
    const again = await cli(['resume', envelope.result?.runId as string, '--json']);
    expect(failure(again, 'RUN_NOT_RESUMABLE', 2).message).toContain('already completed');
  });

  it('runs: the list; --runs-dir naming a file: USAGE', async () => {
    const runs = envelopeOf<{ runs: Array<{ status: string; id: string; runId: string }> }>(await cli(['runs', '--json']));
    expect(runs.result?.runs.map((run) => run.status).sort()).toEqual(['completed', 'completed']);
    // Each run's id as `runId`, as every other command names it, and as `id`, as scripts written before read it.
    for (const run of runs.result?.runs ?? []) expect(run.runId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(runs.result?.runs.map((run) => run.id)).toEqual(runs.result?.runs.map((run) => run.runId));
    expect(failure(await cli(['runs', '--runs-dir', SOP_FILE, '--json']), 'USAGE', 2).message).toContain('is a file');
  });

  it('report: the report.html written; an unknown run: RUN_NOT_FOUND', async () => {
    const [run] = envelopeOf<{ runs: Array<{ runId: string }> }>(await cli(['runs', '--json'])).result?.runs ?? [];
    const report = envelopeOf(await cli(['report', run?.runId as string, '--json']));
    expect(report).toMatchObject({ command: 'report', ok: true, result: { runId: run?.runId, status: 'completed', file: expect.stringMatching(/report\.html$/) } });
    expect(failure(await cli(['report', '20990101-000000-abcdef', '--json']), 'RUN_NOT_FOUND', 2).hint).toContain('sop runs');
  });

  it('view: a port out of range: USAGE (the server itself is tested in test/e2e/view-live.test.ts)', async () => {
    failure(await cli(['view', '--port', '70000', '--json']), 'USAGE', 2);
  });

  it('resume of an unknown run: RUN_NOT_FOUND', async () => {
    expect(failure(await cli(['resume', '20990101-000000-abcdef', '--json']), 'RUN_NOT_FOUND', 2).hint).toContain('sop runs');
  });

  it('config: files and values; an invalid configuration file: CONFIG_INVALID located in it, exit 11', async () => {
    const config = envelopeOf<{ values: Array<{ key: string }> }>(await cli(['config', '--json']));
    expect(config.result?.values.map((entry) => entry.key)).toContain('default_model');
    const other = tempDir('sop-envelope-config-');
    writeFileSync(path.join(other, 'sop.config.yaml'), 'default_model: 42\nunknown_key: true\n');
    const invalid = await sop(['config', '--json'], { cwd: other, env: cleanEnv(other) });
    expect(failure(invalid, 'CONFIG_INVALID', 11).message).not.toBe('');
  });

  it('doctor: the providers report; a bad flag value: USAGE', async () => {
    expect(envelopeOf(await cli(['doctor', '--json', '--timeout', '5']))).toMatchObject({ ok: true, result: { ok: true, defaultModel: 'offline', providers: [] } });
    failure(await cli(['doctor', '--json', '--timeout', '0']), 'USAGE', 2);
  });

  it('lock: the lock written or checked; --check without a lock: LOCK_MISSING, exit 12', async () => {
    const missing = await cli(['lock', SOP_FILE, '--check', '--json']);
    expect(failure(missing, 'LOCK_MISSING', 12).hint).toContain('sop lock');
    const written = envelopeOf(await cli(['lock', SOP_FILE, '--json']));
    expect(written.result).toMatchObject({ action: 'written', lockFile: path.join('blog', 'sop.lock'), lock: { sop: { path: 'sop.yaml' } } });
    expect(existsSync(path.join(dir, 'blog', 'sop.lock'))).toBe(true);
    expect(envelopeOf(await cli(['lock', SOP_FILE, '--check', '--json'])).result).toMatchObject({ action: 'checked' });
  });

  it('migrate: the upgrade (none needed here); a missing file: FILE_NOT_FOUND', async () => {
    expect(envelopeOf(await cli(['migrate', SOP_FILE, '--json'])).result).toEqual({ file: SOP_FILE, from: 'sop/v1', to: 'sop/v1', steps: [], written: false });
    failure(await cli(['migrate', 'nope.yaml', '--json']), 'FILE_NOT_FOUND', 2);
  });
});

describe('the published envelope schema', () => {
  it('names every command (a new command must be added to it, and covered above)', () => {
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas', 'cli-envelope.v1.schema.json'), 'utf8')) as { properties: { command: { enum: Array<string | null> } } };
    // null: no command was recognised (an unknown command with --json).
    expect(schema.properties.command.enum.filter((name) => name !== null).sort()).toEqual(Object.keys(COMMANDS).sort());
    expect(schema.properties.command.enum).toContain(null);
  });
});

describe('sop resume --ci --junit --events, like sop run', () => {
  it('writes the JUnit file and the event stream of the resumed part; a refused resume still writes its JUnit file', async () => {
    const stopped = envelopeOf<{ runId: string }>(await cli(['run', SOP_FILE, 'wind power', '--n-round', '1', '--json', '--ci']));
    const runId = stopped.result?.runId as string;
    const resumed = await cli(['resume', runId, '--n-round', '5', '--ci', '--junit', 'out/junit.xml', '--events', 'out/events.ndjson']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/^\[round 2\] reviewer review_draft \.\.\. done/m);
    const junit = readFileSync(path.join(dir, 'out', 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="reviewer" tests="1" failures="0"/);
    const events = readFileSync(path.join(dir, 'out', 'events.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['run-resume', 'run-end']));
    expect(events.length).toBeGreaterThan(2);

    const refused = await cli(['resume', runId, '--junit', 'out/refused.xml']);
    expect(refused.code).toBe(2);
    expect(readFileSync(path.join(dir, 'out', 'refused.xml'), 'utf8')).toMatch(/RUN_NOT_RESUMABLE/);
  });

  it('--events - with --json is refused: both write to stdout', async () => {
    failure(await cli(['resume', 'any', '--events', '-', '--json']), 'USAGE', 2);
  });
});
