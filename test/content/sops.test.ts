import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatModel, ChatRequest } from '../../src/providers/chat-model.js';
import { createOfflineModel } from '../../src/providers/offline/index.js';
import { runSop, type Message, type RunResult } from '../../src/runtime/index.js';
import { validateSopFile } from '../../src/spec/index.js';
import { readRunEvents } from '../../src/store/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every SOP the project ships: sops/*.yaml and examples/<name>/sop.yaml. */
function shippedSops(): string[] {
  const flagship = readdirSync(path.join(root, 'sops'))
    // `X.test.yaml` is the SOP's test file (`sop test`), not an SOP.
    .filter((name) => name.endsWith('.yaml') && !name.endsWith('.test.yaml'))
    .map((name) => `sops/${name}`);
  const examples = readdirSync(path.join(root, 'examples'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(root, 'examples', entry.name, 'sop.yaml')))
    .map((entry) => `examples/${entry.name}/sop.yaml`);
  return [...flagship, ...examples].sort();
}

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** Validates and runs an SOP on the offline model in a fresh temporary folder. */
async function runOffline(file: string, inputs: Record<string, string>, model?: ChatModel): Promise<RunResult> {
  const validation = await validateSopFile(file, { cwd: root });
  if (!validation.sop) throw new Error(`${file} is invalid: ${JSON.stringify(validation.diagnostics)}`);
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'sop-content-'));
  temporary.push(cwd);
  return runSop(validation.sop, { inputs, cwd, ...(model ? { model } : {}) });
}

/** The messages the run published, from its event log. */
function publishedMessages(result: RunResult): Message[] {
  return (readRunEvents(result.runDir) as Array<{ type: string; message?: Message }>)
    .filter((event) => event.type === 'message-published' && event.message)
    .map((event) => event.message as Message);
}

function commandsRun(result: RunResult): string[][] {
  return (readRunEvents(result.runDir) as Array<{ type: string; argv?: string[] }>)
    .filter((event) => event.type === 'command-start')
    .map((event) => event.argv ?? []);
}

function artifactPaths(result: RunResult): string[] {
  return result.report.artifacts.map((artifact) => artifact.path);
}

describe('shipped SOPs', () => {
  const files = shippedSops();

  it('include the flagship and at least two example domains', () => {
    expect(files).toEqual(expect.arrayContaining([
      'sops/software-company.yaml',
      'examples/research-brief/sop.yaml',
      'examples/data-validation/sop.yaml',
    ]));
  });

  it.each(files)('%s validates with no errors and no warnings', async (file) => {
    const result = await validateSopFile(file, { cwd: root });
    expect(result.diagnostics.map((d) => `${d.code} ${d.file}:${d.line ?? 0} ${d.message}`)).toEqual([]);
    expect(result.sop).toBeDefined();
  });

  it('show both template engines', async () => {
    const engines = new Set<string>();
    for (const file of files) engines.add((await validateSopFile(file, { cwd: root })).sop?.settings.templates ?? '');
    expect([...engines].sort()).toEqual(['handlebars', 'liquid']);
  });
});

describe('software-company on the offline model', () => {
  it('goes from an idea to docs, code and passing tests that really ran', async () => {
    const result = await runOffline('sops/software-company.yaml', { idea: 'a CLI todo app' });
    expect(result.error?.message).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(result.exitCode).toBe(0);
    expect(result.report.offline).toBe(true);

    for (const doc of ['docs/prd.md', 'docs/system_design.md', 'docs/tasks.md']) {
      expect(readFileSync(path.join(result.workspace, doc), 'utf8').length, doc).toBeGreaterThan(100);
    }
    expect(readFileSync(path.join(result.workspace, 'docs/prd.md'), 'utf8')).toContain('quadrantChart');
    expect(readFileSync(path.join(result.workspace, 'docs/system_design.md'), 'utf8')).toContain('classDiagram');

    const paths = artifactPaths(result);
    const sources = paths.filter((file) => file.endsWith('.py') && !file.startsWith('tests/'));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(existsSync(path.join(result.workspace, source)), source).toBe(true);
    expect(paths).toContain('tests/test_project.py');

    const messages = publishedMessages(result);
    const types = messages.map((message) => message.type);
    expect(types.slice(0, 4)).toEqual(['UserRequirement', 'PRD', 'SystemDesign', 'TaskList']);
    // One CodeWritten per task, in task order.
    const tasks = (messages.find((message) => message.type === 'TaskList')?.payload as { tasks: Array<{ file: string }> }).tasks;
    const written = messages.filter((message) => message.type === 'CodeWritten');
    expect(written.map((message) => (message.payload as { artifacts: string[] }).artifacts[0])).toEqual(tasks.map((task) => task.file));
    const report = messages.filter((message) => message.type === 'TestReport').at(-1);
    expect(report?.payload).toMatchObject({ passed: true, exit_code: 0 });
    expect(commandsRun(result)).toContainEqual(['python3', '-m', 'unittest', 'discover', '-s', 'tests', '-v']);
    // unittest really ran the generated tests (it reports on stderr).
    expect(String((report?.payload as { stderr: string }).stderr)).toMatch(/Ran [1-9]\d* tests?/);
  });
});

