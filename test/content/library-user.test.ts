import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createScriptedModel, listRuns, loadResolvedSop, parseScript, readResumePoint, readRunEvents, runSop, scriptedApprover, type ChatModel, type ChatResponse, type SopError } from '../../src/index.js';
import { removeTempDirs, repoRoot, tempDir } from '../cli/run-cli.js';

/**
 * What a program embedding `sop` meets (docs/library.md), through the package's entry point: its
 * own models, its own run ids. Mistakes of the caller end in a SopError or a failed result that
 * names the mistake, never in an `INTERNAL` error from deep inside the runtime.
 */
afterAll(removeTempDirs);

const note = path.join(repoRoot, 'examples', 'library', 'note.yaml');
// One action whose output a human gate ("ok") asks about.
const ask = path.join(repoRoot, 'test', 'fixtures', 'human-gate', 'ask.yaml');
const capabilities = { nativeJsonSchema: false, tools: false, streaming: false };

function replying(reply: unknown): ChatModel {
  return { provider: 'mine', capabilities, complete: async () => reply as ChatResponse };
}

describe('a ChatModel of the caller that breaks the ChatResponse contract', () => {
  it.each([
    ['nothing', undefined, /the reply is undefined, not an object/],
    ['no usage', { text: '# a note', model: 'mine-1' }, /"usage" is undefined, not an object/],
    ['text not a string', { text: 42, model: 'mine-1', usage: { promptTokens: 1, completionTokens: 1, estimated: true } }, /"text" is 42, not a string/],
    ['token counts not numbers', { text: '# a note', model: 'mine-1', usage: { promptTokens: '3', completionTokens: 1, estimated: true } }, /"usage\.promptTokens" is a string \("3"\), not a number of tokens/],
  ])('fails the run as a provider failure naming the field (%s)', async (_name, reply, message) => {
    const { sop } = await loadResolvedSop(note);
    const cwd = tempDir('sop-library-user-');
    const result = await runSop(sop, { cwd, inputs: { topic: 'tide pools' }, model: replying(reply), modelName: 'mine-1' });
    expect(result).toMatchObject({ status: 'failed', exitCode: 10 });
    expect(result.error?.code).toBe('PROVIDER_FAILED');
    expect(result.error?.message).toMatch(/^role writer, action draft: model mine:mine-1 \(mine\) gave a reply sop cannot use: /);
    expect(result.error?.message).toMatch(message);
    expect(result.error?.hint).toContain('ChatResponse');
    expect(result.report.error?.code).toBe('PROVIDER_FAILED');
    expect(existsSync(path.join(result.runDir, 'report.json'))).toBe(true);
  });
});

// docs/library.md, "Models": a model of the caller's spends a budget by the `costUsd` of its replies;
// without it a call costs nothing, whatever the model's name, so the budget never stops the run.
describe('a ChatModel of the caller and the budget', () => {
  const usage = { promptTokens: 1000, completionTokens: 500, estimated: false };
  it('stops the run when the costUsd of its replies spends the investment, and says how to go on', async () => {
    const { sop } = await loadResolvedSop(note);
    const cwd = tempDir('sop-library-user-');
    const model: ChatModel = { provider: 'mine', capabilities, complete: async () => ({ text: '# a note', usage, model: 'mine-1', costUsd: 0.01 }) };
    const result = await runSop(sop, { cwd, inputs: { topic: 'tide pools' }, model, modelName: 'mine-1', investment: 0.005 });
    expect(result).toMatchObject({ status: 'budget_exhausted', exitCode: 6 });
    expect(result.report.costUsd).toBe(0.01);
    expect(result.report.budget.stopped).toEqual({ reason: 'spent' });
    expect(result.report.hint).toBe(`resume with a larger budget: sop resume ${result.runId} --investment <USD> (calls already made are not paid again)`);
  });

  it('is not priced by its name when its replies carry no costUsd: the run completes at no cost', async () => {
    const { sop } = await loadResolvedSop(note);
    const cwd = tempDir('sop-library-user-');
    const model: ChatModel = { provider: 'mine', capabilities, complete: async () => ({ text: '# a note', usage, model: 'gpt-4o' }) };
    const result = await runSop(sop, { cwd, inputs: { topic: 'tide pools' }, model, modelName: 'gpt-4o', investment: 0.0001 });
    expect(result).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(result.report.costUsd).toBe(0);
  });
});

