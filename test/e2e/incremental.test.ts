import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, STACK_LINE } from '../cli/run-cli.js';
import { answerLikeOffline, type WireRequest } from '../support/fake-llm/offline-answer.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import { SOFTWARE_COMPANY, TEST_KEY, artifacts, lastRun, project, run, type RunRecord } from './providers-helpers.js';

/** `sop run --inc`: the software-company SOP working on the project an earlier run wrote. */

afterAll(removeTempDirs);

const MODEL = 'openai:gpt-4o-mini';

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The TaskList the run published (its tasks with `file` and `changed`). */
function taskList(record: RunRecord): { tasks: Array<{ file: string; changed: boolean }> } {
  const published = record.events.find((event) => event.type === 'message-published' && event.message.type === 'TaskList');
  expect(published).toBeDefined();
  return published.message.payload;
}

/** Paths the engineer's write_code wrote in a run. */
function codeWritten(record: RunRecord): string[] {
  return record.events.filter((event) => event.type === 'artifact-written' && event.action === 'write_code').map((event) => event.path as string);
}

/** A normal offline run that leaves a project in `<cwd>/<workspace>`. */
async function firstRun(cwd: string, workspace: string): Promise<void> {
  const result = await run(cwd, ['run', SOFTWARE_COMPANY, 'a todo app', '--workspace', workspace], {});
  expect(result.code, result.stderr).toBe(0);
}