describe('software-company language and fix loop', () => {
  it('takes the language from the requirement and runs that language\'s test runner', async () => {
    const result = await runOffline('sops/software-company.yaml', { idea: 'a todo app in JavaScript' });
    expect(result.error?.message).toBeUndefined();
    expect(result.status).toBe('completed');
    const messages = publishedMessages(result);
    for (const type of ['PRD', 'SystemDesign', 'TaskList']) {
      expect((messages.find((message) => message.type === type)?.payload as { language: string }).language, type).toBe('javascript');
    }
    expect(artifactPaths(result)).toContain('test/project.test.js');
    expect(artifactPaths(result).some((file) => file.endsWith('.js') && !file.startsWith('test/'))).toBe(true);
    expect(commandsRun(result)).toEqual([['node', '--test']]);
  });

  it('fixes failing code: a broken file leads to a failed test run, fix_code, and a passing re-run', async () => {
    // The offline model, except that the first file comes back broken and the fix restores it.
    const offline = createOfflineModel();
    let broken: { path: string; good: string } | undefined;
    const model: ChatModel = {
      provider: 'offline',
      capabilities: offline.capabilities,
      async complete(request: ChatRequest) {
        const reply = await offline.complete(request);
        const hints = request.providerOptions?.offline;
        if (hints?.kind !== 'action') return reply;
        if (hints.action === 'write_code' && !broken) {
          broken = { path: hints.artifactPaths[0] ?? '', good: reply.text };
          return { ...reply, text: 'def broken(:\n' };
        }
        if (hints.action === 'fix_code' && broken) {
          const files = [{ path: broken.path, content: broken.good }];
          return { ...reply, text: JSON.stringify({ language: 'python', diagnosis: 'syntax error in the first file', files }) };
        }
        return reply;
      },
    };
    const result = await runOffline('sops/software-company.yaml', { idea: 'a CLI todo app' }, model);
    expect(result.error?.message).toBeUndefined();
    expect(result.status).toBe('completed');
    const messages = publishedMessages(result);
    const reports = messages.filter((message) => message.type === 'TestReport').map((message) => (message.payload as { passed: boolean }).passed);
    expect(reports).toEqual([false, true]);
    expect(messages.filter((message) => message.type === 'CodeFixed')).toHaveLength(1);
    expect(broken?.path).toMatch(/\.py$/);
    expect(readFileSync(path.join(result.workspace, broken?.path ?? ''), 'utf8')).toBe(broken?.good);
  });

  it('stops fixing after three attempts and reports the run as stalled', async () => {
    const offline = createOfflineModel();
    const model: ChatModel = {
      provider: 'offline',
      capabilities: offline.capabilities,
      async complete(request: ChatRequest) {
        const reply = await offline.complete(request);
        const hints = request.providerOptions?.offline;
        if (hints?.kind === 'action' && hints.action === 'write_code') return { ...reply, text: 'def broken(:\n' };
        if (hints?.kind === 'action' && hints.action === 'fix_code') {
          return { ...reply, text: JSON.stringify({ language: 'python', diagnosis: 'no idea', files: [{ path: 'scratch.py', content: 'x = 1\n' }] }) };
        }
        return reply;
      },
    };
    const result = await runOffline('sops/software-company.yaml', { idea: 'a CLI todo app' }, model);
    expect(result.status).toBe('stalled');
    expect(result.exitCode).toBe(4);
    const types = publishedMessages(result).map((message) => message.type);
    expect(types.filter((type) => type === 'CodeFixed')).toHaveLength(3);
    expect(types.filter((type) => type === 'TestReport')).toHaveLength(4);
  });
});

