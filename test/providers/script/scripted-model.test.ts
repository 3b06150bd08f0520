import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequest } from '../../../src/providers/chat-model.js';
import type { OfflineHints } from '../../../src/providers/offline/hints.js';
import { ScriptBook, createScriptedModel, loadScript, parseScript, type Answer, type ScriptCall } from '../../../src/providers/script/index.js';
import { isSopError, type SopError } from '../../../src/errors/index.js';

const HEADER = 'apiVersion: sop-script/v1\n';

function call(fields: Partial<ScriptCall> = {}): ScriptCall {
  return { kind: 'output', role: 'pm', action: 'write_prd', attempt: 1, ...fields };
}

function script(answers: string, strict = false) {
  return parseScript(`${HEADER}${strict ? 'strict: true\n' : ''}answers:\n${answers}`, 'answers.yaml');
}

function thrown(run: () => unknown): SopError {
  try {
    run();
  } catch (error) {
    if (isSopError(error)) return error;
    throw error;
  }
  throw new Error('expected a SopError');
}

function request(hints: OfflineHints, extra: Partial<ChatRequest> = {}, messages: ChatMessage[] = []): ChatRequest {
  return {
    model: 'script',
    messages: [{ role: 'system', content: 'You are a PM.' }, { role: 'user', content: 'Write the PRD.' }, ...messages],
    providerOptions: { offline: hints },
    ...extra,
  };
}

const ACTION: OfflineHints = { kind: 'action', role: 'pm', action: 'write_prd', format: 'text', outputType: 'PRD', language: undefined, artifactPaths: [], attempt: 1 };

describe('matching: which answer serves a call', () => {
  const answer = (fields: Partial<Answer>): Answer => ({ role: 'pm', action: 'write_prd', output: 'x', ...fields });

  it('the most specific matching answer wins, whatever its place in the file', () => {
    const general = answer({ output: 'any attempt' });
    const second = answer({ attempt: 2, output: 'attempt 2' });
    const item = answer({ attempt: 2, item: 'main.py', output: 'attempt 2 of main.py' });
    const book = new ScriptBook([general, second, item]);
    expect(book.take(call({ attempt: 1 }))).toBe(general);
    expect(book.take(call({ attempt: 2 }))).toBe(second);
    expect(book.take(call({ attempt: 2, item: { index: 0, key: 'main.py' } }))).toBe(item);
    expect(book.take(call({ attempt: 2, item: { index: 1, key: 'util.py' } }))).toBe(second);
    expect(book.take(call({ action: 'write_design' }))).toBeUndefined();
    expect(book.take(call({ kind: 'reask' }))).toBeUndefined();
  });

  it('equally specific answers are used in file order, one per call; the last one repeats', () => {
    const [first, second] = [answer({ output: 'first' }), answer({ output: 'second' })];
    const book = new ScriptBook([first, second]);
    expect([book.take(call()), book.take(call()), book.take(call())]).toEqual([first, second, second]);
  });

  it('an item is named by its index or its key; `attempt: every` is any attempt', () => {
    const byIndex = answer({ item: 1, attempt: 'every' });
    const byKey = answer({ item: 'util.py' });
    const book = new ScriptBook([byIndex, byKey]);
    expect(book.take(call({ attempt: 3, item: { index: 1, key: 'other.py' } }))).toBe(byIndex);
    expect(book.take(call({ item: { index: 0, key: 'util.py' } }))).toBe(byKey);
    expect(book.take(call())).toBeUndefined();
  });

  it('judge and human answers may name their gate; without one they serve every gate of the action', () => {
    const anyGate = answer({ output: undefined, judge: { score: 9 } });
    const named = answer({ output: undefined, gate: 'testable', judge: { score: 2 } });
    const book = new ScriptBook([anyGate, named]);
    expect(book.take(call({ kind: 'judge', gate: 'testable' }))).toBe(named);
    expect(book.take(call({ kind: 'judge', gate: 'complete' }))).toBe(anyGate);
  });
});

