import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';
import { envelopeOf, resultOf, schemaValidators } from '../support/cli-envelope.js';
import { IDEA, SOFTWARE_COMPANY, TEST_KEY, filesUnder, project, run } from './providers-helpers.js';

/**
 * `sop prompts FILE` and `sop run FILE --dry-run` (the real CLI): every rendered prompt of a whole
 * run, in call order, answered by the offline model or a script, never by a provider, and nothing
 * left in the current folder.
 */
afterAll(removeTempDirs);

/** The call headers of a listing: `[n, role, action, kind, attempt, model]`. */
function headers(stdout: string): string[][] {
  return [...stdout.matchAll(/^=== #(\d+) round \d+ \| role (\S+) \| (?:action (\S+) \| )?(?:item \d+ \| )?(\S+) \| attempt (\d+) \| (?:re-ask \d+ \| )?model (\S+) ===$/gm)].map((match) =>
    match.slice(1).map((part) => part ?? ''),
  );
}

/** Everything under a folder, names only, to see that nothing was added or changed. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

const DESK = path.join(repoRoot, 'test', 'fixtures', 'script', 'desk.yaml');
const TECHNICAL = path.join(repoRoot, 'test', 'fixtures', 'script', 'technical.script.yaml');

/** The judge rejects the first PRD and passes the revision. */
const JUDGE_REJECTS_PRD = path.join(repoRoot, 'test', 'fixtures', 'script', 'judge-rejects-prd.yaml');

describe('sop prompts', () => {
  it('prints the system and user prompt of every call of the software company in call order, and leaves the folder as it was', async () => {
    const cwd = project();
    // A workspace and a run record of an earlier run: the preview must not touch them.
    mkdirSync(path.join(cwd, 'workspace', 'software-company'), { recursive: true });
    writeFileSync(path.join(cwd, 'workspace', 'software-company', 'keep.txt'), 'mine');
    mkdirSync(path.join(cwd, '.sop', 'runs', 'earlier'), { recursive: true });
    const before = tree(cwd);
    const result = await run(cwd, ['prompts', SOFTWARE_COMPANY, IDEA], {});
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(STACK_LINE);
    const calls = headers(result.stdout);
    // The team's order: PM (and the judge of the PRD), architect, project manager, engineers and QA.
    expect(calls.map(([, role, action, kind]) => `${role}/${action}/${kind}`).slice(0, 4)).toEqual([
      'product_manager/write_prd/output',
      'product_manager/write_prd/judge',
      'architect/write_design/output',
      'project_manager/write_tasks/output',
    ]);
    expect(calls.map(([, role]) => role)).toEqual(expect.arrayContaining(['engineer', 'qa_engineer']));
    expect(calls.map(([n]) => Number(n))).toEqual(calls.map((_, index) => index + 1));
    expect(calls.every(([, , , , , model]) => model === 'offline')).toBe(true);
    // Every call shows its system and user messages, whole by default.
    const blocks = result.stdout.split(/^=== /m).slice(1);
    expect(blocks).toHaveLength(calls.length);
    for (const block of blocks) expect(block).toMatch(/^--- system\n[\s\S]+^--- user\n/m);
    expect(result.stdout).toContain('You are Product Manager.');
    expect(result.stdout).toContain('You are Architect.');
    expect(result.stdout).toContain(IDEA);
    expect(result.stdout).not.toContain('more characters]');
    expect(result.stderr).toContain(`${calls.length} of ${calls.length} model calls shown; the previewed run ended completed (exit 0)`);
    expect(tree(cwd)).toEqual(before);
    expect(filesUnder(path.join(cwd, 'workspace'))).toEqual({ 'software-company/keep.txt': 'mine' });
  });

  it('goes on past a human gate (approved, where a run in CI would stop awaiting approval)', async () => {
    const cwd = project();
    const result = await run(cwd, ['prompts', SOFTWARE_COMPANY, IDEA, '--input', 'review=true', '--role', 'engineer'], {});
    expect(result.code, result.stderr).toBe(0);
    expect(headers(result.stdout).length).toBeGreaterThan(0);
    expect(result.stderr).toContain('the previewed run ended completed (exit 0)');
  });

  it('--model openai:... is named on each call but never called: no key, and an unreachable endpoint does not matter', async () => {
    const cwd = project();
    const result = await run(cwd, ['prompts', SOFTWARE_COMPANY, IDEA, '--model', 'openai:gpt-4o', '--role', 'architect'], { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
    expect(result.code, result.stderr).toBe(0);
    expect(headers(result.stdout).map(([, role, action, kind, , model]) => [role, action, kind, model])).toEqual([['architect', 'write_design', 'output', 'openai:gpt-4o']]);
    expect(result.stderr).toContain('answered by the offline model; no provider is called');
    expect(result.stderr).toContain('answered instead of openai:gpt-4o, which was not called');
    expect(tree(cwd)).toEqual([]);
  });

  it('--role and --action keep those calls (numbered as in the whole run); --max-chars folds long messages; an unknown role is a usage error', async () => {
    const cwd = project();
    const byAction = await run(cwd, ['prompts', SOFTWARE_COMPANY, IDEA, '--action', 'write_code', '--max-chars', '80'], {});
    expect(byAction.code, byAction.stderr).toBe(0);
    const calls = headers(byAction.stdout);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every(([, role, action]) => role === 'engineer' && action === 'write_code')).toBe(true);
    expect(Number(calls[0]?.[0])).toBeGreaterThan(4);
    expect(byAction.stdout).toMatch(/\n\[\.\.\. \d+ more characters\]\n/);

    const byRole = await run(cwd, ['prompts', SOFTWARE_COMPANY, IDEA, '--role', 'product_manager'], {});
    expect(headers(byRole.stdout).map(([n, role, , kind]) => [n, role, kind])).toEqual([
      ['1', 'product_manager', 'output'],
      ['2', 'product_manager', 'judge'],
    ]);

    const unknown = await run(cwd, ['prompts', SOFTWARE_COMPANY, IDEA, '--role', 'qa'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error USAGE: --role qa: the SOP has no such role');
    expect(unknown.stderr).toContain('hint: roles: architect, engineer, product_manager, project_manager, qa_engineer');
    expect(unknown.stderr).not.toMatch(STACK_LINE);
  });

  it('refuses input the run refuses (a bound, a file input) before anything else is printed', async () => {
    const cwd = project();
    writeFileSync(
      path.join(cwd, 'bounded.yaml'),
      [
        'apiVersion: sop/v1',
        'kind: SOP',
        'metadata: { name: bounded, version: 1.0.0, requires: ">=0.2" }',
        'inputs:',
        '  turns: { type: integer }',
        '  notes: { type: file }',
        'messages:',
        '  Note: { description: a note }',
        'start: [{ type: Note, content: hello }]',
        'stop_when: { type: Note, if: "message.from == \'writer\'" }',
        'roles:',
        '  writer:',
        '    profile: Writer',
        '    watch: [Note]',
        '    actions:',
        '      - { id: write, prompt: "write {{ inputs.turns }}", output: { type: Note }, max_runs: { input: turns } }',
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(cwd, 'notes.txt'), 'notes');
    for (const [inputs, error] of [
      [['turns=0', 'notes=@notes.txt'], 'error INPUT_INVALID: input "turns" sets max_runs of action write and must be a whole number of at least 1, got 0'],
      [['turns=2', 'notes=@missing.txt'], 'error INPUT_FILE_INVALID: file input "notes": cannot read'],
    ] as const) {
      const refused = await run(cwd, ['prompts', 'bounded.yaml', ...inputs.flatMap((input) => ['--input', input])], {});
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr.startsWith(error), refused.stderr).toBe(true);
      expect(refused.stderr).not.toContain('preview:');
      expect(refused.stdout).toBe('');
    }
    const previewed = await run(cwd, ['prompts', 'bounded.yaml', '--input', 'turns=1', '--input', 'notes=@notes.txt'], {});
    expect(previewed.code, previewed.stderr).toBe(0);
    expect(previewed.stderr).toContain('preview: every model call is answered by the offline model');
  });

  it('masks a secret of the configuration that reaches a prompt through an input', async () => {
    const cwd = project('providers:\n  corp:\n    kind: openai\n    base_url: http://127.0.0.1:9/v1\n    api_key: "${env:CORP_TOKEN}"\n');
    const idea = `a todo app that logs in with ${TEST_KEY}`;
    const text = await run(cwd, ['prompts', SOFTWARE_COMPANY, idea, '--model', 'corp:big'], { CORP_TOKEN: TEST_KEY });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('a todo app that logs in with ***');
    const json = await run(cwd, ['prompts', SOFTWARE_COMPANY, idea, '--model', 'corp:big', '--json'], { CORP_TOKEN: TEST_KEY });
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).toContain('logs in with ***');
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr]) expect(output).not.toContain(TEST_KEY);
  });
});

describe('a previewed run that fails', () => {
  it('prints the prompts up to the failure and ends with the run\'s exit code and error', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'strict.yaml'), 'apiVersion: sop-script/v1\nstrict: true\nanswers:\n  - { role: product_manager, action: write_prd, gate: prd-is-testable, judge: { score: 9 } }\n');
    const result = await run(cwd, ['prompts', SOFTWARE_COMPANY, IDEA, '--model', 'script:strict.yaml', '--json'], {});
    expect(result.code).toBe(10);
    const parsed = envelopeOf(result);
    expect(schemaValidators().envelope(parsed)).toBe(true);
    expect(parsed).toMatchObject({ command: 'prompts', ok: false, exitCode: 10, error: { code: 'SCRIPT_MISS' }, result: { status: 'failed', exitCode: 10 } });
    expect((parsed.result as any).calls.map((call: any) => [call.role, call.kind])).toEqual([['product_manager', 'output']]);
    expect(result.stderr).toContain('error SCRIPT_MISS: the strict script strict.yaml has no answer for role "product_manager", action "write_prd", output, attempt 1');
    expect(result.stderr).not.toContain('sop resume');
    expect(tree(cwd)).toEqual(['strict.yaml']);
  });
});