// docs/library.md, "Validate": `loadResolvedSop` of a file with several mistakes throws one SopError
// that names the first where it is, counts the others on that line, and holds every one.
describe('an SOP with several mistakes, loaded', () => {
  it('throws a SopError whose message names the first at file:line:col and counts the rest before its hint', async () => {
    const file = path.join(repoRoot, 'test', 'fixtures', 'library-user', 'three-mistakes.yaml');
    const refused = await loadResolvedSop(file).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'MESSAGE_TYPE_UNDECLARED', exitCode: 3 });
    const error = refused as SopError;
    expect(error.message.split('\n')).toEqual([
      `${file}:7:20: error MESSAGE_TYPE_UNDECLARED: message type \`Note\` is not declared (and 2 more)`,
      '  expected: declared: Topic',
      '  hint: declare it under `messages:` (e.g. `Note: { description: ... }`)',
    ]);
    expect(error.diagnostics.map((diagnostic) => [diagnostic.line, diagnostic.column, diagnostic.hint])).toEqual([
      [7, 20, 'declare it under `messages:` (e.g. `Note: { description: ... }`)'],
      [11, 13, 'did you mean `Topic`?'],
      [15, 25, 'declare it under `messages:` (e.g. `Draft: { description: ... }`)'],
    ]);
  });
});

describe('a run id of the caller', () => {
  it.each([['../../escaped'], ['a/b'], ['..'], [''], [' padded ']])('that is not one folder name (%j) is refused before anything is written', async (runId) => {
    const { sop } = await loadResolvedSop(note);
    const cwd = tempDir('sop-library-user-');
    const runsDir = path.join(cwd, 'deep', 'runs');
    const refused = await runSop(sop, { cwd, runsDir, inputs: { topic: 'tide pools' }, runId }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'USAGE', exitCode: 2, message: expect.stringContaining('is not a folder name'), hint: expect.stringContaining('none for a new timestamped id') });
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('that is a folder name names the run folder', async () => {
    const { sop } = await loadResolvedSop(note);
    const cwd = tempDir('sop-library-user-');
    const result = await runSop(sop, { cwd, inputs: { topic: 'tide pools' }, runId: 'nightly-2026.12.05_a' });
    expect(result).toMatchObject({ status: 'completed', runId: 'nightly-2026.12.05_a', runDir: path.join(cwd, '.sop', 'runs', 'nightly-2026.12.05_a') });
  });
});

describe('a resume of the caller', () => {
  it('without the resume point (resume: { runDir } alone, as JavaScript allows) is refused with the form that works', async () => {
    const { sop } = await loadResolvedSop(note);
    const cwd = tempDir('sop-library-user-');
    const stop = new AbortController();
    const stopped = await runSop(sop, { cwd, inputs: { topic: 'tide pools' }, signal: stop.signal, onEvent: (event) => { if (event.type === 'round-end') stop.abort(); } });
    expect(stopped.status).toBe('interrupted');
    const refused = await runSop(sop, { cwd, inputs: {}, resume: { runDir: stopped.runDir } as never }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'USAGE', exitCode: 2, message: 'resume.checkpoint is missing: resume takes the run folder and the resume point read from it', hint: 'pass resume: { runDir, ...readResumePoint(runDir) }' });
  });
});