describe('loading a script: located errors, all at once', () => {
  it('reports schema and answer-shape problems at their line and column', () => {
    const error = thrown(() =>
      script(['  - role: pm', '    action: write_prd', '    attempt: 0', '    judge: { score: 11 }', '    output: hi', '  - { role: pm, actoin: x, output: y }', '  - { role: pm, choose: done, attempt: 2 }'].join('\n')),
    );
    expect(error.code).toBe('SCRIPT_INVALID');
    expect(error.exitCode).toBe(2);
    const found = error.diagnostics.map((d) => [d.line, d.column, d.code, d.message]);
    expect(found).toEqual([
      [5, 14, 'SCHEMA_VIOLATION', 'must be at least 1'],
      [6, 21, 'SCHEMA_VIOLATION', 'must be at most 10'],
      // At the answer written second (`output:`), the one to move into an answer of its own.
      [7, 5, 'SCHEMA_VIOLATION', 'the answer has `output` and `judge`; it takes one'],
      [8, 17, 'SCHEMA_UNKNOWN_FIELD', 'unknown field `actoin`'],
      [9, 31, 'SCHEMA_UNKNOWN_FIELD', '`attempt` does not apply to a `choose` answer'],
    ]);
    expect(error.diagnostics.find((d) => d.code === 'SCHEMA_UNKNOWN_FIELD')?.hint).toBe('did you mean `action`?');
    expect(error.message).toMatch(/^invalid script: answers\.yaml:5:14: error SCHEMA_VIOLATION/);
    // The SOP's wording points at `sop schema`; a script's hints point at its own reference.
    expect(error.diagnostics.map((d) => d.hint).join('\n')).not.toContain('sop schema');
  });

  it('refuses broken YAML, a missing apiVersion and an answer without its action', () => {
    expect(thrown(() => parseScript('answers: [', 'a.yaml')).diagnostics[0]).toMatchObject({ code: 'YAML_SYNTAX', file: 'a.yaml', line: 1 });
    expect(thrown(() => parseScript('', 'a.yaml')).diagnostics[0]).toMatchObject({ code: 'YAML_EMPTY', message: 'empty script file' });
    expect(thrown(() => parseScript('- role: pm\n', 'a.yaml')).diagnostics[0]).toMatchObject({ code: 'YAML_NOT_MAPPING', hint: 'a script starts with `apiVersion: sop-script/v1`' });
    const missing = thrown(() => parseScript('answers:\n  - { role: pm, output: hi }\n', 'b.yaml'));
    expect(missing.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['SCHEMA_MISSING_FIELD', 'missing `apiVersion`: a script says which format it is written in'],
      ['SCHEMA_MISSING_FIELD', 'missing field `action`: an `output` answer is for one action'],
    ]);
    // The line to add, not the schema's description of the field.
    expect(missing.diagnostics[0]?.hint).toBe('add `apiVersion: sop-script/v1` as the first line');
  });

  it('a missing file is FILE_NOT_FOUND (exit 2) naming it', () => {
    const error = thrown(() => loadScript('nowhere.yaml', os.tmpdir()));
    expect([error.code, error.exitCode]).toEqual(['FILE_NOT_FOUND', 2]);
    expect(error.message).toContain('cannot read script nowhere.yaml');
  });

  it('a folder is FILE_UNREADABLE in plain words; an endless file (/dev/zero) is refused at the size bound, not read forever', () => {
    const folder = thrown(() => loadScript('.', os.tmpdir()));
    expect([folder.code, folder.exitCode, folder.message]).toEqual(['FILE_UNREADABLE', 2, 'cannot read script .: it is a folder']);
    if (process.platform === 'win32') return;
    const endless = thrown(() => loadScript('/dev/zero'));
    expect([endless.code, endless.exitCode, endless.message]).toEqual(['FILE_TOO_LARGE', 2, 'script /dev/zero is endless or more than the 8 MB a script may have']);
  });
});

