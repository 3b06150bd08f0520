import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/runtime/index.js';
import { eventsOf, runFixture } from './helpers/run-fixture.js';
import { scriptedModel, userPrompt } from './helpers/scripted-model.js';

const published = (run: Awaited<ReturnType<typeof runFixture>>): Message[] => eventsOf(run, 'message-published').map((event) => event['message'] as Message);

describe('gates', () => {
  it('revise: re-runs the action with the gate failure as feedback, then publishes (a prompt that places the feedback writes the revision itself)', async () => {
    const answers = ['no title', '# Title\nbody'];
    const model = scriptedModel(() => answers.shift() ?? 'x');
    const run = await runFixture('gates.yaml', { model, inputs: { policy: 'revise' } });
    expect(run.result.status).toBe('completed');
    expect(userPrompt(model.requests[1]!)).toBe("draft FIX: gate \"has_title\" failed: `output.startsWith('# ')` is false");
    expect(eventsOf(run, 'gate-failed')).toEqual([expect.objectContaining({ gate: 'has_title', onFail: 'revise', attempt: 1 })]);
    expect(eventsOf(run, 'gate-passed')).toHaveLength(1);
    expect(published(run).find((message) => message.type === 'Draft')?.content).toBe('# Title\nbody');
  });

  it('revise: a prompt that reads the feedback only in a partial it includes gets it too', async () => {
    const answers = ['no title', '# Title\nbody'];
    const model = scriptedModel(() => answers.shift() ?? 'x');
    const run = await runFixture('gate-feedback-partial.yaml', { model });
    expect(run.result.status).toBe('completed');
    expect(userPrompt(model.requests[0]!)).toBe('draft');
    expect(userPrompt(model.requests[1]!)).toBe("draft FIX: gate \"has_title\" failed: `output.startsWith('# ')` is false");
  });

  it('revise: after the revisions are spent the run stops (exit 7)', async () => {
    const model = scriptedModel(() => 'never a title');
    const run = await runFixture('gates.yaml', { model, inputs: { policy: 'revise' } });
    expect(run.result).toMatchObject({ status: 'gate_stopped', exitCode: 7 });
    expect(model.requests).toHaveLength(3);
    expect(eventsOf(run, 'gate-failed').map((event) => event['onFail'])).toEqual(['revise', 'revise', 'stop']);
    // A plain resume would replay the same answers into the same gate: the hint says to change the SOP first.
    expect(run.result.report.hint).toBe(`a gate stopped the run (its \`on_fail\`, or its revisions were spent): change the action's prompt or the gate, or let it revise (\`on_fail: { revise: N }\`); fix the SOP, then continue with \`sop resume ${run.result.runId} --allow-changed-sop\``);
  });

  it('route: publishes the route type with the feedback instead of the output', async () => {
    const model = scriptedModel(() => 'no title');
    const run = await runFixture('gates.yaml', { model, inputs: { policy: 'route' } });
    const rejected = published(run).find((message) => message.type === 'Rejected');
    expect(rejected).toMatchObject({ from: 'writer', to: null, cause: 'm0001', content: expect.stringContaining('has_title') });
    // A plain route carries the feedback only; the last output travels with an escalation (`then: { route, to }`).
    expect(Object.keys(rejected?.payload as object)).toEqual(['gate', 'action', 'feedback']);
    expect(published(run).some((message) => message.type === 'Draft')).toBe(false);
    expect(run.result.status).toBe('completed');
  });

  it('warn: records the failure and publishes anyway', async () => {
    const model = scriptedModel(() => 'no title');
    const run = await runFixture('gates.yaml', { model, inputs: { policy: 'warn' } });
    expect(eventsOf(run, 'gate-failed')).toEqual([expect.objectContaining({ onFail: 'warn' })]);
    expect(published(run).some((message) => message.type === 'Draft')).toBe(true);
  });

  it('command gate: runs in the workspace on the written artifact; exit 0 passes', async () => {
    const answers = ['```js\nprocess.exit(3)\n```', '```js\nconsole.log("ok")\n```'];
    const model = scriptedModel(() => answers.shift() ?? '');
    const run = await runFixture('command-gate.yaml', { model });
    expect(run.result.status).toBe('completed');
    expect(eventsOf(run, 'command-end').map((event) => [event['gate'], event['exitCode']])).toEqual([
      ['runs', 3],
      ['runs', 0],
    ]);
    expect(userPrompt(model.requests[1]!)).toContain('Fix: gate "runs" failed: `node main.js` exited with code 3');
    expect(readFileSync(path.join(run.result.workspace, 'main.js'), 'utf8')).toBe('console.log("ok")\n');
  });
});
