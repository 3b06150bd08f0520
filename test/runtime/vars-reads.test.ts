import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/runtime/index.js';
import { eventsOf, runFixture, tempFolder } from './helpers/run-fixture.js';
import { scriptedModel, userPrompt } from './helpers/scripted-model.js';

/** A workspace holding the files the fixture's `reads` name, plus the given extra files. */
function seededWorkspace(extra: Record<string, string> = {}): string {
  const workspace = tempFolder();
  const files: Record<string, string> = {
    'docs/intro.md': 'intro',
    'docs/a.md': 'A',
    // docs/b.md is missing: a listed path that does not exist reads as empty text, like a plain path.
    'src/pkg/two.py': 'two',
    'src/one.py': 'one',
    'src/notes.txt': 'not python',
    'src/.hidden.py': 'hidden',
    ...extra,
  };
  for (const [relative, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(workspace, relative)), { recursive: true });
    writeFileSync(path.join(workspace, relative), text);
  }
  return workspace;
}

function published(run: Awaited<ReturnType<typeof runFixture>>, type: string): Message | undefined {
  return eventsOf(run, 'message-published').map((event) => event['message'] as Message).find((message) => message.type === type);
}

describe('vars and list reads', () => {
  it('vars reach templates, CEL and a command argv; reads takes a CEL list and a glob, in path order', async () => {
    const model = scriptedModel(['the plan']);
    const run = await runFixture('vars-reads.yaml', { model, workspace: seededWorkspace(), inputs: {} });
    expect(run.result).toMatchObject({ status: 'completed', exitCode: 0 });
    // The start message's `{{ vars.greeting }}`, then every file read: the path, the list, the glob's
    // matches sorted (no hidden file, no other extension).
    expect(userPrompt(model.requests[0]!)).toContain(
      'Hello from vars: [docs/intro.md=intro][docs/a.md=A][docs/b.md=][src/one.py=one][src/pkg/two.py=two]',
    );
    // `when.if: inputs.lang in vars.runner` held, and `command: vars.runner[inputs.lang]` ran that argv.
    const report = published(run, 'Report');
    expect(report?.payload).toMatchObject({ passed: true, stdout: 'ran js\n' });
    expect(eventsOf(run, 'command-start')).toEqual([expect.objectContaining({ argv: ['node', '-e', "console.log('ran ' + process.argv[1])", 'js'] })]);
  });

  it('a glob matching more files than max_files fails the action before the model is called, naming the glob', async () => {
    const model = scriptedModel(['never asked']);
    const workspace = seededWorkspace({ 'src/three.py': '3', 'src/four.py': '4' });
    const run = await runFixture('vars-reads.yaml', { model, workspace, inputs: {} });
    expect(run.result).toMatchObject({ status: 'failed' });
    expect(run.result.error?.code).toBe('READS_TOO_LARGE');
    expect(run.result.error?.message).toMatch(/vars-reads\.yaml:28:22: glob "src\/\*\*\/\*\.py" matches 4 files, more than max_files 3/);
    expect(run.result.error?.hint).toContain('max_files');
    expect(model.requests).toHaveLength(0);
  });

  it('a CEL list longer than max_files fails before the model is called; a blank entry names no file', async () => {
    const model = scriptedModel(['a summary']);
    const workspace = seededWorkspace({ 'a.md': 'A' });
    const within = await runFixture('reads-list.yaml', { model, workspace, inputs: {} });
    expect(within.result.status).toBe('completed');
    expect(userPrompt(model.requests[0]!)).toContain('[a.md=A]');
    expect(userPrompt(model.requests[0]!)).not.toContain('[=');
    const over = await runFixture('reads-list.yaml', { model, workspace, inputs: { many: true } });
    expect(over.result.error?.code).toBe('READS_TOO_LARGE');
    expect(over.result.error?.message).toMatch(/reads-list\.yaml:18:\d+: `inputs\.many \? .*` lists 3 files, more than max_files 2/);
    expect(over.result.error?.hint).toContain('narrow the list');
    expect(model.requests).toHaveLength(1);
  });

  it('a listed path that leaves the workspace is refused at the `each` entry that listed it, before the model is called', async () => {
    const model = scriptedModel(['never asked']);
    const run = await runFixture('reads-list.yaml', { model, workspace: seededWorkspace({ 'a.md': 'A' }), inputs: { extra: '../outside.md' } });
    expect(run.result.error?.code).toBe('WORKSPACE_ESCAPE');
    expect(run.result.error?.message).toMatch(/reads-list\.yaml:18:\d+: read path "\.\.\/outside\.md" leaves the workspace/);
    expect(model.requests).toHaveLength(0);
  });

  it('reads totalling more than 4 MB fail the action, naming the file that went over', async () => {
    const model = scriptedModel(['never asked']);
    const mebibyte = 'x'.repeat(1024 * 1024);
    const workspace = seededWorkspace({ 'docs/intro.md': mebibyte, 'docs/a.md': mebibyte, 'big/1.txt': mebibyte, 'big/2.txt': mebibyte, 'big/3.txt': mebibyte });
    const run = await runFixture('vars-reads.yaml', { model, workspace, inputs: { pattern: 'big/*.txt' } });
    expect(run.result.error?.code).toBe('READS_TOO_LARGE');
    expect(run.result.error?.message).toContain('action write reads more than 4 MB in all (at "big/3.txt")');
    expect(model.requests).toHaveLength(0);
  });

  it('a glob that leaves the workspace is refused (WORKSPACE_ESCAPE)', async () => {
    const model = scriptedModel(['never asked']);
    for (const pattern of ['../**/*.py', '/etc/*', 'src/../../*.py']) {
      const run = await runFixture('vars-reads.yaml', { model, workspace: seededWorkspace(), inputs: { pattern } });
      expect(run.result.error?.code, pattern).toBe('WORKSPACE_ESCAPE');
      expect(run.result.error?.message, pattern).toMatch(new RegExp(`vars-reads\\.yaml:28:22: reads glob "${pattern.replace(/[.*/]/g, '\\$&')}" leaves the workspace`));
    }
    expect(model.requests).toHaveLength(0);
  });

  it('a glob never matches a symlink, so a link leading out of the workspace is not read', async () => {
    const outside = tempFolder();
    writeFileSync(path.join(outside, 'secret.py'), 'secret');
    const workspace = seededWorkspace();
    symlinkSync(path.join(outside, 'secret.py'), path.join(workspace, 'src', 'link.py'));
    const model = scriptedModel(['the plan']);
    const run = await runFixture('vars-reads.yaml', { model, workspace, inputs: {} });
    expect(run.result.status).toBe('completed');
    expect(userPrompt(model.requests[0]!)).toContain('[src/one.py=one][src/pkg/two.py=two]');
    expect(userPrompt(model.requests[0]!)).not.toMatch(/link\.py|secret/);
  });

  it('a command expression computed at run time that gives no argv is a located EXPRESSION_EVAL saying what it gave', async () => {
    const empty = await runFixture('argv-expression.yaml', { model: scriptedModel([]), inputs: { mode: 'empty' } });
    expect(empty.result).toMatchObject({ status: 'failed' });
    expect(empty.result.error?.code).toBe('EXPRESSION_EVAL');
    expect(empty.result.error?.message).toMatch(/argv-expression\.yaml:17:\d+: command `inputs\.mode == 'empty' \? \[\] : \[1, 2\]` gave an empty list: there is no program to run/);
    const numbers = await runFixture('argv-expression.yaml', { model: scriptedModel([]), inputs: { mode: 'numbers' } });
    expect(numbers.result.error?.code).toBe('EXPRESSION_EVAL');
    expect(numbers.result.error?.message).toContain('gave a list, expected a list of strings');
    expect(eventsOf(numbers, 'command-start')).toHaveLength(0);
  });
});
