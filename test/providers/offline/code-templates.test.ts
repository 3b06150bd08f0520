import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { ChatRequest } from '../../../src/providers/chat-model.js';
import { OFFLINE_NOTICE, createOfflineModel } from '../../../src/providers/offline/index.js';

const model = createOfflineModel();
const IDEA = 'Requirement: Build a simple todo CLI that stores "tasks" in a file.';

/** What the runtime sends for a `format: code` action writing `artifactPath`. */
async function codeFor(artifactPath: string | undefined, language?: string, idea = IDEA): Promise<string> {
  const request: ChatRequest = {
    model: 'offline',
    messages: [
      { role: 'system', content: 'You are an engineer. Reply with the code only.' },
      { role: 'user', content: `${idea}\nWrite the file ${artifactPath ?? ''}.` },
    ],
    providerOptions: {
      offline: {
        kind: 'action',
        role: 'engineer',
        action: 'write_code',
        format: 'code',
        outputType: 'CodeWritten',
        language,
        artifactPaths: artifactPath === undefined ? [] : [artifactPath],
        attempt: 1,
      },
    },
  };
  return (await model.complete(request)).text;
}

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** Writes the offline model's code for each path into a fresh temp project folder. */
async function project(paths: string[]): Promise<string> {
  const root = mkdtempSync(path.join(tmpdir(), 'sop-offline-code-'));
  folders.push(root);
  for (const relative of paths) {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, await codeFor(relative));
  }
  return root;
}

/** Runs a real child process; resolves with its exit status and combined output. */
function run(command: string, args: string[], cwd: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, timeout: 20_000 });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

describe.concurrent('offline code: Python', () => {
  it('writes a runnable module and a unittest that compiles every file of the project, and it passes', async ({ expect }) => {
    const root = await project(['todo_cli.py', 'todo_cli_storage.py', 'tests/test_todo_cli.py']);
    const script = await run('python3', ['todo_cli.py', 'buy', 'milk'], root);
    expect(script.status).toBe(0);
    expect(script.output).toContain('Build a simple todo CLI that stores tasks in a file: buy milk');

    const tests = await run('python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-v'], root);
    expect(tests.output).toContain('test_every_python_file_compiles');
    expect(tests.output).toMatch(/Ran 2 tests[\s\S]*OK/);
    expect(tests.status).toBe(0);
  });

  it('the generated test fails when a source file has a syntax error', async ({ expect }) => {
    const root = await project(['todo_cli.py', 'tests/test_todo_cli.py']);
    appendFileSync(path.join(root, 'todo_cli.py'), '\ndef broken(:\n    pass\n');
    const tests = await run('python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-v'], root);
    expect(tests.status).not.toBe(0);
    expect(tests.output).toContain('todo_cli.py');
    expect(tests.output).toMatch(/FAILED \(failures=1\)/);
  });

  it('the generated test fails when the project has no source file', async ({ expect }) => {
    const root = await project(['tests/test_todo_cli.py']);
    const tests = await run('python3', ['-m', 'unittest', 'discover', '-s', 'tests'], root);
    expect(tests.status).not.toBe(0);
    expect(tests.output).toContain('no Python source files found');
  });
});

