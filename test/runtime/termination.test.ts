import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, eventsOf, runFixture } from './helpers/run-fixture.js';
import { scriptedModel, actionHints } from './helpers/scripted-model.js';
import { readLines, readPinnedSop, readRunInfo } from '../../src/store/index.js';

const REVIEW = '{"approved": true, "comments": ["fine"]}';
const pipelineModel = () => scriptedModel((request) => (actionHints(request)?.format === 'json' ? REVIEW : '# Draft\n'));

describe('termination', () => {
  it('completed (exit 0): a published message matches stop_when; report and run-end agree', async () => {
    const run = await runFixture('pipeline.yaml', { model: pipelineModel() });
    expect(run.result).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(run.result.report).toMatchObject({ status: 'completed', exitCode: 0, rounds: 2, messages: { total: 3, byType: { Idea: 1, Draft: 1, Review: 1 } } });
    expect(run.events.at(-1)).toMatchObject({ type: 'run-end', status: 'completed', exitCode: 0, rounds: 2 });
    const report = JSON.parse(readFileSync(path.join(run.result.runDir, 'report.json'), 'utf8'));
    // The scripted model has no price: its cost is unknown, never silently $0.
    expect(report.usage.byRole.writer).toEqual({
      calls: 1, cachedCalls: 0, promptTokens: 10, completionTokens: 5, estimated: false, costUsd: 0, costUnknown: true, retries: 0, reasks: 0,
    });
    expect(report).toMatchObject({ costUsd: 0, costUnknown: true, models: { 'scripted:offline': 2 }, offline: false });
    expect(report.usage.byAction.review_draft.calls).toBe(1);
    expect(report.artifacts.map((artifact: { path: string }) => artifact.path)).toEqual(['docs/draft.md', 'docs/review.json']);
    expect(readFileSync(path.join(run.result.workspace, 'docs/review.json'), 'utf8')).toBe(JSON.stringify(JSON.parse(REVIEW), null, 2));
    expect(readRunInfo(run.result.runDir)).toMatchObject({ id: run.result.runId, inputs: { idea: 'a todo app' }, sop: { name: 'pipeline' } });
    expect(readPinnedSop(run.result.runDir)).toBe(readFileSync(path.join(FIXTURES, 'pipeline.yaml'), 'utf8'));
    expect(run.result.runId).toMatch(/^20250102-030405-[0-9a-f]{6}$/);
    // `seq` numbers the journal's lines (events, answers, commits, snapshots) without gaps.
    const lines = readLines(path.join(run.result.runDir, 'journal.jsonl'))?.records ?? [];
    expect(lines.map((line) => line.record.seq)).toEqual(lines.map((_, index) => index + 1));
    expect(run.events.map((event) => event.seq)).toEqual([...run.events.map((event) => event.seq)].sort((a, b) => a - b));
  });

  it('completed (exit 0): no stop_when and the bus goes idle', async () => {
    const run = await runFixture('delivery.yaml', { model: scriptedModel(() => 'ok') });
    expect(run.result).toMatchObject({ status: 'completed', exitCode: 0 });
  });

  it('stalled (exit 4): stop_when declared, nothing left to do', async () => {
    const run = await runFixture('stalled.yaml', { model: scriptedModel(() => 'draft') });
    expect(run.result).toMatchObject({ status: 'stalled', exitCode: 4 });
    expect(run.result.report.rounds).toBe(1);
    // The hint names what nobody acted on and how to go on once the SOP is fixed.
    expect(run.result.report.hint).toBe(
      `no role acted on Draft from writer (m0002): a role must watch the type (and its action's \`when\` match it), or \`stop_when\` name it; fix the SOP, then continue with \`sop resume ${run.result.runId} --allow-changed-sop\``,
    );
  });

  it('round_limit (exit 5): n_round rounds ran, and --n-round overrides it', async () => {
    const run = await runFixture('ping-pong.yaml', { model: scriptedModel(() => 'ball') });
    expect(run.result).toMatchObject({ status: 'round_limit', exitCode: 5 });
    expect(eventsOf(run, 'round-start')).toHaveLength(3);
    const longer = await runFixture('ping-pong.yaml', { model: scriptedModel(() => 'ball'), nRound: 5 });
    expect(longer.result.report.rounds).toBe(5);
  });

  it('budget_exhausted (exit 6): token use reaches settings.max_tokens', async () => {
    const model = scriptedModel(() => ({ text: 'ball', usage: { promptTokens: 40, completionTokens: 20 } }));
    const run = await runFixture('budget.yaml', { model });
    expect(run.result).toMatchObject({ status: 'budget_exhausted', exitCode: 6 });
    // 60 tokens per call: the second call reaches 100; no third call is made.
    expect(model.requests).toHaveLength(2);
    expect(run.result.report.usage.total.promptTokens + run.result.report.usage.total.completionTokens).toBe(120);
  });

  it('budget_exhausted (exit 6): reported cost reaches --investment', async () => {
    const model = scriptedModel(() => ({ text: 'ball', costUsd: 0.5 }));
    const run = await runFixture('ping-pong.yaml', { model, investment: 1, nRound: 10 });
    expect(run.result).toMatchObject({ status: 'budget_exhausted', exitCode: 6 });
    expect(model.requests).toHaveLength(2);
    expect(run.result.report).toMatchObject({ costUsd: 1, costUnknown: false, budget: { investment: 1, stopped: { reason: 'spent' } } });
    expect(run.result.report.hint).toBe(`resume with a larger budget: sop resume ${run.result.runId} --investment <USD> (calls already made are not paid again)`);
    expect(run.events.at(-1)).toMatchObject({ type: 'run-end', status: 'budget_exhausted', hint: run.result.report.hint, costUsd: 1 });
  });

  it('gate_stopped (exit 7): a gate with on_fail stop fails', async () => {
    const run = await runFixture('gates.yaml', { model: scriptedModel(() => 'no title'), inputs: { policy: 'stop' } });
    expect(run.result).toMatchObject({ status: 'gate_stopped', exitCode: 7 });
    expect(run.result.report.messages.byType['Draft']).toBeUndefined();
  });

  it('failed (exit 9): an action fails; the error and the record are kept', async () => {
    const run = await runFixture('json-output.yaml', { model: scriptedModel(() => 'not json at all') });
    expect(run.result).toMatchObject({ status: 'failed', exitCode: 9 });
    expect(run.result.error?.code).toBe('OUTPUT_INVALID');
    expect(run.result.report.error?.code).toBe('OUTPUT_INVALID');
    expect(run.events.at(-1)).toMatchObject({ type: 'run-end', status: 'failed', exitCode: 9, error: { code: 'OUTPUT_INVALID' } });
    expect(eventsOf(run, 'action-end').at(-1)).toMatchObject({ action: 'make_plan', outcome: 'failed' });
  });

  it('failed (exit 10): the provider fails', async () => {
    const model = scriptedModel(() => {
      throw new Error('connection refused');
    });
    const run = await runFixture('pipeline.yaml', { model });
    expect(run.result).toMatchObject({ status: 'failed', exitCode: 10 });
    expect(run.result.error?.code).toBe('PROVIDER_FAILED');
    expect(run.result.error?.message).toContain('connection refused');
  });

  it('interrupted (exit 130): the abort signal stops the run and the record is saved', async () => {
    const controller = new AbortController();
    const model = scriptedModel(() => {
      controller.abort();
      return 'ball';
    });
    const run = await runFixture('ping-pong.yaml', { model, signal: controller.signal, nRound: 10 });
    expect(run.result).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(model.requests).toHaveLength(1);
    expect(run.events.at(-1)).toMatchObject({ type: 'run-end', status: 'interrupted' });
  });

  it('max_runs bounds an action; later news is ignored with an event', async () => {
    const run = await runFixture('limits.yaml', { model: scriptedModel(() => 'ball') });
    expect(run.result.status).toBe('completed');
    expect(run.result.report.usage.byAction['ping']?.calls).toBe(2);
    expect(eventsOf(run, 'action-limit-reached')).toEqual([expect.objectContaining({ role: 'pinger', action: 'ping', maxRuns: 2 })]);
  });
});
