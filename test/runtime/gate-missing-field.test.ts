import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/runtime/index.js';
import { eventsOf, runFixture } from './helpers/run-fixture.js';
import { scriptedModel, userPrompt } from './helpers/scripted-model.js';

/**
 * A gate whose CEL reads a field the JSON answer lacks (`size(payload.subtitle) > 0` over an answer
 * without `subtitle`) has failed, naming the field, and its `on_fail` decides as for any failed
 * gate; a mistake in the SOP's expression itself still fails the run (EXPRESSION_EVAL).
 */
const published = (run: Awaited<ReturnType<typeof runFixture>>): Message[] => eventsOf(run, 'message-published').map((event) => event['message'] as Message);

const NO_SUBTITLE = 'gate "has_subtitle" failed: the output has no field `subtitle` (`size(payload.subtitle) > 0` reads `payload.subtitle`)';

describe('a gate reading a field the output lacks', () => {
  it('revise: the gate fails naming the field, the model is asked again, and the answer that has it is published', async () => {
    const answers = ['{"title": "Cats"}', '{"title": "Cats", "subtitle": "Sleepy"}'];
    const model = scriptedModel(() => answers.shift() ?? '{}');
    const run = await runFixture('gate-missing-field.yaml', { model, inputs: { policy: 'revise' } });
    expect(run.result.error).toBeUndefined();
    expect(run.result).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(eventsOf(run, 'gate-failed')).toEqual([expect.objectContaining({ gate: 'has_subtitle', onFail: 'revise', attempt: 1, feedback: NO_SUBTITLE })]);
    expect(userPrompt(model.requests[1]!)).toBe(`write FIX: ${NO_SUBTITLE}`);
    expect(published(run).find((message) => message.type === 'Doc')?.payload).toEqual({ title: 'Cats', subtitle: 'Sleepy' });
  });

  it('stop: the run is stopped by the gate (exit 7), its feedback naming the field', async () => {
    const model = scriptedModel(() => '{"title": "Cats"}');
    const run = await runFixture('gate-missing-field.yaml', { model, inputs: { policy: 'stop' } });
    expect(run.result.error).toBeUndefined();
    expect(run.result).toMatchObject({ status: 'gate_stopped', exitCode: 7 });
    expect(model.requests).toHaveLength(1);
    expect(eventsOf(run, 'gate-failed')).toEqual([expect.objectContaining({ gate: 'has_subtitle', onFail: 'stop', feedback: NO_SUBTITLE })]);
  });

  it('a gate `if` reading a missing field fails the gate (leaving the field out does not skip the check)', async () => {
    const model = scriptedModel(() => '{"title": "Cats"}');
    const run = await runFixture('gate-missing-field.yaml', { model, inputs: { policy: 'if' } });
    expect(run.result.error).toBeUndefined();
    expect(run.result).toMatchObject({ status: 'gate_stopped', exitCode: 7 });
    expect(eventsOf(run, 'gate-failed')).toEqual([
      expect.objectContaining({
        gate: 'code_title',
        onFail: 'stop',
        feedback: 'gate "code_title" failed: the output has no field `kind` (its `if` `payload.kind == \'code\'` reads `payload.kind`)',
      }),
    ]);
  });

  it('a command gate whose argv reads a missing field fails before anything runs, and is revised like any failed gate', async () => {
    const answers = ['{"title": "Cats"}', '{"title": "Cats", "subtitle": "Sleepy"}'];
    const model = scriptedModel(() => answers.shift() ?? '{}');
    const run = await runFixture('gate-missing-field.yaml', { model, inputs: { policy: 'command' } });
    expect(run.result.error).toBeUndefined();
    expect(run.result).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(eventsOf(run, 'gate-failed')).toEqual([
      expect.objectContaining({ gate: 'subtitle_passed', onFail: 'revise', feedback: 'gate "subtitle_passed" failed: the output has no field `subtitle` (its command reads `payload.subtitle`)' }),
    ]);
    // Only the answer that has the field ran the command.
    expect(eventsOf(run, 'command-start').map((event) => (event['argv'] as string[]).at(-1))).toEqual(['Sleepy']);
  });

  it('a mistake in the expression itself still fails the run (EXPRESSION_EVAL), not the gate', async () => {
    const model = scriptedModel(() => '{"title": "Cats"}');
    const run = await runFixture('gate-missing-field.yaml', { model, inputs: { policy: 'mistake' } });
    expect(run.result).toMatchObject({ status: 'failed', exitCode: 9 });
    expect(run.result.error?.code).toBe('EXPRESSION_EVAL');
    expect(run.result.error?.message).toContain('no such overload');
    expect(eventsOf(run, 'gate-failed')).toEqual([]);
  });
});