describe.concurrent('offline code: JavaScript', () => {
  it('writes a CommonJS module and a node:test file that checks every file, and it passes', async ({ expect }) => {
    const root = await project(['todo-cli.js', 'lib/storage.js', 'test/todo-cli.test.js']);
    const script = await run(process.execPath, ['todo-cli.js', 'buy', 'milk'], root);
    expect(script.status).toBe(0);
    expect(script.output).toContain('Build a simple todo CLI that stores tasks in a file: buy milk');
    const loaded = await run(process.execPath, ['-e', 'console.log(typeof require("./todo-cli.js").summarize)'], root);
    expect(loaded.output.trim()).toBe('function');

    const tests = await run(process.execPath, ['--test', '--test-reporter=tap'], root);
    expect(tests.output).toContain('lib/storage.js');
    expect(tests.output).toMatch(/# fail 0/);
    expect(tests.status).toBe(0);
  });

  it('writes ES modules for .mjs paths, and their test passes', async ({ expect }) => {
    const root = await project(['todo-cli.mjs', 'test/todo-cli.test.mjs']);
    expect(await codeFor('todo-cli.mjs')).toMatch(/^export function summarize/m);
    const script = await run(process.execPath, ['todo-cli.mjs', 'x'], root);
    expect(script.output).toContain(': x');
    const tests = await run(process.execPath, ['--test', '--test-reporter=tap'], root);
    expect(tests.status).toBe(0);
  });

  it('the generated test fails when a source file has a syntax error', async ({ expect }) => {
    const root = await project(['todo-cli.js', 'test/todo-cli.test.js']);
    appendFileSync(path.join(root, 'todo-cli.js'), '\nfunction broken( {\n');
    const tests = await run(process.execPath, ['--test', '--test-reporter=tap'], root);
    expect(tests.status).not.toBe(0);
    expect(tests.output).toMatch(/not ok \d+ - todo-cli\.js/);
  });
});

describe.concurrent('offline code: other languages and files', () => {
  it('writes shell scripts and a shell test that bash accepts and runs', async ({ expect }) => {
    const root = await project(['todo.sh', 'tests/test_todo.sh']);
    expect(await codeFor('todo.sh')).toMatch(/^#!\/usr\/bin\/env bash\n# Generated by the sop offline model/);
    expect((await run('bash', ['todo.sh', 'a'], root)).output).toContain(': a');
    expect((await run('bash', ['tests/test_todo.sh'], root)).status).toBe(0);
    appendFileSync(path.join(root, 'todo.sh'), '\nif then fi (\n');
    expect((await run('bash', ['tests/test_todo.sh'], root)).status).not.toBe(0);
  });

  it('writes parseable JSON (a usable package.json), YAML and Markdown', async ({ expect }) => {
    const pkg = JSON.parse(await codeFor('package.json')) as { name: string; scripts: Record<string, string>; description: string };
    expect(pkg.name).toBe('todo-cli');
    expect(pkg.scripts.test).toBe('node --test');
    expect(pkg.description).toContain(OFFLINE_NOTICE);
    expect(JSON.parse(await codeFor('data/config.json'))).toMatchObject({ name: 'todo-cli' });
    expect(parseYaml(await codeFor('config.yaml'))).toMatchObject({ name: 'todo-cli' });
    const readme = await codeFor('README.md');
    expect(readme.split('\n').slice(0, 3)).toEqual(['# Todo CLI', '', `> ${OFFLINE_NOTICE}`]);
  });

  it('chooses the language from the path extension, else from the hinted language, and never adds fences', async ({ expect }) => {
    expect(await codeFor('src/main.rs')).toContain('fn main()');
    expect(await codeFor('src/lib.rs')).not.toContain('fn main()');
    expect(await codeFor('Main.java')).toContain('public class Main {');
    expect(await codeFor('main.go')).toMatch(/^package main$/m);
    expect(await codeFor('main_test.go')).toContain('func TestGoFilesParse(t *testing.T)');
    expect(await codeFor('Makefile', 'python')).toContain('def main(argv=None):');
    expect(await codeFor(undefined, 'JavaScript')).toContain('module.exports');
    for (const file of ['a.py', 'a.js', 'a.ts', 'a.go', 'a.rs', 'A.java', 'a.c', 'a.cpp', 'a.rb', 'a.html', 'a.css']) {
      const code = await codeFor(file);
      expect(code).not.toContain('```');
      expect(code).toContain(OFFLINE_NOTICE);
    }
  });

  it('writes the manifests Go and Rust test runners need', async ({ expect }) => {
    expect(await codeFor('go.mod')).toBe(`// ${OFFLINE_NOTICE}\nmodule todo_cli\n\ngo 1.21\n`);
    const cargo = await codeFor('Cargo.toml');
    expect(cargo).toContain('[package]\nname = "todo_cli"\nversion = "0.1.0"\nedition = "2021"\n');
    expect(await codeFor('tests/__init__.py')).toBe(`# ${OFFLINE_NOTICE}\n"""Package for Build a simple todo CLI that stores tasks in a file."""\n`);
  });

  it('writes a comment-only file for a language it does not know', async ({ expect }) => {
    const text = await codeFor('requirements.txt');
    expect(text.trimEnd().split('\n').every((line) => line.startsWith('# '))).toBe(true);
    expect(await codeFor(undefined, 'cobol')).toBe(`# ${OFFLINE_NOTICE}\n# main.txt: Build a simple todo CLI that stores tasks in a file.\n`);
  });

  it('keeps prompt text that would break a literal out of the code', async ({ expect }) => {
    const nasty = 'Requirement: a "quoted" \\ `tick` $HOME */ --> {x} tool';
    const python = await codeFor('tool.py', undefined, nasty);
    const root = mkdtempSync(path.join(tmpdir(), 'sop-offline-nasty-'));
    folders.push(root);
    writeFileSync(path.join(root, 'tool.py'), python);
    writeFileSync(path.join(root, 'tool.js'), await codeFor('tool.js', undefined, nasty));
    expect((await run('python3', ['-m', 'py_compile', 'tool.py'], root)).status).toBe(0);
    expect((await run(process.execPath, ['--check', 'tool.js'], root)).status).toBe(0);
    expect(python).toContain('TASK = "a quoted tick HOME / - x tool"');
  });
});
