import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allCases, parseJunit } from '../reporting/parse-junit.js';
import { STACK_LINE, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: pinned, version: 1.2.0, requires: ">=0.1" }
messages:
  Topic: { description: the topic }
  Notes: { description: notes, schema: { $ref: schemas/notes.json } }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write_notes
        prompt: { file: prompts/write.liquid }
        output: { type: Notes, format: json }
        artifacts: [{ path: notes.md, template: { file: templates/notes.md.liquid } }]
stop_when: { type: Notes }
`;

/** A project with a pinned-to-be SOP: a prompt file that includes a partial, a schema and an artifact template. */
function project(): { cwd: string; dir: string; file: string } {
  const cwd = tempDir('sop-lock-');
  const dir = path.join(cwd, 'brief');
  for (const folder of ['prompts', 'schemas', 'templates', 'partials']) mkdirSync(path.join(dir, folder), { recursive: true });
  writeFileSync(path.join(dir, 'sop.yaml'), SOP);
  writeFileSync(path.join(dir, 'prompts', 'write.liquid'), "{% include 'partials/tone' %}\nWrite notes on {{ message.content }}.\n");
  writeFileSync(path.join(dir, 'partials', 'tone.liquid'), 'Be brief.\n');
  writeFileSync(path.join(dir, 'schemas', 'notes.json'), JSON.stringify({ type: 'object', required: ['points'], properties: { points: { type: 'array', items: { type: 'string' } } } }));
  writeFileSync(path.join(dir, 'templates', 'notes.md.liquid'), '# Notes\n{% for point in payload.points %}- {{ point }}\n{% endfor %}');
  return { cwd, dir, file: path.join('brief', 'sop.yaml') };
}

function run(cwd: string, args: string[]): Promise<CliResult> {
  return sop(args, { cwd, env: { HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, '.xdg'), GITHUB_ACTIONS: undefined, OPENAI_API_KEY: undefined, SOP_MODEL: undefined } });
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe.concurrent('sop lock and sop run --frozen', () => {
  it('writes sop.lock next to the SOP (sha256 of the SOP, every referenced file and partial, requires, models); a frozen run then passes', async () => {
    const { cwd, dir, file } = project();
    const locked = await run(cwd, ['lock', file]);
    expect(locked.code, locked.stderr).toBe(0);
    expect(locked.stderr).toContain(`wrote ${path.join('brief', 'sop.lock')}: sop.yaml and 4 referenced files; models: (default) → offline`);
    const lock = JSON.parse(readFileSync(path.join(dir, 'sop.lock'), 'utf8'));
    expect(lock).toEqual({
      lockVersion: 1,
      sop: { path: 'sop.yaml', name: 'pinned', version: '1.2.0', apiVersion: 'sop/v1', sha256: sha256(path.join(dir, 'sop.yaml')) },
      runner: { requires: '>=0.1', lockedWith: expect.stringMatching(/^\d+\.\d+\.\d+/) },
      files: {
        'partials/tone.liquid': sha256(path.join(dir, 'partials', 'tone.liquid')),
        'prompts/write.liquid': sha256(path.join(dir, 'prompts', 'write.liquid')),
        'schemas/notes.json': sha256(path.join(dir, 'schemas', 'notes.json')),
        'templates/notes.md.liquid': sha256(path.join(dir, 'templates', 'notes.md.liquid')),
      },
      models: { '(default)': 'offline' },
    });

    const frozen = await run(cwd, ['run', file, 'pinning', '--frozen', '--ci']);
    expect(frozen.code, frozen.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'workspace', 'pinned', 'notes.md'), 'utf8')).toMatch(/^# Notes\n- /);
    const check = await run(cwd, ['lock', file, '--check']);
    expect(check.code).toBe(0);
    expect(check.stderr).toContain('is current');
  });

  it('a frozen run with one changed prompt file refuses (exit 12, LOCK_DRIFT) naming the file, before anything runs; --junit records why', async () => {
    const { cwd, dir, file } = project();
    expect((await run(cwd, ['lock', file])).code).toBe(0);
    const pinned = sha256(path.join(dir, 'prompts', 'write.liquid'));
    appendFileSync(path.join(dir, 'prompts', 'write.liquid'), 'Use bullet points.\n');
    const result = await run(cwd, ['run', file, 'pinning', '--frozen', '--junit', 'junit.xml']);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(12);
    expect(result.stderr).toContain(`${path.join('brief', 'sop.lock')}: error LOCK_DRIFT: ${file} drifted from ${path.join('brief', 'sop.lock')} (1 difference)`);
    expect(result.stderr).toContain(
      `${path.join('brief', 'prompts', 'write.liquid')}: error LOCK_DRIFT: changed since sop.lock pinned it (sha256 ${pinned.slice(0, 12)} there, now ${sha256(path.join(dir, 'prompts', 'write.liquid')).slice(0, 12)})`,
    );
    expect(result.stderr).toContain(`hint: if the change is intended, run \`sop lock ${file}\` and commit sop.lock`);
    expect(existsSync(path.join(cwd, '.sop', 'runs'))).toBe(false);
    expect(existsSync(path.join(cwd, 'workspace'))).toBe(false);
    const [runCase] = allCases(parseJunit(readFileSync(path.join(cwd, 'junit.xml'), 'utf8')));
    expect(runCase).toMatchObject({ suite: 'run', name: 'sop run pinned', failure: { type: 'LOCK_DRIFT', message: 'refused (exit 12)' } });
    expect(runCase?.failure?.text).toContain('prompts/write.liquid: changed');
  });

  it('--json: the error message is the summary and the list of differences, not "(1 difference) (and 1 more)"', async () => {
    const { cwd, dir, file } = project();
    expect((await run(cwd, ['lock', file])).code).toBe(0);
    appendFileSync(path.join(dir, 'prompts', 'write.liquid'), 'Use bullet points.\n');
    const result = await run(cwd, ['lock', file, '--check', '--json']);
    expect(result.code).toBe(12);
    const envelope = JSON.parse(result.stdout);
    expect(envelope.error.code).toBe('LOCK_DRIFT');
    expect(envelope.error.message).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')} drifted from .*sop\\.lock \\(1 difference\\):\\n  - prompts/write\\.liquid: changed since sop\\.lock pinned it \\(sha256 `));
    expect(envelope.error.message).not.toContain('more)');
    expect(envelope.error.diagnostics).toHaveLength(2);
  });

  it('names every kind of drift: a changed partial, a file no longer referenced, a file newly referenced, the SOP itself', async () => {
    const { cwd, dir, file } = project();
    expect((await run(cwd, ['lock', file])).code).toBe(0);
    writeFileSync(path.join(dir, 'partials', 'tone.liquid'), 'Be very brief.\n');
    writeFileSync(path.join(dir, 'templates', 'other.md.liquid'), '{{ output }}');
    writeFileSync(path.join(dir, 'sop.yaml'), SOP.replace('templates/notes.md.liquid', 'templates/other.md.liquid'));
    const result = await run(cwd, ['lock', file, '--check']);
    expect(result.code).toBe(12);
    const lines = result.stderr.split('\n').filter((line) => line.includes('error LOCK_DRIFT'));
    expect(lines.slice(1).map((line) => line.replace(/ \(sha256 .*\)$/, ''))).toEqual([
      `${file}: error LOCK_DRIFT: changed since sop.lock pinned it`,
      `${path.join('brief', 'partials', 'tone.liquid')}: error LOCK_DRIFT: changed since sop.lock pinned it`,
      `${path.join('brief', 'templates', 'notes.md.liquid')}: error LOCK_DRIFT: removed (pinned in sop.lock, no longer referenced by the SOP)`,
      `${path.join('brief', 'templates', 'other.md.liquid')}: error LOCK_DRIFT: added (referenced by the SOP, not in sop.lock)`,
    ]);
    expect(lines[0]).toContain('(4 differences)');
  });

  it('refuses a model that resolves differently from the lock (--model), without calling any provider', async () => {
    const { cwd, file } = project();
    expect((await run(cwd, ['lock', file])).code).toBe(0);
    const result = await run(cwd, ['run', file, 'pinning', '--frozen', '--model', 'openai:gpt-4o-mini']);
    expect(result.code).toBe(12);
    expect(result.stderr).toContain('error LOCK_DRIFT: model `(default)`: changed (pinned to offline in sop.lock, now resolves to openai:gpt-4o-mini)');
    // The command to lock again is typed with the run's --model.
    expect(result.stderr).toContain(`run \`sop lock ${file} --model openai:gpt-4o-mini\` and commit sop.lock`);
    expect(result.stderr).not.toContain('(with the --model the runs use)');
    // Locked with the same --model, the frozen run gets past the lock (and then needs a key).
    expect((await run(cwd, ['lock', file, '--model', 'openai:gpt-4o-mini'])).code).toBe(0);
    const check = await run(cwd, ['lock', file, '--check', '--model', 'openai:gpt-4o-mini']);
    expect(check.code, check.stderr).toBe(0);
  });

  it('--provider with a misspelt name (or one no model takes) is a usage error (exit 2) naming the providers and the nearest, and writes no lock, as sop run refuses it', async () => {
    const { cwd, dir, file } = project();
    const misspelt = await run(cwd, ['lock', file, '--provider', 'opnai']);
    expect(misspelt.code, misspelt.stderr).toBe(2);
    expect(misspelt.stderr).not.toMatch(STACK_LINE);
    expect(misspelt.stderr).toMatch(/^error PROVIDER_UNKNOWN: unknown provider `opnai` from --provider; providers: anthropic, offline, ollama, openai$/m);
    expect(misspelt.stderr).toMatch(/^ {2}hint: did you mean `openai`\? \(`--provider openai`\); else drop --provider$/m);
    expect(existsSync(path.join(dir, 'sop.lock'))).toBe(false);
    const checked = await run(cwd, ['lock', file, '--provider', 'opnai', '--check']);
    expect(checked.code, checked.stderr).toBe(2);
    expect(checked.stderr).toContain('did you mean `openai`?');
    // In the same words as `sop run` says it.
    const ran = await run(cwd, ['run', file, 'x', '--provider', 'opnai']);
    const [refusal, hint] = misspelt.stderr.split('\n');
    expect(ran.stderr.split('\n').slice(0, 2)).toEqual([refusal, hint]);
    // Given with a bare model it names, it is taken.
    const taken = await run(cwd, ['lock', file, '--provider', 'openai', '--model', 'gpt-4o-mini']);
    expect(taken.code, taken.stderr).toBe(0);
    expect(taken.stderr).toContain('models: (default) → openai:gpt-4o-mini');
  });

  it('a scripted model (script:FILE) pins its script: a changed script is drift, like a changed prompt', async () => {
    const { cwd, dir, file } = project();
    writeFileSync(path.join(cwd, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers: []\n');
    const scripted = ['--model', 'script:answers.yaml'];
    expect((await run(cwd, ['lock', file, ...scripted])).code).toBe(0);
    const lock = JSON.parse(readFileSync(path.join(dir, 'sop.lock'), 'utf8'));
    expect(lock.files['../answers.yaml']).toBe(sha256(path.join(cwd, 'answers.yaml')));
    expect(lock.models).toEqual({ '(default)': 'script:answers.yaml' });
    const frozen = await run(cwd, ['run', file, 'pinning', '--frozen', '--ci', ...scripted]);
    expect(frozen.code, frozen.stderr).toBe(0);
    writeFileSync(path.join(cwd, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers:\n  - { role: writer, action: write_notes, output: { notes: [a] } }\n');
    const check = await run(cwd, ['lock', file, '--check', ...scripted]);
    expect(check.code).toBe(12);
    expect(check.stderr).toContain('answers.yaml: error LOCK_DRIFT: changed');
    // Locking again without the script's --model would pin another model: the hint types it.
    expect(check.stderr).toContain(`run \`sop lock ${file} --model script:answers.yaml\` and commit sop.lock`);
    // Checked without it, the hint says to pass the --model the runs use.
    const bare = await run(cwd, ['lock', file, '--check']);
    expect(bare.code).toBe(12);
    expect(bare.stderr).toContain(`run \`sop lock ${file}\` (with the --model the runs use)`);
  });

  it('a script file that `--model script:FILE` (not the SOP) adds or drops is named as the script of that model', async () => {
    const { cwd, file } = project();
    writeFileSync(path.join(cwd, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers: []\n');
    expect((await run(cwd, ['lock', file])).code).toBe(0);
    const added = await run(cwd, ['run', file, 'pinning', '--frozen', '--ci', '--model', 'script:answers.yaml']);
    expect(added.code, added.stderr).toBe(12);
    expect(added.stderr).not.toMatch(STACK_LINE);
    expect(added.stderr).toContain('answers.yaml: error LOCK_DRIFT: added (the script of `--model script:answers.yaml`, not in sop.lock)');
    expect(added.stderr).not.toContain('referenced by the SOP');
    expect((await run(cwd, ['lock', file, '--model', 'script:answers.yaml'])).code).toBe(0);
    const dropped = await run(cwd, ['lock', file, '--check']);
    expect(dropped.code, dropped.stderr).toBe(12);
    expect(dropped.stderr).toContain('answers.yaml: error LOCK_DRIFT: removed (pinned in sop.lock as the script of model `script:answers.yaml`, which the models resolved now do not use)');
    expect(dropped.stderr).not.toContain('referenced by the SOP');
  });

  it('a missing lock is LOCK_MISSING and an unreadable one LOCK_INVALID (exit 12), each with the command that fixes it', async () => {
    const { cwd, dir, file } = project();
    const missing = await run(cwd, ['run', file, 'pinning', '--frozen']);
    expect(missing.code).toBe(12);
    expect(missing.stderr).toContain(`error LOCK_MISSING: ${file} is not pinned: ${path.join('brief', 'sop.lock')} does not exist`);
    expect(missing.stderr).toContain(`hint: run \`sop lock ${file}\` and commit sop.lock with the SOP`);
    writeFileSync(path.join(dir, 'sop.lock'), '{"lockVersion": 1, "sop": ');
    const invalid = await run(cwd, ['lock', file, '--check']);
    expect(invalid.code).toBe(12);
    // Located in words, not JSON.parse's "Unexpected end of JSON input" or "at position N".
    expect(invalid.stderr).toMatch(/error LOCK_INVALID: .*sop\.lock is not valid JSON \(line 1, column \d+: expected a value\)/);
    writeFileSync(path.join(dir, 'sop.lock'), '{"lockVersion": 7}');
    const newer = await run(cwd, ['lock', file, '--check']);
    expect(newer.code).toBe(12);
    expect(newer.stderr).toContain('has lockVersion 7; this sop reads lockVersion 1');
  });

  it('--lock FILE pins to another file (paths relative to it); run --lock needs --frozen (exit 2)', async () => {
    const { cwd, file } = project();
    const locked = await run(cwd, ['lock', file, '--lock', 'pins/brief.lock']);
    expect(locked.code, locked.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(cwd, 'pins', 'brief.lock'), 'utf8'))).toMatchObject({ sop: { path: '../brief/sop.yaml' }, files: { '../brief/prompts/write.liquid': expect.any(String) } });
    expect((await run(cwd, ['run', file, 'pinning', '--frozen', '--lock', 'pins/brief.lock'])).code).toBe(0);
    const unpaired = await run(cwd, ['run', file, 'pinning', '--lock', 'pins/brief.lock']);
    expect(unpaired.code).toBe(2);
    expect(unpaired.stderr).toContain('--frozen');
  });
});

describe.concurrent('sop migrate', () => {
  it('a sop/v1 file is already current: says so, exits 0 and leaves the file as it was (with or without --write)', async () => {
    const { cwd, dir, file } = project();
    const before = readFileSync(path.join(dir, 'sop.yaml'), 'utf8');
    for (const args of [['migrate', file], ['migrate', file, '--write']]) {
      const result = await run(cwd, args);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(`${file}: already sop/v1, nothing to do\n`);
      expect(result.stdout).toBe('');
    }
    expect(readFileSync(path.join(dir, 'sop.yaml'), 'utf8')).toBe(before);
  });

  it('an unknown apiVersion exits 3 listing the supported ones, located at the field; a missing file exits 2', async () => {
    const { cwd, dir, file } = project();
    writeFileSync(path.join(dir, 'sop.yaml'), SOP.replace('apiVersion: sop/v1', 'apiVersion: sop/v9'));
    const result = await run(cwd, ['migrate', file, '--write']);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${file}:1:13: error API_VERSION_UNSUPPORTED: unsupported apiVersion \`sop/v9\`: no migration leads from it to sop/v1`);
    expect(result.stderr).toContain('expected: one of: sop/v1');
    const missing = await run(cwd, ['migrate', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error FILE_NOT_FOUND: no such file: nope.yaml');
  });
});