describe.concurrent('incremental mode', () => {
  it('offline: --inc on an existing project merges the PRD, writes only the changed tasks\' files and leaves other files alone', async () => {
    const cwd = project();
    await firstRun(cwd, 'app');
    const workspace = path.join(cwd, 'app');
    const prdBefore = readFileSync(path.join(workspace, 'docs', 'prd.md'), 'utf8');
    // A file of the user's that no task names: incremental mode must not touch it.
    writeFileSync(path.join(workspace, 'NOTES.md'), 'my notes\n');
    const notesTime = statSync(path.join(workspace, 'NOTES.md')).mtimeMs;

    const result = await run(cwd, ['run', SOFTWARE_COMPANY, '--inc', '--workspace', 'app', 'add due dates to todos'], {});
    expect(result.code, result.stderr).toBe(0);
    const record = lastRun(cwd);
    expect(record.report.status).toBe('completed');
    expect(record.runInfo.inputs).toMatchObject({ inc: true, bug: '' });
    const prdAfter = readFileSync(path.join(workspace, 'docs', 'prd.md'), 'utf8');
    expect(prdAfter).not.toBe(prdBefore);
    expect(prdAfter).toContain('add due dates to todos');
    // The offline model marks every task changed: each task's file is written, nothing else.
    const { tasks } = taskList(record);
    expect(codeWritten(record)).toEqual(tasks.filter((task) => task.changed).map((task) => task.file));
    expect(readFileSync(path.join(workspace, 'docs', 'tasks.md'), 'utf8')).toContain('Changed in the last increment: yes');
    expect(readFileSync(path.join(workspace, 'NOTES.md'), 'utf8')).toBe('my notes\n');
    expect(statSync(path.join(workspace, 'NOTES.md')).mtimeMs).toBe(notesTime);
  });

  it('a scripted replay that marks one task changed rewrites exactly that file; the other task files stay byte- and mtime-identical', async (context) => {
    const cwd = project();
    await firstRun(cwd, 'base');
    // Two copies of the same project: one for recording, one for replaying.
    cpSync(path.join(cwd, 'base'), path.join(cwd, 'recorded'), { recursive: true, preserveTimestamps: true });
    cpSync(path.join(cwd, 'base'), path.join(cwd, 'replayed'), { recursive: true, preserveTimestamps: true });

    let marked: string | undefined;
    // Like the offline model, except that the task list marks only its last task changed.
    const answer = (request: WireRequest): string => {
      const reply = answerLikeOffline(request);
      if (!/Your reply becomes an? TaskList message/.test(request.system)) return reply;
      const list = JSON.parse(reply) as { tasks: Array<{ file: string; changed: boolean }> };
      list.tasks.forEach((task, index) => (task.changed = index === list.tasks.length - 1));
      marked = list.tasks[list.tasks.length - 1]?.file;
      return JSON.stringify(list);
    };
    const openai = await startFakeOpenAI({ answer });
    context.onTestFinished(() => openai.close());
    const recorded = await run(cwd, ['run', SOFTWARE_COMPANY, '--inc', '--workspace', 'recorded', 'add due dates to todos', '--model', MODEL, '--record', 'inc.cassette'], {
      OPENAI_API_KEY: TEST_KEY,
      OPENAI_BASE_URL: openai.url,
    });
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(marked).toBeDefined();
    await openai.close();

    const replayedDir = path.join(cwd, 'replayed');
    const before = taskFiles(replayedDir, taskList(lastRun(cwd)).tasks.map((task) => task.file));
    const replayed = await run(cwd, ['run', SOFTWARE_COMPANY, '--inc', '--workspace', 'replayed', 'add due dates to todos', '--model', MODEL, '--replay', 'inc.cassette'], {});
    expect(replayed.stderr).not.toMatch(STACK_LINE);
    expect(replayed.code, replayed.stderr).toBe(0);
    const record = lastRun(cwd);
    const { tasks } = taskList(record);
    expect(tasks.length).toBeGreaterThan(1);
    expect(tasks.filter((task) => task.changed).map((task) => task.file)).toEqual([marked]);
    expect(codeWritten(record)).toEqual([marked]);
    const after = taskFiles(replayedDir, tasks.map((task) => task.file));
    for (const task of tasks) {
      if (task.file === marked) expect(after[task.file]?.mtimeMs).toBeGreaterThan(before[task.file]?.mtimeMs ?? Infinity);
      else expect(after[task.file]).toEqual(before[task.file]);
    }
    // The replay did what the recording did.
    expect(artifacts(replayedDir)).toEqual(artifacts(path.join(cwd, 'recorded')));
  });

  it('a task list that changes no file writes no code; QA rewrites its tests and reruns them in the same round', async (context) => {
    const cwd = project();
    await firstRun(cwd, 'app');
    const answer = (request: WireRequest): string => {
      const reply = answerLikeOffline(request);
      if (!/Your reply becomes an? TaskList message/.test(request.system)) return reply;
      const list = JSON.parse(reply) as { tasks: Array<{ changed: boolean }> };
      for (const task of list.tasks) task.changed = false;
      return JSON.stringify(list);
    };
    const openai = await startFakeOpenAI({ answer });
    context.onTestFinished(() => openai.close());
    const files = taskList(lastRun(cwd)).tasks.map((task) => task.file);
    const before = taskFiles(path.join(cwd, 'app'), files);
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, '--inc', '--workspace', 'app', 'reword the help text', '--model', MODEL], {
      OPENAI_API_KEY: TEST_KEY,
      OPENAI_BASE_URL: openai.url,
    });
    expect(result.code, result.stderr).toBe(0);
    const record = lastRun(cwd);
    expect(record.report.status).toBe('completed');
    expect(codeWritten(record)).toEqual([]);
    const testRun = record.events.find((event) => event.type === 'action-start' && event.action === 'run_tests');
    expect(testRun?.round).toBe(4);
    expect(taskFiles(path.join(cwd, 'app'), files)).toEqual(before);
  });

  it('--input bug=... with --inc sends a BugReport straight to the engineer in round 1; QA reruns the tests', async () => {
    const cwd = project();
    await firstRun(cwd, 'app');
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, '--inc', '--workspace', 'app', 'fix the crash', '--input', 'bug=done crashes on id 0'], {});
    expect(result.code, result.stderr).toBe(0);
    const { events, report } = lastRun(cwd);
    const published = events.filter((event) => event.type === 'message-published').map((event) => event.message);
    expect(published[0]).toMatchObject({ type: 'BugReport', to: 'engineer', content: 'done crashes on id 0', round: 0 });
    expect(published.some((message) => message.type === 'UserRequirement')).toBe(false);
    const round1 = events.filter((event) => event.type === 'action-start' && event.round === 1);
    expect(round1.map((event) => [event.role, event.action])).toEqual([['engineer', 'fix_bug']]);
    expect(events.some((event) => event.type === 'action-start' && event.role === 'product_manager')).toBe(false);
    expect(published.map((message) => message.type)).toEqual(['BugReport', 'CodeFixed', 'TestReport']);
    expect(report.status).toBe('completed');
  });

  it('a bug report shows the engineer every code file as it is now, hand edits included: its fix rewrites whole files', async (context) => {
    const cwd = project();
    await firstRun(cwd, 'app');
    const files = taskList(lastRun(cwd)).tasks.map((task) => task.file);
    const edited = path.join(cwd, 'app', files[0]!);
    writeFileSync(edited, `${readFileSync(edited, 'utf8')}\n# my hand edit: keep me\n`);
    // A virtual environment in the project: more files than a prompt may read, none of them the project's.
    const venv = path.join(cwd, 'app', 'venv', 'lib', 'python3', 'site-packages', 'dep');
    mkdirSync(venv, { recursive: true });
    for (let n = 0; n < 201; n += 1) writeFileSync(path.join(venv, `m${n}.py`), '');
    const asked: string[] = [];
    const answer = (request: WireRequest): string => {
      if (/Your reply becomes an? CodeFixed message/.test(request.system)) asked.push(request.messages.map((turn) => turn.content).join('\n'));
      return answerLikeOffline(request);
    };
    const openai = await startFakeOpenAI({ answer });
    context.onTestFinished(() => openai.close());
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, '--inc', '--workspace', 'app', 'fix', '--input', 'bug=done crashes on id 0', '--model', MODEL], {
      OPENAI_API_KEY: TEST_KEY,
      OPENAI_BASE_URL: openai.url,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(asked).toHaveLength(1);
    for (const file of [...files, 'tests/test_project.py']) expect(asked[0]).toContain(`## \`${file}\``);
    expect(asked[0]).toContain('# my hand edit: keep me');
    expect(asked[0]).not.toContain('venv/');
  });

  it('QA sees its test file as it is now, a test a person added included, before it rewrites the file', async (context) => {
    const cwd = project();
    await firstRun(cwd, 'app');
    const tests = path.join(cwd, 'app', 'tests', 'test_project.py');
    writeFileSync(tests, `${readFileSync(tests, 'utf8')}\n# my own test: keep me\n`);
    const asked: string[] = [];
    const answer = (request: WireRequest): string => {
      if (/Your reply becomes an? TestsWritten message/.test(request.system)) asked.push(request.messages.map((turn) => turn.content).join('\n'));
      return answerLikeOffline(request);
    };
    const openai = await startFakeOpenAI({ answer });
    context.onTestFinished(() => openai.close());
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, '--inc', '--workspace', 'app', 'add due dates', '--model', MODEL], {
      OPENAI_API_KEY: TEST_KEY,
      OPENAI_BASE_URL: openai.url,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('# `tests/test_project.py` as it is now');
    expect(asked[0]).toContain('# my own test: keep me');
  });

  it('replaying an --inc run on a project edited since the recording misses, says the edited file is why, and keeps the edit', async () => {
    const cwd = project();
    await firstRun(cwd, 'base');
    cpSync(path.join(cwd, 'base'), path.join(cwd, 'edited'), { recursive: true });
    const recorded = await run(cwd, ['run', SOFTWARE_COMPANY, '--inc', '--workspace', 'base', 'add tags', '--record', 'inc.cassette'], {});
    expect(recorded.code, recorded.stderr).toBe(0);
    const file = taskList(lastRun(cwd)).tasks[0]!.file;
    const edited = path.join(cwd, 'edited', file);
    const text = `${readFileSync(edited, 'utf8')}# my hand edit\n`;
    writeFileSync(edited, text);
    const replayed = await run(cwd, ['run', SOFTWARE_COMPANY, '--inc', '--workspace', 'edited', 'add tags', '--replay', 'inc.cassette'], {});
    expect(replayed.stderr).not.toMatch(STACK_LINE);
    expect(replayed.code).toBe(10);
    expect(replayed.stderr).toContain('error REPLAY_MISS: replay miss for role "engineer", action "write_code"');
    expect(replayed.stderr).toContain('the workspace files its prompts read (a file edited since, in an --inc run)');
    expect(readFileSync(edited, 'utf8')).toBe(text);
  });

  it('--inc without the requirement: the hint\'s command keeps --inc --workspace DIR, so pasting it works on the same project', async () => {
    const cwd = project();
    await firstRun(cwd, 'my app');
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, '--inc', '--workspace', 'my app', '--input', 'bug=done crashes'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error INPUT_MISSING: input "idea" (string) is required');
    expect(result.stderr).toMatch(/hint: give it as the argument after the SOP file: .* run \S+software-company\.yaml "the idea" --inc --workspace 'my app' --input bug='done crashes'\n/);
    expect(result.stderr).not.toContain('inc=true');
  });

  it('refuses --inc without an existing --workspace, and on an SOP without a boolean `inc` input (exit 2)', async () => {
    const cwd = project();
    const missing = await run(cwd, ['run', SOFTWARE_COMPANY, '--inc', 'x'], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error USAGE: --inc needs --workspace');
    const absent = await run(cwd, ['run', SOFTWARE_COMPANY, '--inc', '--workspace', 'nowhere', 'x'], {});
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain('error USAGE: --inc: the workspace "nowhere" is not an existing folder');
    // An SOP without a boolean `inc` input.
    const plain = path.join(repoRoot, 'examples', 'research-brief', 'sop.yaml');
    const unsupported = await run(cwd, ['run', plain, '--inc', '--workspace', '.', '--input', 'topic=x'], {});
    expect(unsupported.stderr).not.toMatch(STACK_LINE);
    expect(unsupported.code).toBe(2);
    expect(unsupported.stderr).toContain('error USAGE: this SOP does not support --inc');
  });
});

/** sha256 and mtime of each task file, by path. */
function taskFiles(dir: string, files: string[]): Record<string, { sha256: string; mtimeMs: number }> {
  return Object.fromEntries(files.map((file) => [file, { sha256: sha256(path.join(dir, file)), mtimeMs: statSync(path.join(dir, file)).mtimeMs }]));
}