/** A writer whose draft waits on a command gate that marks its start, then would run for 10 minutes. */
const SLOW_GATE_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: slow, version: 1.0.0 }
messages: { Idea: {}, Draft: {} }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
stop_when: { type: Draft }
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "Write about {{ message.content }}"
        output: { type: Draft, format: markdown }
        gates:
          - name: slow
            command: { command: [node, -e, "require('fs').writeFileSync('gate-started', ''); setTimeout(() => {}, 600000)"], timeout: 900 }
`;

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 60_000) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('an interrupted preview', () => {
  it('Ctrl-C (SIGINT) stops the previewed run: the prompts so far are printed, exit 130, and its throwaway folders are gone', { timeout: 120_000 }, async () => {
    const cwd = project();
    const tmp = path.join(cwd, 'tmp');
    mkdirSync(tmp);
    writeFileSync(path.join(cwd, 'sop.yaml'), SLOW_GATE_SOP);
    const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', TMPDIR: tmp, HOME: cwd, CI: 'true' };
    delete env['VITEST'];
    delete env['VITEST_WORKER_ID'];
    const child = spawn(process.execPath, [binPath, 'prompts', 'sop.yaml', 'spring'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let code: number | null;
    try {
      // The gate runs in the preview's throwaway workspace, under TMPDIR.
      const started = (): boolean => readdirSync(tmp, { recursive: true, encoding: 'utf8' }).some((name) => name.endsWith('gate-started'));
      await until(started, 'the gate command to start');
      child.kill('SIGINT');
      code = await exited;
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(stderr).not.toMatch(STACK_LINE);
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('interrupting the preview');
    expect(headers(stdout).map(([n, role, action, kind]) => [n, role, action, kind])).toEqual([['1', 'writer', 'write', 'output']]);
    expect(stdout).toContain('Write about spring');
    // Node 22+ keeps its own compile cache in TMPDIR; only sop's throwaway folders must be gone.
    expect(readdirSync(tmp).filter((name) => name !== 'node-compile-cache')).toEqual([]);
    expect(existsSync(path.join(cwd, '.sop'))).toBe(false);
  });
});

describe('an incremental preview', () => {
  it('run --inc --dry-run previews the project as it is, hand edits included, and leaves it byte for byte as it was', async () => {
    const cwd = project();
    const ws = path.join(cwd, 'app');
    cpSync(path.join(repoRoot, 'sops', 'software-company', 'test-workspace'), ws, { recursive: true });
    writeFileSync(path.join(ws, 'todo.py'), `${readFileSync(path.join(ws, 'todo.py'), 'utf8')}# my hand edit\n`);
    writeFileSync(path.join(ws, 'NOTES.md'), 'mine\n');
    const before = filesUnder(ws);
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, '--inc', '--workspace', 'app', 'add due dates', '--dry-run', '--action', 'write_code', '--json'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('preview: works on a copy of app; the project there is left as it is');
    const prompts = resultOf<any>(result);
    expect(prompts.workspace).toBeUndefined();
    expect(JSON.stringify(prompts.calls)).toContain('# my hand edit');
    expect(filesUnder(ws)).toEqual(before);
  });
});

