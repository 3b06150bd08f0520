import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../src/providers/chat-model.js';
import { eventsOf, runFixture } from './helpers/run-fixture.js';
import { scriptedModel, userPrompt, hintsOf, actionHints } from './helpers/scripted-model.js';

const actionCalls = (requests: ChatRequest[]): string[] =>
  requests.flatMap((request) => actionHints(request)?.action ?? []);

describe('react mode', () => {
  it('runs the actions the model chooses, in its order, until done', async () => {
    const choices = ['{"action": "build", "reason": "build first"}', '{"action": "analyse"}', '{"action": "done"}'];
    const model = scriptedModel((request) => (hintsOf(request).kind === 'react-choice' ? (choices.shift() ?? 'x') : 'result'));
    const run = await runFixture('react.yaml', { model });
    expect(run.result.status).toBe('completed');
    expect(actionCalls(model.requests)).toEqual(['build', 'analyse']);
    const choiceRequest = model.requests.find((request) => hintsOf(request).kind === 'react-choice');
    expect(choiceRequest && hintsOf(choiceRequest)).toEqual({ kind: 'react-choice', role: 'worker', options: ['analyse', 'build', 'done'], chosen: [] });
    expect(choiceRequest?.responseSchema?.schema).toEqual({
      type: 'object',
      required: ['action'],
      properties: { action: { enum: ['analyse', 'build', 'done'] }, reason: { type: 'string' } },
    });
    const secondChoice = model.requests.filter((request) => hintsOf(request).kind === 'react-choice')[1];
    expect(secondChoice && hintsOf(secondChoice)).toMatchObject({ chosen: ['build'] });
    expect(eventsOf(run, 'react-choice').map((event) => [event['action'], event['reason']])).toEqual([
      ['build', 'build first'],
      ['analyse', ''],
      ['done', ''],
    ]);
  });

  it('re-asks an invalid choice twice, then treats it as done with an event', async () => {
    const model = scriptedModel((request) => (hintsOf(request).kind === 'react-choice' ? '{"action": "dance"}' : 'result'));
    const run = await runFixture('react.yaml', { model });
    expect(run.result.status).toBe('completed');
    expect(model.requests.filter((request) => hintsOf(request).kind === 'react-choice')).toHaveLength(3);
    expect(actionCalls(model.requests)).toEqual([]);
    const invalid = eventsOf(run, 'react-choice-invalid');
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatchObject({ role: 'worker', message: 'm0001', raw: '{"action": "dance"}' });
    expect(invalid[0]?.['errors']).toEqual(['/action: must be one of ["analyse","build","done"]']);
    // The re-ask shows the model its reply and the errors.
    const retry = model.requests[1];
    expect(retry?.messages.at(-1)?.content).toContain('/action: must be one of');
  });

  it('stops at max_react_loop actions per message', async () => {
    const model = scriptedModel((request) => (hintsOf(request).kind === 'react-choice' ? '{"action": "analyse"}' : 'result'));
    const run = await runFixture('react.yaml', { model });
    expect(actionCalls(model.requests)).toEqual(['analyse', 'analyse', 'analyse']);
    expect(run.result.report.messages.byType['Result']).toBe(3);
  });
});

describe('plan_and_act mode', () => {
  it('asks for a plan over the matching actions, then runs its steps in order', async () => {
    const model = scriptedModel((request) =>
      hintsOf(request).kind === 'plan' ? '{"steps": [{"action": "implement", "reason": "r1"}, {"action": "design", "reason": "r2"}, {"action": "implement"}]}' : `did ${userPrompt(request)}`,
    );
    const run = await runFixture('plan.yaml', { model });
    expect(run.result.status).toBe('completed');
    expect(hintsOf(model.requests[0] as ChatRequest)).toEqual({ kind: 'plan', role: 'planner', options: ['design', 'implement'] });
    expect(actionCalls(model.requests)).toEqual(['implement', 'design', 'implement']);
    expect(eventsOf(run, 'plan-created')[0]?.['steps']).toEqual([
      { action: 'implement', reason: 'r1' },
      { action: 'design', reason: 'r2' },
      { action: 'implement', reason: '' },
    ]);
  });

  it('re-asks an invalid plan up to max_replans, then fails with OUTPUT_INVALID (exit 9)', async () => {
    const model = scriptedModel(() => '{"steps": [{"action": "deploy"}]}');
    const run = await runFixture('plan.yaml', { model });
    expect(model.requests).toHaveLength(2);
    expect(run.result.status).toBe('failed');
    expect(run.result.exitCode).toBe(9);
    expect(run.result.error?.code).toBe('OUTPUT_INVALID');
    expect(run.result.error?.message).toContain('planner');
  });
});