describe('options.model that is not a ChatModel', () => {
  it.each([
    ['a model name', 'openai:gpt-4o', 'options.model is the text "openai:gpt-4o", not a ChatModel'],
    ['an object without complete', { provider: 'mine', capabilities }, 'options.model is an object without a complete(request) function, not a ChatModel'],
  ])('is refused before the run starts (%s)', async (_name, model, message) => {
    const { sop } = await loadResolvedSop(note);
    const cwd = tempDir('sop-library-user-');
    const refused = await runSop(sop, { cwd, inputs: { topic: 'tide pools' }, model: model as never }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'USAGE', exitCode: 2, message, hint: expect.stringContaining('registry.resolve(ref, NAME)') });
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('an onEvent listener that fails', () => {
  it('does not stop the run nor end the program, thrown or rejected (an async listener)', { timeout: 60_000 }, async () => {
    const folder = tempDir('sop-library-user-');
    const program = path.join(folder, 'listener.mjs');
    const entry = pathToFileURL(path.join(repoRoot, 'dist', 'index.js')).href;
    writeFileSync(program, [
      `import { loadResolvedSop, runSop } from ${JSON.stringify(entry)};`,
      `const { sop } = await loadResolvedSop(${JSON.stringify(note)});`,
      `const thrown = await runSop(sop, { cwd: ${JSON.stringify(folder)}, inputs: { topic: 'a' }, onEvent: () => { throw new Error('listener bug'); } });`,
      `const rejected = await runSop(sop, { cwd: ${JSON.stringify(folder)}, inputs: { topic: 'b' }, onEvent: async () => { throw new Error('async listener bug'); } });`,
      `console.log(thrown.status, rejected.status);`,
    ].join('\n'));
    const result = spawnSync(process.execPath, [program], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('completed completed\n');
    expect(result.status).toBe(0);
  });
});

describe('an approve function of the caller that fails', () => {
  const decided = { decision: { kind: 'approve' as const } };
  const askedAgain = { approve: async () => ({ kind: 'approve' as const }) };
  it.each([
    ['throws', 'resume.decision', (): never => { throw new Error('review service down (token sk-live-4242)'); }, decided],
    ['rejects', 'approve asked again', async (): Promise<never> => { throw new Error('review service down (token sk-live-4242)'); }, askedAgain],
  ])('leaves the gate awaiting its decision with one error naming the gate and the function (it %s); a resume (%s) finishes', async (_how, _resume, approve, resumeWith) => {
    const { sop } = await loadResolvedSop(ask);
    const cwd = tempDir('sop-library-user-');
    const result = await runSop(sop, { cwd, inputs: { idea: 'tides' }, secrets: ['sk-live-4242'], approve });
    expect(result).toMatchObject({ status: 'awaiting_approval', exitCode: 8 });
    expect(result.error).toMatchObject({
      code: 'APPROVAL_FAILED',
      exitCode: 8,
      message: 'human gate "ok" (role agent, action answer): the approve function threw instead of giving a decision: review service down (token ***)',
      hint: `the run is saved, paused at this gate (awaiting_approval): fix what the approve function calls, then continue run ${result.runId} with \`runSop(sop, { inputs, approve, resume: { runDir: result.runDir, ...readResumePoint(result.runDir) } })\` (approve is asked again), or give the decision in \`resume.decision\`: { kind: 'approve' }, { kind: 'reject', feedback } or { kind: 'edit', content }`,
    });
    expect(result.report.error).toMatchObject({ code: 'APPROVAL_FAILED', message: result.error?.message });
    expect(result.report.awaiting).toEqual([expect.objectContaining({ gate: 'ok', role: 'agent', action: 'answer', prompt: 'Ship it?' })]);
    expect(JSON.stringify(readRunEvents(result.runDir))).not.toContain('sk-live-4242');
    const point = { runDir: result.runDir, ...readResumePoint(result.runDir) };
    const resumed = await runSop(sop, 'decision' in resumeWith ? { cwd, inputs: {}, resume: { ...point, ...resumeWith } } : { cwd, inputs: {}, resume: point, ...resumeWith });
    expect(resumed).toMatchObject({ status: 'completed', exitCode: 0 });
  });

  it('a SopError it throws fails the run as that error: a strict script without a human answer is SCRIPT_MISS, as documented', async () => {
    const { sop } = await loadResolvedSop(ask);
    const cwd = tempDir('sop-library-user-');
    const model = createScriptedModel(parseScript('apiVersion: sop-script/v1\nstrict: true\nanswers:\n  - { role: agent, action: answer, output: "yes" }\n', 'answers.yaml'));
    const result = await runSop(sop, { cwd, inputs: { idea: 'tides' }, model, approve: scriptedApprover(model) });
    expect(result).toMatchObject({ status: 'failed', exitCode: 10 });
    expect(result.error?.code).toBe('SCRIPT_MISS');
  });
});

describe('an AbortSignal while the approve function of the caller is deciding', () => {
  it.each([
    ['never settles', (): Promise<never> => new Promise(() => undefined)],
    ['fails after the abort', (): Promise<never> => new Promise((_resolve, reject) => setTimeout(() => reject(new Error('review service gone')), 50))],
  ])('stops the run as interrupted at once (it %s); a resume asking again finishes', async (_how, deciding) => {
    const { sop } = await loadResolvedSop(ask);
    const cwd = tempDir('sop-library-user-');
    const stop = new AbortController();
    const approve = (): Promise<never> => {
      stop.abort();
      return deciding();
    };
    const result = await runSop(sop, { cwd, inputs: { idea: 'tides' }, signal: stop.signal, approve });
    expect(result).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(result.error).toBeUndefined();
    const resumed = await runSop(sop, { cwd, inputs: {}, resume: { runDir: result.runDir, ...readResumePoint(result.runDir) }, approve: async () => ({ kind: 'approve' }) });
    expect(resumed).toMatchObject({ status: 'completed', exitCode: 0 });
  });
});

describe('reading runs that are not there', () => {
  it('listRuns of a runs folder that does not exist is [] (no run recorded there yet)', async () => {
    const cwd = tempDir('sop-library-user-');
    expect(await listRuns(path.join(cwd, '.sop', 'runs'))).toEqual([]);
  });

  it('listRuns names a run as runSop\'s result does: runId and runDir', async () => {
    const { sop } = await loadResolvedSop(note);
    const cwd = tempDir('sop-library-user-');
    const result = await runSop(sop, { cwd, inputs: { topic: 'tide pools' } });
    const [listed, ...others] = await listRuns(path.join(cwd, '.sop', 'runs'));
    expect(others).toEqual([]);
    expect(listed).toMatchObject({ runId: result.runId, runDir: result.runDir, status: result.status, exitCode: result.exitCode });
    expect(Object.keys(listed!)).not.toContain('id');
    expect(Object.keys(listed!)).not.toContain('dir');
  });

  it('listRuns of a file is refused (USAGE), not an empty list', async () => {
    const file = path.join(tempDir('sop-library-user-'), 'runs');
    writeFileSync(file, 'not a folder');
    await expect(listRuns(file)).rejects.toMatchObject({ code: 'USAGE', exitCode: 2, message: `the runs folder ${file} is a file, not a folder` });
  });

  it.each([
    ['readRunEvents', readRunEvents],
    ['readResumePoint', readResumePoint],
  ])('%s of a run folder that does not exist is RUN_NOT_FOUND naming the folder, as `sop resume` says it', (_name, read) => {
    const runDir = path.join(tempDir('sop-library-user-'), '.sop', 'runs', 'no-such-run');
    expect(() => read(runDir)).toThrowError(expect.objectContaining({
      code: 'RUN_NOT_FOUND',
      exitCode: 2,
      message: `no run ${runDir}: the folder does not exist`,
      hint: expect.stringContaining('listRuns(runsDir)'),
    }));
  });

  it('readRunEvents of a folder without a run record (the runs folder itself, say) is RUN_NOT_FOUND too', async () => {
    const { sop } = await loadResolvedSop(note);
    const cwd = tempDir('sop-library-user-');
    const result = await runSop(sop, { cwd, inputs: { topic: 'tide pools' } });
    expect(readRunEvents(result.runDir)[0]).toMatchObject({ type: 'run-start' });
    const runsDir = path.dirname(result.runDir);
    expect(() => readRunEvents(runsDir)).toThrowError(expect.objectContaining({
      code: 'RUN_NOT_FOUND',
      message: `no run ${runsDir}: the folder has no run record (no journal.jsonl, nor an older version's events.jsonl)`,
    }));
    const empty = path.join(cwd, 'empty');
    mkdirSync(empty);
    expect(() => readRunEvents(empty)).toThrowError(expect.objectContaining({ code: 'RUN_NOT_FOUND' }));
  });
});
