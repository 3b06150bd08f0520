import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadResolvedSop } from '../../src/spec/index.js';
import { runSop } from '../../src/runtime/index.js';
import { FIXTURES, eventsOf, runFixture, tempFolder } from './helpers/run-fixture.js';
import { scriptedModel } from './helpers/scripted-model.js';

describe('run-time template errors', () => {
  it('a strict template failing at run time fails the run and names the SOP line', async () => {
    const model = scriptedModel(() => 'x');
    const run = await runFixture('template-error.yaml', { model });
    expect(run.result).toMatchObject({ status: 'failed', exitCode: 9 });
    expect(run.result.error?.code).toBe('TEMPLATE_RENDER');
    expect(run.result.error?.message).toMatch(/template-error\.yaml:20:\d+: .*audience/);
    expect(run.result.error?.diagnostics[0]).toMatchObject({ line: 20, pointer: '/roles/writer/actions/0/prompt' });
    expect(model.requests).toHaveLength(0);
  });
});

describe('workspace escapes at run time', () => {
  it.each([['../escaped.txt'], ['/tmp/sop-escaped-absolute.txt'], ['a/../../escaped.txt']])('refuses artifact path %j and writes nothing outside', async (target) => {
    const cwd = tempFolder();
    const run = await runFixture('escape.yaml', { cwd, model: scriptedModel(() => 'payload'), inputs: { target } });
    expect(run.result).toMatchObject({ status: 'failed', exitCode: 9 });
    expect(run.result.error?.code).toBe('WORKSPACE_ESCAPE');
    expect(existsSync(path.join(cwd, 'workspace', 'escaped.txt'))).toBe(false);
    expect(existsSync('/tmp/sop-escaped-absolute.txt')).toBe(false);
    expect(readdirSync(cwd).sort()).toEqual(['.sop', 'workspace']);
    expect(readdirSync(path.join(cwd, 'workspace'))).toEqual(['escape']);
  });

  it('refuses a path through a symlink that leaves the workspace', async () => {
    const cwd = tempFolder();
    const outside = path.join(cwd, 'outside');
    mkdirSync(outside);
    const workspace = path.join(cwd, 'ws');
    mkdirSync(workspace);
    symlinkSync(outside, path.join(workspace, 'link'));
    const run = await runFixture('escape.yaml', { cwd, workspace, model: scriptedModel(() => 'payload'), inputs: { target: 'link/file.txt' } });
    expect(run.result.error?.code).toBe('WORKSPACE_ESCAPE');
    expect(readdirSync(outside)).toEqual([]);
    expect(eventsOf(run, 'artifact-written')).toEqual([]);
  });
});

describe('inputs', () => {
  it('coerces declared types and refuses missing or invalid inputs with exit 2', async () => {
    const { sop } = await loadResolvedSop(path.join(FIXTURES, 'commands.yaml'));
    const options = { cwd: tempFolder(), model: scriptedModel(() => '') };
    await expect(runSop(sop, { ...options, inputs: { code: 'seven' } })).rejects.toMatchObject({ code: 'INPUT_INVALID', exitCode: 2, message: expect.stringContaining('"code" must be an integer') });
    await expect(runSop(sop, { ...options, inputs: { code: '1.5' } })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(runSop(sop, { ...options, inputs: { colour: 'red' } })).rejects.toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining('unknown input "colour"') });
    const gates = (await loadResolvedSop(path.join(FIXTURES, 'gates.yaml'))).sop;
    await expect(runSop(gates, { ...options, inputs: {} })).rejects.toMatchObject({ code: 'INPUT_MISSING', exitCode: 2, message: 'input "policy" (string) is required' });
    await expect(runSop(gates, { ...options, inputs: { policy: '  ' } })).rejects.toMatchObject({ code: 'INPUT_MISSING', message: 'input "policy" (string) is required and was given empty' });
    await expect(runSop(gates, { ...options, inputs: { policy: 'maybe' } })).rejects.toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining('one of "stop", "revise", "route", "warn"') });
    await expect(runSop(gates, { ...options, inputs: { policy: 'warn' }, nRound: 0 })).rejects.toMatchObject({ code: 'USAGE' });
    // Nothing was recorded for refused options.
    expect(existsSync(path.join(options.cwd, '.sop'))).toBe(false);
  });
});
