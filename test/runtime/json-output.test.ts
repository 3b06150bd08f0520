import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsOf, runFixture } from './helpers/run-fixture.js';
import { scriptedModel, userPrompt, hintsOf } from './helpers/scripted-model.js';

describe('json outputs', () => {
  it('re-asks with the exact errors as feedback, then accepts a valid reply', async () => {
    const answers = ['{"title": "build"}', 'Here:\n```json\n{"title": "build", "steps": ["a", "b"],}\n```'];
    const model = scriptedModel(() => answers.shift() ?? '');
    const run = await runFixture('json-output.yaml', { model });
    expect(run.result.status).toBe('completed');
    const [first, second] = model.requests;
    expect(first?.responseSchema?.name).toBe('Plan');
    expect(first?.responseSchema?.schema).toMatchObject({ required: ['title', 'steps'] });
    expect(first?.messages[0]?.content).toContain('Reply with JSON only matching this schema');
    expect(second && hintsOf(second)).toMatchObject({ kind: 'action', attempt: 2 });
    expect(userPrompt(second!)).toBe('Plan a todo app\nFix these: /steps: required property is missing');
    // The model also sees its invalid reply and the errors as a follow-up turn.
    expect(second?.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(eventsOf(run, 'output-invalid')).toEqual([
      expect.objectContaining({ role: 'planner', action: 'make_plan', attempt: 1, maxAttempts: 3, errors: ['/steps: required property is missing'], raw: '{"title": "build"}' }),
    ]);
    // The second reply parsed only after repairs: the log says which, with the raw text.
    expect(eventsOf(run, 'output-repaired')).toEqual([
      expect.objectContaining({ action: 'make_plan', attempt: 2, repairs: ['code fence', 'prose around the JSON', 'trailing comma'], raw: expect.stringContaining('```json') }),
    ]);
    // A re-ask for a broken contract is counted apart from provider retries.
    expect(run.result.report.usage.byAction['make_plan']).toMatchObject({ calls: 2, reasks: 1, retries: 0 });
    expect(readFileSync(path.join(run.result.workspace, 'plans/build.txt'), 'utf8')).toBe('a, b');
  });

  it('fails with OUTPUT_INVALID naming role, action and fields after max_attempts', async () => {
    const model = scriptedModel(() => '{"steps": []}');
    const run = await runFixture('json-output.yaml', { model });
    expect(model.requests).toHaveLength(3);
    expect(run.result.status).toBe('failed');
    expect(run.result.error?.code).toBe('OUTPUT_INVALID');
    expect(run.result.error?.message).toBe(
      'role planner, action make_plan: the output is not a valid Plan after 3 attempts (missing fields: /title): /title: required property is missing; /steps: must NOT have fewer than 1 items',
    );
    // Each names the attempt and how many there are, so a reader knows the third is not re-asked.
    expect(eventsOf(run, 'output-invalid').map((event) => [event.attempt, event.maxAttempts])).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(run.result.report.usage.byAction['make_plan']).toMatchObject({ calls: 3, reasks: 2 });
  });
});