describe('sop prompts of tool calls and re-asks', () => {
  it('shows the tool call, the tool\'s result from the given workspace, and only the new messages of the turn after it', async () => {
    const cwd = project();
    mkdirSync(path.join(cwd, 'ws'));
    writeFileSync(path.join(cwd, 'ws', 'faq.md'), 'Reinstalling fixes most crashes.\n');
    const result = await run(cwd, ['prompts', DESK, 'my app crashes on start', '--model', `script:${TECHNICAL}`, '--workspace', 'ws', '--role', 'triage', '--json'], {});
    expect(result.code, result.stderr).toBe(0);
    const prompts = resultOf<any>(result);
    expect(prompts.workspace).toBe(path.join(cwd, 'ws'));
    expect(prompts.calls.map((call: any) => call.kind)).toEqual(['output', 'tool-results']);
    expect(prompts.calls[1].messages.slice(2)).toEqual([
      { role: 'assistant', content: '', toolCalls: [{ name: 'fs_read', arguments: '{"path":"faq.md"}' }] },
      { role: 'tool', toolName: 'fs_read', content: 'Reinstalling fixes most crashes.\n' },
    ]);
    const text = await run(cwd, ['prompts', DESK, 'my app crashes on start', '--model', `script:${TECHNICAL}`, '--workspace', 'ws', '--role', 'triage'], {});
    const second = text.stdout.split(/^=== /m)[2] as string;
    expect(second).toContain('(messages 1-2 as in #1)\n--- assistant\n-> calls fs_read {"path":"faq.md"}\n--- tool fs_read\nReinstalling fixes most crashes.');
    expect(second).not.toContain('--- system');
  });

  it('shows the re-ask after an invalid reply with the errors the model is told', async () => {
    const cwd = project();
    writeFileSync(
      path.join(cwd, 'answers.yaml'),
      'apiVersion: sop-script/v1\nanswers:\n  - { role: triage, action: route, output: { category: hardware, summary: "crash" } }\n  - { role: triage, action: route, reask: { category: technical, summary: "crash" } }\n',
    );
    const result = await run(cwd, ['prompts', DESK, 'my app crashes', '--model', 'script:answers.yaml', '--action', 'route'], {});
    expect(result.code, result.stderr).toBe(0);
    expect(headers(result.stdout).map(([n, , , kind]) => [n, kind])).toEqual([['1', 'output'], ['2', 'reask']]);
    expect(result.stdout).toMatch(/=== #2 round 1 \| role triage \| action route \| reask \| attempt 1 \| re-ask 2 \| model script:answers\.yaml ===/);
    const reask = result.stdout.split(/^=== /m)[2] as string;
    expect(reask).toMatch(/^\(messages 1-2 as in #1\)\n--- assistant\n\{\s*"category": "hardware"/m);
    expect(reask).toMatch(/--- user\nThat reply \(attempt 1 of \d+\) is not a valid Routed:\n- \/category: must be one of/);
  });
});

describe('sop run --dry-run', () => {
  it('with a script, shows the revision prompt carrying the judge\'s feedback', async () => {
    const cwd = project();
    copyFileSync(JUDGE_REJECTS_PRD, path.join(cwd, 'answers.yaml'));
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--dry-run', '--model', 'script:answers.yaml', '--role', 'product_manager'], {});
    expect(result.code, result.stderr).toBe(0);
    expect(headers(result.stdout).map(([n, , , kind, attempt, model]) => [n, kind, attempt, model])).toEqual([
      ['1', 'output', '1', 'script:answers.yaml'],
      ['2', 'judge', '1', 'script:answers.yaml'],
      ['3', 'revision', '2', 'script:answers.yaml'],
      ['4', 'judge', '2', 'script:answers.yaml'],
    ]);
    const revision = result.stdout.split(/^=== /m)[3] as string;
    expect(revision).toContain('gate "prd-is-testable" failed: the judge scored 3/10');
    expect(revision).toContain('- the user stories name no user');
    expect(result.stderr).toContain('answered by the script answers.yaml');
    expect(tree(cwd)).toEqual(['answers.yaml']);
  });

  it('--json prints the envelope of `prompts`, valid against the published schema, with every message', async () => {
    const cwd = project();
    const { envelope } = schemaValidators();
    for (const args of [['run', SOFTWARE_COMPANY, IDEA, '--dry-run', '--json'], ['prompts', SOFTWARE_COMPANY, IDEA, '--json']]) {
      const result = await run(cwd, args, {});
      expect(result.code, result.stderr).toBe(0);
      const parsed = envelopeOf(result);
      expect(envelope(parsed), JSON.stringify(envelope.errors)).toBe(true);
      expect(parsed.command).toBe('prompts');
      const prompts = resultOf<any>(result);
      expect(prompts).toMatchObject({ file: SOFTWARE_COMPANY, answeredBy: 'offline', status: 'completed', exitCode: 0 });
      expect(prompts.workspace).toBeUndefined();
      expect(prompts.calls[0]).toMatchObject({ n: 1, round: 1, role: 'product_manager', action: 'write_prd', kind: 'output', attempt: 1, model: 'offline' });
      expect(prompts.calls[0].messages.map((message: { role: string }) => message.role)).toEqual(['system', 'user']);
    }
    expect(tree(cwd)).toEqual([]);
  });

  it('refuses the run options a preview has no use for', async () => {
    const cwd = project();
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--dry-run', '--record', 'c.cassette'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--record.*--dry-run|--dry-run.*--record/);
    const filterAlone = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--role', 'architect'], {});
    expect(filterAlone.code).toBe(2);
    expect(tree(cwd)).toEqual([]);
  });
});

describe('a preview without a usable temporary folder', () => {
  it('makes a TMPDIR that does not exist yet; one that cannot be written is a storage error (exit 14) naming it', async () => {
    const made = await sop(['prompts', DESK, 'my invoice is wrong'], { env: { TMPDIR: path.join(tempDir('sop-prompts-tmp-'), 'not', 'yet') } });
    expect(made.code, made.stderr).toBe(0);
    const locked = tempDir('sop-prompts-tmp-');
    chmodSync(locked, 0o555);
    const refused = await sop(['prompts', DESK, 'my invoice is wrong'], { env: { TMPDIR: locked }, withoutDacOverride: true });
    expect(refused.stderr).not.toContain('internal error');
    expect(refused.stderr).not.toMatch(STACK_LINE);
    expect(refused.code, refused.stderr).toBe(14);
    expect(refused.stderr).toContain(`error STORAGE_PERMISSION: cannot write ${locked}: permission denied`);
  });
});