describe('examples on the offline model', () => {
  it('research-brief writes notes, a brief and an approving review', async () => {
    const result = await runOffline('examples/research-brief/sop.yaml', { topic: 'WebAssembly outside the browser' });
    expect(result.error?.message).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(artifactPaths(result).sort()).toEqual(['brief.md', 'notes.md', 'review.md']);
    expect(readFileSync(path.join(result.workspace, 'notes.md'), 'utf8')).toContain('# Research notes: WebAssembly outside the browser');
    const review = publishedMessages(result).filter((message) => message.type === 'Review').at(-1);
    expect(review?.payload).toMatchObject({ approved: true });
  });

  it('data-validation writes validate.py and the data, and runs the validator on it', async () => {
    const result = await runOffline('examples/data-validation/sop.yaml', {});
    expect(result.error?.message).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(artifactPaths(result).sort()).toEqual(['data.csv', 'validate.py']);
    expect(readFileSync(path.join(result.workspace, 'data.csv'), 'utf8')).toMatch(/^id,email,age,country,signup_date\n1,ada@example.org/);
    expect(commandsRun(result)).toEqual([['python3', 'validate.py', 'data.csv']]);
    const run = publishedMessages(result).filter((message) => message.type === 'ValidationRun').at(-1);
    expect(run?.payload).toMatchObject({ passed: true, exit_code: 0 });
  });

  it('mcp-tools starts its MCP server, calls its tools and a built-in one, and answers', async () => {
    const result = await runOffline('examples/mcp-tools/sop.yaml', { idea: 'How do we deploy?' });
    expect(result.error?.message).toBeUndefined();
    expect(result.status).toBe('completed');
    const calls = (readRunEvents(result.runDir) as Array<{ type: string; tool: string; ok: boolean }>).filter((event) => event.type === 'tool-call-end');
    expect(calls.map((call) => [call.tool, call.ok])).toEqual([
      ['notes.search_notes', true],
      ['notes.get_note', true],
      ['fs.list', true],
    ]);
    expect(artifactPaths(result)).toEqual(['answer.md']);
  });

  it('tested-code writes the tests, then a module that passes its command gate', async () => {
    const result = await runOffline('examples/tested-code/sop.yaml', {});
    expect(result.status).toBe('completed');
    expect(artifactPaths(result).sort()).toEqual(['slug.py', 'tests/test_slug.py']);
    expect(result.report.gates['write_module/tests-pass']).toMatchObject({ checks: 1, passed: 1 });
  });

  // The offline model takes the first branch: the branches themselves are in each example's sop.test.yaml.
  it('support-desk routes the ticket to the first category (billing), whose reply passes review', async () => {
    const result = await runOffline('examples/support-desk/sop.yaml', {});
    expect(result.status).toBe('completed');
    expect(publishedMessages(result).map((message) => `${message.type} ${message.from}`)).toEqual(['Ticket user', 'Triage triager', 'Reply billing_specialist']);
    expect(artifactPaths(result)).toEqual(['reply.md']);
  });

  it('debate alternates for the default two exchanges, then gives a verdict', async () => {
    const result = await runOffline('examples/debate/sop.yaml', {});
    expect(result.status).toBe('completed');
    const speeches = publishedMessages(result).filter((message) => message.type.endsWith('Speech'));
    expect(speeches.map((message) => `${message.round} ${message.from}`)).toEqual(['1 proposition', '2 opposition', '3 proposition', '4 opposition']);
    expect(readFileSync(path.join(result.workspace, 'verdict.md'), 'utf8')).toMatch(/^# Verdict: (proposition|opposition|draw)/);
  });

  it('data-check: the command gate refuses the offline model\'s made-up profile until the run stops', async () => {
    const result = await runOffline('examples/data-check/sop.yaml', { data: path.join(root, 'examples', 'data-check', 'sample', 'orders.csv') });
    expect(result.status).toBe('gate_stopped');
    expect(result.exitCode).toBe(7);
    expect(readFileSync(path.join(result.workspace, 'orders.csv'), 'utf8')).toBe(readFileSync(path.join(root, 'examples', 'data-check', 'sample', 'orders.csv'), 'utf8'));
    expect(result.report.gates['profile_file/profile-matches-file']).toMatchObject({ kind: 'command', checks: 3, passed: 0 });
  });
});