describe('the scripted model', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('answers text as written, JSON values as JSON, and reads a script file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sop-script-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'a.yaml'), `${HEADER}answers:\n  - { role: pm, action: write_prd, output: { title: Todo } }\n  - { role: pm, action: write_prd, attempt: 2, output: "# Todo" }\n`);
    const model = createScriptedModel(loadScript('a.yaml', dir));
    expect(JSON.parse((await model.complete(request(ACTION))).text)).toEqual({ title: 'Todo' });
    const second = await model.complete(request(ACTION, { providerOptions: { offline: ACTION, script: { attempt: 2 } } }));
    expect(second.text).toBe('# Todo');
  });

  it('makes the scripted tool calls one turn at a time, by wire name, then gives the output', async () => {
    const model = createScriptedModel(script('  - role: pm\n    action: write_prd\n    tools: [{ tool: fs.read, args: { path: notes.md } }, { tool: fs.list }]\n    output: done\n'));
    const tools = [{ name: 'fs_read', description: '', parameters: {} }, { name: 'fs_list', description: '', parameters: {} }];
    const first = await model.complete(request(ACTION, { tools }));
    expect(first.toolCalls).toEqual([{ id: 'script-0-1', name: 'fs_read', arguments: '{"path":"notes.md"}' }]);
    const turn = (id: string, name: string): ChatMessage[] => [
      { role: 'assistant', content: '', toolCalls: [{ id, name, arguments: '{}' }] },
      { role: 'tool', toolCallId: id, toolName: name, content: 'ok' },
    ];
    const second = await model.complete(request(ACTION, { tools }, turn('script-0-1', 'fs_read')));
    expect(second.toolCalls).toEqual([{ id: 'script-0-2', name: 'fs_list', arguments: '{}' }]);
    const last = await model.complete(request(ACTION, { tools }, [...turn('script-0-1', 'fs_read'), ...turn('script-0-2', 'fs_list')]));
    expect([last.text, last.toolCalls]).toEqual(['done', undefined]);
  });

  it('a tool loop goes on with the answer that started it: a sequence moves on once per call, not per tool turn', async () => {
    const model = createScriptedModel(script('  - { role: pm, action: write_prd, tools: [{ tool: fs.read }], output: first }\n  - { role: pm, action: write_prd, tools: [{ tool: fs.read }], output: second }\n'));
    const tools = [{ name: 'fs_read', description: '', parameters: {} }];
    const loop = async (): Promise<string> => {
      const asked = await model.complete(request(ACTION, { tools }));
      const id = asked.toolCalls?.[0]?.id ?? '';
      const done = await model.complete(request(ACTION, { tools }, [{ role: 'assistant', content: '', toolCalls: asked.toolCalls ?? [] }, { role: 'tool', toolCallId: id, toolName: 'fs_read', content: 'ok' }]));
      return `${id} ${done.text}`;
    };
    expect([await loop(), await loop(), await loop()]).toEqual(['script-0-1 first', 'script-1-1 second', 'script-1-1 second']);
  });

  it('answers judges, react choices and plans in the shapes the runtime reads', async () => {
    const model = createScriptedModel(script(['  - { role: pm, action: write_prd, judge: { score: 3, reasons: [vague] } }', '  - { role: lead, choose: review }', '  - { role: lead, plan: [draft, review] }'].join('\n')));
    const judged = await model.complete(request({ kind: 'judge', role: 'pm', action: 'write_prd', gate: 'testable', minScore: 7 }));
    expect(JSON.parse(judged.text)).toEqual({ score: 3, reasons: ['vague'] });
    const chosen = await model.complete(request({ kind: 'react-choice', role: 'lead', options: ['draft', 'review', 'done'], chosen: [] }));
    expect(JSON.parse(chosen.text)).toMatchObject({ action: 'review' });
    const planned = await model.complete(request({ kind: 'plan', role: 'lead', options: ['draft', 'review'] }));
    expect(JSON.parse(planned.text).steps.map((step: { action: string }) => step.action)).toEqual(['draft', 'review']);
  });

  it('an unscripted call gets the offline answer; a strict script fails naming the call and the YAML to add', async () => {
    const loose = createScriptedModel(script('  - { role: qa, action: test, output: ok }'));
    expect((await loose.complete(request(ACTION))).text).toContain('offline');
    expect(loose.decide({ role: 'pm', action: 'write_prd', gate: 'ok', attempt: 1 })).toBeUndefined();
    expect(loose.unscripted()).toEqual(['role "pm", action "write_prd", output, attempt 1', 'role "pm", action "write_prd", human gate "ok", attempt 1']);
    const strict = createScriptedModel(script('  - { role: qa, action: test, output: ok }', true));
    const judge: OfflineHints = { kind: 'judge', role: 'pm', action: 'write_prd', gate: 'testable', minScore: 7 };
    const error = await strict.complete(request(judge, { providerOptions: { offline: judge, script: { attempt: 2, item: { index: 0, key: 'a.py' } } } })).catch((caught: unknown) => caught as SopError);
    expect([error.code, error.exitCode]).toEqual(['SCRIPT_MISS', 10]);
    expect(error.message).toBe('the strict script answers.yaml has no answer for role "pm", action "write_prd", judge gate "testable", attempt 2, item 0 ("a.py")');
    expect(error.hint).toContain('- { role: pm, action: write_prd, gate: "testable", attempt: 2, item: "a.py", judge: { score: 8, reasons: [looks right] } }');
  });

  it('decides human gates: approve, reject with feedback, edit with a new payload', () => {
    const model = createScriptedModel(
      script(['  - { role: pm, action: write_prd, attempt: 1, human: { reject: add stories } }', '  - { role: pm, action: write_prd, attempt: 2, human: { edit: { title: Edited } } }', '  - { role: pm, action: write_prd, attempt: 3, human: approve }'].join('\n')),
    );
    const human = { role: 'pm', action: 'write_prd', gate: 'ok' };
    expect(model.decide({ ...human, attempt: 1 })).toEqual({ kind: 'reject', feedback: 'add stories' });
    expect(model.decide({ ...human, attempt: 2 })).toEqual({ kind: 'edit', content: JSON.stringify({ title: 'Edited' }, null, 2) });
    expect(model.decide({ ...human, attempt: 3 })).toEqual({ kind: 'approve' });
    expect(model.decide({ ...human, action: 'other', attempt: 1 })).toBeUndefined();
  });
});
